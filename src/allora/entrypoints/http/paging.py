"""List responses: a bare JSON array, the listing's total in `X-Total-Count`."""

from __future__ import annotations

from typing import TypeVar

from litestar import Response

T = TypeVar("T")


def page_response(items: list[T], total: int) -> Response[list[T]]:
    return Response(items, headers={"X-Total-Count": str(total)})
