"""Wire types of checkout and orders: request bodies (`...Body`) in, JSON (`...Out`) out, named
as the contract names them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec

from allora.application.quote_cart import Quote
from allora.domain.billing import BillingDetails
from allora.domain.cart import CartItem, PricedLine
from allora.domain.errors import FieldError, InvalidInput
from allora.domain.orders import AppliedDiscount, Order, OrderLine, OrderStatus
from allora.entrypoints.http.account_bodies import BillingBody, BillingOut
from allora.entrypoints.http.products_bodies import ColorOut


class CartItemBody(msgspec.Struct):
    """One cart line; any other field a line carries (a `price`, a `name`) is ignored."""

    product: str
    quantity: int
    variant: str | None = None

    def item(self) -> CartItem:
        return CartItem(self.product, self.quantity, self.variant)


def checkout_billing(body: BillingBody) -> BillingDetails:
    """Checked as the account's billing details are; failures named `billing.<field>`."""
    try:
        return BillingDetails.parse(
            first_name=body.firstName,
            street_address=body.streetAddress,
            city=body.city,
            phone=body.phone,
            email=body.email,
            company_name=body.companyName,
            apartment=body.apartment,
        )
    except InvalidInput as invalid:
        errors = tuple(FieldError(f"billing.{e.field}", e.message) for e in invalid.errors)
        raise InvalidInput(f"billing: {invalid.message}", errors) from None


class QuoteBody(msgspec.Struct):
    items: list[CartItemBody]
    discountCode: str | None = None


class CheckoutBody(msgspec.Struct):
    items: list[CartItemBody]
    billing: BillingBody
    discountCode: str | None = None


class StatusBody(msgspec.Struct):
    status: OrderStatus


def _money(amount: Decimal) -> float:
    """A JSON number with at most 2 decimals: every amount here has at most 15 digits, which a
    float carries and prints back exactly."""
    return float(amount)


class AppliedDiscountOut(msgspec.Struct):
    code: str
    percent: int
    amount: float

    @classmethod
    def of(cls, discount: AppliedDiscount | None) -> AppliedDiscountOut | None:
        if discount is None:
            return None
        return cls(discount.code, discount.percent, _money(discount.amount))


class QuoteLineOut(msgspec.Struct):
    product: str
    variant: str | None
    name: str
    unitPrice: float
    quantity: int
    lineTotal: float
    available: bool

    @classmethod
    def of(cls, line: PricedLine) -> QuoteLineOut:
        return cls(
            product=str(line.product.id),
            variant=str(line.variant.id) if line.variant else None,
            name=line.product.details.name,
            unitPrice=_money(line.unit_price),
            quantity=line.quantity,
            lineTotal=_money(line.line_total),
            available=line.available,
        )


class QuoteOut(msgspec.Struct):
    lines: list[QuoteLineOut]
    subtotal: float
    discount: AppliedDiscountOut | None
    shipping: float
    total: float

    @classmethod
    def of(cls, quote: Quote) -> QuoteOut:
        totals = quote.totals
        return cls(
            lines=[QuoteLineOut.of(line) for line in quote.lines],
            subtotal=_money(totals.subtotal),
            discount=AppliedDiscountOut.of(quote.discount),
            shipping=_money(totals.shipping),
            total=_money(totals.total),
        )


class OrderLineOut(msgspec.Struct):
    product: str
    variant: str | None
    name: str
    color: ColorOut | None
    size: str | None
    unitPrice: float
    quantity: int
    lineTotal: float

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineOut:
        color = (
            ColorOut(line.color_name.value if line.color_name else None, line.color_hex)
            if line.variant_id is not None
            else None
        )
        return cls(
            product=str(line.product_id),
            variant=str(line.variant_id) if line.variant_id else None,
            name=line.name,
            color=color,
            size=line.size.value if line.size else None,
            unitPrice=_money(line.unit_price),
            quantity=line.quantity,
            lineTotal=_money(line.line_total),
        )


class OrderOut(msgspec.Struct):
    id: str
    status: OrderStatus
    lines: list[OrderLineOut]
    subtotal: float
    discount: AppliedDiscountOut | None
    shipping: float
    total: float
    billing: BillingOut
    user: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order) -> OrderOut:
        return cls(
            id=str(order.id),
            status=order.status,
            lines=[OrderLineOut.of(line) for line in order.lines],
            subtotal=_money(order.subtotal),
            discount=AppliedDiscountOut.of(order.discount),
            shipping=_money(order.shipping),
            total=_money(order.total),
            billing=BillingOut.of(order.billing),
            user=str(order.user_id),
            created_at=order.created_at,
            updated_at=order.updated_at,
        )


class OrderPlacedOut(msgspec.Struct):
    message: str
    data: OrderOut
