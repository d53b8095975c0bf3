"""QuoteCart: what a cart would cost, without taking anything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allora.application.checkout import applicable, parse_cart, priced, totals_of
from allora.application.ports import Clock, UnitOfWorkFactory
from allora.domain.cart import CartItem, PricedLine
from allora.domain.orders import AppliedDiscount
from allora.domain.pricing import Totals
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class Quote:
    lines: list[PricedLine]
    discount: AppliedDiscount | None
    totals: Totals


class QuoteCart:
    """Rules: signed in; lines merged (1-50 lines of 1-99 units, else 400); priced from the
    catalogue as PlaceOrder would (client prices ignored); unknown product, variant or code
    404; a variant missing or needless 400; a code outside its window, used up or already
    used by this user in an order 422, but a code the user redeemed on the cart page and no
    order holds yet is priced even when its `maxUse` has since been reached. Each line says
    whether the stock covers it now. Nothing changes: no stock is held, no code redeemed."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(
        self, *, actor: User, items: Sequence[CartItem], discount_code: str | None
    ) -> Quote:
        cart, code = parse_cart(items, discount_code)
        async with self._uow() as uow:
            lines = await priced(uow, cart)
            usable = await applicable(uow, code, actor, self._clock.now()) if code else None
        totals, discount = totals_of(lines, usable)
        return Quote(lines, discount, totals)
