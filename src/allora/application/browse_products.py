"""ListProducts and GetProduct: the public catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import Comment, CommentStatus
from allora.domain.errors import NotFound
from allora.domain.paging import Page, Paged
from allora.domain.products import Product, ProductId, ProductQuery

COMMENTS_ON_PAGE = Page(limit=50, offset=0)


class ListProducts:
    """Rules: filters by category, text in name or description and price range; sorted newest
    first, by price either way, or best score first; paged with the total."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, query: ProductQuery, page: Page) -> Paged[Product]:
        async with self._uow() as uow:
            return await uow.products.search(query, page)


@dataclass(frozen=True, slots=True)
class ProductPage:
    product: Product
    comments: list[Comment]


class GetProduct:
    """Rules: unknown product 404; shows the 50 newest accepted comments, never pending ones
    (all of them, paged, at `GET /api/comments/?productID=`)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, raw_id: str) -> ProductPage:
        product_id = parse_id("id", raw_id)
        async with self._uow() as uow:
            product = await uow.products.get(ProductId(product_id)) if product_id else None
            if product is None:
                raise NotFound("No such product")
            comments = await uow.comments.listing(
                product.id, frozenset({CommentStatus.ACCEPTED}), COMMENTS_ON_PAGE
            )
        return ProductPage(product, comments.items)
