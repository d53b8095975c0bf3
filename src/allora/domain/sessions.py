"""Server-side sessions: a signed token names one, so revoking the row ends it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NewType
from uuid import UUID

from allora.domain.users import UserId

SessionId = NewType("SessionId", UUID)


@dataclass(frozen=True, slots=True)
class Session:
    id: SessionId
    user_id: UserId
    created_at: datetime
    expires_at: datetime

    @classmethod
    def start(cls, id: SessionId, user_id: UserId, now: datetime, lifetime: timedelta) -> Session:
        return cls(id=id, user_id=user_id, created_at=now, expires_at=now + lifetime)

    def is_live(self, now: datetime) -> bool:
        return now < self.expires_at
