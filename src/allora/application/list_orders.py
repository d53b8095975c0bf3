"""ListOrders: a USER's own orders, or every order for an ADMIN."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.orders import Order, OrderStatus
from allora.domain.paging import Page, Paged
from allora.domain.users import User


class ListOrders:
    """Rules: a USER sees their own orders, an ADMIN every user's; optionally only those with
    one `status`; newest first, paged, with the total."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self, *, actor: User, status: OrderStatus | None, page: Page
    ) -> Paged[Order]:
        owner = None if actor.is_admin else actor.id
        async with self._uow() as uow:
            return await uow.orders.listing(owner, status, page)
