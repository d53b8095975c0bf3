"""`TicketRepository`: tickets read back whole; threads list main tickets newest first, each
with its answers oldest first."""

from __future__ import annotations

from dataclasses import replace

import pytest

from allora.application.ports import UnitOfWorkFactory
from allora.domain.paging import Page, Paged
from allora.domain.tickets import Ticket, TicketId
from allora.domain.users import User
from tests.contract.builders import ticket, uid, user
from tests.contract.transactions import committed, read, store

pytestmark = pytest.mark.anyio

Thread = tuple[Ticket, list[Ticket]]


async def threads(uow: UnitOfWorkFactory, of: User | None, page: Page) -> Paged[Thread]:
    return await read(uow, lambda tx: tx.tickets.threads(None if of is None else of.id, page))


async def test_a_ticket_reads_back_whole(uow: UnitOfWorkFactory) -> None:
    ann, admin = user(1), user(2)
    anonymous, signed = ticket(created=1), ticket(by=ann, created=2)
    answer = ticket(by=admin, main=signed, created=3)
    await store(uow, ann, admin, anonymous, signed, answer)
    async with uow() as tx:
        for each in (anonymous, signed, answer):
            assert await tx.tickets.get(each.id) == each
        assert await tx.tickets.get(TicketId(uid())) is None


async def test_mark_answered_sets_only_has_answer(uow: UnitOfWorkFactory) -> None:
    ann = user(1)
    asked, other = ticket(by=ann), ticket()
    await store(uow, ann, asked, other)
    await committed(uow, lambda tx: tx.tickets.mark_answered(asked.id))
    await committed(uow, lambda tx: tx.tickets.mark_answered(TicketId(uid())))  # no error
    async with uow() as tx:
        assert await tx.tickets.get(asked.id) == replace(asked, has_answer=True)
        assert await tx.tickets.get(other.id) == other


async def test_threads_are_newest_first_with_answers_oldest_first(
    uow: UnitOfWorkFactory,
) -> None:
    ann, bob, admin = user(1), user(2), user(3)
    t = {
        1: ticket(by=ann, created=5, id=1),
        2: ticket(by=ann, created=5, id=2),
        3: ticket(by=bob, created=9, id=3),
        4: ticket(created=1, id=4),
    }
    a = {
        5: ticket(by=admin, main=t[1], created=20, id=5),
        6: ticket(by=admin, main=t[1], created=10, id=6),
        7: ticket(by=admin, main=t[1], created=10, id=7),
        8: ticket(by=admin, main=t[3], created=30, id=8),
    }
    await store(uow, ann, bob, admin, *(t[n] for n in (2, 4, 1, 3)), *(a[n] for n in (8, 5, 7, 6)))
    everyone = [(t[3], [a[8]]), (t[2], []), (t[1], [a[6], a[7], a[5]]), (t[4], [])]
    assert await threads(uow, None, Page()) == Paged(everyone, 4)
    assert await threads(uow, None, Page(2, 1)) == Paged(everyone[1:3], 4)
    assert await threads(uow, None, Page(2, 4)) == Paged([], 4)
    assert await threads(uow, ann, Page()) == Paged([(t[2], []), (t[1], [a[6], a[7], a[5]])], 2)
    assert await threads(uow, bob, Page(1, 0)) == Paged([(t[3], [a[8]])], 1)
    assert await threads(uow, admin, Page()) == Paged([], 0)  # answers are no threads


async def test_a_rolled_back_transaction_leaves_nothing(uow: UnitOfWorkFactory) -> None:
    admin = user(1)
    asked = ticket()
    await store(uow, admin, asked)
    answer = ticket(by=admin, main=asked)
    async with uow() as tx:
        await tx.tickets.add(answer)
        await tx.tickets.mark_answered(asked.id)
    async with uow() as tx:
        assert await tx.tickets.get(answer.id) is None
        assert await tx.tickets.get(asked.id) == asked
    assert await threads(uow, None, Page()) == Paged([(asked, [])], 1)
