"""GetProduct: one product of the public catalogue, with its newest accepted comments."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import Comment, CommentStatus
from allora.domain.paging import Page
from allora.domain.products import Product, ProductId, ProductNotFound

COMMENTS_ON_PAGE = Page(limit=50, offset=0)


@dataclass(frozen=True, slots=True)
class ProductPage:
    product: Product
    comments: list[Comment]


class GetProduct:
    """Rules: unknown product 404; shows the 50 newest accepted comments, never pending ones
    (all of them, paged, at `GET /api/comments/?productID=`)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, product_id: str) -> ProductPage:
        wanted = parse_id(product_id)
        async with self._uow() as uow:
            product = await uow.products.get(ProductId(wanted)) if wanted else None
            if product is None:
                raise ProductNotFound()
            comments = await uow.comments.listing(
                product.id, frozenset({CommentStatus.ACCEPTED}), COMMENTS_ON_PAGE
            )
        return ProductPage(product, comments.items)
