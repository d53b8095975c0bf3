"""How a process learns that sessions or users changed in another process (or the CLI, or plain
SQL), so that its `SessionCache` forgets them: on PostgreSQL the triggers of migration 0010
announce each ended session and each changed user; SQLite's processes watch `PRAGMA
data_version`, which moves on any commit, as for the catalogue."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.engine import make_url

from allora.adapters.session_cache import SessionCache
from allora.adapters.sql.catalogue_version import (
    CONNECT_SECONDS,
    RECONNECT_SECONDS,
    SqliteCatalogueVersion,
    UnobservedCatalogueVersion,
    listener_dsn,
)
from allora.domain.sessions import SessionId
from allora.domain.users import UserId

log = logging.getLogger("allora.sessions")

CHANNEL = "allora_sessions"  # raised by the triggers of migration 0010
SESSION, USER, EVERYTHING = "s:", "u:", "*"  # payloads: "s:<session id>", "u:<user id>", "*"


class PostgresSessionNotices:
    """Listens on the channel the session triggers notify and forgets what each notice names.
    PostgreSQL delivers a notice only after the change commits. While the listening connection
    is down `current()` is None, so nothing is answered from memory; once it is back, the
    version moves and everything kept before is dropped (notices may have been missed)."""

    def __init__(self, dsn: str, cache: SessionCache) -> None:
        self._dsn, self._cache = dsn, cache
        self._version = 0
        self._connection: asyncpg.Connection | None = None
        self._reconnecting: asyncio.Task[None] | None = None
        self._closed = False

    def current(self) -> int | None:
        return self._version if self._connection is not None else None

    async def start(self) -> None:
        try:
            await self._listen()
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("session change notices unavailable (%s); retrying", error)
            self._reconnect_later()

    async def close(self) -> None:
        self._closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnecting
        connection, self._connection = self._connection, None
        self._cache.forget_all()
        if connection is not None:
            connection.remove_termination_listener(self._lost)
            await connection.close()

    def notified(self, payload: str) -> None:
        """Forgets what one notice names; anything unreadable drops everything."""
        try:
            if payload.startswith(SESSION):
                self._cache.forget_sessions([SessionId(UUID(payload.removeprefix(SESSION)))])
                return
            if payload.startswith(USER):
                self._cache.forget_users([UserId(UUID(payload.removeprefix(USER)))])
                return
        except ValueError:
            pass
        self._cache.forget_all()

    async def _listen(self) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=CONNECT_SECONDS)
        await connection.add_listener(CHANNEL, self._on_notice)
        connection.add_termination_listener(self._lost)
        self._version += 1  # whatever changed while nobody listened
        self._cache.forget_all()
        self._connection = connection

    def _on_notice(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self.notified(payload)

    def _lost(self, _connection: Any) -> None:
        self._connection = None
        self._version += 1
        self._cache.forget_all()
        if not self._closed:
            log.warning("session change notices lost; reading sessions from the database")
            self._reconnect_later()

    def _reconnect_later(self) -> None:
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while not self._closed and self._connection is None:
            await asyncio.sleep(RECONNECT_SECONDS)
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await self._listen()


AnySessionVersion = PostgresSessionNotices | SqliteCatalogueVersion | UnobservedCatalogueVersion


def session_version(database_url: str, cache: SessionCache) -> AnySessionVersion:
    """The watcher that suits the database; on SQLite, any commit moves its version (the
    catalogue's watcher), and SQLite in memory is never cached."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresSessionNotices(listener_dsn(database_url), cache)
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        return SqliteCatalogueVersion(url.database)
    return UnobservedCatalogueVersion()
