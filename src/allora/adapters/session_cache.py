"""Sessions kept in a process's memory, so that a signed-in request needs no database round trip.

An entry is trusted only while nothing can have made it stale:
- it is tagged with the version of a change watcher (`ChangeVersion`), read before the database
  was: the PostgreSQL listener's version moves each time it (re)connects and is None while it is
  down, SQLite's moves on every commit; under a None version nothing is kept nor answered;
- a change this process commits is forgotten as its transaction commits (`SqlUnitOfWork`), one
  committed elsewhere when the database's notice arrives (`PostgresSessionNotices`);
- a read that may have raced a change is not kept: `ticket()` counts the forgets, and `put`
  refuses an entry read before the latest of them.
Expiry and bans are still checked by `CurrentUser` on every request, cached or not.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from allora.application.ports import UnitOfWorkFactory
from allora.domain.sessions import Session, SessionId
from allora.domain.users import User, UserId

Found = tuple[Session, User]


class ChangeVersion(Protocol):
    """A number that moves whenever changes may have been missed."""

    def current(self) -> int | None:
        """The version now, or None while changes cannot be observed (trust nothing then)."""
        ...


class SessionChanges(Protocol):
    """Where committed changes to sessions and users are reported."""

    def forget_sessions(self, session_ids: Iterable[SessionId]) -> None: ...

    def forget_users(self, user_ids: Iterable[UserId]) -> None: ...


@dataclass(slots=True)
class Touched:
    """The sessions and users one transaction changed, reported once it has committed; and
    whether it wrote products' rows (the catalogue version moves then)."""

    sessions: set[SessionId] = field(default_factory=set)
    users: set[UserId] = field(default_factory=set)
    catalogue: bool = False

    def report_to(self, changes: SessionChanges) -> None:
        if self.sessions:
            changes.forget_sessions(self.sessions)
        if self.users:
            changes.forget_users(self.users)
        self.sessions, self.users = set(), set()


@dataclass(frozen=True, slots=True)
class _Entry:
    version: int
    found: Found


class SessionCache:
    """The least recently used sessions with their users, at most `max_entries` (0 keeps none)."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[SessionId, _Entry] = OrderedDict()
        self._by_user: dict[UserId, set[SessionId]] = {}
        self._forgets = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, session_id: SessionId, version: int) -> Found | None:
        entry = self._entries.get(session_id)
        if entry is None:
            return None
        if entry.version != version:
            self._drop(session_id)
            return None
        self._entries.move_to_end(session_id)
        return entry.found

    def ticket(self) -> int:
        """Taken before reading the database: `put` keeps the read only if nothing was
        forgotten meanwhile."""
        return self._forgets

    def put(self, session_id: SessionId, found: Found, version: int, ticket: int) -> None:
        if ticket != self._forgets or self.max_entries <= 0:
            return
        self._drop(session_id)
        self._entries[session_id] = _Entry(version, found)
        self._by_user.setdefault(found[0].user_id, set()).add(session_id)
        while len(self._entries) > self.max_entries:
            self._drop(next(iter(self._entries)))

    def forget_sessions(self, session_ids: Iterable[SessionId]) -> None:
        self._forgets += 1
        for session_id in session_ids:
            self._drop(session_id)

    def forget_users(self, user_ids: Iterable[UserId]) -> None:
        self._forgets += 1
        for user_id in user_ids:
            for session_id in self._by_user.pop(user_id, set()):
                self._entries.pop(session_id, None)

    def forget_all(self) -> None:
        self._forgets += 1
        self._entries.clear()
        self._by_user.clear()

    def _drop(self, session_id: SessionId) -> None:
        entry = self._entries.pop(session_id, None)
        if entry is None:
            return
        user_id = entry.found[0].user_id
        sessions = self._by_user.get(user_id)
        if sessions is not None:
            sessions.discard(session_id)
            if not sessions:
                del self._by_user[user_id]


class CachedSessionLookup:
    """The `SessionLookup` of a process: from memory when the entry can be trusted, else from
    the database through a reading unit of work (and kept, when nothing raced the read)."""

    def __init__(
        self, reader: UnitOfWorkFactory, cache: SessionCache, version: ChangeVersion
    ) -> None:
        self._reader, self._cache, self._version = reader, cache, version

    async def find(self, session_id: SessionId) -> Found | None:
        version = self._version.current()
        if version is not None:
            found = self._cache.get(session_id, version)
            if found is not None:
                return found
        ticket = self._cache.ticket()
        async with self._reader() as uow:
            found = await uow.sessions.get(session_id)
        if found is not None and version is not None:
            self._cache.put(session_id, found, version, ticket)
        return found
