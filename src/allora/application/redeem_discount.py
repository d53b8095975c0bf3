"""RedeemDiscount: a signed-in user uses a code."""

from __future__ import annotations

from allora.application.ports import Clock, CodeRedeemer
from allora.domain.discounts import Discount, parse_code
from allora.domain.users import User


class RedeemDiscount:
    """Rules: code format (400); unknown code 404; outside its window, used up, or already
    redeemed by this user: 422 and nothing changes. Exactly `maxUse` redemptions ever succeed,
    however many arrive at once on however many processes: the database decides (on
    PostgreSQL in one statement, so a burst on one code queues for microseconds, not for a
    transaction's round trips)."""

    def __init__(self, redeemer: CodeRedeemer, clock: Clock) -> None:
        self._redeemer, self._clock = redeemer, clock

    async def __call__(self, *, actor: User, code: str) -> Discount:
        return await self._redeemer.redeem(parse_code(code), actor.id, self._clock.now())
