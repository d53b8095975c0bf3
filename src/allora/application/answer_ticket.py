"""AnswerTicket: an ADMIN answers a support ticket."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.outbox import Outbox
from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.mail_texts import ticket_answered_mail
from allora.domain.tickets import Ticket, TicketId, TicketMessage, TicketNotFound
from allora.domain.users import User


class AnswerTicket:
    """Rules: ADMIN only (403); the ticket must exist and not be an answer itself (404); the
    answer is a ticket by the admin with `mainTicket` set, and the main ticket `hasAnswer`;
    the main ticket's email is told by mail, posted in the same transaction."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, outbox: Outbox
    ) -> None:
        self._uow, self._clock, self._ids, self._outbox = uow, clock, ids, outbox

    async def __call__(self, *, actor: User, ticket_id: str, message: str) -> Ticket:
        actor.require_admin()
        profile = actor.profile
        content = TicketMessage.parse(
            profile.name.value, message, profile.phone.value, profile.email.value
        )
        wanted = parse_id(ticket_id)
        async with self._uow() as uow:
            main = await uow.tickets.get(TicketId(wanted)) if wanted else None
            if main is None or main.is_answer:
                raise TicketNotFound()
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
