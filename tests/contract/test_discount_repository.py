"""`DiscountRepository`: codes are unique, each user redeems a code once, and `use_one` never
passes `max_use`, however many transactions race for the last uses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from allora.application.ports import UnitOfWork, UnitOfWorkFactory
from allora.domain.discounts import Discount, DiscountId, DiscountUnavailable
from allora.domain.errors import AlreadyTaken, NotFound
from allora.domain.paging import Page, Paged
from allora.domain.users import User, UserId
from tests.contract.builders import at, discount, uid, user
from tests.contract.transactions import Step, committed, contended, race, read, store

pytestmark = pytest.mark.anyio


def redeeming(code: Discount, who: User, minutes: float = 1) -> Step[None]:
    return lambda tx: tx.discounts.record_redemption(code.id, who.id, at(minutes))


def using(code: Discount, minutes: float = 1) -> Step[Discount | None]:
    return lambda tx: tx.discounts.use_one(code.id, at(minutes))


async def stored(uow: UnitOfWorkFactory, code: Discount) -> Discount | None:
    return await read(uow, lambda tx: tx.discounts.get(code.id))


async def test_a_discount_reads_back_by_id_and_by_code(uow: UnitOfWorkFactory) -> None:
    plain = discount("PLAIN")
    timed = discount("TIMED", max_use=9, uses=4, percent=100, window=(at(-5), at(60)), created=2)
    await store(uow, plain, timed)
    async with uow() as tx:
        for each in (plain, timed):
            assert await tx.discounts.get(each.id) == each
            assert await tx.discounts.get_by_code(each.terms.code) == each
        assert await tx.discounts.get(DiscountId(uid())) is None
        assert await tx.discounts.get_by_code("NOSUCH") is None


async def test_add_refuses_an_existing_code_and_the_transaction_goes_on(
    uow: UnitOfWorkFactory,
) -> None:
    first, copy, other = discount("SPRING"), discount("SPRING", percent=50), discount("SUMMER")
    await store(uow, first)
    async with uow() as tx:
        with pytest.raises(AlreadyTaken):
            await tx.discounts.add(copy)
        await tx.discounts.add(other)
        await tx.commit()
    async with uow() as tx:
        assert await tx.discounts.get_by_code("SPRING") == first
        assert await tx.discounts.get(copy.id) is None
        assert await tx.discounts.get(other.id) == other


async def test_the_listing_is_newest_first_with_ties_by_id(uow: UnitOfWorkFactory) -> None:
    d = {n: discount(f"CODE{n}", created=minutes, id=n) for n, minutes in enumerate([5, 5, 9, 1])}
    await store(uow, d[3], d[0], d[2], d[1])
    newest_first = [d[2], d[1], d[0], d[3]]
    async with uow() as tx:
        assert await tx.discounts.listing(Page()) == Paged(newest_first, 4)
        assert await tx.discounts.listing(Page(2, 1)) == Paged(newest_first[1:3], 4)
        assert await tx.discounts.listing(Page(1, 4)) == Paged([], 4)


async def test_removal_frees_the_code_and_takes_the_redemptions(uow: UnitOfWorkFactory) -> None:
    ann, gone, kept = user(1), discount("GONE"), discount("KEPT")
    await store(uow, ann, gone, kept)
    await committed(uow, redeeming(gone, ann))
    await committed(uow, lambda tx: tx.discounts.remove(gone.id))
    await committed(uow, lambda tx: tx.discounts.remove(DiscountId(uid())))  # unknown: no error
    async with uow() as tx:
        assert await tx.discounts.get(gone.id) is None
        assert await tx.discounts.get_by_code("GONE") is None
        assert await tx.discounts.listing(Page()) == Paged([kept], 1)
    with pytest.raises(NotFound):
        await committed(uow, redeeming(gone, ann))
    again = discount("GONE")
    await store(uow, again)
    await committed(uow, redeeming(again, ann))


async def test_each_user_redeems_a_code_once(uow: UnitOfWorkFactory) -> None:
    ann, bob, spring, summer = user(1), user(2), discount("SPRING"), discount("SUMMER")
    await store(uow, ann, bob, spring, summer)
    await committed(uow, redeeming(spring, ann))
    with pytest.raises(DiscountUnavailable):
        await committed(uow, redeeming(spring, ann, 2))
    await committed(uow, redeeming(spring, bob))
    await committed(uow, redeeming(summer, ann))
    assert await stored(uow, spring) == spring  # redemptions alone use nothing


async def test_a_refused_redemption_leaves_the_transaction_usable(
    uow: UnitOfWorkFactory,
) -> None:
    ann, spring = user(1), discount("SPRING")
    await store(uow, ann, spring)
    await committed(uow, redeeming(spring, ann))
    async with uow() as tx:
        with pytest.raises(DiscountUnavailable):
            await tx.discounts.record_redemption(spring.id, ann.id, at(2))
        used = await tx.discounts.use_one(spring.id, at(2))
        await tx.commit()
    assert used == replace(spring, uses=1, updated_at=at(2))
    assert await stored(uow, spring) == used


async def test_a_redemption_of_a_missing_code_or_user_is_not_found(
    uow: UnitOfWorkFactory,
) -> None:
    ann, spring = user(1), discount("SPRING")
    await store(uow, ann, spring)
    with pytest.raises(NotFound):
        await committed(uow, redeeming(discount("GHOST"), ann))
    with pytest.raises(NotFound):
        await committed(uow, redeeming(spring, replace(ann, id=UserId(uid()))))
    await committed(uow, redeeming(spring, ann))  # neither attempt left a redemption behind


async def test_use_one_counts_a_use_until_max_use(uow: UnitOfWorkFactory) -> None:
    code = discount(max_use=2)
    await store(uow, code)
    first = await committed(uow, using(code, 1))
    assert first == replace(code, uses=1, updated_at=at(1))
    second = await committed(uow, using(code, 2))
    assert second == replace(code, uses=2, updated_at=at(2))
    assert await committed(uow, using(code, 3)) is None
    assert await stored(uow, code) == second
    assert await committed(uow, lambda tx: tx.discounts.use_one(DiscountId(uid()), at(4))) is None


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    ann, code, added = user(1), discount("SPRING"), discount("SUMMER")
    await store(uow, ann, code)
    async with uow() as tx:
        await tx.discounts.add(added)
        await tx.discounts.record_redemption(code.id, ann.id, at(1))
        assert await tx.discounts.use_one(code.id, at(1)) is not None
        await tx.discounts.remove(code.id)
    async with uow() as tx:
        assert await tx.discounts.get(added.id) is None
        assert await tx.discounts.get(code.id) == code
    await committed(uow, redeeming(code, ann))  # the rolled-back redemption is gone


async def test_racing_uses_stop_exactly_at_max_use(uow: UnitOfWorkFactory) -> None:
    code = discount(max_use=5)
    await store(uow, code)
    results = await race([contended(uow, using(code)) for _ in range(20)])
    granted = [r for r in results if isinstance(r, Discount)]
    assert sorted(d.uses for d in granted) == [1, 2, 3, 4, 5]
    assert results.count(None) == 15
    assert await stored(uow, code) == replace(code, uses=5, updated_at=at(1))


async def test_one_user_redeeming_twice_at_once_is_refused_once(uow: UnitOfWorkFactory) -> None:
    ann, code = user(1), discount()
    await store(uow, ann, code)
    results = await race([contended(uow, redeeming(code, ann)) for _ in range(2)])
    assert results.count(None) == 1
    assert [type(r) for r in results if r is not None] == [DiscountUnavailable]


def redeem(code: Discount, who: User) -> Step[Discount]:
    """`RedeemDiscount`'s transaction: the once-per-user record, then one use, or nothing."""

    async def step(tx: UnitOfWork) -> Discount:
        await tx.discounts.record_redemption(code.id, who.id, at(1))
        used = await tx.discounts.use_one(code.id, at(1))
        if used is None:
            raise DiscountUnavailable("This code has reached its usage limit")
        return used

    return step


async def test_racing_redemptions_honour_once_per_user_and_max_use(
    uow: UnitOfWorkFactory,
) -> None:
    users = [user(n) for n in range(8)]
    code = discount(max_use=5)
    await store(uow, *users, code)
    attempts = [contended(uow, redeem(code, who)) for who in users for _ in range(2)]
    results = await race(attempts)
    granted = [(users[i // 2], r) for i, r in enumerate(results) if isinstance(r, Discount)]
    assert sorted(d.uses for _, d in granted) == [1, 2, 3, 4, 5]
    assert len({who.id for who, _ in granted}) == 5
    assert all(isinstance(r, DiscountUnavailable) for r in results if not isinstance(r, Discount))
    assert await stored(uow, code) == replace(code, uses=5, updated_at=at(1))
    for who, _ in granted:
        with pytest.raises(DiscountUnavailable):
            await committed(uow, redeeming(code, who, 2))
