"""ListParkedMail: what the outbox gave up on, for an operator to look into."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.mail import OutboxMessage
from allora.domain.paging import Page, Paged


class ListParkedMail:
    """Rules: parked messages, newest first, with their last error; never their bodies, which
    stay sealed (they may hold a reset code). Served to operators by `allora outbox parked`."""

    def __init__(self, reader: UnitOfWorkFactory) -> None:
        self._reader = reader

    async def __call__(self, *, page: Page) -> Paged[OutboxMessage]:
        async with self._reader() as uow:
            return await uow.outbox.parked(page)
