"""ChangeOrderStatus: an order moves along pending -> paid -> shipped -> delivered, or is
cancelled."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.outbox import Outbox
from allora.application.ports import Clock, UnitOfWorkFactory
from allora.domain.mail_texts import order_status_mail
from allora.domain.orders import Order, OrderId, OrderNotFound, OrderStatus
from allora.domain.users import User


class ChangeOrderStatus:
    """Rules: an unknown order, or another user's order for a USER, 404; an ADMIN may make any
    allowed transition (`pending` -> `paid` -> `shipped` -> `delivered`; `cancelled` from
    `pending` or `paid`), anything else 409, also to the status it already has; a USER may only
    cancel their own `pending` order, anything else 403. Cancelling returns every line's units
    to its stock (a line whose product or variant was deleted meanwhile returns nothing) and
    the code's use (its redemption removed, so the user may redeem it again), in the same
    transaction as the status; the order row is locked, so concurrent changes queue. Shipping
    and cancelling mail the billing email, through the outbox in the same transaction."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, outbox: Outbox) -> None:
        self._uow, self._clock, self._outbox = uow, clock, outbox

    async def __call__(self, *, actor: User, order_id: str, status: OrderStatus) -> Order:
        parsed = parse_id(order_id)
        async with self._uow() as uow:
            order = await uow.orders.lock(OrderId(parsed)) if parsed else None
            if order is None or not order.visible_to(actor):
                raise OrderNotFound
            changed = order.moved_to(status, actor, self._clock.now())
            await uow.orders.save_status(changed)
            if changed.status is OrderStatus.CANCELLED:
                await uow.products.return_stock([line.units for line in order.lines])
                if order.discount is not None:
                    await uow.discounts.release_redemption(order.id, changed.updated_at)
            if (mail := order_status_mail(changed)) is not None:
                await self._outbox.post(uow, mail)
            await uow.commit()
        return changed
