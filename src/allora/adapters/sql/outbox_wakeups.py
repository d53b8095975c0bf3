"""How a relay learns that mail was posted without polling hard: PostgreSQL notifies the
`allora_outbox` channel when an outbox row is inserted (a trigger of migration 0009), and
delivers the notice only when that transaction commits. SQLite has no such thing: it polls."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger("allora.outbox")

CHANNEL = "allora_outbox"
RECONNECT_SECONDS = 5.0


class PollingWakeups:
    """Wakes on `wake()` (a stop, or a mail posted by this very process) or after the timeout."""

    poll_seconds = 2.0

    def __init__(self) -> None:
        self._event = asyncio.Event()

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def wake(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()


class PostgresWakeups(PollingWakeups):
    """Listens on the outbox channel; the slow poll stays as a safety net for a lost notice or
    a listening connection that is down (it is re-opened on the next wait)."""

    poll_seconds = 30.0

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self._dsn = dsn
        self._connection: asyncpg.Connection | None = None
        self._last_try = float("-inf")

    async def start(self) -> None:
        await self._listen()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await connection.close()

    async def wait(self, seconds: float) -> None:
        if self._connection is None or self._connection.is_closed():
            await self._listen()
        await super().wait(seconds)

    async def _listen(self) -> None:
        if time.monotonic() - self._last_try < RECONNECT_SECONDS:
            return
        self._last_try = time.monotonic()
        try:
            connection = await asyncpg.connect(self._dsn, timeout=10)
            await connection.add_listener(CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            log.warning("outbox notices unavailable (%s); polling meanwhile", error)
            return
        self._connection = connection
        self.wake()  # whatever was posted while nobody listened

    def _notified(self, *_: Any) -> None:
        self.wake()


AnyWakeups = PostgresWakeups | PollingWakeups


def outbox_wakeups(database_url: str) -> AnyWakeups:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return PollingWakeups()
    query = dict(url.query)
    if "ssl" in query and "sslmode" not in query:  # SQLAlchemy's spelling, libpq's name
        query["sslmode"] = query.pop("ssl")
    return PostgresWakeups(
        url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)
    )
