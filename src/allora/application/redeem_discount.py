"""RedeemDiscount: a signed-in user uses a code."""

from __future__ import annotations

from allora.application.ports import Clock, UnitOfWorkFactory
from allora.domain.discounts import Discount, DiscountNotFound, DiscountUnavailable, parse_code
from allora.domain.users import User


class RedeemDiscount:
    """Rules: code format (400); unknown code 404; outside its window, used up, or already
    redeemed by this user: 422 and nothing changes. Exactly `maxUse` redemptions ever succeed,
    however many arrive at once on however many processes: the database decides, with a unique
    (code, user) record and a conditional `uses < max_use` update in one transaction."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, *, actor: User, code: str) -> Discount:
        wanted = parse_code(code)
        now = self._clock.now()
        async with self._uow() as uow:
            discount = await uow.discounts.get_by_code(wanted)
            if discount is None:
                raise DiscountNotFound.by_code()
            discount.check_redeemable(now)
            await uow.discounts.record_redemption(discount.id, actor.id, now)
            used = await uow.discounts.use_one(discount.id, now)
            if used is None:
                raise DiscountUnavailable.used_up()
            await uow.commit()
        return used
