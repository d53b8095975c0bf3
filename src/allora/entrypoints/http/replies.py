"""Replies: the message of a write that has nothing more to say, and bodies a use case
returned already encoded."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import MediaType, Response


class MessageOut(msgspec.Struct):
    message: str


def encoded(body: bytes) -> Response[Any]:
    """JSON the use case returned already encoded, sent as it is (typed `Any` so a handler
    keeps documenting the body it holds)."""
    return Response(body, media_type=MediaType.JSON)
