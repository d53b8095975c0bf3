"""`CodeRedeemer`: a code is redeemed only inside its window, once per user, never past
`max_use` however many redemptions race, and a refusal changes nothing; on PostgreSQL it is one
statement, elsewhere a unit of work, and both answer alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from allora.application.ports import CodeRedeemer, UnitOfWork, UnitOfWorkFactory
from allora.domain.discounts import Discount, DiscountNotFound, DiscountUnavailable, Redemption
from allora.domain.users import User
from tests.contract.builders import at, discount, user
from tests.contract.transactions import race, read, store

pytestmark = pytest.mark.anyio

NOW = at(10)


Seen = tuple[Discount | None, list[Redemption | None]]


async def state(uow: UnitOfWorkFactory, code: Discount, *who: User) -> Seen:
    """The code as stored, and each user's redemption of it."""

    async def look(tx: UnitOfWork) -> Seen:
        stored = await tx.discounts.get(code.id)
        return stored, [await tx.discounts.redemption_of(code.id, u.id) for u in who]

    return await read(uow, look)


async def test_a_redemption_counts_a_use_and_records_who_and_when(
    uow: UnitOfWorkFactory, redeemer: CodeRedeemer
) -> None:
    ann, code = user(1), discount("SPRING", max_use=3, uses=1, window=(at(0), at(60)))
    await store(uow, ann, code)
    redeemed = await redeemer.redeem("SPRING", ann.id, NOW)
    assert (redeemed.id, redeemed.uses, redeemed.terms) == (code.id, 2, code.terms)
    assert (redeemed.created_at, redeemed.updated_at) == (code.created_at, NOW)
    stored, [held] = await state(uow, code, ann)
    assert stored == redeemed
    assert held is not None
    assert (held.user_id, held.redeemed_at, held.order_id) == (ann.id, NOW, None)


@pytest.mark.parametrize(
    ("window", "uses", "refusal"),
    [
        ((at(11), at(60)), 0, DiscountUnavailable.not_now()),
        ((at(0), at(10)), 0, DiscountUnavailable.not_now()),
        ((None, None), 2, DiscountUnavailable.used_up()),
        ((at(11), None), 2, DiscountUnavailable.not_now()),
    ],
)
async def test_outside_its_window_or_used_up_nothing_changes(
    uow: UnitOfWorkFactory,
    redeemer: CodeRedeemer,
    window: tuple[datetime | None, datetime | None],
    uses: int,
    refusal: DiscountUnavailable,
) -> None:
    ann, code = user(1), discount("SPRING", max_use=2, uses=uses)
    starts, ends = window
    code = replace(code, terms=replace(code.terms, starts_at=starts, ends_at=ends))
    await store(uow, ann, code)
    before = await state(uow, code, ann)
    with pytest.raises(DiscountUnavailable) as refused:
        await redeemer.redeem("SPRING", ann.id, NOW)
    assert refused.value.message == refusal.message
    assert await state(uow, code, ann) == before


async def test_an_unknown_code_is_not_found(uow: UnitOfWorkFactory, redeemer: CodeRedeemer) -> None:
    ann = user(1)
    await store(uow, ann, discount("SPRING"))
    with pytest.raises(DiscountNotFound):
        await redeemer.redeem("AUTUMN", ann.id, NOW)


async def test_a_user_redeems_a_code_once(uow: UnitOfWorkFactory, redeemer: CodeRedeemer) -> None:
    ann, code = user(1), discount("SPRING", max_use=5)
    await store(uow, ann, code)
    await redeemer.redeem("SPRING", ann.id, NOW)
    before = await state(uow, code, ann)
    with pytest.raises(DiscountUnavailable) as refused:
        await redeemer.redeem("SPRING", ann.id, at(11))
    assert refused.value.message == DiscountUnavailable.already_used().message
    assert await state(uow, code, ann) == before


async def test_a_used_up_code_says_so_before_an_earlier_use(
    uow: UnitOfWorkFactory, redeemer: CodeRedeemer
) -> None:
    ann, bob, code = user(1), user(2), discount("LAST", max_use=1)
    await store(uow, ann, bob, code)
    await redeemer.redeem("LAST", ann.id, NOW)
    for who in (ann, bob):
        with pytest.raises(DiscountUnavailable) as refused:
            await redeemer.redeem("LAST", who.id, at(11))
        assert refused.value.message == DiscountUnavailable.used_up().message


async def test_twenty_users_racing_for_five_uses_get_exactly_five(
    uow: UnitOfWorkFactory, redeemer: CodeRedeemer
) -> None:
    people, code = [user(n) for n in range(20)], discount("RUSH", max_use=5)
    await store(uow, *people, code)
    outcomes = await race([redeemer.redeem("RUSH", who.id, NOW) for who in people])
    won = [o for o in outcomes if isinstance(o, Discount)]
    lost = [o for o in outcomes if not isinstance(o, Discount)]
    assert sorted(d.uses for d in won) == [1, 2, 3, 4, 5]
    assert all(isinstance(o, DiscountUnavailable) for o in lost)
    stored, held = await state(uow, code, *people)
    assert stored is not None
    assert stored.uses == 5
    assert sum(h is not None for h in held) == 5


async def test_one_user_racing_with_themself_redeems_once(
    uow: UnitOfWorkFactory, redeemer: CodeRedeemer
) -> None:
    ann, code = user(1), discount("TWICE", max_use=10)
    await store(uow, ann, code)
    outcomes = await race([redeemer.redeem("TWICE", ann.id, NOW) for _ in range(6)])
    assert sum(isinstance(o, Discount) for o in outcomes) == 1
    refusals = [o for o in outcomes if not isinstance(o, Discount)]
    assert all(isinstance(o, DiscountUnavailable) for o in refusals)
    assert {str(o) for o in refusals} == {DiscountUnavailable.already_used().message}
    stored, [held] = await state(uow, code, ann)
    assert stored is not None
    assert stored.uses == 1
    assert held is not None
