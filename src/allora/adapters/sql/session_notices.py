"""How a process learns that sessions or users changed in another process (or the CLI, or plain
SQL), so that its `SessionCache` forgets them: on PostgreSQL the triggers of migration 0010
announce each ended session and each changed user; SQLite's processes watch `PRAGMA
data_version`, which moves on any commit, as for the catalogue."""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy.engine import make_url

from allora.adapters.session_cache import SessionCache
from allora.adapters.sql.catalogue_version import (
    SqliteCatalogueVersion,
    UnobservedCatalogueVersion,
    listener_dsn,
)
from allora.adapters.sql.channel_listener import ChannelListener
from allora.domain.sessions import SessionId
from allora.domain.users import UserId

log = logging.getLogger("allora.sessions")

CHANNEL = "allora_sessions"  # raised by the triggers of migration 0010
SESSION, USER, EVERYTHING = "s:", "u:", "*"  # payloads: "s:<session id>", "u:<user id>", "*"


class PostgresSessionNotices(ChannelListener):
    """Listens on the channel the session triggers notify and forgets what each notice names.
    While the listening connection is down `current()` is None, so nothing is answered from
    memory; once it is back, the version moves and everything kept before is dropped (notices
    may have been missed)."""

    def __init__(self, dsn: str, cache: SessionCache) -> None:
        super().__init__(
            dsn, CHANNEL, log, "session change notices", "reading sessions from the database"
        )
        self._cache = cache

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

    def _notice(self, payload: str) -> None:
        self.notified(payload)

    def _gap(self) -> None:
        self._cache.forget_all()


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
