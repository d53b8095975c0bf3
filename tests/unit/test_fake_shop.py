"""The catalogue and commerce fakes keep the promises of their port docstrings."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from allora.domain.comments import Comment, CommentDraft, CommentId, CommentStatus
from allora.domain.discounts import Discount, DiscountId, DiscountTerms, DiscountUnavailable
from allora.domain.errors import AlreadyTaken, InvalidInput, NotFound
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import (
    Product,
    ProductDetails,
    ProductId,
    Variant,
    VariantDetails,
    VariantId,
)
from allora.domain.tickets import Ticket, TicketId, TicketMessage
from allora.domain.users import Email, Phone, Profile, Role, User, UserId
from tests.unit.fake_constraints import ConstraintViolation
from tests.unit.fake_images import MAGIC, FakeImageInspector, FakeImageStore, ImageStoreDown, image
from tests.unit.fakes import DatabaseDown, FakeDatabase, FakeUnitOfWorkFactory

pytestmark = pytest.mark.anyio

NOW = datetime(2024, 1, 1, tzinfo=UTC)
ALICE, BOB = UserId(UUID(int=1)), UserId(UUID(int=2))


@pytest.fixture(autouse=True)
def people(database: FakeDatabase) -> None:
    """Alice and Bob exist: wishes, redemptions and tickets name users by foreign key."""
    for n, user_id in enumerate((ALICE, BOB), start=1):
        profile = Profile.parse(f"user{n}", f"user{n}@example.com", f"555000000{n}")
        database.users[user_id] = User(user_id, profile, Role.USER, "hashed:x", NOW)


def product(n: int, price: str, score: str = "0", name: str = "Shirt") -> Product:
    details = ProductDetails(name, Decimal(price), "A fine product", "tops", 5, 0)
    moment = NOW + timedelta(minutes=n)
    return Product(ProductId(UUID(int=n)), details, (), (), Decimal(score), moment, moment)


def comment(n: int, on: Product, score: int, status: CommentStatus) -> Comment:
    draft = CommentDraft("ann", Email("ann@example.com"), "Nice", score)
    moment = NOW + timedelta(minutes=n)
    return Comment(CommentId(UUID(int=100 + n)), on.id, None, draft, status, moment)


def discount(n: int, code: str, max_use: int) -> Discount:
    terms = DiscountTerms(code, 10, max_use, None, None)
    return Discount(DiscountId(UUID(int=200 + n)), terms, 0, NOW, NOW)


def ticket(n: int, user: UserId | None, main: TicketId | None = None) -> Ticket:
    content = TicketMessage("Ann", "Help", Phone("5551234567"), Email("ann@example.com"))
    moment = NOW + timedelta(minutes=n)
    return Ticket(TicketId(UUID(int=300 + n)), content, user, False, main, moment)


async def test_products_are_filtered_and_sorted_like_the_sql_listing(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    cheap, dear, middle = product(1, "5"), product(2, "50", "4.5", "Coat"), product(3, "20", "3")
    database.products = {p.id: p for p in (cheap, dear, middle)}
    async with uow() as tx:
        newest = await tx.products.search(ProductQuery(), Page())
        by_price = await tx.products.search(ProductQuery(sort=ProductSort.PRICE), Page(2, 0))
        best = await tx.products.search(ProductQuery(sort=ProductSort.SCORE), Page())
        coats = await tx.products.search(ProductQuery(text="COAT"), Page())
        ranged = await tx.products.search(
            ProductQuery(min_price=Decimal("5"), max_price=Decimal("20")), Page()
        )
    assert newest.items == [middle, dear, cheap]
    assert (by_price.items, by_price.total) == ([cheap, middle], 3)
    assert best.items == [dear, middle, cheap]
    assert coats.items == [dear]
    assert ranged.items == [middle, cheap]


async def test_removing_a_product_removes_its_comments_and_wishes(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    shirt = product(1, "5")
    database.products[shirt.id] = shirt
    async with uow() as tx:
        await tx.comments.add(comment(1, shirt, 4, CommentStatus.ACCEPTED))
        await tx.wishlists.add(ALICE, shirt.id, NOW)
        await tx.products.remove(shirt.id)
        await tx.commit()
    assert (database.products, database.comments, database.wishlists) == ({}, {}, {})


async def test_only_accepted_comments_count_towards_the_score(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    shirt = product(1, "5")
    database.products[shirt.id] = shirt
    pending = comment(3, shirt, 1, CommentStatus.PENDING)
    async with uow() as tx:
        await tx.comments.add(comment(1, shirt, 5, CommentStatus.ACCEPTED))
        await tx.comments.add(comment(2, shirt, 2, CommentStatus.ACCEPTED))
        await tx.comments.add(pending)
        assert await tx.comments.accepted_totals(shirt.id) == (7, 2)
        await tx.comments.set_status(pending.id, CommentStatus.ACCEPTED)
        assert await tx.comments.accepted_totals(shirt.id) == (8, 3)
        listed = await tx.comments.listing(shirt.id, frozenset(CommentStatus), Page())
    assert [c.created_at for c in listed.items] == sorted(
        (c.created_at for c in listed.items), reverse=True
    )


async def test_a_wish_is_kept_once_and_listed_newest_first(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    shirt, coat = product(1, "5"), product(2, "50")
    database.products = {shirt.id: shirt, coat.id: coat}
    async with uow() as tx:
        await tx.wishlists.add(ALICE, shirt.id, NOW)
        await tx.wishlists.add(ALICE, coat.id, NOW + timedelta(seconds=1))
        await tx.wishlists.add(ALICE, shirt.id, NOW + timedelta(seconds=2))
        wished = await tx.wishlists.products_of(ALICE, Page())
        others = await tx.wishlists.products_of(BOB, Page())
    assert (wished.items, wished.total) == ([coat, shirt], 2)
    assert (others.items, others.total) == ([], 0)


async def test_a_discount_is_never_used_past_its_limit_nor_twice_by_one_user(
    uow: FakeUnitOfWorkFactory,
) -> None:
    code = discount(1, "SPRING", max_use=2)
    async with uow() as tx:
        await tx.discounts.add(code)
        with pytest.raises(AlreadyTaken):
            await tx.discounts.add(discount(2, "SPRING", max_use=1))
        uses = [await tx.discounts.use_one(code.id, NOW) for _ in range(3)]
        await tx.discounts.record_redemption(code.id, ALICE, NOW)
        with pytest.raises(DiscountUnavailable):
            await tx.discounts.record_redemption(code.id, ALICE, NOW)
    assert [use.uses if use else None for use in uses] == [1, 2, None]


async def test_tickets_come_in_threads_newest_first(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    first, second = ticket(1, ALICE), ticket(2, BOB)
    answer = ticket(3, None, main=first.id)
    async with uow() as tx:
        for each in (first, second, answer):
            await tx.tickets.add(each)
        await tx.tickets.mark_answered(first.id)
        everyone = await tx.tickets.threads(None, Page())
        alices = await tx.tickets.threads(ALICE, Page())
    answered = database.tickets.get(first.id)
    assert answered is None  # nothing was committed
    assert [main.id for main, _ in everyone.items] == [second.id, first.id]
    assert alices.items == [(replace(first, has_answer=True), [answer])]


# --- the image fakes, the schema's backstops and a failing commit --------------------------------


async def test_the_image_store_keeps_bytes_under_fresh_keys() -> None:
    store = FakeImageStore()
    first, second = await store.put(b"one", "png"), await store.put(b"two", "png")
    assert first != second
    assert all(re.fullmatch(r"[0-9a-f]{32}\.png", key) for key in (first, second))
    assert (await store.read(first), await store.read("nope.png")) == (b"one", None)
    assert store.url(first) == f"/media/{first}"
    await store.delete(first)
    await store.delete(first)  # a missing key is not an error
    assert store.images == {second: b"two"}
    with pytest.raises(ValueError, match="extension"):
        await store.put(b"x", "../etc")


async def test_the_image_store_fails_on_the_chosen_put() -> None:
    store = FakeImageStore(fail_on_put=2)
    await store.put(b"one", "gif")
    with pytest.raises(ImageStoreDown):
        await store.put(b"two", "gif")
    await store.put(b"three", "gif")
    assert (store.puts, len(store.images)) == (3, 2)


@pytest.mark.parametrize("extension", ["jpg", "png", "webp", "gif"])
async def test_the_inspector_knows_each_format_by_its_first_bytes(extension: str) -> None:
    assert await FakeImageInspector().extension_of(image(extension)) == extension


@pytest.mark.parametrize("data", [b"", b"hello", MAGIC["png"][:-1], b"x" + MAGIC["gif"]])
async def test_the_inspector_refuses_anything_else(data: bytes) -> None:
    with pytest.raises(InvalidInput) as raised:
        await FakeImageInspector().extension_of(data)
    assert [error.field for error in raised.value.errors] == ["img"]


async def test_a_failed_commit_publishes_nothing(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    database.committing = False
    async with uow() as tx:
        await tx.products.add(product(1, "5"))
        with pytest.raises(DatabaseDown):
            await tx.commit()
    assert (database.products, database.commits) == ({}, 0)


def offer(details: VariantDetails) -> Variant:
    return Variant(VariantId(UUID(int=99)), details)


@pytest.mark.parametrize(
    "broken",
    [
        replace(product(1, "5"), score=Decimal("5.01")),
        replace(product(1, "5"), score=Decimal("4.333")),
        replace(product(1, "5"), score=Decimal("-0.01")),
        product(1, "0"),
        product(1, "1.005"),
        replace(
            product(1, "5"), variants=(Variant(VariantId(UUID(int=99)), VariantDetails(stock=-1)),)
        ),
        replace(
            product(1, "5"),
            variants=(Variant(VariantId(UUID(int=99)), VariantDetails(price=Decimal("-1"))),),
        ),
    ],
)
async def test_products_breaking_a_check_constraint_are_refused(
    uow: FakeUnitOfWorkFactory, broken: Product
) -> None:
    async with uow() as tx:
        with pytest.raises(ConstraintViolation):
            await tx.products.add(broken)


async def test_keys_and_foreign_keys_are_enforced(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    shirt, code = product(1, "5"), discount(1, "SPRING", 1)
    stranger = UserId(UUID(int=77))
    async with uow() as tx:
        await tx.products.add(shirt)
        await tx.discounts.add(code)
        with pytest.raises(ConstraintViolation):
            await tx.products.add_many([product(2, "5"), product(2, "6")])
        with pytest.raises(NotFound):  # as the SQL adapter reads a foreign-key failure
            await tx.comments.add_many(
                [
                    comment(1, shirt, 4, CommentStatus.PENDING),
                    comment(2, product(9, "5"), 4, CommentStatus.PENDING),
                ]
            )
        with pytest.raises(ConstraintViolation):
            await tx.comments.add(comment(3, shirt, 6, CommentStatus.PENDING))
        with pytest.raises(ConstraintViolation):
            await tx.discounts.add(replace(code, uses=2))
        with pytest.raises(NotFound):
            await tx.wishlists.add(stranger, shirt.id, NOW)
        with pytest.raises(NotFound):
            await tx.discounts.record_redemption(discount(2, "OTHER", 1).id, ALICE, NOW)
        with pytest.raises(ConstraintViolation):
            await tx.tickets.add(ticket(1, stranger))
        await tx.tickets.add(ticket(2, ALICE))
        with pytest.raises(ConstraintViolation):
            await tx.tickets.add(ticket(2, ALICE))
        assert database.products == {}  # nothing committed
        products = await tx.products.search(ProductQuery(), Page())
        assert products.items == [shirt]  # a refused batch adds none of its rows
        comments = await tx.comments.listing(None, frozenset(CommentStatus), Page())
        assert comments.items == []
