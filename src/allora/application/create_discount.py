"""CreateDiscount: an ADMIN adds a discount code."""

from __future__ import annotations

from datetime import datetime

from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.discounts import Discount, DiscountId, DiscountTerms
from allora.domain.users import User


class CreateDiscount:
    """Rules: ADMIN only (403); code 3-20 letters or digits, unique ignoring case, stored
    upper-case (422 when taken); percent 0-100; maxUse at least 1; an optional window whose
    end is after its start."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(
        self,
        *,
        actor: User,
        code: str,
        percent: int,
        max_use: int,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
    ) -> Discount:
        actor.require_admin()
        terms = DiscountTerms.parse(code, percent, max_use, starts_at, ends_at)
        now = self._clock.now()
        discount = Discount(DiscountId(self._ids()), terms, 0, now, now)
        async with self._uow() as uow:
            await uow.discounts.add(discount)
            await uow.commit()
        return discount
