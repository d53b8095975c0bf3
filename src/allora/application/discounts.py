"""CreateDiscount, ListDiscounts and DeleteDiscount: the ADMIN's discount codes."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.discounts import Discount, DiscountId, DiscountTerms
from allora.domain.errors import NotFound
from allora.domain.paging import Page, Paged
from allora.domain.users import User


class CreateDiscount:
    """Rules: ADMIN only (403); code 3-20 letters or digits, unique ignoring case, stored
    upper-case (422 when taken); percent 0-100; maxUse at least 1; an optional window."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(
        self,
        actor: User,
        code: object,
        percent: object,
        max_use: object,
        starts_at: object = None,
        ends_at: object = None,
    ) -> Discount:
        actor.require_admin()
        terms = DiscountTerms.parse(code, percent, max_use, starts_at, ends_at)
        now = self._clock.now()
        discount = Discount(DiscountId(self._ids()), terms, 0, now, now)
        async with self._uow() as uow:
            await uow.discounts.add(discount)
            await uow.commit()
        return discount


class ListDiscounts:
    """Rules: ADMIN only (403); newest first, paged."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, actor: User, page: Page) -> Paged[Discount]:
        actor.require_admin()
        async with self._uow() as uow:
            return await uow.discounts.listing(page)


class DeleteDiscount:
    """Rules: ADMIN only (403); unknown code id 404; its redemption records go with it."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, actor: User, raw_id: str) -> None:
        actor.require_admin()
        discount_id = parse_id("id", raw_id)
        async with self._uow() as uow:
            found = await uow.discounts.get(DiscountId(discount_id)) if discount_id else None
            if found is None:
                raise NotFound("No such discount")
            await uow.discounts.remove(found.id)
            await uow.commit()
