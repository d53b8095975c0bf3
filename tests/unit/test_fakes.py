"""The fakes keep the promises of the port docstrings, so use-case tests can trust them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from allora.domain.bans import Ban
from allora.domain.errors import AlreadyTaken, NotAuthenticated
from allora.domain.sessions import Session, SessionId
from allora.domain.users import Profile, Role, User, UserId
from tests.unit.fakes import (
    FakeAttemptLimiter,
    FakeClock,
    FakeDatabase,
    FakePasswordHasher,
    FakeTokenIssuer,
    FakeUnitOfWorkFactory,
    SequentialIds,
)

pytestmark = pytest.mark.anyio

ids = SequentialIds()
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def make_user(n: int, role: Role = Role.USER, banned: bool = False) -> User:
    profile = Profile.parse(f"user{n}", f"user{n}@example.com", f"5550000{n:03d}")
    return User(UserId(ids()), profile, role, "hashed:x", NOW + timedelta(minutes=n), banned)


async def test_changes_left_uncommitted_are_dropped(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    async with uow() as tx:
        await tx.users.add(make_user(1))
        assert await tx.users.claim_first_account()
    assert database.contents() == FakeDatabase().contents()


async def test_committed_changes_are_shared(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    user = make_user(1)
    async with uow() as tx:
        await tx.users.add(user)
        await tx.commit()
    async with uow() as tx:
        assert await tx.users.get(user.id) == user
    assert database.users == {user.id: user}
    assert database.commits == 1


async def test_the_first_account_is_claimed_exactly_once(uow: FakeUnitOfWorkFactory) -> None:
    claims = []
    for _ in range(3):
        async with uow() as tx:
            claims.append(await tx.users.claim_first_account())
            await tx.commit()
    assert claims == [True, False, False]


async def test_a_rolled_back_claim_is_free_again(uow: FakeUnitOfWorkFactory) -> None:
    async with uow() as tx:
        assert await tx.users.claim_first_account()
    async with uow() as tx:
        assert await tx.users.claim_first_account()


async def test_add_and_save_refuse_collisions(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    first, second = make_user(1), make_user(2)
    database.users = {first.id: first, second.id: second}
    async with uow() as tx:
        clash = make_user(3)
        clash = clash.with_profile(
            Profile(second.profile.name, clash.profile.email, first.profile.phone)
        )
        with pytest.raises(AlreadyTaken, match=r"^name and phone already taken$"):
            await tx.users.add(clash)
        with pytest.raises(AlreadyTaken, match=r"^email already taken$"):
            await tx.users.save(
                first.with_profile(
                    Profile(first.profile.name, second.profile.email, first.profile.phone)
                )
            )
        await tx.users.save(first.with_role(Role.ADMIN))  # its own details are no collision
        assert await tx.users.taken_fields(second.profile, other_than=None) == [
            "name",
            "email",
            "phone",
        ]
        assert await tx.users.taken_fields(second.profile, other_than=second.id) == []


async def test_active_admins_are_unbanned_admins(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    users = [make_user(1, Role.ADMIN), make_user(2, Role.ADMIN, banned=True), make_user(3)]
    database.users = {user.id: user for user in users}
    async with uow() as tx:
        assert await tx.users.lock_active_admins() == [users[0].id]


async def test_bans_match_by_email_or_phone(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    users = [make_user(1), make_user(2), make_user(3)]
    database.users = {user.id: user for user in users}
    ban = Ban(users[0].profile.email, users[1].profile.phone)
    async with uow() as tx:
        await tx.bans.add(ban)
        assert await tx.users.matching(ban) == users[:2]
        assert await tx.bans.is_banned(users[0].profile.email, users[2].profile.phone)
        assert not await tx.bans.is_banned(users[2].profile.email, users[2].profile.phone)


async def test_sessions_come_with_their_current_user(
    uow: FakeUnitOfWorkFactory, database: FakeDatabase
) -> None:
    user = make_user(1)
    session = Session.start(SessionId(ids()), user.id, NOW, timedelta(hours=1))
    database.users[user.id] = user
    async with uow() as tx:
        await tx.sessions.add(session)
        assert await tx.sessions.get(session.id) == (session, user)
        await tx.sessions.remove_all_of([user.id])
        assert await tx.sessions.get(session.id) is None


async def test_the_limiter_refuses_once_the_limit_is_reached() -> None:
    limiter = FakeAttemptLimiter(2)
    assert [await limiter.hit("k") for _ in range(3)] == [True, True, False]
    assert await limiter.hit("other")
    await limiter.forget("k")
    assert await limiter.hit("k")


async def test_the_hasher_verifies_only_the_hashed_password() -> None:
    hasher = FakePasswordHasher()
    digest = await hasher.hash("pw")
    assert digest != "pw"
    assert await hasher.verify(digest, "pw")
    assert not await hasher.verify(digest, "other")
    assert not await hasher.verify(None, "pw")


def test_tokens_name_their_session_and_garbage_is_refused() -> None:
    tokens = FakeTokenIssuer()
    session = Session.start(SessionId(ids()), UserId(ids()), NOW, timedelta(hours=1))
    assert tokens.read(tokens.issue(session)) == session.id
    for garbage in ("", "x", "session:", "session:zz"):
        with pytest.raises(NotAuthenticated):
            tokens.read(garbage)


def test_the_clock_is_utc_and_moves_only_when_told() -> None:
    clock = FakeClock(datetime(2024, 1, 1, 14, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    clock.advance(timedelta(seconds=5))
    assert clock.now() == datetime(2024, 1, 1, 12, 0, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2024, 1, 1))
