"""Orders in SQL: one row each with its lines, read a page at a time with a fixed number of
statements; the unique (user, idempotency key) decides between concurrent duplicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.errors import violated_unique
from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.tables import OrderLineRow, OrderRow
from allora.domain.billing import BillingDetails
from allora.domain.orders import (
    AppliedDiscount,
    IdempotencyKey,
    KeyAlreadyPlaced,
    Order,
    OrderId,
    OrderLine,
    OrderStatus,
    PlacedRequest,
)
from allora.domain.paging import Page, Paged
from allora.domain.products import ColorName, ProductId, Size, VariantId
from allora.domain.users import Email, Phone, UserId

_IDEMPOTENCY = {"orders.idempotency", "orders.user_id"}  # PostgreSQL's name, SQLite's columns


# Built once and given the values as parameters: a statement built with `.values(...)` per
# order coerced every column's value into the statement (about a millisecond a checkout).
_INSERT_ORDER = insert(cast("Table", OrderRow.__table__))
_INSERT_LINES = insert(cast("Table", OrderLineRow.__table__))


def _order_values(order: Order, request: PlacedRequest | None) -> dict[str, Any]:
    billing, discount = order.billing, order.discount
    return {
        "id": order.id,
        "user_id": order.user_id,
        "status": order.status.value,
        "subtotal": order.subtotal,
        "discount_code": discount.code if discount else None,
        "discount_percent": discount.percent if discount else None,
        "discount_amount": discount.amount if discount else None,
        "shipping": order.shipping,
        "total": order.total,
        "billing_first_name": billing.first_name,
        "billing_company_name": billing.company_name,
        "billing_street_address": billing.street_address,
        "billing_apartment": billing.apartment,
        "billing_city": billing.city,
        "billing_phone": billing.phone.value,
        "billing_email": billing.email.value,
        "idempotency_key": request.key.value if request else None,
        "request_digest": request.digest if request else None,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }


def _line_values(order_id: UUID, position: int, line: OrderLine) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "position": position,
        "product_id": line.product_id,
        "variant_id": line.variant_id,
        "name": line.name,
        "color_name": line.color_name.value if line.color_name else None,
        "color_hex": line.color_hex,
        "size": line.size.value if line.size else None,
        "unit_price": line.unit_price,
        "quantity": line.quantity,
        "line_total": line.line_total,
    }


def _to_line(row: Any) -> OrderLine:
    return OrderLine(
        product_id=ProductId(row.product_id),
        variant_id=VariantId(row.variant_id) if row.variant_id else None,
        name=row.name,
        color_name=ColorName(row.color_name) if row.color_name else None,
        color_hex=row.color_hex,
        size=Size(row.size) if row.size else None,
        unit_price=row.unit_price,
        quantity=row.quantity,
        line_total=row.line_total,
    )


def _to_order(row: Any, lines: list[OrderLine]) -> Order:
    discount = (
        AppliedDiscount(row.discount_code, row.discount_percent, row.discount_amount)
        if row.discount_code is not None
        else None
    )
    billing = BillingDetails(
        row.billing_first_name,
        row.billing_company_name,
        row.billing_street_address,
        row.billing_apartment,
        row.billing_city,
        Phone(row.billing_phone),
        Email(row.billing_email),
    )
    return Order(
        id=OrderId(row.id),
        user_id=UserId(row.user_id),
        status=OrderStatus(row.status),
        lines=tuple(lines),
        subtotal=row.subtotal,
        discount=discount,
        shipping=row.shipping,
        total=row.total,
        billing=billing,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


ORDER_COLUMNS = OrderRow.__table__


class SqlOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, order: Order, request: PlacedRequest | None) -> None:
        """Two statements: the order (first, so a duplicate key waits for, then loses to, the
        transaction holding it), then its lines."""
        values = _order_values(order, request)
        if request is None:
            await self._session.execute(_INSERT_ORDER, values)
        else:
            try:
                async with self._session.begin_nested():
                    await self._session.execute(_INSERT_ORDER, values)
            except IntegrityError as error:
                if violated_unique(error) in _IDEMPOTENCY:
                    raise KeyAlreadyPlaced from error
                raise
        await self._session.execute(
            _INSERT_LINES, [_line_values(order.id, i, line) for i, line in enumerate(order.lines)]
        )

    async def get(self, order_id: OrderId) -> Order | None:
        row = (
            await self._session.execute(select(ORDER_COLUMNS).where(OrderRow.id == order_id))
        ).first()
        return (await self._hydrate([row]))[0] if row else None

    async def lock(self, order_id: OrderId) -> Order | None:
        query = select(ORDER_COLUMNS).where(OrderRow.id == order_id).with_for_update()
        row = (await self._session.execute(query)).first()
        return (await self._hydrate([row]))[0] if row else None

    async def placed_under(self, user_id: UserId, key: IdempotencyKey) -> tuple[Order, str] | None:
        query = select(ORDER_COLUMNS).where(
            OrderRow.user_id == user_id, OrderRow.idempotency_key == key.value
        )
        row = (await self._session.execute(query)).first()
        return ((await self._hydrate([row]))[0], row.request_digest) if row else None

    async def save_status(self, order: Order) -> None:
        await self._session.execute(
            update(OrderRow)
            .where(OrderRow.id == order.id)
            .values(status=order.status.value, updated_at=order.updated_at)
        )

    async def listing(
        self, user_id: UserId | None, status: OrderStatus | None, page: Page
    ) -> Paged[Order]:
        """Three statements whatever the page size: count, page, its lines."""
        conditions = []
        if user_id is not None:
            conditions.append(OrderRow.user_id == user_id)
        if status is not None:
            conditions.append(OrderRow.status == status.value)
        order = (OrderRow.created_at.desc(), OrderRow.id.desc())
        rows, total = await fetch_page(
            self._session, select(ORDER_COLUMNS).where(*conditions), order, page
        )
        return Paged(await self._hydrate(rows), total)

    async def _hydrate(self, rows: Sequence[Any]) -> list[Order]:
        if not rows:
            return []
        lines: dict[UUID, list[OrderLine]] = defaultdict(list)
        found = await self._session.execute(
            select(OrderLineRow.__table__)
            .where(OrderLineRow.order_id.in_([row.id for row in rows]))
            .order_by(OrderLineRow.order_id, OrderLineRow.position)
        )
        for line in found:
            lines[line.order_id].append(_to_line(line))
        return [_to_order(row, lines[row.id]) for row in rows]
