"""Redeeming a code inside a unit of work: the `CodeRedeemer` of databases that cannot do it in
one statement (SQLite, the unit tests' fakes)."""

from __future__ import annotations

from datetime import datetime

from allora.application.ports import UnitOfWorkFactory
from allora.domain.discounts import Discount, DiscountNotFound, DiscountUnavailable
from allora.domain.users import UserId


class RedemptionInTransaction:
    """The code's rules checked on the row as read, then a unique (code, user) record and a
    conditional `uses < max_use` update in the same transaction: the database backs both, so a
    redemption that lost a race changes nothing. Holds the code's row until its commit."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def redeem(self, code: str, user_id: UserId, now: datetime) -> Discount:
        async with self._uow() as uow:
            discount = await uow.discounts.get_by_code(code)
            if discount is None:
                raise DiscountNotFound.by_code()
            discount.check_redeemable(now)
            await uow.discounts.record_redemption(discount.id, user_id, now)
            used = await uow.discounts.use_one(discount.id, now)
            if used is None:
                raise DiscountUnavailable.used_up()
            await uow.commit()
        return used
