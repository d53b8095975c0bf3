"""The order use cases (API.md, "Orders") on fakes: checkout, quotes, listing and status."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from allora.application.sessions import SignedIn
from allora.application.sign_up import SignUp
from allora.domain.cart import CartItem
from allora.domain.discounts import Discount, DiscountUnavailable
from allora.domain.errors import Banned, Forbidden, InvalidInput, NotFound
from allora.domain.orders import (
    IdempotencyKey,
    KeyReused,
    Order,
    OrderStatus,
    OutOfStock,
    TransitionRefused,
)
from allora.domain.paging import Page
from allora.domain.products import Product
from allora.domain.users import UserId
from allora.entrypoints.wiring import Ports, wire
from allora.entrypoints.wiring import UseCases as Shop
from tests.unit.conftest import PASSWORD, details
from tests.unit.fake_orders import FakeOrderRepository
from tests.unit.fakes import FakeClock, FakeDatabase, FakeUnitOfWork, SequentialIds
from tests.unit.orders_helpers import BILLING, line, stock_of, stocked

pytestmark = pytest.mark.anyio

KEY = IdempotencyKey.parse("checkout-1")
PAID, CANCELLED = OrderStatus.PAID, OrderStatus.CANCELLED


@pytest.fixture
def shop(use_cases: Shop) -> Shop:
    """The use cases, as `wire` builds them on the fakes."""
    return use_cases


@pytest.fixture
async def other(member: SignedIn, sign_up: SignUp) -> SignedIn:
    third = details(3)
    return await sign_up(
        client="192.0.2.1", name=third.name, email=third.email, phone=third.phone, password=PASSWORD
    )


@pytest.fixture
def shirt(database: FakeDatabase, ids: SequentialIds, clock: FakeClock) -> Product:
    """10% off 4.05; its variants: 3 at the product's price (theirs is 0), 2 at 12.50."""
    return stocked(
        database, ids, clock.now(), price="4.05", discount=10, variants=[("0", 3), ("12.50", 2)]
    )


@pytest.fixture
def socks(database: FakeDatabase, ids: SequentialIds, clock: FakeClock) -> Product:
    return stocked(database, ids, clock.now(), name="Wool socks", price="2.50", stock=4)


async def code(shop: Shop, admin: SignedIn, name: str, percent: int, max_use: int) -> Discount:
    return await shop.create_discount(actor=admin.user, code=name, percent=percent, max_use=max_use)


async def place(
    shop: Shop,
    who: SignedIn,
    *items: CartItem,
    discount: str | None = None,
    key: IdempotencyKey | None = None,
) -> Order:
    placed = await shop.place_order(
        client="192.0.2.1",
        actor=who.user,
        items=items,
        billing=BILLING,
        discount_code=discount,
        idempotency_key=key,
    )
    assert placed.replayed is False
    return placed.order


async def status(shop: Shop, who: SignedIn, order: Order, target: OrderStatus) -> Order:
    return await shop.change_order_status(actor=who.user, order_id=str(order.id), status=target)


# --- placing --------------------------------------------------------------------------------


async def test_an_order_is_priced_from_the_catalogue_and_takes_its_units(
    shop: Shop, member: SignedIn, shirt: Product, socks: Product, database: FakeDatabase
) -> None:
    order = await place(shop, member, line(shirt, 2, 0), line(socks, 3), line(shirt, 1, 1))
    assert [(x.unit_price, x.quantity, x.line_total) for x in order.lines] == [
        (Decimal("3.65"), 2, Decimal("7.30")),  # 4.05 x 0.9 = 3.645 -> 3.65
        (Decimal("2.50"), 3, Decimal("7.50")),
        (Decimal("11.25"), 1, Decimal("11.25")),
    ]
    assert (order.subtotal, order.discount, order.shipping, order.total) == (
        Decimal("26.05"),
        None,
        Decimal("0.00"),
        Decimal("26.05"),
    )
    assert (order.status, order.user_id, order.billing) == (
        OrderStatus.PENDING,
        member.user.id,
        BILLING,
    )
    assert [x.variant_id for x in order.lines] == [shirt.variants[0].id, None, shirt.variants[1].id]
    assert (stock_of(database, shirt, 0), stock_of(database, shirt, 1)) == (1, 1)
    assert stock_of(database, socks) == 1
    assert database.orders == {order.id: order}


