"""`CommentRepository`: comments read back whole, moderation changes only the status, the
accepted totals and the newest-first listing count what they should."""

from __future__ import annotations

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import Comment, CommentId, CommentStatus
from allora.domain.errors import NotFound
from allora.domain.paging import Page, Paged
from allora.domain.products import ProductId
from tests.contract.builders import comment, product, uid, user
from tests.contract.transactions import committed, read, store

pytestmark = pytest.mark.anyio

PENDING, ACCEPTED, REJECTED = CommentStatus.PENDING, CommentStatus.ACCEPTED, CommentStatus.REJECTED
ALL = frozenset(CommentStatus)


async def test_a_comment_reads_back_whole(uow: UnitOfWorkFactory) -> None:
    ann, shirt = user(1), product(1)
    signed = comment(shirt, author=ann, score=5, status=ACCEPTED, created=3)
    anonymous = comment(shirt, score=1)
    await store(uow, ann, shirt, signed, anonymous)
    async with uow() as tx:
        assert await tx.comments.get(signed.id) == signed
        assert await tx.comments.get(anonymous.id) == anonymous
        assert await tx.comments.get(CommentId(uid())) is None


async def test_add_many_adds_each_comment(uow: UnitOfWorkFactory) -> None:
    shirt = product(1)
    batch = [comment(shirt, score=n, created=n) for n in range(1, 6)]
    await store(uow, shirt)
    await committed(uow, lambda tx: tx.comments.add_many(batch))
    await committed(uow, lambda tx: tx.comments.add_many([]))
    async with uow() as tx:
        for each in batch:
            assert await tx.comments.get(each.id) == each


async def test_a_comment_on_a_missing_product_is_not_found(uow: UnitOfWorkFactory) -> None:
    """`AddComment` relies on it when the product is deleted between its read and the insert."""
    ghost = product(1)
    for adding in (
        lambda tx: tx.comments.add(comment(ghost)),
        lambda tx: tx.comments.add_many([comment(ghost)]),
    ):
        with pytest.raises(NotFound):
            await committed(uow, adding)
    assert await read(uow, lambda tx: tx.comments.listing(None, ALL, Page())) == Paged([], 0)


async def test_set_status_changes_only_the_status(uow: UnitOfWorkFactory) -> None:
    shirt = product(1)
    pending = comment(shirt)
    await store(uow, shirt, pending)
    for status in (ACCEPTED, REJECTED, PENDING):
        async with uow() as tx:
            await tx.comments.set_status(pending.id, status)
            await tx.commit()
        changed = await read(uow, lambda tx: tx.comments.get(pending.id))
        assert changed == Comment(
            pending.id, shirt.id, None, pending.draft, status, pending.created_at
        )
    await committed(uow, lambda tx: tx.comments.set_status(CommentId(uid()), ACCEPTED))


async def test_remove_deletes_one_comment(uow: UnitOfWorkFactory) -> None:
    shirt = product(1)
    gone, kept = comment(shirt), comment(shirt)
    await store(uow, shirt, gone, kept)
    await committed(uow, lambda tx: tx.comments.remove(gone.id))
    await committed(uow, lambda tx: tx.comments.remove(CommentId(uid())))  # unknown: no error
    async with uow() as tx:
        assert await tx.comments.get(gone.id) is None
        assert await tx.comments.get(kept.id) == kept


async def test_accepted_totals_sum_and_count_the_products_accepted_scores(
    uow: UnitOfWorkFactory,
) -> None:
    shirt, coat = product(1), product(2)
    comments = [
        comment(shirt, score=5, status=ACCEPTED),
        comment(shirt, score=2, status=ACCEPTED),
        comment(shirt, score=4, status=ACCEPTED),
        comment(shirt, score=1, status=PENDING),
        comment(shirt, score=1, status=REJECTED),
        comment(coat, score=3, status=ACCEPTED),
    ]
    await store(uow, shirt, coat, *comments)
    async with uow() as tx:
        assert await tx.comments.accepted_totals(shirt.id) == (11, 3)
        assert await tx.comments.accepted_totals(coat.id) == (3, 1)
        assert await tx.comments.accepted_totals(ProductId(uid())) == (0, 0)


async def test_the_listing_is_newest_first_with_ties_by_id_filtered_and_paged(
    uow: UnitOfWorkFactory,
) -> None:
    shirt, coat = product(1), product(2)
    c = {
        1: comment(shirt, status=ACCEPTED, created=5, id=1),
        2: comment(shirt, status=ACCEPTED, created=5, id=2),
        3: comment(shirt, status=PENDING, created=9, id=3),
        4: comment(coat, status=ACCEPTED, created=7, id=4),
        5: comment(shirt, status=REJECTED, created=1, id=5),
    }
    await store(uow, shirt, coat, *(c[n] for n in (4, 1, 5, 3, 2)))

    async def listing(
        product_id: ProductId | None, statuses: set[CommentStatus], page: Page
    ) -> Paged[Comment]:
        return await read(
            uow, lambda tx: tx.comments.listing(product_id, frozenset(statuses), page)
        )

    assert await listing(None, set(ALL), Page()) == Paged([c[n] for n in (3, 4, 2, 1, 5)], 5)
    assert await listing(shirt.id, {ACCEPTED}, Page()) == Paged([c[2], c[1]], 2)
    assert await listing(None, {ACCEPTED}, Page()) == Paged([c[4], c[2], c[1]], 3)
    assert await listing(shirt.id, {PENDING, REJECTED}, Page()) == Paged([c[3], c[5]], 2)
    assert await listing(None, set(ALL), Page(2, 1)) == Paged([c[4], c[2]], 5)
    assert await listing(None, set(ALL), Page(5, 5)) == Paged([], 5)
    assert await listing(coat.id, {PENDING}, Page()) == Paged([], 0)


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    shirt = product(1)
    kept = comment(shirt)
    await store(uow, shirt, kept)
    added = comment(shirt, status=ACCEPTED)
    async with uow() as tx:
        await tx.comments.add(added)
        await tx.comments.set_status(kept.id, ACCEPTED)
        await tx.comments.remove(kept.id)
    async with uow() as tx:
        assert await tx.comments.get(added.id) is None
        assert await tx.comments.get(kept.id) == kept
        assert await tx.comments.accepted_totals(shirt.id) == (0, 0)
