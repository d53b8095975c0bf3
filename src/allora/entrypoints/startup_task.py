"""Work a starting server does in the background, so that serving starts at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class StartupTask:
    """One run of `work` as a task of a starting server, cancelled if still running at
    shutdown (the next start runs it again). `work` reports its own failures."""

    def __init__(self, work: Callable[[], Awaitable[object]]) -> None:
        self._work = work
        self._task: asyncio.Task[object] | None = None

    async def start(self) -> None:
        self._task = asyncio.ensure_future(self._work())

    async def finished(self) -> None:
        """Waits for the work (for tests and for an orderly stop)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
