"""`SessionRepository`: sessions come back with their user's current state, and end."""

from __future__ import annotations

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.sessions import SessionId
from allora.domain.users import Role
from tests.contract.builders import session, uid, user
from tests.contract.transactions import committed, read, store

pytestmark = pytest.mark.anyio


async def test_a_session_reads_back_with_its_user(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    opened = session(ann, created=5, hours=24)
    await store(uow, ann, opened)
    async with uow() as tx:
        assert await tx.sessions.get(opened.id) == (opened, ann)
        assert await tx.sessions.get(SessionId(uid())) is None


async def test_the_user_comes_as_they_are_now(uow: UnitOfWorkFactory) -> None:
    """`CurrentUser` relies on it: a role change or a ban applies to open sessions at once."""
    ann = user(1)
    opened = session(ann)
    await store(uow, ann, opened)
    changed = ann.with_role(Role.ADMIN).as_banned()
    await committed(uow, lambda tx: tx.users.save(changed))
    assert await read(uow, lambda tx: tx.sessions.get(opened.id)) == (opened, changed)


async def test_remove_ends_one_session(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    phone, laptop = session(ann), session(ann)
    await store(uow, ann, phone, laptop)
    await committed(uow, lambda tx: tx.sessions.remove(phone.id))
    await committed(uow, lambda tx: tx.sessions.remove(SessionId(uid())))  # unknown: no error
    async with uow() as tx:
        assert await tx.sessions.get(phone.id) is None
        assert await tx.sessions.get(laptop.id) == (laptop, ann)


async def test_remove_all_of_ends_every_session_of_the_users_named(
    uow: UnitOfWorkFactory,
) -> None:
    ann, bob, cid = user(1), user(2), user(3)
    sessions = {who.id: [session(who), session(who)] for who in (ann, bob, cid)}
    await store(uow, ann, bob, cid, *(s for pair in sessions.values() for s in pair))
    await committed(uow, lambda tx: tx.sessions.remove_all_of([]))
    await committed(uow, lambda tx: tx.sessions.remove_all_of([ann.id, cid.id]))
    async with uow() as tx:
        for who in (ann, cid):
            for ended in sessions[who.id]:
                assert await tx.sessions.get(ended.id) is None
        for kept in sessions[bob.id]:
            assert await tx.sessions.get(kept.id) == (kept, bob)


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    kept, added = session(ann), session(ann)
    await store(uow, ann, kept)
    async with uow() as tx:
        await tx.sessions.add(added)
        await tx.sessions.remove(kept.id)
        assert await tx.sessions.get(added.id) == (added, ann)
    async with uow() as tx:
        assert await tx.sessions.get(added.id) is None
        assert await tx.sessions.get(kept.id) == (kept, ann)
