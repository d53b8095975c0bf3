"""ListComments: the public, accepted comments."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import EMPTY_PAGE, CatalogueViews, EncodedPage
from allora.domain.comments import PUBLIC_STATUSES
from allora.domain.paging import Page
from allora.domain.products import ProductId


class ListComments:
    """Rules: accepted comments only, of one product or all, newest first; an id that names no
    product lists nothing. Returns the page as its JSON array, encoded, with the total."""

    def __init__(self, views: CatalogueViews) -> None:
        self._views = views

    async def __call__(self, *, product_id: str | None, page: Page) -> EncodedPage:
        if product_id is None:
            return await self._views.comments(None, PUBLIC_STATUSES, page)
        wanted = parse_id(product_id)
        if wanted is None:
            return EMPTY_PAGE
        return await self._views.comments(ProductId(wanted), PUBLIC_STATUSES, page)
