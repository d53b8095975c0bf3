"""ListUsers: the admin's view of every account."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.paging import Page, Paged
from allora.domain.users import User


class ListUsers:
    """Rules: ADMIN only (403); oldest first, paged."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, page: Page) -> Paged[User]:
        actor.require_admin()
        async with self._uow() as uow:
            return await uow.users.listing(page)
