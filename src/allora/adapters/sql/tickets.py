"""Support tickets in SQL."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.tables import TicketRow
from allora.domain.paging import Page, Paged
from allora.domain.tickets import Ticket, TicketId, TicketMessage
from allora.domain.users import Email, Phone, UserId


def _to_ticket(row: TicketRow) -> Ticket:
    return Ticket(
        id=TicketId(row.id),
        content=TicketMessage(row.name, row.message, Phone(row.phone), Email(row.email)),
        user_id=UserId(row.user_id) if row.user_id else None,
        has_answer=row.has_answer,
        main_ticket=TicketId(row.main_ticket_id) if row.main_ticket_id else None,
        created_at=row.created_at,
    )


class SqlTicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, ticket: Ticket) -> None:
        content = ticket.content
        await self._session.execute(
            insert(TicketRow).values(
                id=ticket.id,
                name=content.name,
                message=content.message,
                phone=content.phone.value,
                email=content.email.value,
                user_id=ticket.user_id,
                has_answer=ticket.has_answer,
                main_ticket_id=ticket.main_ticket,
                created_at=ticket.created_at,
            )
        )

    async def get(self, ticket_id: TicketId) -> Ticket | None:
        row = await self._session.scalar(select(TicketRow).where(TicketRow.id == ticket_id))
        return _to_ticket(row) if row else None

    async def mark_answered(self, ticket_id: TicketId) -> None:
        await self._session.execute(
            update(TicketRow).where(TicketRow.id == ticket_id).values(has_answer=True)
        )

    async def threads(
        self, user_id: UserId | None, page: Page
    ) -> Paged[tuple[Ticket, list[Ticket]]]:
        """Three statements: the count, the page of main tickets, and all their answers."""
        conditions: list[ColumnElement[bool]] = [TicketRow.main_ticket_id.is_(None)]
        if user_id is not None:
            conditions.append(TicketRow.user_id == user_id)
        order = (TicketRow.created_at.desc(), TicketRow.id.desc())
        mains, total = await fetch_page(
            self._session, select(TicketRow).where(*conditions), order, page
        )
        answers: dict[UUID, list[Ticket]] = defaultdict(list)
        if mains:
            rows = await self._session.scalars(
                select(TicketRow)
                .where(TicketRow.main_ticket_id.in_([m.id for m in mains]))
                .order_by(TicketRow.created_at, TicketRow.id)
            )
            for row in rows:
                assert row.main_ticket_id is not None
                answers[row.main_ticket_id].append(_to_ticket(row))
        return Paged([(_to_ticket(m), answers[m.id]) for m in mains], total)
