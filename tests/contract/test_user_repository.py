"""`UserRepository`: accounts read back as stored, unique fields, the admin rules' locks."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from allora.application.ports import UnitOfWork, UnitOfWorkFactory
from allora.domain.errors import AlreadyTaken, LastAdmin
from allora.domain.paging import Page, Paged
from allora.domain.users import Email, Phone, Profile, Role, User, UserId
from tests.contract.builders import ban, profile, uid, user
from tests.contract.transactions import Step, committed, contended, give_way, race, read

pytestmark = pytest.mark.anyio


async def add_users(uow: UnitOfWorkFactory, *users: User) -> None:
    async def add(tx: UnitOfWork) -> None:
        for each in users:
            await tx.users.add(each)

    await committed(uow, add)


def adding(each: User) -> Step[None]:
    return lambda tx: tx.users.add(each)


async def test_a_user_reads_back_by_id_and_by_email(uow: UnitOfWorkFactory) -> None:
    ann, bob = user(1, role=Role.ADMIN), user(2, banned=True)
    await add_users(uow, ann, bob)
    async with uow() as tx:
        assert await tx.users.get(ann.id) == ann
        assert await tx.users.get(bob.id) == bob
        assert await tx.users.get_by_email(bob.profile.email) == bob
        assert await tx.users.get(UserId(uid())) is None
        assert await tx.users.get_by_email(Email("nobody@example.com")) is None


async def test_save_stores_profile_role_ban_and_password(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    await add_users(uow, ann)
    changed = replace(
        ann.with_profile(profile(9)).with_role(Role.ADMIN).as_banned(), password_hash="hashed:new"
    )
    await committed(uow, lambda tx: tx.users.save(changed))
    assert await read(uow, lambda tx: tx.users.get(ann.id)) == changed


async def test_saving_an_unknown_user_stores_nothing(uow: UnitOfWorkFactory) -> None:
    ghost = user(1)
    await committed(uow, lambda tx: tx.users.save(ghost))
    async with uow() as tx:
        assert await tx.users.get(ghost.id) is None
        assert (await tx.users.listing(Page())).total == 0


def clashing(field: str, taken: Profile, n: int) -> Profile:
    """Profile `n`, with `field` copied from `taken`."""
    own = profile(n)
    return Profile(
        taken.name if field == "name" else own.name,
        taken.email if field == "email" else own.email,
        taken.phone if field == "phone" else own.phone,
    )


@pytest.mark.parametrize("field", ["name", "email", "phone"])
async def test_add_refuses_a_field_another_account_has(uow: UnitOfWorkFactory, field: str) -> None:
    ann = user(1)
    await add_users(uow, ann)
    copycat = user(2).with_profile(clashing(field, ann.profile, 2))
    with pytest.raises(AlreadyTaken):
        await committed(uow, lambda tx: tx.users.add(copycat))
    assert await read(uow, lambda tx: tx.users.listing(Page())) == Paged([ann], 1)


@pytest.mark.parametrize("field", ["name", "email", "phone"])
async def test_save_refuses_a_field_another_account_has(uow: UnitOfWorkFactory, field: str) -> None:
    ann, bob = user(1), user(2)
    await add_users(uow, ann, bob)
    with pytest.raises(AlreadyTaken):
        await committed(
            uow, lambda tx: tx.users.save(bob.with_profile(clashing(field, ann.profile, 2)))
        )
    assert await read(uow, lambda tx: tx.users.get(bob.id)) == bob


async def test_taken_fields_names_what_other_accounts_have(uow: UnitOfWorkFactory) -> None:
    ann, bob = user(1), user(2)
    await add_users(uow, ann, bob)
    mixed = Profile(ann.profile.name, bob.profile.email, Phone("5559999999"))
    async with uow() as tx:
        assert await tx.users.taken_fields(mixed, other_than=None) == ["name", "email"]
        assert await tx.users.taken_fields(mixed, other_than=ann.id) == ["email"]
        assert await tx.users.taken_fields(ann.profile, other_than=None) == [
            "name",
            "email",
            "phone",
        ]
        assert await tx.users.taken_fields(ann.profile, other_than=ann.id) == []
        assert await tx.users.taken_fields(profile(3), other_than=None) == []


async def test_the_listing_is_oldest_first_whatever_the_ids(uow: UnitOfWorkFactory) -> None:
    users = [user(n, created=minutes) for n, minutes in enumerate([30, 10, 50, 20, 40])]
    await add_users(uow, *users)
    oldest_first = [users[1], users[3], users[0], users[4], users[2]]
    async with uow() as tx:
        assert await tx.users.listing(Page()) == Paged(oldest_first, 5)
        assert await tx.users.listing(Page(limit=2, offset=1)) == Paged(oldest_first[1:3], 5)
        assert await tx.users.listing(Page(limit=10, offset=5)) == Paged([], 5)


async def test_the_listing_breaks_ties_of_time_by_id(uow: UnitOfWorkFactory) -> None:
    users = [replace(user(n, created=0), id=UserId(uid(10 - n))) for n in range(3)]
    await add_users(uow, *users)
    page = await read(uow, lambda tx: tx.users.listing(Page()))
    assert page.items == users[::-1]


async def test_matching_finds_the_accounts_a_ban_names(uow: UnitOfWorkFactory) -> None:
    ann, bob, cid = user(1), user(2), user(3)
    await add_users(uow, ann, bob, cid)
    by_id = sorted([ann, bob], key=lambda u: u.id)
    async with uow() as tx:
        both = await tx.users.matching(ban(ann.profile.email, bob.profile.phone))
        assert sorted(both, key=lambda u: u.id) == by_id
        assert await tx.users.matching(ban(email=cid.profile.email)) == [cid]
        assert await tx.users.matching(ban(phone=cid.profile.phone)) == [cid]
        assert await tx.users.matching(ban(Email("x@example.com"), Phone("5550000999"))) == []


async def test_active_admins_are_the_unbanned_admins_in_id_order(
    uow: UnitOfWorkFactory,
) -> None:
    admins = [user(n, role=Role.ADMIN) for n in (1, 2, 3)]
    await add_users(uow, *admins, user(4, role=Role.ADMIN, banned=True), user(5))
    locked = await read(uow, lambda tx: tx.users.lock_active_admins())
    assert locked == sorted(admin.id for admin in admins)


async def test_the_first_account_is_claimed_once_ever(uow: UnitOfWorkFactory) -> None:
    claims = [await committed(uow, lambda tx: tx.users.claim_first_account()) for _ in range(3)]
    assert claims == [True, False, False]


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    async with uow() as tx:
        await tx.users.add(ann)
        assert await tx.users.claim_first_account()
        assert await tx.users.get(ann.id) == ann  # seen inside its own transaction
    async with uow() as tx:
        assert await tx.users.get(ann.id) is None
        assert await tx.users.taken_fields(ann.profile, other_than=None) == []
        assert await tx.users.claim_first_account()


async def test_concurrent_claims_give_the_first_account_to_exactly_one(
    uow: UnitOfWorkFactory,
) -> None:
    claims = await race(
        [contended(uow, lambda tx: tx.users.claim_first_account()) for _ in range(10)]
    )
    assert sorted(claims, key=str) == [False] * 9 + [True]


async def test_concurrent_sign_ups_with_one_email_store_one_account(
    uow: UnitOfWorkFactory,
) -> None:
    email = Email("same@example.com")
    rivals = [user(n).with_profile(replace(profile(n), email=email)) for n in range(5)]
    results = await race([contended(uow, adding(rival)) for rival in rivals])
    assert sum(result is None for result in results) == 1
    assert all(isinstance(r, AlreadyTaken) for r in results if r is not None)
    assert (await read(uow, lambda tx: tx.users.listing(Page()))).total == 1


async def demote(
    uow: UnitOfWorkFactory, target: User, hold: tuple[asyncio.Event, asyncio.Event] | None = None
) -> Role:
    """`ToggleRole`'s rule on the repository: refuse to demote the last active ADMIN. With
    `hold` (locked, rival_done), it says when it holds the lock and gives way to a rival."""
    async with uow() as tx:
        admins = await tx.users.lock_active_admins()
        if hold is not None:
            locked, rival_done = hold
            locked.set()
            await give_way(rival_done)
        current = await tx.users.get(target.id)
        assert current is not None
        if admins == [current.id]:
            raise LastAdmin()
        await tx.users.save(current.with_role(Role.USER))
        await tx.commit()
    return Role.USER


async def test_two_admins_demoting_each_other_keep_one_admin(uow: UnitOfWorkFactory) -> None:
    ann, bob = user(1, role=Role.ADMIN), user(2, role=Role.ADMIN)
    await add_users(uow, ann, bob)
    locked, rival_done = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(demote(uow, bob, (locked, rival_done)))
    await locked.wait()  # the first holds the admins' lock before the second asks for it
    try:
        second: Role | Exception = await demote(uow, ann)
    except LastAdmin as refused:
        second = refused
    finally:
        rival_done.set()
    assert await first == Role.USER
    assert isinstance(second, LastAdmin)
    async with uow() as tx:
        assert await tx.users.lock_active_admins() == [ann.id]
        assert await tx.users.get(ann.id) == ann
