"""`ProductRepository`: products read back whole, listings filter, sort and count as promised,
removal takes comments and wishes along, and `lock` serialises score updates."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import CommentStatus
from allora.domain.paging import Page, Paged
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import Product, ProductId, Variant, VariantDetails, VariantId
from tests.contract.builders import VARIANTS, at, comment, product, uid, user
from tests.contract.transactions import committed, give_way, read, store

pytestmark = pytest.mark.anyio

ALL = frozenset(CommentStatus)
EVERYTHING = Page()


async def search(
    uow: UnitOfWorkFactory, query: ProductQuery, page: Page = EVERYTHING
) -> Paged[Product]:
    return await read(uow, lambda tx: tx.products.search(query, page))


async def test_a_product_reads_back_whole(uow: UnitOfWorkFactory) -> None:
    full = product(
        1, price="9999999999.99", score="4.67", variants=VARIANTS, images=("a.jpg", "b.png")
    )
    bare = product(2, price="0.01", created=1)
    await store(uow, full, bare)
    async with uow() as tx:
        assert await tx.products.get(full.id) == full
        assert await tx.products.lock(full.id) == full
        assert await tx.products.get(bare.id) == bare
        assert (await tx.products.search(ProductQuery(), Page())).items == [bare, full]
        assert await tx.products.get(ProductId(uid())) is None
        assert await tx.products.lock(ProductId(uid())) is None


async def test_add_many_adds_each_product_whole(uow: UnitOfWorkFactory) -> None:
    batch = [product(n, created=n, variants=VARIANTS[:n], images=("x.gif",) * n) for n in range(4)]
    await committed(uow, lambda tx: tx.products.add_many(batch))
    await committed(uow, lambda tx: tx.products.add_many([]))
    async with uow() as tx:
        for each in batch:
            assert await tx.products.get(each.id) == each
    assert await search(uow, ProductQuery()) == Paged(batch[::-1], 4)


async def test_save_stores_details_variants_score_and_time_but_keeps_images(
    uow: UnitOfWorkFactory,
) -> None:
    original = product(1, variants=VARIANTS, images=("a.jpg",))
    await store(uow, original)
    details = replace(original.details, name="Heavy shirt", price=Decimal("25.00"), stock=0)
    kept_size = Variant(VariantId(uid()), VariantDetails(size=VARIANTS[0].details.size))
    revised = original.revised(details, (kept_size,), at(30))
    sent = replace(revised.scored(Decimal("3.50")), images=("other.jpg",), created_at=at(99))
    await committed(uow, lambda tx: tx.products.save(sent))
    stored = replace(sent, images=original.images, created_at=original.created_at)
    assert await read(uow, lambda tx: tx.products.get(original.id)) == stored
    emptied = replace(stored, variants=())
    await committed(uow, lambda tx: tx.products.save(emptied))
    assert await read(uow, lambda tx: tx.products.get(original.id)) == emptied


async def test_saving_an_unknown_product_stores_nothing(uow: UnitOfWorkFactory) -> None:
    ghost = product(1, variants=VARIANTS)
    await committed(uow, lambda tx: tx.products.save(ghost))
    assert await read(uow, lambda tx: tx.products.get(ghost.id)) is None
    assert await search(uow, ProductQuery()) == Paged([], 0)


async def test_removal_takes_the_products_comments_and_wishes_along(
    uow: UnitOfWorkFactory,
) -> None:
    ann = user(1)
    gone, kept = product(1, variants=VARIANTS, images=("a.jpg",)), product(2)
    gone_comments = [comment(gone, author=ann, status=s) for s in CommentStatus]
    kept_comment = comment(kept, status=CommentStatus.ACCEPTED)
    await store(uow, ann, gone, kept, *gone_comments, kept_comment)
    await committed(uow, lambda tx: tx.wishlists.add(ann.id, gone.id, at(1)))
    await committed(uow, lambda tx: tx.wishlists.add(ann.id, kept.id, at(2)))
    await committed(uow, lambda tx: tx.products.remove(gone.id))
    await committed(uow, lambda tx: tx.products.remove(ProductId(uid())))  # unknown: no error
    async with uow() as tx:
        assert await tx.products.get(gone.id) is None
        for removed in gone_comments:
            assert await tx.comments.get(removed.id) is None
        assert await tx.comments.accepted_totals(gone.id) == (0, 0)
        assert await tx.comments.listing(None, ALL, Page()) == Paged([kept_comment], 1)
        assert await tx.wishlists.products_of(ann.id, Page()) == Paged([kept], 1)
        assert await tx.products.search(ProductQuery(), Page()) == Paged([kept], 1)


def ranked() -> list[Product]:
    """Ties on time, price and score, broken by id (ids 1-4 in that order)."""
    return [
        product(1, price="10.00", score="4.00", created=0, id=1),
        product(2, price="10.00", score="4.00", created=0, id=2),
        product(3, price="5.00", score="2.50", created=10, id=3),
        product(4, price="30.00", score="4.00", created=5, id=4),
    ]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (ProductSort.NEWEST, [3, 4, 2, 1]),
        (ProductSort.PRICE, [3, 1, 2, 4]),
        (ProductSort.PRICE_DESC, [4, 2, 1, 3]),
        (ProductSort.SCORE, [4, 2, 1, 3]),
    ],
)
async def test_each_sort_orders_and_breaks_ties_by_id(
    uow: UnitOfWorkFactory, sort: ProductSort, order: list[int]
) -> None:
    products = ranked()
    await store(uow, products[1], products[3], products[0], products[2])
    expected = [products[n - 1] for n in order]
    assert await search(uow, ProductQuery(sort=sort)) == Paged(expected, 4)
    assert await search(uow, ProductQuery(sort=sort), Page(2, 1)) == Paged(expected[1:3], 4)
    assert await search(uow, ProductQuery(sort=sort), Page(5, 4)) == Paged([], 4)


def catalogue() -> dict[str, Product]:
    return {
        "shirt": product(1, created=0),
        "creme": product(
            2,
            name="CRÈME brûlée mug",
            description="Ceramic mug for dessert lovers",
            category="kitchen",
            price="8.50",
            created=1,
        ),
        "tee": product(
            3, name="100% cotton tee", description="Soft_and light tee", price="12.00", created=2
        ),
        "coat": product(
            4,
            name="Wool coat",
            description="Warm for winter",
            category="outer",
            price="120.00",
            created=3,
        ),
    }


D = Decimal


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ProductQuery(category="tops"), ["tee", "shirt"]),
        (ProductQuery(category="shoes"), []),
        (ProductQuery(text="SHIRT"), ["shirt"]),
        (ProductQuery(text="crème"), ["creme"]),
        (ProductQuery(text="light"), ["tee", "shirt"]),
        (ProductQuery(text="100%"), ["tee"]),
        (ProductQuery(text="%"), ["tee"]),
        (ProductQuery(text="_"), ["tee"]),
        (ProductQuery(min_price=D("12.00")), ["coat", "tee", "shirt"]),
        (ProductQuery(max_price=D("12.00")), ["tee", "creme"]),
        (ProductQuery(min_price=D("12.00"), max_price=D("19.99")), ["tee", "shirt"]),
        (ProductQuery(category="outer", max_price=D("100")), []),
        (ProductQuery(category="tops", text="cotton", sort=ProductSort.PRICE), ["tee"]),
    ],
)
async def test_filters_select_and_count_the_matching_products(
    uow: UnitOfWorkFactory, query: ProductQuery, expected: list[str]
) -> None:
    products = catalogue()
    await store(uow, *products.values())
    found = [products[name] for name in expected]
    assert await search(uow, query) == Paged(found, len(found))
    assert await search(uow, query, Page(1, 0)) == Paged(found[:1], len(found))


async def totals(uow: UnitOfWorkFactory) -> dict[str, int]:
    """The totals the listing reports for all products and for each category."""
    wanted = {"all": ProductQuery(), **{c: ProductQuery(category=c) for c in ("tops", "outer")}}
    return {name: (await search(uow, query, Page(1, 0))).total for name, query in wanted.items()}


async def test_kept_totals_follow_adds_moves_and_removals(uow: UnitOfWorkFactory) -> None:
    tops = [product(n) for n in range(3)]
    coat = product(3, category="outer")
    await store(uow, tops[0], coat)
    await committed(uow, lambda tx: tx.products.add_many(tops[1:]))
    assert await totals(uow) == {"all": 4, "tops": 3, "outer": 1}
    await committed(uow, lambda tx: tx.products.remove(tops[0].id))
    assert await totals(uow) == {"all": 3, "tops": 2, "outer": 1}
    moved = replace(tops[1], details=replace(tops[1].details, category="outer"))
    await committed(uow, lambda tx: tx.products.save(moved))
    assert await totals(uow) == {"all": 3, "tops": 1, "outer": 2}
    async with uow() as tx:
        await tx.products.add_many([product(9), product(10, category="outer")])
        await tx.products.remove(coat.id)
    assert await totals(uow) == {"all": 3, "tops": 1, "outer": 2}


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    kept, added = product(1), product(2, variants=VARIANTS)
    await store(uow, kept)
    async with uow() as tx:
        await tx.products.add(added)
        await tx.products.save(kept.scored(Decimal("5.00")))
        await tx.products.remove(kept.id)
    async with uow() as tx:
        assert await tx.products.get(added.id) is None
        assert await tx.products.get(kept.id) == kept
    assert await search(uow, ProductQuery()) == Paged([kept], 1)


async def test_lock_makes_a_second_scorer_wait_and_see_the_first_score(
    uow: UnitOfWorkFactory,
) -> None:
    """`_Moderation` relies on it: two moderations of one product never use a stale score."""
    scored = product(1)
    await store(uow, scored)
    locked, rival_done = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with uow() as tx:
            mine = await tx.products.lock(scored.id)
            assert mine is not None
            locked.set()
            await give_way(rival_done)
            await tx.products.save(mine.scored(Decimal("4.50")))
            await tx.commit()

    task = asyncio.create_task(first())
    await locked.wait()
    try:
        seen = await read(uow, lambda tx: tx.products.lock(scored.id))
    finally:
        rival_done.set()
    await task
    assert seen == scored.scored(Decimal("4.50"))
