"""The app as `allora serve` runs it: `create_app`, plus, in each worker of a multi-process
server, a watch on the master.

uvicorn's workers keep serving when their master is killed (`kill -9`, the OOM killer): the port
stays taken by processes nobody supervises, and a restarted server cannot bind it. `serve` names
its own pid in `MASTER_ENV`; a worker whose parent is no longer that process shuts down as on
SIGTERM (requests in flight are finished).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from litestar import Litestar

from allora.entrypoints.app import create_app

MASTER_ENV = "ALLORA_SERVE_MASTER_PID"
_CHECK_SECONDS = 1.0
_log = logging.getLogger(__name__)


def create_served_app() -> Litestar:
    app = create_app()
    master = os.environ.get(MASTER_ENV, "")
    if master.isdecimal():
        watch = MasterWatch(int(master))
        app.on_startup.append(watch.start)
        app.on_shutdown.append(watch.stop)  # hooks run in list order: the watch stops last
    return app


class MasterWatch:
    """Checks every second that the parent is still the master; if not, stops this worker."""

    def __init__(self, master: int, every: float = _CHECK_SECONDS) -> None:
        self._master, self._every = master, every
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="allora-master-watch")

    async def stop(self) -> None:
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()

    async def _watch(self) -> None:
        while os.getppid() == self._master:  # noqa: ASYNC110  (no event tells of it)
            await asyncio.sleep(self._every)
        _log.warning("the serving master (pid %d) is gone: this worker stops", self._master)
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful shutdown, as for a stop
