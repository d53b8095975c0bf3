"""The sweep of orphan image files at start-up: in the background, so serving starts at once."""

from __future__ import annotations

import logging

from allora.application.sweep_orphan_images import SweepOrphanImages
from allora.entrypoints.startup_task import StartupTask

log = logging.getLogger("allora.media")


class StartupSweep(StartupTask):
    """One sweep as a task of a starting server; each process of a deployment may run its own
    (removing a file already gone is not an error)."""

    def __init__(self, sweep: SweepOrphanImages) -> None:
        super().__init__(self._run)
        self._sweep = sweep

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
