"""GetOrder: one order, for its owner or an ADMIN."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.orders import Order, OrderId, OrderNotFound
from allora.domain.users import User


class GetOrder:
    """Rules: its owner or any ADMIN sees it; an unknown id, or another user's order asked for
    by a USER, is 404 alike, so order ids cannot be probed."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, order_id: str) -> Order:
        parsed = parse_id(order_id)
        async with self._uow() as uow:
            order = await uow.orders.get(OrderId(parsed)) if parsed else None
        if order is None or not order.visible_to(actor):
            raise OrderNotFound
        return order
