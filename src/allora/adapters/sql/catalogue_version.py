"""How a process learns that the public catalogue changed, on each database, without a query
per request: the version moves whenever a cached catalogue response may have gone stale."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from allora.adapters.sql.channel_listener import ChannelListener

log = logging.getLogger("allora.catalogue")

CHANNEL = "allora_catalogue"  # raised by the triggers of migration 0006


class PostgresCatalogueVersion(ChannelListener):
    """Listens on the channel the catalogue triggers notify: every notice moves the version;
    while the listening connection is down, `current()` is None and nothing is cached."""

    def __init__(self, dsn: str) -> None:
        super().__init__(
            dsn, CHANNEL, log, "catalogue change notices", "caching nothing until they are back"
        )

    def touch(self) -> None:
        self._version += 1


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
