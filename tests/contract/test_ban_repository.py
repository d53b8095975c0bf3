"""`BanRepository`: a ban names an email, a phone or both; `hold` serialises ban decisions."""

from __future__ import annotations

import asyncio

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.bans import Ban
from allora.domain.users import Email, Phone, User
from tests.contract.builders import ban, user
from tests.contract.transactions import give_way, read, store

pytestmark = pytest.mark.anyio

EMAIL, PHONE = Email("spam@example.com"), Phone("5550001234")
OTHER_EMAIL, OTHER_PHONE = Email("fine@example.com"), Phone("5550009999")


@pytest.mark.parametrize(
    ("banned", "email", "phone", "expected"),
    [
        (ban(EMAIL, None), EMAIL, OTHER_PHONE, True),
        (ban(EMAIL, None), OTHER_EMAIL, PHONE, False),
        (ban(None, PHONE), OTHER_EMAIL, PHONE, True),
        (ban(None, PHONE), EMAIL, OTHER_PHONE, False),
        (ban(EMAIL, PHONE), EMAIL, OTHER_PHONE, True),
        (ban(EMAIL, PHONE), OTHER_EMAIL, PHONE, True),
        (ban(EMAIL, PHONE), OTHER_EMAIL, OTHER_PHONE, False),
    ],
)
async def test_either_named_field_is_banned(
    uow: UnitOfWorkFactory, banned: Ban, email: Email, phone: Phone, expected: bool
) -> None:
    await store(uow, ban(Email("x@example.com"), Phone("5550000777")), banned)
    assert await read(uow, lambda tx: tx.bans.is_banned(email, phone)) is expected


async def test_nothing_is_banned_in_a_new_shop(uow: UnitOfWorkFactory) -> None:
    assert not await read(uow, lambda tx: tx.bans.is_banned(EMAIL, PHONE))


async def test_a_rolled_back_ban_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    async with uow() as tx:
        await tx.bans.hold()
        await tx.bans.add(ban(EMAIL, PHONE))
        assert await tx.bans.is_banned(EMAIL, PHONE)
    assert not await read(uow, lambda tx: tx.bans.is_banned(EMAIL, PHONE))


async def test_a_sign_up_waiting_on_hold_sees_the_ban_committed_meanwhile(
    uow: UnitOfWorkFactory,
) -> None:
    held, sign_up_done = asyncio.Event(), asyncio.Event()

    async def banning() -> None:
        async with uow() as tx:
            await tx.bans.hold()
            held.set()
            await give_way(sign_up_done)
            await tx.bans.add(ban(EMAIL, None))
            await tx.commit()

    first = asyncio.create_task(banning())
    await held.wait()

    async def signing_up() -> bool:
        async with uow() as tx:
            await tx.bans.hold()
            return await tx.bans.is_banned(EMAIL, PHONE)

    try:
        seen = await signing_up()
    finally:
        sign_up_done.set()
    await first
    assert seen


async def test_a_ban_waiting_on_hold_sees_the_account_committed_meanwhile(
    uow: UnitOfWorkFactory,
) -> None:
    newcomer = user(1)
    held, ban_done = asyncio.Event(), asyncio.Event()

    async def signing_up() -> None:
        async with uow() as tx:
            await tx.bans.hold()
            held.set()
            assert not await tx.bans.is_banned(newcomer.profile.email, newcomer.profile.phone)
            await give_way(ban_done)
            await tx.users.add(newcomer)
            await tx.commit()

    first = asyncio.create_task(signing_up())
    await held.wait()
    the_ban = ban(newcomer.profile.email, None)

    async def banning() -> list[User]:
        async with uow() as tx:
            await tx.bans.hold()
            return await tx.users.matching(the_ban)

    try:
        targets = await banning()
    finally:
        ban_done.set()
    await first
    assert targets == [newcomer]
