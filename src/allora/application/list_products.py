"""ListProducts: the public catalogue, filtered, sorted and paged."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.paging import Page, Paged
from allora.domain.product_query import ProductQuery
from allora.domain.products import Product


class ListProducts:
    """Rules: filters by category, text in name or description and price range; sorted newest
    first, by price either way, or best score first; paged with the total."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, query: ProductQuery, page: Page) -> Paged[Product]:
        async with self._uow() as uow:
            return await uow.products.search(query, page)
