"""GetProduct: one product of the public catalogue, with its newest accepted comments."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import CatalogueViews
from allora.domain.comments import PUBLIC_STATUSES
from allora.domain.paging import Page
from allora.domain.products import ProductId, ProductNotFound

COMMENTS_ON_PAGE = Page(limit=50, offset=0)


class GetProduct:
    """Rules: an unknown product, or an id that is none of ours, is 404; the product shows its
    50 newest accepted comments, never pending or rejected ones (all of them, paged, at
    `GET /api/comments/?productID=`). Returns the Product JSON with `comments`, encoded."""

    def __init__(self, views: CatalogueViews) -> None:
        self._views = views

    async def __call__(self, *, product_id: str) -> bytes:
        wanted = parse_id(product_id)
        body = (
            await self._views.product(ProductId(wanted), PUBLIC_STATUSES, COMMENTS_ON_PAGE)
            if wanted
            else None
        )
        if body is None:
            raise ProductNotFound()
        return body
