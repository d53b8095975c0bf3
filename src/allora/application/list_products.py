"""ListProducts: the public catalogue, filtered, sorted and paged."""

from __future__ import annotations

from allora.application.ports import CatalogueViews, EncodedPage
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery


class ListProducts:
    """Rules: filters by category, text in name or description and price range; sorted newest
    first, by price either way, or best score first; paged with the total. Anyone may list.
    Returns the page as its JSON array, encoded, with the total."""

    def __init__(self, views: CatalogueViews) -> None:
        self._views = views

    async def __call__(self, *, query: ProductQuery, page: Page) -> EncodedPage:
        return await self._views.products(query, page)
