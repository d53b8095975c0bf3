"""OpenTicket: anyone asks the shop's support."""

from __future__ import annotations

from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.tickets import Ticket, TicketId, TicketMessage
from allora.domain.users import User


class OpenTicket:
    """Rules: anyone may open one (fields valid, 400); linked to the signed-in user if any."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(
        self, *, author: User | None, name: str, message: str, phone: str, email: str
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
