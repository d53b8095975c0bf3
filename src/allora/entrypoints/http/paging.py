"""List responses: a bare JSON array, the listing's total in `X-Total-Count`."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from litestar import MediaType, Request, Response

from allora.application.ports import EncodedPage
from allora.domain.errors import InvalidInput

T = TypeVar("T")


_WHOLE = re.compile(r"0|[1-9][0-9]{0,18}")


async def strict_paging(request: Request[Any, Any, Any]) -> None:
    """`limit` and `offset` are whole numbers given once: Litestar alone would read `5.0`,
    `1e1` or a repeated parameter without complaint."""
    for name in ("limit", "offset"):
        values = request.query_params.getall(name, [])
        if len(values) > 1 or (values and not _WHOLE.fullmatch(values[0])):
            raise InvalidInput.for_field(name, f"{name} must be a whole number, given once")


def page_response(items: list[T], total: int) -> Response[list[T]]:
    return Response(items, headers={"X-Total-Count": str(total)})


def encoded_page(page: EncodedPage) -> Response[Any]:
    """A page the use case returned already encoded: its bytes as they are (typed `Any` so a
    handler keeps documenting the items it holds)."""
    return Response(
        page.body, media_type=MediaType.JSON, headers={"X-Total-Count": str(page.total)}
    )
