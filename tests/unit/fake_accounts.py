"""In-memory users, sessions and bans, mirroring the SQL adapters' uniqueness and orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allora.domain.bans import Ban
from allora.domain.errors import AlreadyTaken, taken_message
from allora.domain.paging import Page, Paged
from allora.domain.sessions import Session, SessionId
from allora.domain.users import Email, Phone, Profile, Role, User, UserId

if TYPE_CHECKING:
    from tests.unit.fakes import FakeDatabase


def _taken(users: dict[UserId, User], profile: Profile, other_than: UserId | None) -> list[str]:
    others = [user.profile for user in users.values() if user.id != other_than]
    found = {
        "name": any(other.name == profile.name for other in others),
        "email": any(other.email == profile.email for other in others),
        "phone": any(other.phone == profile.phone for other in others),
    }
    return [name for name in ("name", "email", "phone") if found[name]]


def _oldest_first(users: dict[UserId, User]) -> list[User]:
    return sorted(users.values(), key=lambda user: (user.created_at, user.id))


class FakeUserRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def get(self, user_id: UserId) -> User | None:
        return self._db.users.get(user_id)

    async def get_by_email(self, email: Email) -> User | None:
        return next((u for u in self._db.users.values() if u.profile.email == email), None)

    async def taken_fields(self, profile: Profile, other_than: UserId | None) -> list[str]:
        return _taken(self._db.users, profile, other_than)

    async def add(self, user: User) -> None:
        if user.id in self._db.users:
            raise ValueError(f"duplicate user id {user.id}")
        if taken := _taken(self._db.users, user.profile, other_than=None):
            raise AlreadyTaken(taken_message(taken))
        self._db.users[user.id] = user

    async def save(self, user: User) -> None:
        """Like the SQL `UPDATE`: a missing row changes nothing."""
        if user.id not in self._db.users:
            return
        if taken := _taken(self._db.users, user.profile, other_than=user.id):
            raise AlreadyTaken(taken_message(taken))
        self._db.users[user.id] = user

    async def listing(self, page: Page) -> Paged[User]:
        ordered = _oldest_first(self._db.users)
        return Paged(ordered[page.offset : page.offset + page.limit], len(ordered))

    async def matching(self, ban: Ban) -> list[User]:
        return [
            user
            for user in _oldest_first(self._db.users)
            if (ban.email is not None and user.profile.email == ban.email)
            or (ban.phone is not None and user.profile.phone == ban.phone)
        ]

    async def lock_active_admins(self) -> list[UserId]:
        return sorted(
            u.id for u in self._db.users.values() if u.role is Role.ADMIN and not u.banned
        )

    async def claim_first_account(self) -> bool:
        if self._db.first_account_claimed:
            return False
        self._db.first_account_claimed = True
        return True


class FakeSessionRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, session: Session) -> None:
        if session.id in self._db.sessions:
            raise ValueError(f"duplicate session id {session.id}")
        self._db.sessions[session.id] = session

    async def get(self, session_id: SessionId) -> tuple[Session, User] | None:
        session = self._db.sessions.get(session_id)
        user = None if session is None else self._db.users.get(session.user_id)
        return None if session is None or user is None else (session, user)

    async def remove(self, session_id: SessionId) -> None:
        self._db.sessions.pop(session_id, None)

    async def remove_all_of(self, user_ids: list[UserId]) -> None:
        ending = set(user_ids)
        self._db.sessions = {
            sid: session
            for sid, session in self._db.sessions.items()
            if session.user_id not in ending
        }

    async def remove_all_but(self, user_id: UserId, keep: SessionId | None) -> None:
        self._db.sessions = {
            sid: session
            for sid, session in self._db.sessions.items()
            if session.user_id != user_id or sid == keep
        }


class FakeBanRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, ban: Ban) -> None:
        if ban.email is None and ban.phone is None:
            raise ValueError("a ban needs an email or a phone")
        self._db.bans.append(ban)

    async def hold(self) -> None:
        """Nothing to lock: the fakes run one transaction at a time."""

    async def is_banned(self, email: Email, phone: Phone) -> bool:
        return any(
            (ban.email is not None and ban.email == email)
            or (ban.phone is not None and ban.phone == phone)
            for ban in self._db.bans
        )
