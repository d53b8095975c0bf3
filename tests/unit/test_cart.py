"""The cart a checkout sends: merging, its bounds, and pricing from the catalogue (API.md,
"Orders": items)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from allora.domain.cart import Cart, CartItem, CartLine, price_cart
from allora.domain.errors import InvalidInput, NotFound
from allora.domain.products import (
    ColorName,
    Product,
    ProductDetails,
    ProductId,
    Size,
    Variant,
    VariantDetails,
    VariantId,
)

NOW = datetime(2024, 5, 1, tzinfo=UTC)
SHIRT, SOCKS = ProductId(UUID(int=1)), ProductId(UUID(int=2))
BLUE_M, RED_L = VariantId(UUID(int=11)), VariantId(UUID(int=12))


def make(
    product_id: ProductId, price: str, discount: int = 0, *variants: Variant, stock: int = 5
) -> Product:
    details = ProductDetails(
        "Linen shirt", Decimal(price), "A shirt to wear", "tops", stock, discount
    )
    return Product(product_id, details, variants, ("a.png",), Decimal("0.00"), NOW, NOW)


def variant(variant_id: VariantId, price: str | None, stock: int | None) -> Variant:
    offer = VariantDetails(
        ColorName.BLUE, "#00f", Size.M, stock, None if price is None else Decimal(price)
    )
    return Variant(variant_id, offer)


CATALOGUE = {
    SHIRT: make(SHIRT, "4.05", 50, variant(BLUE_M, "0.00", 3), variant(RED_L, "10.00", None)),
    SOCKS: make(SOCKS, "2.50", 0, stock=4),
}


def item(product: UUID | str, quantity: int = 1, variant: UUID | str | None = None) -> CartItem:
    return CartItem(str(product), quantity, None if variant is None else str(variant))


def fields_of(error: InvalidInput) -> list[str]:
    return [e.field for e in error.errors]


def test_items_naming_the_same_product_and_variant_are_merged_at_the_first() -> None:
    cart = Cart.parse(
        [
            item(SOCKS, 2),
            item(SHIRT, 1, BLUE_M),
            item(str(SOCKS).upper(), 3),
            item(SHIRT, 4, RED_L),
            item(SHIRT, 5, str(BLUE_M).replace("-", "")),
        ]
    )
    assert cart.lines == (
        CartLine(0, str(SOCKS), None, 5),
        CartLine(1, str(SHIRT), str(BLUE_M), 6),
        CartLine(3, str(SHIRT), str(RED_L), 4),
    )


def test_an_empty_variant_is_no_variant() -> None:
    assert Cart.parse([item(SOCKS, 1), CartItem(str(SOCKS), 2, "")]).lines == (
        CartLine(0, str(SOCKS), None, 3),
    )


@pytest.mark.parametrize(
    ("items", "fields"),
    [
        ([], ["items"]),
        ([item(SOCKS, 0)], ["items[0].quantity"]),
        ([item(SOCKS, 100)], ["items[0].quantity"]),
        ([item(SOCKS, -1), item(SHIRT, 1, BLUE_M), item(SHIRT, 200)],
         ["items[0].quantity", "items[2].quantity"]),
        ([item(SHIRT, 1), item(SOCKS, 60), item(SOCKS, 40)], ["items[1].quantity"]),
        ([item(UUID(int=n)) for n in range(51)], ["items"]),
    ],
)  # fmt: skip
def test_a_cart_out_of_bounds_is_refused_naming_the_lines(
    items: list[CartItem], fields: list[str]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        Cart.parse(items)
    assert fields_of(raised.value) == fields


def test_fifty_lines_of_99_are_a_cart() -> None:
    cart = Cart.parse([item(UUID(int=n), 99) for n in range(50)])
    assert len(cart.lines) == 50


def test_lines_are_priced_from_the_catalogue() -> None:
    cart = Cart.parse([item(SHIRT, 2, BLUE_M), item(SHIRT, 1, RED_L), item(SOCKS, 4)])
    lines = price_cart(cart, CATALOGUE)
    # A variant priced 0 takes the product's price; the product's discount applies to both.
    assert [(line.unit_price, line.line_total) for line in lines] == [
        (Decimal("2.03"), Decimal("4.06")),
        (Decimal("5.00"), Decimal("5.00")),
        (Decimal("2.50"), Decimal("10.00")),
    ]
    assert [line.available for line in lines] == [True, False, True]  # no stock figure: none
    assert [line.units.variant for line in lines] == [BLUE_M, RED_L, None]


def test_a_line_beyond_the_stock_is_not_available() -> None:
    [line] = price_cart(Cart.parse([item(SOCKS, 5)]), CATALOGUE)
    assert (line.stock, line.available) == (4, False)


@pytest.mark.parametrize(
    "items",
    [
        [item(SOCKS), item(UUID(int=3))],
        [item("not-an-id")],
        [item(SHIRT, 1, UUID(int=13))],
        [item(SHIRT, 1, "x")],
        [item(SHIRT, 1, RED_L), item(SOCKS, 1, BLUE_M), item(SHIRT, 1, SOCKS)],
    ],
)
def test_unknown_products_and_variants_are_not_found(items: list[CartItem]) -> None:
    with pytest.raises(NotFound):
        price_cart(Cart.parse(items), CATALOGUE)


def test_a_variant_is_required_exactly_when_the_product_has_some() -> None:
    with pytest.raises(InvalidInput) as raised:
        price_cart(Cart.parse([item(SOCKS, 1), item(SHIRT, 1), item(SOCKS, 1, BLUE_M)]), CATALOGUE)
    assert fields_of(raised.value) == ["items[1].variant", "items[2].variant"]
