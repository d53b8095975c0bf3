"""ListParkedMail: what the outbox gave up on, for an operator to look into."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.mail import OutboxMessage
from allora.domain.paging import Page, Paged
from allora.domain.users import User


class ListParkedMail:
    """Rules: ADMIN only (403); parked messages, newest first, with their last error; never
    their bodies, which stay sealed (they may hold a reset code). Served to operators by
    `allora outbox parked`."""

    def __init__(self, reader: UnitOfWorkFactory) -> None:
        self._reader = reader

    async def __call__(self, *, actor: User, page: Page) -> Paged[OutboxMessage]:
        actor.require_admin()
        async with self._reader() as uow:
            return await uow.outbox.parked(page)
