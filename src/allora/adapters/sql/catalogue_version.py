"""How a process learns that the public catalogue changed, on each database, without a query
per request: the version moves whenever a cached catalogue response may have gone stale."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger("allora.catalogue")

CHANNEL = "allora_catalogue"  # raised by the triggers of migration 0006
RECONNECT_SECONDS = 1.0
# A server that went silent must not hold start-up (or a reconnection) for asyncpg's minute.
CONNECT_SECONDS = 5.0


class PostgresCatalogueVersion:
    """Listens on the channel the catalogue triggers notify. PostgreSQL delivers a notice
    only after the change commits, to every listening process; while the listening
    connection is down, `current()` is None and it reconnects in the background."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._version = 0
        self._connection: asyncpg.Connection | None = None
        self._reconnecting: asyncio.Task[None] | None = None
        self._closed = False

    def current(self) -> int | None:
        return self._version if self._connection is not None else None

    def touch(self) -> None:
        self._version += 1

    async def start(self) -> None:
        try:
            await self._listen()
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("catalogue change notices unavailable (%s); retrying", error)
            self._reconnect_later()

    async def close(self) -> None:
        self._closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnecting
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.remove_termination_listener(self._lost)
            await connection.close()

    async def _listen(self) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=CONNECT_SECONDS)
        await connection.add_listener(CHANNEL, self._notified)
        connection.add_termination_listener(self._lost)
        self._version += 1  # whatever changed while nobody listened
        self._connection = connection

    def _notified(self, *_: Any) -> None:
        self._version += 1

    def _lost(self, _connection: Any) -> None:
        self._connection = None
        if not self._closed:
            log.warning("catalogue change notices lost; reconnecting")
            self._reconnect_later()

    def _reconnect_later(self) -> None:
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while not self._closed and self._connection is None:
            await asyncio.sleep(RECONNECT_SECONDS)
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await self._listen()


class SqliteCatalogueVersion:
    """Watches `PRAGMA data_version`, which moves when another connection (of any process)
    commits: coarser than the PostgreSQL triggers (any write counts), and SQLite is the
    single-machine database, where that is cheap enough."""

    def __init__(self, path: str) -> None:
        self._uri = Path(path).resolve().as_uri() + "?mode=ro"  # read-only, any file name
        self._connection: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._version = 0

    def current(self) -> int | None:
        if self._connection is None:
            return None
        try:
            (data_version,) = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        if data_version != self._seen:
            self._seen = data_version
            self._version += 1
        return self._version

    def touch(self) -> None:
        self._version += 1

    async def start(self) -> None:
        try:
            self._connection = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._connection.execute("PRAGMA data_version")
        except sqlite3.Error as error:
            log.warning("catalogue changes cannot be watched (%s): nothing is cached", error)
            self._connection = None

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class UnobservedCatalogueVersion:
    """For a database no other connection can see (SQLite in memory): never cache."""

    def current(self) -> int | None:
        return None

    def touch(self) -> None:
        pass

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass


AnyCatalogueVersion = PostgresCatalogueVersion | SqliteCatalogueVersion | UnobservedCatalogueVersion


def catalogue_version(database_url: str) -> AnyCatalogueVersion:
    """The watcher that suits the database (the HTTP layer's `CatalogueVersion`)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresCatalogueVersion(listener_dsn(database_url))
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        return SqliteCatalogueVersion(url.database)
    return UnobservedCatalogueVersion()


def listener_dsn(database_url: str) -> str:
    """The libpq DSN asyncpg connects a listener with, from a SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url)
    query = dict(url.query)
    if "ssl" in query and "sslmode" not in query:  # SQLAlchemy's spelling, libpq's name
        query["sslmode"] = query.pop("ssl")
    return url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)
