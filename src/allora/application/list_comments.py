"""ListComments: the public, accepted comments."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import Comment, CommentStatus
from allora.domain.paging import Page, Paged
from allora.domain.products import ProductId


class ListComments:
    """Rules: accepted comments only, of one product or all, newest first; an id that names no
    product lists nothing."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, product_id: str | None, page: Page) -> Paged[Comment]:
        wanted = None if product_id is None else parse_id(product_id)
        if product_id is not None and wanted is None:
            return Paged([], 0)
        async with self._uow() as uow:
            return await uow.comments.listing(
                ProductId(wanted) if wanted else None, frozenset({CommentStatus.ACCEPTED}), page
            )
