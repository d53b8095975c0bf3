"""Mail the shop sends, and the outbox that keeps each one until an SMTP server accepted it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NewType
from uuid import UUID

from allora.domain.users import Email

MessageId = NewType("MessageId", UUID)
ERROR_MAX_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Mail:
    """One message: plain text with a simple HTML twin. `to_name` is the recipient's display
    name as the shop knows it (any text, "" for none)."""

    to: Email
    to_name: str
    subject: str
    text: str
    html: str


class MailStatus(StrEnum):
    PENDING = "pending"  # waiting for its first try, or for a retry
    SENT = "sent"  # an SMTP server accepted it
    PARKED = "parked"  # given up on: an operator looks at `last_error`


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A mail waiting in the outbox. Its body (text and HTML) is kept sealed, since it may
    carry a secret such as a password reset code; recipient and subject are kept in clear
    so an operator can see what is stuck."""

    id: MessageId
    recipient: Email
    recipient_name: str
    subject: str
    sealed_body: str
    created_at: datetime
    due_at: datetime
    attempts: int = 0
    status: MailStatus = MailStatus.PENDING
    last_error: str | None = None
    sent_at: datetime | None = None

    def failed(self, error: str, retry_at: datetime | None) -> OutboxMessage:
        """After one more failed try: due again at `retry_at`, or parked when None."""
        return replace(
            self,
            attempts=self.attempts + 1,
            last_error=error[:ERROR_MAX_LENGTH],
            due_at=retry_at or self.due_at,
            status=MailStatus.PENDING if retry_at else MailStatus.PARKED,
        )


class DeliveryFailed(Exception):
    """A mail server did not accept a message. `permanent`: it refused this very message (a
    5xx to the sender, a recipient or the data), so trying again cannot help; otherwise the
    server was unreachable, busy or misconfigured, and a later try may succeed."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: 30 s after the first failure, doubling up to an hour between
    tries; after `max_attempts` failed tries the message is parked (about 8 hours in all)."""

    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 15

    def delay_after(self, attempts: int) -> timedelta | None:
        """The wait before the next try once `attempts` tries failed; None: give up."""
        if attempts >= self.max_attempts:
            return None
        return min(self.first_delay * (1 << max(attempts - 1, 0)), self.max_delay)
