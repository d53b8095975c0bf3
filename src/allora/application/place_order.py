"""PlaceOrder: a signed-in user buys what their cart holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from allora.application.attempts import count_attempt
from allora.application.checkout import Applicable, applicable, parse_cart, priced, totals_of
from allora.application.outbox import Outbox
from allora.application.ports import (
    AttemptLimiter,
    Clock,
    IdGenerator,
    UnitOfWork,
    UnitOfWorkFactory,
)
from allora.domain.billing import BillingDetails
from allora.domain.cart import Cart, CartItem
from allora.domain.discounts import DiscountUnavailable
from allora.domain.errors import Banned
from allora.domain.mail_texts import order_placed_mail
from allora.domain.orders import (
    IdempotencyKey,
    KeyAlreadyPlaced,
    KeyReused,
    Order,
    OrderId,
    OrderLine,
    OrderStatus,
    OutOfStock,
    PlacedRequest,
    request_digest,
)
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """The order, and whether it was placed by an earlier request under the same key."""

    order: Order
    replayed: bool


class PlaceOrder:
    """Rules, checked in this order: lines merged (1-50 lines of 1-99 units), billing valid
    and the code well-formed, else 400; an `Idempotency-Key` this user placed an order under
    answers that order (nothing placed again, and a retry is not counted against the limit),
    or 422 when the request differs; at most the client limit a minute from one address,
    every other attempt counted (429); a banned account 403; unknown product, variant or
    code 404; a variant missing or needless 400; the code unusable (QuoteCart's rules) 422;
    not enough stock 409, naming every short line.
    Prices come from the catalogue, never from the client. In one transaction: the order is
    written with a snapshot of each line, every line's units are taken with conditional
    updates (the database decides between concurrent orders), and the code is redeemed, or
    the user's cart-page redemption of it taken over; all of it or nothing. Concurrent
    requests under one key place one order: the unique key decides, the others answer it.
    An "order placed" mail to the billing email joins the outbox in the same transaction."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        outbox: Outbox,
        per_client: AttemptLimiter,
    ) -> None:
        self._uow, self._clock, self._ids, self._outbox = uow, clock, ids, outbox
        self._per_client = per_client

    async def __call__(
        self,
        *,
        actor: User,
        items: Sequence[CartItem],
        billing: BillingDetails,
        discount_code: str | None,
        idempotency_key: IdempotencyKey | None,
        client: str,
    ) -> PlacedOrder:
        cart, code = parse_cart(items, discount_code)
        digest = request_digest(cart, billing, code)
        request = PlacedRequest(idempotency_key, digest) if idempotency_key else None
        if request and (replay := await self._placed_before(actor, request)):
            return replay  # a retry is an answer, not a new order: the limit does not count it
        await count_attempt(self._per_client, client)
        try:
            return await self._place(actor, cart, billing, code, request)
        except KeyAlreadyPlaced:
            assert request is not None
            replay = await self._placed_before(actor, request)  # the winner has committed
            assert replay is not None
            return replay

    async def _placed_before(self, actor: User, request: PlacedRequest) -> PlacedOrder | None:
        async with self._uow() as uow:
            earlier = await uow.orders.placed_under(actor.id, request.key)
        return _replayed(earlier, request) if earlier else None

    async def _place(
        self,
        actor: User,
        cart: Cart,
        billing: BillingDetails,
        code: str | None,
        request: PlacedRequest | None,
    ) -> PlacedOrder:
        now = self._clock.now()
        async with self._uow() as uow:
            account = await uow.users.get(actor.id)
            if account is None or account.banned:
                raise Banned
            if request and (earlier := await uow.orders.placed_under(actor.id, request.key)):
                return _replayed(earlier, request)
            lines = await priced(uow, cart)
            usable = await applicable(uow, code, actor, now) if code else None
            totals, discount = totals_of(lines, usable)
            order = Order(
                id=OrderId(self._ids()),
                user_id=actor.id,
                status=OrderStatus.PENDING,
                lines=tuple(OrderLine.of(line) for line in lines),
                subtotal=totals.subtotal,
                discount=discount,
                shipping=totals.shipping,
                total=totals.total,
                billing=billing,
                created_at=now,
                updated_at=now,
            )
            await uow.orders.add(order, request)
            if usable is not None:
                await _redeem(uow, usable, actor, order.id, now)
            await self._outbox.post(uow, order_placed_mail(order))
            # Stock last: its rows stay locked until the commit, which follows at once, so
            # checkouts of one product queue for as short a time as this transaction allows.
            short = await uow.products.take_stock([line.units for line in lines])
            if short:
                raise OutOfStock.lines([line.line.field for line in lines if line.units in short])
            await uow.commit()
        return PlacedOrder(order, replayed=False)


async def _redeem(
    uow: UnitOfWork, usable: Applicable, actor: User, order_id: OrderId, now: datetime
) -> None:
    """Takes over the user's cart-page redemption, or redeems the code for this order; the
    database's unique redemption and conditional `uses < max_use` decide under concurrency."""
    discount = usable.discount
    if usable.held is not None:
        if not await uow.discounts.bind_redemption(discount.id, actor.id, order_id):
            raise DiscountUnavailable.already_used()
        return
    await uow.discounts.record_redemption(discount.id, actor.id, now, order_id)
    if await uow.discounts.use_one(discount.id, now) is None:
        raise DiscountUnavailable.used_up()


def _replayed(earlier: tuple[Order, str], request: PlacedRequest) -> PlacedOrder:
    order, digest = earlier
    if digest != request.digest:
        raise KeyReused
    return PlacedOrder(order, replayed=True)
