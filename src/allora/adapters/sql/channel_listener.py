"""A PostgreSQL `LISTEN` connection that heals itself, shared by the watchers that keep a
process's caches honest (the catalogue's and the sessions')."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

RECONNECT_SECONDS = 1.0
# A server that went silent must not hold start-up (or a reconnection) for asyncpg's minute.
CONNECT_SECONDS = 5.0


class ChannelListener:
    """Listens on one channel. PostgreSQL delivers a notice only after its change commits, to
    every listening process. `current()` is a version that moves on every (re)connection and
    loss, and is None while the connection is down: a cache keyed on it trusts nothing it
    could have missed. Subclasses say what a notice means (`_notice`) and what to drop when
    notices may have been missed (`_gap`)."""

    def __init__(
        self, dsn: str, channel: str, log: logging.Logger, what: str, lost_means: str
    ) -> None:
        self._dsn, self._channel, self._log = dsn, channel, log
        self._what, self._lost_means = what, lost_means
        self._version = 0
        self._connection: asyncpg.Connection | None = None
        self._reconnecting: asyncio.Task[None] | None = None
        self._closed = False

    def current(self) -> int | None:
        return self._version if self._connection is not None else None

    def _notice(self, payload: str) -> None:
        """What one notice means; by default, that everything may have changed."""
        self._version += 1

    def _gap(self) -> None:
        """Notices may have been missed (connected again, lost, closed)."""

    async def start(self) -> None:
        try:
            await self._listen()
        except (OSError, asyncpg.PostgresError) as error:
            self._log.warning("%s unavailable (%s); retrying", self._what, error)
            self._reconnect_later()

    async def close(self) -> None:
        self._closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnecting
        connection, self._connection = self._connection, None
        self._gap()
        if connection is not None:
            connection.remove_termination_listener(self._lost)
            await connection.close()

    async def _listen(self) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=CONNECT_SECONDS)
        try:
            await connection.add_listener(self._channel, self._on_notice)
        except BaseException:  # not listening: the next try opens another, so close this one
            connection.terminate()
            raise
        connection.add_termination_listener(self._lost)
        self._version += 1  # whatever changed while nobody listened
        self._gap()
        self._connection = connection

    def _on_notice(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._notice(payload)

    def _lost(self, _connection: Any) -> None:
        self._connection = None
        self._version += 1
        self._gap()
        if not self._closed:
            self._log.warning("%s lost; %s", self._what, self._lost_means)
            self._reconnect_later()

    def _reconnect_later(self) -> None:
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while not self._closed and self._connection is None:
            await asyncio.sleep(RECONNECT_SECONDS)
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await self._listen()
