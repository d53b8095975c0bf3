"""The shop's prices, exact to the cent: what one unit costs, what a line, a coupon and an order
come to. Pure functions of Decimals, so quotes, orders and their tests price alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SHIPPING = ZERO  # the shop ships for free; kept as a figure so orders can show it


def to_cent(amount: Decimal) -> Decimal:
    """Half-up to the cent: 2.025 -> 2.03, never a banker's 2.02."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def unit_price(product_price: Decimal, variant_price: Decimal | None, discount: int) -> Decimal:
    """The variant's price when above 0, else the product's, less the product's discount
    percent, rounded half-up to the cent (4.05 at 50% -> 2.03)."""
    base = variant_price if variant_price is not None and variant_price > 0 else product_price
    return to_cent(base * (100 - discount) / 100)


def line_total(unit: Decimal, quantity: int) -> Decimal:
    """Exact: a price in cents times a whole number needs no rounding."""
    return (unit * quantity).quantize(CENT)


def coupon_amount(subtotal: Decimal, percent: int) -> Decimal:
    """`percent` of the subtotal, rounded half-up to the cent."""
    return to_cent(subtotal * percent / 100)


@dataclass(frozen=True, slots=True)
class Totals:
    """What an order comes to: `total` = `subtotal` - `discount` + `shipping`, never below 0
    since a coupon takes at most 100% of the subtotal."""

    subtotal: Decimal
    discount: Decimal | None
    shipping: Decimal
    total: Decimal

    @classmethod
    def of(cls, line_totals: Iterable[Decimal], percent: int | None) -> Totals:
        subtotal = sum(line_totals, ZERO).quantize(CENT)
        discount = None if percent is None else coupon_amount(subtotal, percent)
        total = subtotal - (discount or ZERO) + SHIPPING
        return cls(subtotal, discount, SHIPPING, total.quantize(CENT))
