"""ListTickets: support threads, each with its answers."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ports import UnitOfWorkFactory
from allora.domain.paging import Page, Paged
from allora.domain.tickets import SupportIdentity, Ticket
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class Thread:
    ticket: Ticket
    answers: list[Ticket]


class ListTickets:
    """Rules: a USER sees their own tickets, an ADMIN everyone's; each with its answers. An
    answer shows the shop's support identity, never the answering admin's own name, email or
    phone; only an ADMIN sees which admin wrote it (`user_id`)."""

    def __init__(self, uow: UnitOfWorkFactory, support: SupportIdentity) -> None:
        self._uow, self._support = uow, support

    async def __call__(self, *, actor: User, page: Page) -> Paged[Thread]:
        owner = None if actor.is_admin else actor.id
        async with self._uow() as uow:
            threads = await uow.tickets.threads(owner, page)
        return Paged(
            [
                Thread(
                    t, [a.answer_as_shown(self._support, to_admin=actor.is_admin) for a in answers]
                )
                for t, answers in threads.items
            ],
            threads.total,
        )
