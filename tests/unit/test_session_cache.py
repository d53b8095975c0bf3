"""The rules of the per-process session cache: an entry is answered only under the version it was
read under, a forget removes what it names and keeps a racing read out, and memory is bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allora.adapters.session_cache import CachedSessionLookup, SessionCache, Touched
from allora.adapters.sql.session_notices import PostgresSessionNotices
from allora.domain.sessions import Session, SessionId
from allora.domain.users import Email, Phone, Profile, Role, User, UserId, UserName
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork, FakeUnitOfWorkFactory

pytestmark = pytest.mark.anyio

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def person(n: int, role: Role = Role.USER) -> User:
    profile = Profile(
        UserName(f"user{n}"), Email(f"user{n}@example.com"), Phone(f"55500000{n:02d}")
    )
    return User(UserId(UUID(int=n)), profile, role, "hashed:x", NOW)


def session_of(user: User, n: int) -> Session:
    return Session.start(SessionId(UUID(int=1000 + n)), user.id, NOW, timedelta(days=1))


class FakeVersion:
    """A change watcher switched by hand: None while notices are lost, a new number once back
    (without forgetting anything itself: the version alone must keep old entries out)."""

    def __init__(self) -> None:
        self._count = 1
        self._listening = True

    def current(self) -> int | None:
        return self._count if self._listening else None

    def lose(self) -> None:
        self._listening = False

    def regain(self) -> None:
        if not self._listening:
            self._listening, self._count = True, self._count + 1


class RacingUnitOfWork(FakeUnitOfWork):
    """A read after which, before the reader is back, another request commits a change."""

    def __init__(self, database: FakeDatabase, meanwhile: Callable[[], Awaitable[None]]) -> None:
        super().__init__(database)
        self._meanwhile = meanwhile

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await super().__aexit__(exc_type, exc, tb)
        await self._meanwhile()


class Reader(FakeUnitOfWorkFactory):
    """Reading units of work; the next one races `meanwhile` when it is set."""

    meanwhile: Callable[[], Awaitable[None]] | None = None

    def __call__(self) -> FakeUnitOfWork:
        if self.meanwhile is None:
            return super().__call__()
        uow, self.meanwhile = RacingUnitOfWork(self.database, self.meanwhile), None
        self.opened.append(uow)
        return uow


def world(
    max_entries: int = 100,
) -> tuple[FakeDatabase, SessionCache, FakeVersion, Reader, CachedSessionLookup]:
    database = FakeDatabase()
    cache, version = SessionCache(max_entries), FakeVersion()
    reader = Reader(database)
    return database, cache, version, reader, CachedSessionLookup(reader, cache, version)


def store(database: FakeDatabase, user: User, *sessions: Session) -> None:
    database.users[user.id] = user
    for session in sessions:
        database.sessions[session.id] = session


# --- SessionCache ----------------------------------------------------------------------------


def test_an_entry_is_answered_only_under_the_version_it_was_read_under() -> None:
    cache = SessionCache(10)
    alice = person(1)
    session = session_of(alice, 1)
    cache.put(session.id, (session, alice), version=3, ticket=cache.ticket())
    assert cache.get(session.id, 3) == (session, alice)
    assert cache.get(session.id, 4) is None
    assert cache.get(session.id, 3) is None, "an entry seen under another version is dropped"


def test_a_read_that_a_forget_overtook_is_not_kept() -> None:
    cache = SessionCache(10)
    alice, bob = person(1), person(2)
    session = session_of(alice, 1)
    ticket = cache.ticket()
    cache.forget_users([bob.id])  # any forget: the cache cannot tell what the read saw
    cache.put(session.id, (session, alice), version=1, ticket=ticket)
    assert cache.get(session.id, 1) is None
    cache.put(session.id, (session, alice), version=1, ticket=cache.ticket())
    assert cache.get(session.id, 1) == (session, alice)


def test_forgetting_a_user_drops_every_session_of_theirs_and_only_those() -> None:
    cache = SessionCache(10)
    alice, bob = person(1), person(2)
    sessions = {s: s for s in (session_of(alice, 1), session_of(alice, 2), session_of(bob, 3))}
    for session in sessions:
        owner = alice if session.user_id == alice.id else bob
        cache.put(session.id, (session, owner), version=1, ticket=cache.ticket())
    cache.forget_users([alice.id])
    assert [s.id for s in sessions if cache.get(s.id, 1) is not None] == [UUID(int=1003)]
    cache.forget_sessions([SessionId(UUID(int=1003))])
    assert len(cache) == 0
    cache.put(session_of(bob, 4).id, (session_of(bob, 4), bob), 1, cache.ticket())
    cache.forget_all()
    assert len(cache) == 0


def test_the_least_recently_used_entry_goes_first_and_zero_keeps_nothing() -> None:
    cache = SessionCache(2)
    alice = person(1)
    first, second, third = (session_of(alice, n) for n in (1, 2, 3))
    for session in (first, second):
        cache.put(session.id, (session, alice), 1, cache.ticket())
    assert cache.get(first.id, 1) is not None  # now `second` is the least recently used
    cache.put(third.id, (third, alice), 1, cache.ticket())
    assert [cache.get(s.id, 1) is not None for s in (first, second, third)] == [True, False, True]
    assert len(cache) == 2
    cache.forget_users([alice.id])
    assert len(cache) == 0
    none = SessionCache(0)
    none.put(first.id, (first, alice), 1, none.ticket())
    assert len(none) == 0


def test_touched_reports_what_a_transaction_changed_once() -> None:
    cache = SessionCache(10)
    alice, bob = person(1), person(2)
    kept = [session_of(alice, 1), session_of(bob, 2)]
    for session, owner in zip(kept, (alice, bob), strict=True):
        cache.put(session.id, (session, owner), 1, cache.ticket())
    touched = Touched(sessions={kept[0].id})
    touched.report_to(cache)
    assert (cache.get(kept[0].id, 1), cache.get(kept[1].id, 1)) == (None, (kept[1], bob))
    touched.users.add(bob.id)
    touched.report_to(cache)
    assert len(cache) == 0
    assert touched == Touched()


# --- CachedSessionLookup ---------------------------------------------------------------------


async def test_a_session_read_once_is_answered_without_the_database() -> None:
    database, _, _, reader, lookup = world()
    alice = person(1)
    session = session_of(alice, 1)
    store(database, alice, session)
    assert await lookup.find(session.id) == (session, alice)
    assert await lookup.find(session.id) == (session, alice)
    assert len(reader.opened) == 1


async def test_while_changes_cannot_be_observed_every_find_reads_the_database() -> None:
    database, _, version, reader, lookup = world()
    alice = person(1)
    session = session_of(alice, 1)
    store(database, alice, session)
    await lookup.find(session.id)
    version.lose()
    for _ in range(3):
        assert await lookup.find(session.id) == (session, alice)
    assert len(reader.opened) == 4
    version.regain()
    del database.sessions[session.id]  # ended while nobody listened: no forget ever came
    assert await lookup.find(session.id) is None, "nothing kept before the loss is trusted"


async def test_an_unknown_session_is_not_remembered() -> None:
    database, _, _, reader, lookup = world()
    alice = person(1)
    session = session_of(alice, 1)
    assert await lookup.find(session.id) is None
    store(database, alice, session)
    assert await lookup.find(session.id) == (session, alice)
    assert len(reader.opened) == 2


async def test_a_change_committed_during_the_read_is_not_hidden_by_it() -> None:
    database, cache, _, reader, lookup = world()
    alice = person(1)
    session = session_of(alice, 1)
    store(database, alice, session)

    async def sign_out_meanwhile() -> None:
        del database.sessions[session.id]
        cache.forget_sessions([session.id])

    reader.meanwhile = sign_out_meanwhile
    assert await lookup.find(session.id) == (session, alice)  # read before the sign-out
    assert await lookup.find(session.id) is None


# --- the rule, for any sequence --------------------------------------------------------------

USERS = [person(1), person(2)]
SESSIONS = [session_of(USERS[n // 2], n) for n in range(4)]
Change = tuple[str, int]
CHANGES = st.tuples(
    st.sampled_from(["sign_out", "ban", "toggle_role", "rename"]), st.integers(0, 3)
)
# (what happens, to which session, with which change): a find, a change committed, a find that a
# change overtakes while it waits for the database, notices lost, notices back.
Step = tuple[str, int, Change]
STEPS = st.tuples(
    st.sampled_from(["find", "commit", "race", "lose_notices", "regain_notices"]),
    st.integers(0, 3),
    CHANGES,
)


def commit(database: FakeDatabase, cache: SessionCache, change: Change, announced: bool) -> None:
    """`change` committed, and reported to the cache unless notices are lost."""
    kind, n = change
    session = SESSIONS[n]
    user = database.users[session.user_id]
    if kind == "sign_out":
        database.sessions.pop(session.id, None)
        if announced:
            cache.forget_sessions([session.id])
        return
    if kind == "ban":
        user = user.as_banned()
        database.sessions = {k: s for k, s in database.sessions.items() if s.user_id != user.id}
    elif kind == "toggle_role":
        user = user.with_role(user.role.toggled())
    else:
        renamed = "renamed" if user.profile.name.value != "renamed" else "again"
        user = user.with_profile(replace(user.profile, name=UserName(renamed)))
    database.users[user.id] = user
    if announced:
        cache.forget_users([user.id])


def committed(database: FakeDatabase, n: int) -> tuple[Session, User] | None:
    session = database.sessions.get(SESSIONS[n].id)
    return None if session is None else (session, database.users[session.user_id])


async def play(steps: list[Step]) -> None:
    database, cache, version, reader, lookup = world(max_entries=3)
    for user in USERS:
        database.users[user.id] = user
    for session in SESSIONS:
        database.sessions[session.id] = session
    for kind, n, change in steps:
        announced = version.current() is not None
        if kind == "find":
            assert await lookup.find(SESSIONS[n].id) == committed(database, n)
        elif kind == "commit":
            commit(database, cache, change, announced)
        elif kind == "race":

            async def meanwhile(change: Change = change, announced: bool = announced) -> None:
                commit(database, cache, change, announced)

            reader.meanwhile = meanwhile
            await lookup.find(SESSIONS[n].id)  # may answer what it read before the change
            if reader.meanwhile is not None:  # answered from memory: the change comes after
                reader.meanwhile = None
                await meanwhile()
        elif kind == "lose_notices":
            version.lose()
        else:
            version.regain()
        for m in range(len(SESSIONS)):
            assert await lookup.find(SESSIONS[m].id) == committed(database, m), (m, kind)


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(STEPS, max_size=40))
def test_a_find_always_answers_the_last_committed_state(steps: list[Step]) -> None:
    """Whatever the interleaving of finds, changes, finds that a change overtakes, and notices
    lost and regained (changes made meanwhile are never reported), a find that starts after a
    change was reported, or while notices are lost, answers what is committed."""
    asyncio.run(play(steps))


# --- notices from the database ---------------------------------------------------------------


def test_each_notice_forgets_what_it_names_and_a_strange_one_everything() -> None:
    cache = SessionCache(10)
    notices = PostgresSessionNotices("postgresql://unused", cache)
    alice, bob = person(1), person(2)
    mine, theirs, other = session_of(alice, 1), session_of(bob, 2), session_of(bob, 3)

    def fill() -> None:
        for session, owner in ((mine, alice), (theirs, bob), (other, bob)):
            cache.put(session.id, (session, owner), 1, cache.ticket())

    def kept() -> list[Session]:
        return [s for s in (mine, theirs, other) if cache.get(s.id, 1) is not None]

    fill()
    notices.notified(f"s:{mine.id}")
    assert kept() == [theirs, other]
    notices.notified(f"u:{bob.id}")
    assert kept() == []
    for strange in ("*", "", "s:not-a-uuid", "x:1"):
        fill()
        notices.notified(strange)
        assert kept() == [], strange
    assert notices.current() is None, "not listening until started"
