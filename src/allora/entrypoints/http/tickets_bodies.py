"""Wire types of support tickets: what is asked, what is answered, the Ticket JSON."""

from __future__ import annotations

from datetime import datetime

import msgspec

from allora.application.list_tickets import Thread
from allora.domain.tickets import Ticket


class OpenTicketBody(msgspec.Struct):
    name: str
    message: str
    phone: str
    email: str


class AnswerTicketBody(msgspec.Struct):
    ticketID: str
    message: str


class TicketOut(msgspec.Struct):
    id: str
    name: str
    message: str
    phone: str
    email: str
    user: str | None
    hasAnswer: bool
    isAnswer: bool
    mainTicket: str | None
    created_at: datetime

    @classmethod
    def of(cls, ticket: Ticket) -> TicketOut:
        content = ticket.content
        return cls(
            id=str(ticket.id),
            name=content.name,
            message=content.message,
            phone=content.phone.value,
            email=content.email.value,
            user=str(ticket.user_id) if ticket.user_id else None,
            hasAnswer=ticket.has_answer,
            isAnswer=ticket.is_answer,
            mainTicket=str(ticket.main_ticket) if ticket.main_ticket else None,
            created_at=ticket.created_at,
        )


class ThreadOut(TicketOut):
    answers: list[TicketOut]

    @classmethod
    def of_thread(cls, thread: Thread) -> ThreadOut:
        return cls(
            **msgspec.structs.asdict(TicketOut.of(thread.ticket)),
            answers=[TicketOut.of(answer) for answer in thread.answers],
        )
