"""ListDiscounts: every discount code with its uses."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.discounts import Discount
from allora.domain.paging import Page, Paged
from allora.domain.users import User


class ListDiscounts:
    """Rules: ADMIN only (403); newest first, paged."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, page: Page) -> Paged[Discount]:
        actor.require_admin()
        async with self._uow() as uow:
            return await uow.discounts.listing(page)
