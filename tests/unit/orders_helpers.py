"""Shared pieces of the order tests on fakes: products stored directly with known stock, valid
billing details, and cart items naming them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from allora.domain.billing import BillingDetails
from allora.domain.cart import CartItem
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
from tests.unit.fakes import FakeDatabase

BILLING = BillingDetails.parse(
    first_name="Ann",
    street_address="1 Main St",
    city="Rome",
    phone="5551234567",
    email="ann@example.com",
)


def stocked(
    database: FakeDatabase,
    ids: Callable[[], UUID],
    now: datetime,
    *,
    name: str = "Linen shirt",
    price: str = "10.00",
    stock: int = 5,
    discount: int = 0,
    variants: Sequence[tuple[str | None, int | None]] = (),
) -> Product:
    """A product stored as the catalogue would hold it; `variants` as (price, stock)."""
    details = ProductDetails(name, Decimal(price), "A product on sale", "tops", stock, discount)
    offers = tuple(
        Variant(
            VariantId(ids()),
            VariantDetails(
                ColorName.BLUE,
                "#00f",
                Size.M,
                offer_stock,
                None if offer_price is None else Decimal(offer_price),
            ),
        )
        for offer_price, offer_stock in variants
    )
    product = Product(ProductId(ids()), details, offers, ("a.png",), Decimal("0.00"), now, now)
    database.products[product.id] = product
    return product


def line(product: Product, quantity: int = 1, variant: int | None = None) -> CartItem:
    """An item naming `product` (and its `variant`-th variant)."""
    chosen = None if variant is None else str(product.variants[variant].id)
    return CartItem(str(product.id), quantity, chosen)


def stock_of(database: FakeDatabase, product: Product, variant: int | None = None) -> int | None:
    current = database.products[product.id]
    if variant is None:
        return current.details.stock
    return current.variants[variant].details.stock
