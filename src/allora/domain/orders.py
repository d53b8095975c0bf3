"""Orders: what was bought as it was then (a snapshot per line), who pays, what it came to, and
where it stands (`pending` -> `paid` -> `shipped` -> `delivered`, or `cancelled`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import NewType
from uuid import UUID

from allora.domain.billing import BillingDetails
from allora.domain.cart import Cart, PricedLine, StockUnits
from allora.domain.errors import (
    AlreadyTaken,
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
)
from allora.domain.products import ColorName, ProductId, Size, VariantId
from allora.domain.users import User, UserId

OrderId = NewType("OrderId", UUID)


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


NEXT_STATUSES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
HOLDING_STOCK = frozenset(set(OrderStatus) - {OrderStatus.CANCELLED})


class OrderNotFound(NotFound):
    """An unknown order, or another user's order asked for by a USER: alike, so order ids
    cannot be probed (404)."""

    def __init__(self) -> None:
        super().__init__("No such order")


class TransitionRefused(Conflict):
    """The order cannot move from its status to the one asked (409)."""

    @classmethod
    def between(cls, current: OrderStatus, target: OrderStatus) -> TransitionRefused:
        if current is target:
            return cls(f"The order is already {current}")
        return cls(f"An order cannot go from {current} to {target}")


class OutOfStock(Conflict):
    """Some lines ask for more units than there are; `errors` names each of them (409)."""

    @classmethod
    def lines(cls, fields: list[str]) -> OutOfStock:
        message = "Not enough stock for this line"
        return cls(
            f"Not enough stock for {', '.join(fields)}",
            tuple(FieldError(field, message) for field in fields),
        )


class KeyReused(AlreadyTaken):
    """The idempotency key was used by this user for another request (422)."""

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was already used for a different order")


class KeyAlreadyPlaced(Exception):
    """Raised by a repository when another transaction placed an order under the same
    idempotency key first: the caller reads that order instead. Never reaches a client."""


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    """1-255 visible ASCII characters, chosen by the client to make retries safe."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> IdempotencyKey:
        if not 1 <= len(raw) <= 255 or not all("!" <= c <= "~" for c in raw):
            raise InvalidInput.for_field(
                "Idempotency-Key", "Idempotency-Key must be 1-255 visible ASCII characters"
            )
        return cls(raw)


@dataclass(frozen=True, slots=True)
class PlacedRequest:
    """The key a request was placed under, and a digest of what it asked for."""

    key: IdempotencyKey
    digest: str


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line as bought: the product's name, colour, size and price at order time."""

    product_id: ProductId
    variant_id: VariantId | None
    name: str
    color_name: ColorName | None
    color_hex: str | None
    size: Size | None
    unit_price: Decimal
    quantity: int
    line_total: Decimal

    @property
    def units(self) -> StockUnits:
        return StockUnits(self.product_id, self.variant_id, self.quantity)

    @classmethod
    def of(cls, priced: PricedLine) -> OrderLine:
        variant = priced.variant
        offer = variant.details if variant else None
        return cls(
            product_id=priced.product.id,
            variant_id=variant.id if variant else None,
            name=priced.product.details.name,
            color_name=offer.color_name if offer else None,
            color_hex=offer.color_hex if offer else None,
            size=offer.size if offer else None,
            unit_price=priced.unit_price,
            quantity=priced.quantity,
            line_total=priced.line_total,
        )


def request_digest(cart: Cart, billing: BillingDetails, code: str | None) -> str:
    """What a checkout asked for, in one canonical form: a retry under the same key must ask
    for the same lines (in any order or split), billing and code."""
    lines = sorted([line.product, line.variant or "", line.quantity] for line in cart.lines)
    who = [
        billing.first_name,
        billing.company_name,
        billing.street_address,
        billing.apartment,
        billing.city,
        billing.phone.value,
        billing.email.value,
    ]
    canonical = json.dumps([lines, who, code], separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    """The code as it applied to the order: its percent then and the amount it took."""

    code: str
    percent: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Order:
    id: OrderId
    user_id: UserId
    status: OrderStatus
    lines: tuple[OrderLine, ...]
    subtotal: Decimal
    discount: AppliedDiscount | None
    shipping: Decimal
    total: Decimal
    billing: BillingDetails
    created_at: datetime
    updated_at: datetime

    def visible_to(self, actor: User) -> bool:
        """Its owner and any ADMIN see it; to anyone else it does not exist (404)."""
        return actor.is_admin or actor.id == self.user_id

    def moved_to(self, target: OrderStatus, actor: User, now: datetime) -> Order:
        """An ADMIN may make any allowed transition (else 409, also to the status it has);
        anyone else may only cancel their own pending order (else 403)."""
        if not actor.is_admin:
            if not (self.user_id == actor.id and self.status is OrderStatus.PENDING):
                raise Forbidden("You may only cancel your own pending order")
            if target is not OrderStatus.CANCELLED:
                raise Forbidden("You may only cancel your own pending order")
        elif target not in NEXT_STATUSES[self.status]:
            raise TransitionRefused.between(self.status, target)
        return replace(self, status=target, updated_at=now)

    @property
    def holds_stock(self) -> bool:
        return self.status in HOLDING_STOCK
