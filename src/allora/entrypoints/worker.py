"""The mail worker's loop: the outbox relay, run until told to stop, sleeping while nothing is
due. `allora worker` runs it as a process of its own; `allora serve` runs it in the background
of each server process when ALLORA_OUTBOX_IN_PROCESS=1."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import datetime
from typing import Protocol

from allora.application.outbox_relay import OutboxRelay, Outcome, RelayStep
from allora.application.ports import Clock

log = logging.getLogger("allora.worker")

FIRST_PAUSE = 1.0  # after an unexpected failure (the database is down...), doubling
MAX_PAUSE = 30.0
TAKEN_PAUSE = 0.05  # another relay is committing its claim on the message we saw


class Wakeups(Protocol):
    """Tells the loop that mail may be due: a database notice, a stop, or the poll's end."""

    poll_seconds: float

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def wake(self) -> None: ...

    async def wait(self, seconds: float) -> None: ...


class RelayLoop:
    """Runs the relay one message at a time; `stop()` ends it after the message in flight."""

    def __init__(self, relay: OutboxRelay, wakeups: Wakeups, clock: Clock) -> None:
        self._relay, self._wakeups, self._clock = relay, wakeups, clock
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True
        self._wakeups.wake()

    async def run(self) -> None:
        await self._wakeups.start()
        pause = FIRST_PAUSE
        try:
            while not self._stopping:
                try:
                    step = await self._relay()
                except Exception:
                    log.exception("outbox relay failed; trying again in %.0f s", pause)
                    await self._wakeups.wait(pause)
                    pause = min(pause * 2, MAX_PAUSE)
                    continue
                pause = FIRST_PAUSE
                _report(step)
                if step.outcome is Outcome.TAKEN:
                    await asyncio.sleep(TAKEN_PAUSE)
                elif step.outcome is Outcome.IDLE:
                    await self._wakeups.wait(self._until(step.next_due))
        finally:
            await self._wakeups.close()

    def _until(self, next_due: datetime | None) -> float:
        poll = self._wakeups.poll_seconds
        if next_due is None:
            return poll
        return max(0.0, min(poll, (next_due - self._clock.now()).total_seconds()))


def _report(step: RelayStep) -> None:
    """Ids, outcomes and errors only: a body may hold a reset code."""
    extra = {"message_id": str(step.message_id), "outcome": step.outcome.value}
    if step.outcome is Outcome.SENT:
        log.info("mail sent", extra=extra)
    elif step.outcome in {Outcome.RETRY, Outcome.PARKED, Outcome.LOST}:
        log.warning("mail not sent: %s", step.error, extra={**extra, "next_try": step.next_due})


async def run_until_signalled(loop: RelayLoop) -> None:
    """The `allora worker` process: SIGTERM or SIGINT stop it after the message in flight."""
    running = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        running.add_signal_handler(signum, loop.stop)
    log.info("worker started")
    try:
        await loop.run()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            running.remove_signal_handler(signum)
    log.info("worker stopped")


class BackgroundRelay:
    """The loop as a task of a server process, started and stopped with the app."""

    def __init__(self, loop: RelayLoop) -> None:
        self._loop = loop
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop.run())

    async def stop(self) -> None:
        self._loop.stop()
        if self._task is not None:
            await self._task
