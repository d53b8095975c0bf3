"""The database's backstops, restated for the fakes: keys, foreign keys and `CHECK`s of `tables.py`.

A fake that accepted what the schema refuses would let a use-case bug pass the unit suite and fail
only against SQL, so each fake repository checks a row the way its table would before storing it.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from decimal import Decimal

from allora.domain.comments import Comment
from allora.domain.discounts import Discount
from allora.domain.orders import Order
from allora.domain.products import Product


class ConstraintViolation(ValueError):
    """What the fakes raise where the SQL adapters would let an `IntegrityError` through."""


def require(condition: bool, what: str) -> None:
    if not condition:
        raise ConstraintViolation(what)


def require_new(key: object, existing: Container[object], table: str) -> None:
    require(key not in existing, f"duplicate primary key {key} in {table}")


def require_row(key: object, existing: Container[object], table: str) -> None:
    require(key is None or key in existing, f"foreign key: no {key} in {table}")


def fits_numeric(value: Decimal, digits: int, places: int = 2) -> bool:
    """Whether `Numeric(digits, places)` holds the value exactly.

    PostgreSQL would silently round a value with more places; the fake refuses it instead, so a
    use case that relies on the column to round (a score of 4.333...) fails here.
    """
    return (
        value.is_finite()
        and value == value.quantize(Decimal(1).scaleb(-places))
        and abs(value) < Decimal(10) ** (digits - places)
    )


def check_product(product: Product) -> None:
    """`products` and `product_variants`: price > 0, stock >= 0, discount 0-100, score 0-5."""
    details = product.details
    require(fits_numeric(details.price, 12) and details.price > 0, "products.price_positive")
    require(details.stock >= 0, "products.stock")
    require(0 <= details.discount <= 100, "products.discount")
    require(fits_numeric(product.score, 3) and 0 <= product.score <= 5, "products.score")
    for variant in product.variants:
        offer = variant.details
        require(offer.stock is None or offer.stock >= 0, "product_variants.stock")
        price = offer.price
        require(price is None or (fits_numeric(price, 12) and price >= 0), "product_variants.price")


def check_variant_ids(product: Product, stored: Iterable[Product]) -> None:
    """`product_variants.id` is a primary key: a variant id names one variant in the shop."""
    ids = [variant.id for variant in product.variants]
    taken = {v.id for other in stored if other.id != product.id for v in other.variants}
    require(len(set(ids)) == len(ids) and not taken & set(ids), "product_variants.pk")


def check_comment(comment: Comment) -> None:
    """`comments`: score 1-5."""
    require(1 <= comment.draft.score <= 5, "comments.score")


def check_discount(discount: Discount) -> None:
    """`discounts`: percent 0-100, max_use >= 1, 0 <= uses <= max_use."""
    terms = discount.terms
    require(0 <= terms.percent <= 100, "discounts.percent")
    require(terms.max_use >= 1, "discounts.max_use")
    require(0 <= discount.uses <= terms.max_use, "discounts.uses")


def check_order(order: Order) -> None:
    """`orders` and `order_lines`: amounts >= 0 with 2 decimals, total = subtotal - discount +
    shipping, quantities 1-99, line total = unit price x quantity."""
    amount = order.discount.amount if order.discount else Decimal(0)
    for figure in (order.subtotal, order.shipping, order.total, amount):
        require(fits_numeric(figure, 18) and figure >= 0, "orders.amounts")
    require(order.total == order.subtotal - amount + order.shipping, "orders.total")
    require(order.discount is None or 0 <= order.discount.percent <= 100, "orders.percent")
    for line in order.lines:
        require(1 <= line.quantity <= 99, "order_lines.quantity")
        require(fits_numeric(line.unit_price, 12) and line.unit_price >= 0, "order_lines.price")
        require(line.line_total == line.unit_price * line.quantity, "order_lines.line_total")
