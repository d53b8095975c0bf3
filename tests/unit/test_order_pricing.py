"""The pricing rules (API.md, "Orders"), checked against an exact `Fraction` oracle."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from allora.domain.pricing import Totals, coupon_amount, line_total, unit_price

prices = st.integers(1, 99_999_999_999).map(lambda cents: Decimal(cents).scaleb(-2))
variant_prices = st.one_of(st.none(), st.just(Decimal("0.00")), prices)
discounts = st.integers(0, 100)
quantities = st.integers(1, 99)


def half_up_cents(amount: Fraction) -> Fraction:
    """The oracle: the nearest cent, halves away from zero (amounts here are never negative)."""
    return Fraction(floor(amount * 100 + Fraction(1, 2)), 100)


def places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


def test_the_contracts_example_rounds_half_up() -> None:
    assert unit_price(Decimal("4.05"), None, 50) == Decimal("2.03")
    assert coupon_amount(Decimal("0.05"), 50) == Decimal("0.03")


@given(product=prices, variant=variant_prices, discount=discounts)
def test_a_unit_price_is_the_half_up_cent_of_the_discounted_price(
    product: Decimal, variant: Decimal | None, discount: int
) -> None:
    base = variant if variant is not None and variant > 0 else product
    expected = half_up_cents(Fraction(base) * (100 - discount) / 100)
    price = unit_price(product, variant, discount)
    assert Fraction(price) == expected
    assert places(price) == 2
    assert Decimal(0) <= price <= base


@given(unit=prices, quantity=quantities)
def test_a_line_total_is_exact(unit: Decimal, quantity: int) -> None:
    total = line_total(unit, quantity)
    assert Fraction(total) == Fraction(unit) * quantity
    assert places(total) == 2


@given(
    lines=st.lists(st.tuples(prices, quantities), min_size=1, max_size=50),
    percent=st.one_of(st.none(), discounts),
)
def test_totals_add_up_exactly_and_never_go_below_zero(
    lines: list[tuple[Decimal, int]], percent: int | None
) -> None:
    line_totals = [line_total(unit, quantity) for unit, quantity in lines]
    totals = Totals.of(line_totals, percent)
    exact_subtotal = sum((Fraction(unit) * quantity for unit, quantity in lines), Fraction(0))
    assert Fraction(totals.subtotal) == exact_subtotal
    if percent is None:
        assert totals.discount is None
        amount = Fraction(0)
    else:
        assert totals.discount is not None
        amount = Fraction(totals.discount)
        assert amount == half_up_cents(exact_subtotal * percent / 100)
    assert totals.shipping == 0
    assert Fraction(totals.total) == exact_subtotal - amount + Fraction(totals.shipping)
    assert totals.total >= 0
    for figure in (totals.subtotal, totals.shipping, totals.total, totals.discount):
        assert figure is None or places(figure) == 2


def test_a_full_discount_leaves_nothing_to_pay() -> None:
    totals = Totals.of([Decimal("0.01"), Decimal("19.99")], 100)
    assert (totals.subtotal, totals.discount, totals.total) == (
        Decimal("20.00"),
        Decimal("20.00"),
        Decimal("0.00"),
    )
