"""CheckHealth: can the shop reach every service its configuration needs?"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from allora.application.ports import DependencyCheck, UnitOfWorkFactory

logger = logging.getLogger(__name__)

# Each check's budget: during an outage /health must still answer, and quickly.
CHECK_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Health:
    """Whether each dependency answered, by name (`database` first)."""

    answering: dict[str, bool]

    @property
    def healthy(self) -> bool:
        return all(self.answering.values())


class CheckHealth:
    """Rules: the database answers when a transaction opens and a trivial query returns; each
    other dependency by its own check. All are checked at once, each awaited for at most
    CHECK_SECONDS; a failure or no answer in time marks that one down, it is never a 500.

    A check that runs out of time is not cancelled (cancelling a connect half-way can leave
    the connection behind): it finishes in the background, bounded by the adapters' own
    timeouts, and while it runs the next /health waits on it instead of starting another."""

    def __init__(self, uow: UnitOfWorkFactory, others: Sequence[DependencyCheck] = ()) -> None:
        self._uow, self._others = uow, tuple(others)
        self._running: dict[str, asyncio.Task[None]] = {}

    async def __call__(self) -> Health:
        checks = {"database": self._ping, **{other.name: other.check for other in self._others}}
        answers = await asyncio.gather(*(self._answers(n, c) for n, c in checks.items()))
        return Health(dict(zip(checks, answers, strict=True)))

    async def _ping(self) -> None:
        async with self._uow() as uow:
            await uow.ping()

    async def _answers(self, name: str, check: Callable[[], Awaitable[None]]) -> bool:
        task = self._running.get(name)
        if task is None or task.done():
            task = self._running[name] = asyncio.ensure_future(check())
            task.add_done_callback(_retrieve)
        done, _ = await asyncio.wait({task}, timeout=CHECK_SECONDS)
        if not done:
            logger.warning(
                "health check failed: %s is down (no answer within %g s)", name, CHECK_SECONDS
            )
            return False
        error = task.exception()
        if error is not None:  # whatever the failure, the dependency is down
            logger.warning("health check failed: %s is down (%s)", name, _reason(error))
            return False
        return True


def _retrieve(task: asyncio.Task[None]) -> None:
    """A check that ended after nobody waited any more: its failure is not an error to report."""
    if not task.cancelled():
        task.exception()


def _reason(error: BaseException) -> str:
    """What the adapter saw, not its translation."""
    cause = error.__cause__ or error
    return f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
