"""Wire types of the wishlist."""

from __future__ import annotations

import msgspec


class AddToWishlistBody(msgspec.Struct):
    """Other fields are ignored: a `user`, which older clients send, among them (the user is
    the session's)."""

    product: str
