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
    other dependency by its own check. All are checked at once, each for at most
    CHECK_SECONDS; a failure or a timeout marks that one down, it is never a 500."""

    def __init__(self, uow: UnitOfWorkFactory, others: Sequence[DependencyCheck] = ()) -> None:
        self._uow, self._others = uow, tuple(others)

    async def __call__(self) -> Health:
        checks = {"database": self._ping, **{other.name: other.check for other in self._others}}
        answers = await asyncio.gather(*(_answers(n, check) for n, check in checks.items()))
        return Health(dict(zip(checks, answers, strict=True)))

    async def _ping(self) -> None:
        async with self._uow() as uow:
            await uow.ping()


async def _answers(name: str, check: Callable[[], Awaitable[None]]) -> bool:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await check()
    except Exception as error:  # whatever the failure, the dependency is down
        logger.warning("health check failed: %s is down (%s)", name, _reason(error))
        return False
    return True


def _reason(error: Exception) -> str:
    """What the adapter saw (not its translation), or that the time was up."""
    cause = error.__cause__ or error
    if isinstance(cause, asyncio.CancelledError):
        return f"no answer within {CHECK_SECONDS:g} s"
    return f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
