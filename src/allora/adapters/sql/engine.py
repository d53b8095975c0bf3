"""Engines for the two supported databases, with the settings each needs under concurrency."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import QueuePool, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from allora.adapters.sql.outages import OutageAwarePool, unavailable_on_outage

POOL_SIZE = 20
POOL_TIMEOUT_SECONDS = 30.0  # a request waits this long for a connection, then is a 503
CONNECT_SECONDS = 5
_READING = "allora_reading"

log = logging.getLogger("allora.database")


def create_engine(
    url: str, pool_size: int = POOL_SIZE, pool_timeout: float = POOL_TIMEOUT_SECONDS
) -> AsyncEngine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # A fixed pool: requests beyond it wait for a connection instead of opening and closing
    # overflow connections, whose set-up cost more than the queries they served under load.
    # A server that went silent fails the connect in seconds, not asyncpg's default minute.
    engine = create_async_engine(
        url,
        poolclass=OutageAwarePool,
        pool_size=pool_size,
        pool_timeout=pool_timeout,
        max_overflow=0,
        pool_pre_ping=False,
        connect_args={"timeout": CONNECT_SECONDS},
    )
    unavailable_on_outage(engine)
    return engine


async def open_pool(engine: AsyncEngine) -> int:
    """Opens every connection of a PostgreSQL pool at once and returns them to it; how many it
    opened. A connection costs milliseconds to open (connect, authenticate, set up types): left
    to the first requests, a burst of them after a start paid for the whole pool in its latency
    (the first 200 redemptions at once on a fresh server: p99 about 830 ms with a cold pool,
    680 ms with a warm one). A database that refuses is only logged: requests report it as they
    always do."""
    pool = engine.pool
    if engine.dialect.name != "postgresql" or not isinstance(pool, QueuePool):
        return 0
    opened = await asyncio.gather(
        *(engine.connect().start() for _ in range(pool.size())), return_exceptions=True
    )
    connections = [c for c in opened if isinstance(c, AsyncConnection)]
    await asyncio.gather(*(connection.close() for connection in connections))
    if failed := [error for error in opened if isinstance(error, BaseException)]:
        log.warning(
            "opened %d of %d database connections: %r", len(connections), len(opened), failed[0]
        )
    return len(connections)


def reading_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, for units of work that only read. PostgreSQL: autocommit, so no BEGIN
    and ROLLBACK round trips around the query (each statement sees the latest commits either
    way, at READ COMMITTED). SQLite: a deferred BEGIN, a snapshot that does not take the write
    lock, so readers no longer queue behind writers of any process."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{_READING: True})
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_engine(url: str) -> AsyncEngine:
    """WAL for concurrent readers, and BEGIN IMMEDIATE so a transaction that reads then writes
    waits for the write lock up front instead of failing with "database is locked"."""
    engine = create_async_engine(url)
    database = engine.url.database

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if database and database != ":memory:":
            _owner_only(Path(database))
        dbapi_connection.isolation_level = None  # let the "begin" hook below start transactions
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "busy_timeout=30000",
            "foreign_keys=ON",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        # SQLite's own lower() folds A-Z only; ILIKE needs "CRÈME" to match "crème".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = connection.get_execution_options().get(_READING, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def _owner_only(database: Path) -> None:
    """The database holds password hashes and sessions: only its owner may read it. Run as each
    connection opens, before anything is written (SQLite has just created an empty file with the
    umask's mode); the -wal and -shm files SQLite creates later copy the database file's mode, and
    files left looser by older versions are tightened here too."""
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        # Not ours to change (another owner, read-only mount): the connection still works.
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
