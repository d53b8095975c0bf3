"""Running steps in units of work, alone or racing each other."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from allora.application.ports import UnitOfWork, UnitOfWorkFactory
from allora.domain.bans import Ban
from allora.domain.comments import Comment
from allora.domain.discounts import Discount
from allora.domain.products import Product
from allora.domain.sessions import Session
from allora.domain.tickets import Ticket
from allora.domain.users import User

T = TypeVar("T")
Step = Callable[[UnitOfWork], Awaitable[T]]

RIVAL_WAIT = 0.3  # seconds a transaction leaves a rival to overtake it; never asserted on


async def committed(uow: UnitOfWorkFactory, step: Step[T]) -> T:
    """The step's result, in a transaction of its own that commits."""
    async with uow() as tx:
        result = await step(tx)
        await tx.commit()
    return result


Entity = User | Session | Ban | Product | Comment | Discount | Ticket


async def add(tx: UnitOfWork, entity: Entity) -> None:
    """Adds the entity through its repository."""
    match entity:
        case User():
            await tx.users.add(entity)
        case Session():
            await tx.sessions.add(entity)
        case Ban():
            await tx.bans.add(entity)
        case Product():
            await tx.products.add(entity)
        case Comment():
            await tx.comments.add(entity)
        case Discount():
            await tx.discounts.add(entity)
        case Ticket():
            await tx.tickets.add(entity)


async def store(uow: UnitOfWorkFactory, *entities: Entity) -> None:
    """Adds the entities in order (parents first), in one committed transaction."""
    async with uow() as tx:
        for entity in entities:
            await add(tx, entity)
        await tx.commit()


async def contended(uow: UnitOfWorkFactory, step: Step[T]) -> T:
    """Like `committed`, but yielding to the event loop after each stage, so that rivals
    interleave with it wherever the store lets them (an in-memory store would otherwise
    run each transaction to its end without ever yielding)."""
    async with uow() as tx:
        await asyncio.sleep(0)
        result = await step(tx)
        await asyncio.sleep(0)
        await tx.commit()
    return result


async def read(uow: UnitOfWorkFactory, step: Step[T]) -> T:
    """The step's result, in a transaction of its own that is left uncommitted."""
    async with uow() as tx:
        return await step(tx)


async def give_way(rival_done: asyncio.Event) -> None:
    """Lets a rival transaction run until it finishes or blocks: a store without the promised
    lock lets it finish before this one commits, and the case's result then shows it."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(rival_done.wait(), RIVAL_WAIT)


async def outcome(attempt: Awaitable[T]) -> T | Exception:
    """The attempt's result or the exception it raised, so a race can be counted."""
    try:
        return await attempt
    except Exception as error:  # the caller asserts on what came back
        return error


async def race(attempts: Sequence[Awaitable[T]]) -> list[T | Exception]:
    return list(await asyncio.gather(*(outcome(attempt) for attempt in attempts)))
