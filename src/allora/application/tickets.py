"""OpenTicket, ListTickets and AnswerTicket: customer support."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ids import parse_id
from allora.application.outbox import Outbox
from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.errors import NotFound
from allora.domain.mail_texts import ticket_answered_mail
from allora.domain.paging import Page, Paged
from allora.domain.tickets import Ticket, TicketId, TicketMessage
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class Thread:
    ticket: Ticket
    answers: list[Ticket]


class OpenTicket:
    """Rules: anyone may open one (fields valid, 400); linked to the signed-in user if any."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(
        self, author: User | None, name: object, message: object, phone: object, email: object
    ) -> Ticket:
        content = TicketMessage.parse(name, message, phone, email)
        ticket = Ticket(
            id=TicketId(self._ids()),
            content=content,
            user_id=author.id if author else None,
            has_answer=False,
            main_ticket=None,
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.tickets.add(ticket)
            await uow.commit()
        return ticket


class ListTickets:
    """Rules: a USER sees their own tickets, an ADMIN everyone's; each with its answers."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, actor: User, page: Page) -> Paged[Thread]:
        owner = None if actor.is_admin else actor.id
        async with self._uow() as uow:
            threads = await uow.tickets.threads(owner, page)
        return Paged([Thread(t, answers) for t, answers in threads.items], threads.total)


class AnswerTicket:
    """Rules: ADMIN only (403); the ticket must exist and not be an answer itself (404); the
    answer is a ticket by the admin with `mainTicket` set, and the main ticket `hasAnswer`;
    the main ticket's email is told by mail, posted in the same transaction."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, outbox: Outbox
    ) -> None:
        self._uow, self._clock, self._ids, self._outbox = uow, clock, ids, outbox

    async def __call__(self, actor: User, raw_ticket_id: object, message: object) -> Ticket:
        actor.require_admin()
        profile = actor.profile
        content = TicketMessage.parse(
            profile.name.value, message, profile.phone.value, profile.email.value
        )
        ticket_id = parse_id("ticketID", raw_ticket_id)
        async with self._uow() as uow:
            main = await uow.tickets.get(TicketId(ticket_id)) if ticket_id else None
            if main is None or main.is_answer:
                raise NotFound("No such ticket")
            answer = Ticket(
                id=TicketId(self._ids()),
                content=content,
                user_id=actor.id,
                has_answer=False,
                main_ticket=main.id,
                created_at=self._clock.now(),
            )
            await uow.tickets.add(answer)
            await uow.tickets.mark_answered(main.id)
            await self._outbox.post(uow, ticket_answered_mail(main, content.message))
            await uow.commit()
        return answer
