"""ListAllComments: the moderator's view, pending ones included."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import Comment, statuses_named
from allora.domain.paging import Page, Paged
from allora.domain.users import User


class ListAllComments:
    """Rules: ADMIN only (403); filter by status pending, accepted, rejected or all (400
    otherwise); newest first, paged."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, status: str, page: Page) -> Paged[Comment]:
        actor.require_admin()
        statuses = statuses_named(status)
        async with self._uow() as uow:
            return await uow.comments.listing(None, statuses, page)
