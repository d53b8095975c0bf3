"""`OrderRepository`, the stock methods of `ProductRepository` and the redemptions an order
holds: on the fakes and the SQL adapters alike, so the fakes the unit tests trust cannot drift."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.cart import StockUnits
from allora.domain.discounts import Discount, DiscountId, DiscountTerms
from allora.domain.orders import (
    IdempotencyKey,
    KeyAlreadyPlaced,
    Order,
    OrderId,
    OrderLine,
    OrderStatus,
    PlacedRequest,
)
from allora.domain.paging import Page
from allora.domain.products import (
    Product,
    ProductDetails,
    ProductId,
    Size,
    Variant,
    VariantDetails,
    VariantId,
)
from allora.domain.users import Profile, Role, User, UserId
from tests.unit.orders_helpers import BILLING

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
Opener = UnitOfWorkFactory


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def person(n: int) -> User:
    profile = Profile.parse(f"repo{n}", f"repo{n}@example.com", f"555000{n:04d}")
    return User(UserId(new_id()), profile, Role.USER, "hash", NOW)


def product(stock: int, *variant_stocks: int | None) -> Product:
    details = ProductDetails("Repo product", Decimal("10.00"), "For the contract", "t", stock, 0)
    variants = tuple(
        Variant(VariantId(new_id()), VariantDetails(size=Size.M, stock=s)) for s in variant_stocks
    )
    return Product(ProductId(new_id()), details, variants, (), Decimal("0.00"), NOW, NOW)


def order(user: User, minutes: int = 0, status: OrderStatus = OrderStatus.PENDING) -> Order:
    line = OrderLine(
        ProductId(new_id()), None, "Gone", None, None, None, Decimal("2.50"), 2, Decimal("5.00")
    )
    amount = Decimal("5.00")
    when = NOW + timedelta(minutes=minutes)
    return Order(
        OrderId(new_id()), user.id, status, (line,), amount, None, Decimal("0.00"), amount,
        BILLING, when, when,
    )  # fmt: skip


async def stocks(uow: Opener, item: Product) -> tuple[int, tuple[int | None, ...]]:
    async with uow() as tx:
        [found] = await tx.products.get_many([item.id])
    return found.details.stock, tuple(v.details.stock for v in found.variants)


async def test_stock_is_taken_where_it_covers_and_short_entries_are_named(uow: Opener) -> None:
    plain, shirt = product(3), product(0, 2, None)
    async with uow() as tx:
        await tx.products.add_many([plain, shirt])
        await tx.commit()
    small, none_left = shirt.variants
    asked = [
        StockUnits(plain.id, None, 3),
        StockUnits(shirt.id, small.id, 3),
        StockUnits(shirt.id, none_left.id, 1),
        StockUnits(ProductId(new_id()), None, 1),
        StockUnits(shirt.id, VariantId(new_id()), 1),
    ]
    async with uow() as tx:
        assert await tx.products.take_stock(asked) == asked[1:]
        assert await tx.products.take_stock([StockUnits(shirt.id, small.id, 2)]) == []
        await tx.commit()
    assert await stocks(uow, plain) == (0, ())
    assert await stocks(uow, shirt) == (0, (0, None))
    async with uow() as tx:
        await tx.products.return_stock([*asked, StockUnits(shirt.id, small.id, 2)])
        await tx.commit()
    assert await stocks(uow, plain) == (3, ())
    assert await stocks(uow, shirt) == (0, (5, None))


async def test_orders_are_stored_whole_and_listed_newest_first(uow: Opener) -> None:
    ann, bob = person(1), person(2)
    placed = [order(ann, 0), order(bob, 1), order(ann, 2)]
    async with uow() as tx:
        for user in (ann, bob):
            await tx.users.add(user)
        for each in placed:
            await tx.orders.add(each, None)
        await tx.commit()
    async with uow() as tx:
        assert await tx.orders.get(placed[0].id) == placed[0]
        assert await tx.orders.get(OrderId(new_id())) is None
        paid = placed[0].moved_to(
            OrderStatus.PAID, ann.with_role(Role.ADMIN), NOW + timedelta(hours=1)
        )
        await tx.orders.save_status(paid)
        await tx.commit()
    async with uow() as tx:
        assert await tx.orders.lock(paid.id) == paid
        mine = await tx.orders.listing(ann.id, None, Page())
        assert ([o.id for o in mine.items], mine.total) == ([placed[2].id, paid.id], 2)
        every = await tx.orders.listing(None, None, Page(limit=1, offset=1))
        assert ([o.id for o in every.items], every.total) == ([placed[1].id], 3)
        only_paid = await tx.orders.listing(None, OrderStatus.PAID, Page())
        assert only_paid.items == [paid]


async def test_an_idempotency_key_holds_one_order_per_user(uow: Opener) -> None:
    ann, bob = person(1), person(2)
    key = IdempotencyKey.parse("same-key")
    first = order(ann)
    async with uow() as tx:
        await tx.users.add(ann)
        await tx.users.add(bob)
        await tx.orders.add(first, PlacedRequest(key, "digest-1"))
        await tx.orders.add(order(bob), PlacedRequest(key, "digest-2"))
        await tx.commit()
    async with uow() as tx:
        with pytest.raises(KeyAlreadyPlaced):
            await tx.orders.add(order(ann), PlacedRequest(key, "digest-3"))
    async with uow() as tx:
        assert await tx.orders.placed_under(ann.id, key) == (first, "digest-1")
        assert await tx.orders.placed_under(ann.id, IdempotencyKey.parse("other")) is None


async def test_a_redemption_is_bound_once_and_released_with_its_use(uow: Opener) -> None:
    ann = person(1)
    terms = DiscountTerms("REPO", 10, 5, None, None)
    discount = Discount(DiscountId(new_id()), terms, 0, NOW, NOW)
    first, second = order(ann), order(ann, 1)
    async with uow() as tx:
        await tx.users.add(ann)
        await tx.discounts.add(discount)
        await tx.orders.add(first, None)
        await tx.orders.add(second, None)
        await tx.discounts.record_redemption(discount.id, ann.id, NOW)
        await tx.discounts.use_one(discount.id, NOW)
        await tx.commit()
    async with uow() as tx:
        held = await tx.discounts.redemption_of(discount.id, ann.id)
        assert held is not None
        assert held.order_id is None
        assert await tx.discounts.bind_redemption(discount.id, ann.id, first.id)
        assert not await tx.discounts.bind_redemption(discount.id, ann.id, second.id)
        await tx.commit()
    async with uow() as tx:
        held = await tx.discounts.redemption_of(discount.id, ann.id)
        assert held is not None
        assert held.order_id == first.id
        await tx.discounts.release_redemption(second.id, NOW)  # holds none: nothing
        await tx.discounts.release_redemption(first.id, NOW)
        await tx.commit()
    async with uow() as tx:
        assert await tx.discounts.redemption_of(discount.id, ann.id) is None
        found = await tx.discounts.get(discount.id)
        assert found is not None
        assert found.uses == 0
