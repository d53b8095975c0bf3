"""Posting mail: a use case that must tell someone adds the mail to the outbox inside its own
unit of work, so the mail commits or rolls back with the change that causes it."""

from __future__ import annotations

import json

from allora.application.ports import Clock, IdGenerator, MailSealer, UnitOfWork
from allora.domain.mail import Mail, MessageId, OutboxMessage


class Outbox:
    """`await outbox.post(uow, mail)` inside `async with self._uow() as uow:`, before the commit."""

    def __init__(self, clock: Clock, ids: IdGenerator, sealer: MailSealer) -> None:
        self._clock, self._ids, self._sealer = clock, ids, sealer

    async def post(self, uow: UnitOfWork, mail: Mail) -> MessageId:
        now = self._clock.now()
        message = OutboxMessage(
            id=MessageId(self._ids()),
            recipient=mail.to,
            recipient_name=mail.to_name,
            subject=mail.subject,
            sealed_body=self._sealer.seal(json.dumps({"text": mail.text, "html": mail.html})),
            created_at=now,
            due_at=now,
        )
        await uow.outbox.add(message)
        return message.id

    def open(self, message: OutboxMessage) -> Mail:
        """The mail a message holds; `ValueError` when its body cannot be unsealed."""
        body = json.loads(self._sealer.unseal(message.sealed_body))
        return Mail(
            message.recipient,
            message.recipient_name,
            message.subject,
            str(body["text"]),
            str(body["html"]),
        )
