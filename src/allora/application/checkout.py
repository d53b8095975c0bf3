"""Steps QuoteCart and PlaceOrder share: pricing a cart from the catalogue, and deciding whether
a discount code applies to this user now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from allora.application.ports import UnitOfWork
from allora.domain.cart import Cart, CartItem, PricedLine, price_cart
from allora.domain.discounts import Discount, DiscountUnavailable, Redemption, parse_code
from allora.domain.errors import NotFound, Validation
from allora.domain.orders import AppliedDiscount
from allora.domain.pricing import Totals
from allora.domain.users import User


def parse_cart(items: Sequence[CartItem], discount_code: str | None) -> tuple[Cart, str | None]:
    """The merged cart and the code (none when null or ""), every field failure reported
    together (400)."""
    check = Validation()
    cart = check(lambda: Cart.parse(items))
    code = check(lambda: parse_code(discount_code, "discountCode") if discount_code else None)
    check.raise_if_failed()
    assert cart is not None
    return cart, code


async def priced(uow: UnitOfWork, cart: Cart) -> list[PricedLine]:
    """The cart priced from the products as stored now (404/400 as `price_cart` says)."""
    products = await uow.products.get_many(cart.product_ids())
    return price_cart(cart, {product.id: product for product in products})


@dataclass(frozen=True, slots=True)
class Applicable:
    """A code that applies to this checkout, and the user's earlier redemption of it that no
    order holds yet (None: the checkout must redeem it)."""

    discount: Discount
    held: Redemption | None


async def applicable(uow: UnitOfWork, code: str, actor: User, now: datetime) -> Applicable:
    """Unknown code 404. 422 when it is outside its window, when the user's redemption of it
    already belongs to an order, or when it is used up, unless the user holds a redemption of
    it from the cart page that no order has taken yet: that one counts as theirs."""
    discount = await uow.discounts.get_by_code(code)
    if discount is None:
        raise NotFound("No such discount code")
    held = await uow.discounts.redemption_of(discount.id, actor.id)
    if held is not None and held.order_id is not None:
        raise DiscountUnavailable.already_used()
    if held is None:
        discount.check_redeemable(now)
    else:
        discount.check_window(now)
    return Applicable(discount, held)


def totals_of(
    lines: list[PricedLine], code: Applicable | None
) -> tuple[Totals, AppliedDiscount | None]:
    """What the priced lines come to, with the code's amount when one applies."""
    percent = code.discount.terms.percent if code else None
    totals = Totals.of((line.line_total for line in lines), percent)
    if code is None or totals.discount is None:
        return totals, None
    return totals, AppliedDiscount(code.discount.terms.code, percent or 0, totals.discount)
