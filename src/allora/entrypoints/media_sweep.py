"""The sweep of orphan image files at start-up: in the background, so serving starts at once."""

from __future__ import annotations

import asyncio
import logging

from allora.application.sweep_orphan_images import SweepOrphanImages

log = logging.getLogger("allora.media")


class StartupSweep:
    """One sweep as a task of a starting server; each process of a deployment may run its own
    (removing a file already gone is not an error)."""

    def __init__(self, sweep: SweepOrphanImages) -> None:
        self._sweep = sweep
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def finished(self) -> None:
        """Waits for the sweep (for tests and for an orderly stop)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        """A sweep still running at shutdown is cancelled: the next start sweeps again."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        try:
            removed = await self._sweep()
        except Exception:  # a store or database that is down must not stop the server
            log.exception("media sweep failed; `allora media sweep` can be run later")
            return
        for stored in removed:
            log.info("media sweep removed %s", stored.name, extra={"modified": stored.modified})
        if removed:
            log.info("media sweep removed %d orphan file(s)", len(removed))
