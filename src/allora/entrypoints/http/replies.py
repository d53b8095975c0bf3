"""The reply of a write that has nothing more to say than how it went."""

from __future__ import annotations

import msgspec


class MessageOut(msgspec.Struct):
    message: str
