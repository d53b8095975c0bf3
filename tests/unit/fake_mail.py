"""In-memory outbox, password reset codes and billing details, plus fakes of the mail ports.

The outbox fake honours the SQL adapter's claims: a claimed message is due again only when its
lease ends, and only the holder of the current claim may record how its try went."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from allora.domain.billing import BillingDetails
from allora.domain.mail import DeliveryFailed, Mail, MailStatus, MessageId, OutboxMessage
from allora.domain.paging import Page, Paged
from allora.domain.password_reset import MAX_CODE_FAILURES, ResetCode
from allora.domain.users import UserId
from tests.unit.fake_constraints import require, require_new, require_row

if TYPE_CHECKING:
    from tests.unit.fakes import FakeDatabase


class FakeOutboxRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, message: OutboxMessage) -> None:
        require_new(message.id, self._db.outbox, "outbox")
        self._db.outbox[message.id] = message

    def _pending(self) -> list[OutboxMessage]:
        return sorted(
            (m for m in self._db.outbox.values() if m.status is MailStatus.PENDING),
            key=lambda m: (m.due_at, m.created_at, m.id),
        )

    async def next_due(self) -> datetime | None:
        pending = self._pending()
        return pending[0].due_at if pending else None

    async def claim(self, now: datetime, until: datetime, claim: UUID) -> OutboxMessage | None:
        due = [m for m in self._pending() if m.due_at <= now]
        if not due:
            return None
        claimed = replace(due[0], due_at=until)
        self._db.outbox[claimed.id] = claimed
        self._db.outbox_claims[claimed.id] = claim
        return claimed

    def _holds(self, message_id: MessageId, claim: UUID) -> bool:
        message = self._db.outbox.get(message_id)
        return (
            message is not None
            and message.status is MailStatus.PENDING
            and self._db.outbox_claims.get(message_id) == claim
        )

    async def mark_sent(self, message_id: MessageId, claim: UUID, now: datetime) -> bool:
        if not self._holds(message_id, claim):
            return False
        message = self._db.outbox[message_id]
        self._db.outbox[message_id] = replace(
            message, status=MailStatus.SENT, sent_at=now, sealed_body=""
        )
        del self._db.outbox_claims[message_id]
        return True

    async def record_failure(self, message: OutboxMessage, claim: UUID) -> bool:
        if not self._holds(message.id, claim):
            return False
        self._db.outbox[message.id] = message
        del self._db.outbox_claims[message.id]
        return True

    async def parked(self, page: Page) -> Paged[OutboxMessage]:
        parked = sorted(
            (m for m in self._db.outbox.values() if m.status is MailStatus.PARKED),
            key=lambda m: (m.created_at, m.id),
            reverse=True,
        )
        return Paged(parked[page.offset : page.offset + page.limit], len(parked))


class FakePasswordResetRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def replace(self, code: ResetCode) -> None:
        require_row(code.user_id, self._db.users, "users")
        self._db.password_resets[code.user_id] = code

    async def lock(self, user_id: UserId) -> ResetCode | None:
        return self._db.password_resets.get(user_id)

    async def save_failures(self, code: ResetCode) -> None:
        require(0 <= code.failures <= MAX_CODE_FAILURES, "password_resets.failures")
        if code.user_id in self._db.password_resets:
            self._db.password_resets[code.user_id] = code

    async def remove(self, user_id: UserId) -> None:
        self._db.password_resets.pop(user_id, None)


class FakeBillingRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def get(self, user_id: UserId) -> BillingDetails | None:
        return self._db.billing.get(user_id)

    async def save(self, user_id: UserId, details: BillingDetails, now: datetime) -> None:
        require_row(user_id, self._db.users, "users")
        self._db.billing[user_id] = details


class FakeMailSender:
    """Accepts every mail unless failures are queued: each queued one is raised by one send."""

    def __init__(self) -> None:
        self.sent: list[tuple[Mail, MessageId]] = []
        self.failures: list[DeliveryFailed] = []
        self.tries = 0

    def fail_next(self, failures: Iterable[DeliveryFailed]) -> None:
        self.failures.extend(failures)

    async def send(self, mail: Mail, message_id: MessageId) -> None:
        self.tries += 1
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((mail, message_id))


_SEAL = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_UNSEAL = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


class FakeMailSealer:
    """Reversible and readable in failures, with no decimal digit left in what it seals."""

    PREFIX = "sealed:"

    def seal(self, text: str) -> str:
        return self.PREFIX + text.translate(_SEAL)

    def unseal(self, sealed: str) -> str:
        if not sealed.startswith(self.PREFIX):
            raise ValueError("not sealed by this key")
        return sealed.removeprefix(self.PREFIX).translate(_UNSEAL)


class FakeKeyedHasher:
    def __init__(self, key: bytes = b"test key") -> None:
        self._key = key

    def digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()


class FakeCodes:
    """Hands out the given codes in turn (then 000000, 000001, ...)."""

    def __init__(self, *codes: str) -> None:
        self.codes = list(codes)
        self.issued: list[str] = []

    def __call__(self) -> str:
        code = self.codes.pop(0) if self.codes else f"{len(self.issued):06d}"
        self.issued.append(code)
        return code
