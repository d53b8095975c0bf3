"""`WishlistRepository`: one entry per product, most recently added first, per user."""

from __future__ import annotations

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.errors import NotFound
from allora.domain.paging import Page, Paged
from allora.domain.products import Product, ProductId
from allora.domain.users import User, UserId
from tests.contract.builders import VARIANTS, at, product, uid, user
from tests.contract.transactions import Step, committed, contended, race, read, store

pytestmark = pytest.mark.anyio


def wish(who: User, what: Product, minutes: float) -> Step[None]:
    return lambda tx: tx.wishlists.add(who.id, what.id, at(minutes))


async def wishes(uow: UnitOfWorkFactory, who: User, page: Page | None = None) -> Paged[Product]:
    return await read(uow, lambda tx: tx.wishlists.products_of(who.id, page or Page()))


async def test_products_come_whole_most_recently_added_first(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    p = [product(n, variants=VARIANTS[:n], images=("a.jpg",) * n, id=10 - n) for n in range(4)]
    await store(uow, ann, *p)
    for who, minutes in ((p[1], 5), (p[3], 1), (p[0], 9), (p[2], 5)):
        await committed(uow, wish(ann, who, minutes))
    newest_first = [p[0], p[2], p[1], p[3]]  # p[2] and p[1] tie: by product id, p[2]'s is lower
    assert await wishes(uow, ann) == Paged(newest_first, 4)
    assert await wishes(uow, ann, Page(2, 1)) == Paged(newest_first[1:3], 4)
    assert await wishes(uow, ann, Page(2, 4)) == Paged([], 4)


async def test_each_user_has_a_list_of_their_own(uow: UnitOfWorkFactory) -> None:
    ann, bob, cid = user(1), user(2), user(3)
    shirt, coat = product(1), product(2)
    await store(uow, ann, bob, cid, shirt, coat)
    await committed(uow, wish(ann, shirt, 1))
    await committed(uow, wish(bob, coat, 2))
    assert await wishes(uow, ann) == Paged([shirt], 1)
    assert await wishes(uow, bob) == Paged([coat], 1)
    assert await wishes(uow, cid) == Paged([], 0)


async def test_adding_twice_keeps_one_entry_and_its_first_time(uow: UnitOfWorkFactory) -> None:
    ann, shirt, coat = user(1), product(1), product(2)
    await store(uow, ann, shirt, coat)
    await committed(uow, wish(ann, shirt, 1))
    await committed(uow, wish(ann, coat, 2))
    await committed(uow, wish(ann, shirt, 3))
    assert await wishes(uow, ann) == Paged([coat, shirt], 2)


async def test_remove_drops_one_entry(uow: UnitOfWorkFactory) -> None:
    ann, bob, shirt, coat = user(1), user(2), product(1), product(2)
    await store(uow, ann, bob, shirt, coat)
    for step in (wish(ann, shirt, 1), wish(ann, coat, 2), wish(bob, shirt, 3)):
        await committed(uow, step)
    await committed(uow, lambda tx: tx.wishlists.remove(ann.id, shirt.id))
    await committed(uow, lambda tx: tx.wishlists.remove(ann.id, ProductId(uid())))
    await committed(uow, lambda tx: tx.wishlists.remove(ann.id, shirt.id))  # twice: no error
    assert await wishes(uow, ann) == Paged([coat], 1)
    assert await wishes(uow, bob) == Paged([shirt], 1)


async def test_a_missing_product_or_user_is_not_found(uow: UnitOfWorkFactory) -> None:
    """`AddToWishlist` relies on it when the product is deleted between its read and the add."""
    ann, shirt = user(1), product(1)
    await store(uow, ann, shirt)
    with pytest.raises(NotFound):
        await committed(uow, lambda tx: tx.wishlists.add(ann.id, ProductId(uid()), at(1)))
    with pytest.raises(NotFound):
        await committed(uow, lambda tx: tx.wishlists.add(UserId(uid()), shirt.id, at(1)))
    assert await wishes(uow, ann) == Paged([], 0)


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    ann, shirt, coat = user(1), product(1), product(2)
    await store(uow, ann, shirt, coat)
    await committed(uow, wish(ann, shirt, 1))
    async with uow() as tx:
        await tx.wishlists.add(ann.id, coat.id, at(2))
        await tx.wishlists.remove(ann.id, shirt.id)
    assert await wishes(uow, ann) == Paged([shirt], 1)


async def test_concurrent_adds_of_one_product_keep_one_entry(uow: UnitOfWorkFactory) -> None:
    ann, shirt = user(1), product(1)
    await store(uow, ann, shirt)
    results = await race([contended(uow, wish(ann, shirt, n)) for n in range(5)])
    assert results == [None] * 5
    assert await wishes(uow, ann) == Paged([shirt], 1)
