"""Running steps in units of work, alone or racing each other."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from allora.application.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
Step = Callable[[UnitOfWork], Awaitable[T]]

RIVAL_WAIT = 0.3  # seconds a transaction leaves a rival to overtake it; never asserted on


async def committed(uow: UnitOfWorkFactory, step: Step[T]) -> T:
    """The step's result, in a transaction of its own that commits."""
    async with uow() as tx:
        result = await step(tx)
        await tx.commit()
    return result


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


async def race(attempts: list[Awaitable[T]]) -> list[T | Exception]:
    return list(await asyncio.gather(*(outcome(attempt) for attempt in attempts)))
