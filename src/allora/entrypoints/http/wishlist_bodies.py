"""Wire types of the wishlist."""

from __future__ import annotations

from typing import Any

import msgspec


class AddToWishlistBody(msgspec.Struct):
    product: str
    user: Any = None  # accepted for compatibility and ignored: the user is the session's
