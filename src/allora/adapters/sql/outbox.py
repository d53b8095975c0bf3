"""The mail outbox in SQL. Claims are leases: claiming moves a message's `due_at` to the end
of the lease and stamps it with the claimer's token, in a transaction of its own; PostgreSQL
skips rows another claimer holds locked (`FOR UPDATE SKIP LOCKED`), SQLite has one writer."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.tables import OutboxRow
from allora.domain.mail import MailStatus, MessageId, OutboxMessage
from allora.domain.paging import Page, Paged
from allora.domain.users import Email

_PENDING = MailStatus.PENDING.value
# Values as parameters: nothing is coerced into the statement per message.
_INSERT = insert(cast("Table", OutboxRow.__table__))


def _to_message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=MessageId(row.id),
        recipient=Email(row.recipient),
        recipient_name=row.recipient_name,
        subject=row.subject,
        sealed_body=row.body,
        created_at=row.created_at,
        due_at=row.due_at,
        attempts=row.attempts,
        status=MailStatus(row.status),
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: OutboxMessage) -> None:
        await self._session.execute(
            _INSERT,
            {
                "id": message.id,
                "recipient": message.recipient.value,
                "recipient_name": message.recipient_name,
                "subject": message.subject,
                "body": message.sealed_body,
                "created_at": message.created_at,
                "due_at": message.due_at,
                "attempts": message.attempts,
                "status": message.status.value,
                "last_error": message.last_error,
                "sent_at": message.sent_at,
            },
        )

    async def next_due(self) -> datetime | None:
        return await self._session.scalar(
            select(OutboxRow.due_at)
            .where(OutboxRow.status == _PENDING)
            .order_by(OutboxRow.due_at)
            .limit(1)
        )

    async def claim(self, now: datetime, until: datetime, claim: UUID) -> OutboxMessage | None:
        row = await self._session.scalar(
            select(OutboxRow)
            .where(OutboxRow.status == _PENDING, OutboxRow.due_at <= now)
            .order_by(OutboxRow.due_at, OutboxRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.id == row.id).values(due_at=until, claim=claim)
        )
        return replace(_to_message(row), due_at=until)

    async def mark_sent(self, message_id: MessageId, claim: UUID, now: datetime) -> bool:
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id, *_held(claim))
            .values(status=MailStatus.SENT.value, sent_at=now, body="", claim=None)
            .returning(OutboxRow.id)
        )
        return result.first() is not None

    async def record_failure(self, message: OutboxMessage, claim: UUID) -> bool:
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message.id, *_held(claim))
            .values(
                status=message.status.value,
                attempts=message.attempts,
                last_error=message.last_error,
                due_at=message.due_at,
                claim=None,
            )
            .returning(OutboxRow.id)
        )
        return result.first() is not None

    async def parked(self, page: Page) -> Paged[OutboxMessage]:
        rows, total = await fetch_page(
            self._session,
            select(OutboxRow).where(OutboxRow.status == MailStatus.PARKED.value),
            (OutboxRow.created_at.desc(), OutboxRow.id.desc()),
            page,
        )
        return Paged([_to_message(row) for row in rows], total)


def _held(claim: UUID) -> tuple[ColumnElement[bool], ...]:
    return (OutboxRow.status == _PENDING, OutboxRow.claim == claim)