async def test_items_naming_one_line_are_merged(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    order = await place(shop, member, line(socks, 1), line(socks, 2))
    assert [x.quantity for x in order.lines] == [3]
    assert stock_of(database, socks) == 1


async def test_every_short_line_is_named_and_nothing_is_taken(
    shop: Shop, member: SignedIn, shirt: Product, socks: Product, database: FakeDatabase
) -> None:
    items = [line(socks, 1), line(shirt, 3, 1), line(socks, 4), line(shirt, 3, 0)]
    with database.unchanged(), pytest.raises(OutOfStock) as raised:
        await place(shop, member, *items)
    assert [e.field for e in raised.value.errors] == ["items[0]", "items[1]"]


async def test_a_variant_without_a_stock_figure_has_nothing_to_sell(
    shop: Shop, member: SignedIn, database: FakeDatabase, ids: SequentialIds, clock: FakeClock
) -> None:
    unknown = stocked(database, ids, clock.now(), variants=[(None, None)])
    with database.unchanged(), pytest.raises(OutOfStock):
        await place(shop, member, line(unknown, 1, 0))


@pytest.mark.parametrize(
    ("make_items", "error"),
    [
        (lambda s, k: [line(k), CartItem("not-an-id", 1)], NotFound),
        (lambda s, k: [CartItem(str(k.id), 1, str(s.variants[0].id))], InvalidInput),
        (lambda s, k: [CartItem(str(s.id), 1)], InvalidInput),
        (lambda s, k: [CartItem(str(s.id), 1, str(k.id))], NotFound),
        (lambda s, k: [line(k, 100)], InvalidInput),
        (lambda s, k: [line(k, 50), line(k, 50)], InvalidInput),
        (lambda s, k: [], InvalidInput),
    ],
)
async def test_a_cart_the_rules_refuse_changes_nothing(
    shop: Shop,
    member: SignedIn,
    shirt: Product,
    socks: Product,
    database: FakeDatabase,
    make_items: object,
    error: type[Exception],
) -> None:
    assert callable(make_items)
    with database.unchanged(), pytest.raises(error):
        await place(shop, member, *make_items(shirt, socks))


async def test_a_banned_account_cannot_order(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    database.users[member.user.id] = member.user.as_banned()  # banned while signed in
    with database.unchanged(), pytest.raises(Banned):
        await place(shop, member, line(socks))


async def test_the_billing_email_and_discount_code_are_checked(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(InvalidInput) as raised:
        await shop.place_order(
            client="192.0.2.1",
            actor=member.user,
            items=[line(socks, 0)],
            billing=BILLING,
            discount_code="no way",
            idempotency_key=None,
        )
    assert [e.field for e in raised.value.errors] == ["items[0].quantity", "discountCode"]


async def test_an_order_keeps_its_lines_as_they_were(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    order = await place(shop, member, line(socks, 2))
    renamed = replace(socks.details, name="Cotton socks", price=Decimal("9.00"))
    database.products[socks.id] = replace(database.products[socks.id], details=renamed)
    kept = await shop.get_order(actor=member.user, order_id=str(order.id))
    assert kept == order
    del database.products[socks.id]
    assert await shop.get_order(actor=member.user, order_id=str(order.id)) == order


# --- idempotency ----------------------------------------------------------------------------


async def test_a_retry_under_the_same_key_answers_the_first_order(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    first = await place(shop, member, line(socks, 2), key=KEY)
    with database.unchanged():
        again = await shop.place_order(
            client="192.0.2.1",
            actor=member.user,
            items=[line(socks, 1), line(socks, 1)],  # the same cart, split otherwise
            billing=BILLING,
            discount_code=None,
            idempotency_key=KEY,
        )
    assert (again.order, again.replayed) == (first, True)
    assert stock_of(database, socks) == 2


async def test_the_same_key_with_another_body_is_refused(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    await place(shop, member, line(socks, 2), key=KEY)
    with database.unchanged(), pytest.raises(KeyReused):
        await place(shop, member, line(socks, 1), key=KEY)


async def test_keys_are_per_user(
    shop: Shop, member: SignedIn, other: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    mine = await place(shop, member, line(socks, 1), key=KEY)
    theirs = await place(shop, other, line(socks, 1), key=KEY)
    assert mine.id != theirs.id
    assert stock_of(database, socks) == 2


async def test_a_refused_request_leaves_its_key_free(
    shop: Shop, member: SignedIn, socks: Product
) -> None:
    with pytest.raises(OutOfStock):
        await place(shop, member, line(socks, 5), key=KEY)
    order = await place(shop, member, line(socks, 4), key=KEY)
    assert order.lines[0].quantity == 4


class BlindOrders(FakeOrderRepository):
    """Misses the order under the key, as a read just before the winner commits does."""

    async def placed_under(self, user_id: UserId, key: IdempotencyKey) -> tuple[Order, str] | None:
        return None


class BlindUnitOfWork(FakeUnitOfWork):
    @property
    def orders(self) -> FakeOrderRepository:
        return BlindOrders(self._require_staged())


async def test_a_concurrent_duplicate_answers_the_winners_order(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase, ports: Ports
) -> None:
    """The loser's look-up saw no order under the key; its insert hits the unique key, and it
    answers the order the winner committed, in a transaction of its own."""
    first = await place(shop, member, line(socks), key=KEY)
    opened: list[FakeUnitOfWork] = []

    def blind_first() -> FakeUnitOfWork:
        uow = FakeUnitOfWork(database) if opened else BlindUnitOfWork(database)
        opened.append(uow)
        return uow

    loser = wire(replace(ports, uow=blind_first)).place_order
    with database.unchanged():
        again = await loser(
            actor=member.user, items=[line(socks)], billing=BILLING, discount_code=None,
            idempotency_key=KEY, client="192.0.2.1",
        )  # fmt: skip
    assert (again.order, again.replayed, len(opened)) == (first, True, 2)


# --- discount codes -------------------------------------------------------------------------


async def test_checkout_redeems_the_code_for_the_order(
    shop: Shop, admin: SignedIn, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    spring = await code(shop, admin, "SPRING", 15, 5)
    order = await place(shop, member, line(socks, 3), discount="spring")
    assert order.discount is not None
    assert (order.discount.code, order.discount.percent, order.discount.amount) == (
        "SPRING",
        15,
        Decimal("1.13"),  # 15% of 7.50 = 1.125 -> 1.13
    )
    assert order.total == Decimal("6.37")
    assert database.discounts[spring.id].uses == 1
    assert database.redemption_orders == {(spring.id, member.user.id): order.id}


async def test_checkout_takes_over_the_cart_pages_redemption_counting_it_once(
    shop: Shop, admin: SignedIn, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    spring = await code(shop, admin, "SPRING", 10, 1)
    await shop.redeem_discount(
        actor=member.user, code="SPRING"
    )  # the cart page; maxUse now reached
    quote = await shop.quote_cart(actor=member.user, items=[line(socks, 2)], discount_code="SPRING")
    assert quote.discount is not None
    assert quote.discount.amount == Decimal("0.50")
    order = await place(shop, member, line(socks, 2), discount="SPRING")
    assert order.discount == quote.discount
    assert database.discounts[spring.id].uses == 1
    assert database.redemption_orders == {(spring.id, member.user.id): order.id}
    with database.unchanged(), pytest.raises(DiscountUnavailable, match="already used"):
        await place(shop, member, line(socks, 1), discount="SPRING")


@pytest.mark.parametrize("case", ["used up", "outside window", "used in an order"])
async def test_an_unusable_code_refuses_the_checkout_and_changes_nothing(
    shop: Shop,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    socks: Product,
    database: FakeDatabase,
    clock: FakeClock,
    case: str,
) -> None:
    if case == "outside window":
        ends = clock.now() + timedelta(hours=1)
        await shop.create_discount(
            actor=admin.user, code="SPRING", percent=10, max_use=5, ends_at=ends
        )
        await shop.redeem_discount(actor=member.user, code="SPRING")  # held, but the window closes
        clock.advance(timedelta(hours=2))
    else:
        await code(shop, admin, "SPRING", 10, 1)
        winner = other if case == "used up" else member
        await place(shop, winner, line(socks, 1), discount="SPRING")
    with database.unchanged(), pytest.raises(DiscountUnavailable):
        await place(shop, member, line(socks, 1), discount="SPRING")
    with pytest.raises(DiscountUnavailable):
        await shop.quote_cart(actor=member.user, items=[line(socks)], discount_code="SPRING")


async def test_an_unknown_code_is_not_found(
    shop: Shop, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(NotFound):
        await place(shop, member, line(socks), discount="NOPE")
    with pytest.raises(NotFound):
        await shop.quote_cart(actor=member.user, items=[line(socks)], discount_code="NOPE")


async def test_an_order_short_of_stock_keeps_the_code_unused(
    shop: Shop, admin: SignedIn, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    await code(shop, admin, "SPRING", 10, 1)
    with database.unchanged(), pytest.raises(OutOfStock):
        await place(shop, member, line(socks, 9), discount="SPRING")


# --- quotes ---------------------------------------------------------------------------------


async def test_a_quote_prices_like_an_order_and_changes_nothing(
    shop: Shop,
    admin: SignedIn,
    member: SignedIn,
    shirt: Product,
    socks: Product,
    database: FakeDatabase,
) -> None:
    await code(shop, admin, "HALF", 50, 1)
    items = [line(shirt, 3, 0), line(socks, 5)]
    with database.unchanged():
        quote = await shop.quote_cart(actor=member.user, items=items, discount_code="half")
    assert [(x.unit_price, x.line_total, x.available) for x in quote.lines] == [
        (Decimal("3.65"), Decimal("10.95"), True),
        (Decimal("2.50"), Decimal("12.50"), False),
    ]
    assert (quote.totals.subtotal, quote.totals.total) == (Decimal("23.45"), Decimal("11.72"))
    assert quote.discount is not None
    assert quote.discount.amount == Decimal("11.73")


# --- status ---------------------------------------------------------------------------------


async def test_cancelling_returns_the_units_and_the_codes_use(
    shop: Shop,
    admin: SignedIn,
    member: SignedIn,
    shirt: Product,
    socks: Product,
    database: FakeDatabase,
) -> None:
    spring = await code(shop, admin, "SPRING", 10, 1)
    order = await place(shop, member, line(shirt, 2, 0), line(socks, 3), discount="SPRING")
    cancelled = await status(shop, member, order, CANCELLED)
    assert cancelled.status is CANCELLED
    assert (stock_of(database, shirt, 0), stock_of(database, socks)) == (3, 4)
    assert database.discounts[spring.id].uses == 0
    assert database.redemptions == {}
    await shop.redeem_discount(actor=member.user, code="SPRING")  # the user may redeem it again


async def test_cancelling_skips_lines_whose_product_or_variant_is_gone(
    shop: Shop,
    admin: SignedIn,
    member: SignedIn,
    shirt: Product,
    socks: Product,
    database: FakeDatabase,
) -> None:
    order = await place(shop, member, line(shirt, 1, 0), line(shirt, 1, 1), line(socks, 2))
    await shop.delete_product(actor=admin.user, product_id=str(socks.id))
    current = database.products[shirt.id]
    database.products[shirt.id] = replace(current, variants=current.variants[1:])
    await status(shop, admin, order, PAID)
    await status(shop, admin, order, CANCELLED)
    assert stock_of(database, shirt, 0) == 2  # what was the second variant: 2 - 1 + 1
    assert socks.id not in database.products


async def test_the_owner_may_cancel_only_while_pending(
    shop: Shop, admin: SignedIn, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    order = await place(shop, member, line(socks))
    with database.unchanged(), pytest.raises(Forbidden):
        await status(shop, member, order, PAID)
    await status(shop, admin, order, PAID)
    with database.unchanged(), pytest.raises(Forbidden):
        await status(shop, member, order, CANCELLED)


async def test_an_admin_walks_an_order_to_delivered_and_no_further(
    shop: Shop, admin: SignedIn, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    order = await place(shop, member, line(socks))
    for target in (PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        assert (await status(shop, admin, order, target)).status is target
    assert stock_of(database, socks) == 3
    for target in OrderStatus:
        with database.unchanged(), pytest.raises(TransitionRefused):
            await status(shop, admin, order, target)


async def test_another_users_order_is_not_found(
    shop: Shop, member: SignedIn, other: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    order = await place(shop, member, line(socks))
    for order_id in (str(order.id), "not-an-id", "00000000-0000-0000-0000-0000000003e7"):
        with database.unchanged(), pytest.raises(NotFound):
            await other_sees(shop, other, order_id)
        with database.unchanged(), pytest.raises(NotFound):
            await shop.change_order_status(actor=other.user, order_id=order_id, status=CANCELLED)


async def other_sees(shop: Shop, who: SignedIn, order_id: str) -> Order:
    return await shop.get_order(actor=who.user, order_id=order_id)


# --- listing --------------------------------------------------------------------------------


async def test_a_user_lists_their_own_orders_and_an_admin_all(
    shop: Shop,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    socks: Product,
    clock: FakeClock,
) -> None:
    placed = []
    for who in (member, other, member):
        placed.append(await place(shop, who, line(socks)))
        clock.advance(timedelta(minutes=1))
    await status(shop, admin, placed[0], PAID)
    mine = await shop.list_orders(actor=member.user, status=None, page=Page())
    assert ([o.id for o in mine.items], mine.total) == ([placed[2].id, placed[0].id], 2)
    every = await shop.list_orders(actor=admin.user, status=None, page=Page(limit=2))
    assert ([o.id for o in every.items], every.total) == ([placed[2].id, placed[1].id], 3)
    paid = await shop.list_orders(actor=admin.user, status=PAID, page=Page())
    assert [o.id for o in paid.items] == [placed[0].id]
    assert (await shop.list_orders(actor=other.user, status=PAID, page=Page())).total == 0
    assert await shop.get_order(actor=admin.user, order_id=str(placed[1].id)) == placed[1]
