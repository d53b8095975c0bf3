"""Orders placed, cancelled and moved along, cart-page redemptions and restocks, in any order:
after every step no unit is lost or made up, and a code's uses are exactly the redemptions
that hold it. The expected outcome of each step comes from the test's own model."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from allora.domain.cart import CartItem
from allora.domain.discounts import DiscountUnavailable
from allora.domain.errors import Forbidden
from allora.domain.orders import Order, OrderId, OrderStatus, OutOfStock, TransitionRefused
from allora.domain.products import Product
from allora.domain.users import Role
from tests.unit.orders_helpers import BILLING, stocked
from tests.unit.shop import World

BUYERS = 3
MAX_USE = 3
CODE = "SPRING"
# The stocks an order can draw on: (product, variant index or None).
STOCKS = [(0, None), (1, 0), (1, 1)]


class Ordering(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.admin = self.world.person(1, Role.ADMIN)
        self.buyers = [self.world.person(2 + n) for n in range(BUYERS)]
        db, ids, now = self.world.database, self.world.ids, self.world.clock.now()
        self.products: list[Product] = [
            stocked(db, ids, now, name="Socks", stock=4),
            stocked(db, ids, now, name="Shirt", variants=[("12.00", 3), ("0", 2)]),
        ]
        self.ever_stocked = Counter({0: 4, 1: 3, 2: 2})
        self.discount = self.world.run(
            self.world.shop.create_discount(
                actor=self.admin, code=CODE, percent=10, max_use=MAX_USE
            )
        )
        self.orders: list[OrderId] = []

    def teardown(self) -> None:
        self.world.close()

    # --- the system as it stands -------------------------------------------------------------

    def stock(self, index: int) -> int:
        product_index, variant = STOCKS[index]
        product = self.world.database.products[self.products[product_index].id]
        if variant is None:
            return product.details.stock
        return product.variants[variant].details.stock or 0

    def held(self, index: int) -> int:
        """Units of a stock that orders holding stock (all but cancelled ones) have taken."""
        product_index, variant = STOCKS[index]
        product = self.products[product_index]
        variant_id = None if variant is None else product.variants[variant].id
        return sum(
            line.quantity
            for order in self.world.database.orders.values()
            if order.holds_stock
            for line in order.lines
            if line.product_id == product.id and line.variant_id == variant_id
        )

    def order(self, index: int) -> Order:
        return self.world.database.orders[self.orders[index % len(self.orders)]]

    # --- rules --------------------------------------------------------------------------------

    @rule(
        buyer=st.integers(0, BUYERS - 1),
        lines=st.lists(
            st.tuples(st.integers(0, len(STOCKS) - 1), st.integers(1, 4)), min_size=1, max_size=4
        ),
        with_code=st.booleans(),
    )
    def place(self, buyer: int, lines: list[tuple[int, int]], with_code: bool) -> None:
        who = self.buyers[buyer]
        wanted: Counter[int] = Counter()
        for index, quantity in lines:
            wanted[index] += quantity
        key = (self.discount.id, who.id)
        holds = key in self.world.database.redemptions
        unbound = holds and key not in self.world.database.redemption_orders
        uses = self.world.database.discounts[self.discount.id].uses
        code_ok = not with_code or unbound or (not holds and uses < MAX_USE)
        stock_ok = all(self.stock(i) >= n for i, n in wanted.items())
        items = [self.item(index, quantity) for index, quantity in lines]
        call = self.world.shop.place_order(
            client="192.0.2.1",
            actor=who,
            items=items,
            billing=BILLING,
            discount_code=CODE if with_code else None,
            idempotency_key=None,
        )
        if not code_ok:
            with pytest.raises(DiscountUnavailable):
                self.world.run(call)
        elif not stock_ok:
            with pytest.raises(OutOfStock):
                self.world.run(call)
        else:
            placed = self.world.run(call).order
            self.orders.append(placed.id)

    def item(self, index: int, quantity: int) -> CartItem:
        product_index, variant = STOCKS[index]
        product = self.products[product_index]
        chosen = None if variant is None else str(product.variants[variant].id)
        return CartItem(str(product.id), quantity, chosen)

    @rule(buyer=st.integers(0, BUYERS - 1))
    def redeem_on_the_cart_page(self, buyer: int) -> None:
        who = self.buyers[buyer]
        holds = (self.discount.id, who.id) in self.world.database.redemptions
        uses = self.world.database.discounts[self.discount.id].uses
        call = self.world.shop.redeem_discount(actor=who, code=CODE)
        if holds or uses >= MAX_USE:
            with pytest.raises(DiscountUnavailable):
                self.world.run(call)
        else:
            self.world.run(call)

    @precondition(lambda self: self.orders)
    @rule(which=st.integers(0, 100), by_owner=st.booleans())
    def cancel(self, which: int, by_owner: bool) -> None:
        order = self.order(which)
        actor = self.world.database.users[order.user_id] if by_owner else self.admin
        allowed = (
            order.status is OrderStatus.PENDING
            if by_owner
            else order.status in {OrderStatus.PENDING, OrderStatus.PAID}
        )
        call = self.world.shop.change_order_status(
            actor=actor, order_id=str(order.id), status=OrderStatus.CANCELLED
        )
        if allowed:
            self.world.run(call)
        else:
            with pytest.raises(Forbidden if by_owner else TransitionRefused):
                self.world.run(call)

    @precondition(lambda self: self.orders)
    @rule(which=st.integers(0, 100), to=st.sampled_from(list(OrderStatus)))
    def advance(self, which: int, to: OrderStatus) -> None:
        order = self.order(which)
        allowed = {
            (OrderStatus.PENDING, OrderStatus.PAID),
            (OrderStatus.PENDING, OrderStatus.CANCELLED),
            (OrderStatus.PAID, OrderStatus.SHIPPED),
            (OrderStatus.PAID, OrderStatus.CANCELLED),
            (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
        }
        call = self.world.shop.change_order_status(
            actor=self.admin, order_id=str(order.id), status=to
        )
        if (order.status, to) in allowed:
            assert self.world.run(call).status is to
        else:
            with pytest.raises(TransitionRefused):
                self.world.run(call)

    @rule(index=st.integers(0, len(STOCKS) - 1), units=st.integers(1, 5))
    def restock(self, index: int, units: int) -> None:
        """An ADMIN adds units to one stock."""
        product_index, variant = STOCKS[index]
        db = self.world.database
        product = db.products[self.products[product_index].id]
        if variant is None:
            details = replace(product.details, stock=product.details.stock + units)
            db.products[product.id] = replace(product, details=details)
        else:
            offers = list(product.variants)
            offer = offers[variant]
            stock = (offer.details.stock or 0) + units
            offers[variant] = replace(offer, details=replace(offer.details, stock=stock))
            db.products[product.id] = replace(product, variants=tuple(offers))
        self.ever_stocked[index] += units

    # --- invariants ---------------------------------------------------------------------------

    @invariant()
    def units_are_conserved(self) -> None:
        for index in range(len(STOCKS)):
            assert self.stock(index) >= 0
            assert self.stock(index) + self.held(index) == self.ever_stocked[index]

    @invariant()
    def uses_are_the_redemptions_held(self) -> None:
        db = self.world.database
        bound = {
            key: order_id
            for key, order_id in db.redemption_orders.items()
            if key[0] == self.discount.id
        }
        assert all(
            db.orders[order_id].status is not OrderStatus.CANCELLED for order_id in bound.values()
        )
        unbound = [key for key in db.redemptions if key[0] == self.discount.id and key not in bound]
        uses = db.discounts[self.discount.id].uses
        assert uses == len(bound) + len(unbound) <= MAX_USE
        with_code = [
            o for o in db.orders.values() if o.discount and o.status is not OrderStatus.CANCELLED
        ]
        assert len(with_code) == len(bound)


Ordering.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
test_orders_conserve_units_and_code_uses = Ordering.TestCase
