"""In-memory orders and stock, mirroring the SQL adapters: the unique idempotency key, the
conditional stock updates and the schema's backstops."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from allora.domain.cart import StockUnits
from allora.domain.orders import (
    IdempotencyKey,
    KeyAlreadyPlaced,
    Order,
    OrderId,
    OrderStatus,
    PlacedRequest,
)
from allora.domain.paging import Page, Paged
from allora.domain.products import Product
from allora.domain.users import UserId
from tests.unit.fake_constraints import check_order, require_new, require_row

if TYPE_CHECKING:
    from tests.unit.fakes import FakeDatabase


class FakeOrderRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, order: Order, request: PlacedRequest | None) -> None:
        require_new(order.id, self._db.orders, "orders")
        require_row(order.user_id, self._db.users, "users")
        check_order(order)
        if request is not None:
            key = (order.user_id, request.key.value)
            if key in self._db.order_requests:
                raise KeyAlreadyPlaced  # the adapter's reading of the unique (user, key)
            self._db.order_requests[key] = (order.id, request.digest)
        self._db.orders[order.id] = order

    async def get(self, order_id: OrderId) -> Order | None:
        return self._db.orders.get(order_id)

    async def lock(self, order_id: OrderId) -> Order | None:
        return self._db.orders.get(order_id)

    async def placed_under(self, user_id: UserId, key: IdempotencyKey) -> tuple[Order, str] | None:
        found = self._db.order_requests.get((user_id, key.value))
        return None if found is None else (self._db.orders[found[0]], found[1])

    async def save_status(self, order: Order) -> None:
        current = self._db.orders.get(order.id)
        if current is not None:
            self._db.orders[order.id] = replace(
                current, status=order.status, updated_at=order.updated_at
            )

    async def listing(
        self, user_id: UserId | None, status: OrderStatus | None, page: Page
    ) -> Paged[Order]:
        found = [
            order
            for order in self._db.orders.values()
            if user_id in {None, order.user_id} and status in {None, order.status}
        ]
        ordered = sorted(found, key=lambda order: (order.created_at, order.id), reverse=True)
        return Paged(ordered[page.offset : page.offset + page.limit], len(ordered))


def restocked(product: Product, units: StockUnits, change: int) -> Product | None:
    """The product with `change` units more in the stock `units` names; None when that stock
    does not exist or would go below 0 (the SQL update's condition, `stock >= quantity`)."""
    if units.variant is None:
        stock = product.details.stock + change
        return (
            None if stock < 0 else replace(product, details=replace(product.details, stock=stock))
        )
    variants = list(product.variants)
    for i, variant in enumerate(variants):
        if variant.id == units.variant:
            if variant.details.stock is None:
                return None  # `NULL >= quantity` holds for no quantity, nor does NULL + n change
            stock = variant.details.stock + change
            if stock < 0:
                return None
            variants[i] = replace(variant, details=replace(variant.details, stock=stock))
            return replace(product, variants=tuple(variants))
    return None
