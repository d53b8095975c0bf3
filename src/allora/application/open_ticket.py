"""OpenTicket: anyone asks the shop's support."""

from __future__ import annotations

from allora.application.attempts import count_attempt
from allora.application.ports import AttemptLimiter, Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.tickets import Ticket, TicketId, TicketMessage
from allora.domain.users import User


class OpenTicket:
    """Rules: anyone may open one, at most the client limit a minute from one address, every
    attempt counted (429); fields valid (400); linked to the signed-in user if any."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, per_client: AttemptLimiter
    ) -> None:
        self._uow, self._clock, self._ids, self._per_client = uow, clock, ids, per_client

    async def __call__(
        self,
        *,
        author: User | None,
        name: str,
        message: str,
        phone: str,
        email: str,
        client: str,
    ) -> Ticket:
        await count_attempt(self._per_client, client)
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
