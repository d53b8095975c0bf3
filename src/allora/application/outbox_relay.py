"""OutboxRelay: hand one due outbox message to the mail server, and record how it went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from allora.application.outbox import Outbox
from allora.application.ports import Clock, IdGenerator, MailSender, UnitOfWorkFactory
from allora.domain.mail import DeliveryFailed, MessageId, OutboxMessage, RetryPolicy

DEFAULT_LEASE = timedelta(minutes=5)


class Outcome(StrEnum):
    IDLE = "idle"  # nothing due (see `next_due`)
    TAKEN = "taken"  # a due message was claimed by another relay first: look again
    SENT = "sent"
    RETRY = "retry"  # failed, due again later
    PARKED = "parked"  # failed for good, or too many times
    LOST = "lost"  # the claim ran out before the result was recorded


@dataclass(frozen=True, slots=True)
class RelayStep:
    outcome: Outcome
    message_id: MessageId | None = None
    next_due: datetime | None = None
    error: str | None = None


class OutboxRelay:
    """Rules: a message is claimed for a lease before it is sent, so relays running at once
    (several workers, or a worker and a server) never pick the same one, and a crashed relay's
    message is due again once its lease ends; it is marked sent only after the mail server
    accepted it, so a crash in between sends it again (at least once, never lost). A failed try
    is retried after the `RetryPolicy` delay; a permanent refusal, too many failures or a body
    that cannot be unsealed park it with the error. Only reads happen while nothing is due."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        reader: UnitOfWorkFactory,
        sender: MailSender,
        outbox: Outbox,
        clock: Clock,
        ids: IdGenerator,
        policy: RetryPolicy | None = None,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._uow, self._reader, self._sender, self._outbox = uow, reader, sender, outbox
        self._clock, self._ids = clock, ids
        self._policy, self._lease = policy or RetryPolicy(), lease

    async def __call__(self) -> RelayStep:
        async with self._reader() as reading:
            due = await reading.outbox.next_due()
        now = self._clock.now()
        if due is None or due > now:
            return RelayStep(Outcome.IDLE, next_due=due)
        claim = self._ids()
        async with self._uow() as uow:
            message = await uow.outbox.claim(now, now + self._lease, claim)
            await uow.commit()
        if message is None:
            return RelayStep(Outcome.TAKEN)
        try:
            mail = self._outbox.open(message)
        except ValueError:
            failure = DeliveryFailed(
                "body cannot be unsealed (secret key changed?)", permanent=True
            )
            return await self._failed(message, claim, failure)
        try:
            await self._sender.send(mail, message.id)
        except DeliveryFailed as failure:
            return await self._failed(message, claim, failure)
        async with self._uow() as uow:
            marked = await uow.outbox.mark_sent(message.id, claim, self._clock.now())
            await uow.commit()
        return RelayStep(Outcome.SENT if marked else Outcome.LOST, message.id)

    async def _failed(
        self, message: OutboxMessage, claim: UUID, failure: DeliveryFailed
    ) -> RelayStep:
        delay = None if failure.permanent else self._policy.delay_after(message.attempts + 1)
        retry_at = None if delay is None else self._clock.now() + delay
        failed = message.failed(failure.reason, retry_at)
        async with self._uow() as uow:
            recorded = await uow.outbox.record_failure(failed, claim)
            await uow.commit()
        if not recorded:
            return RelayStep(Outcome.LOST, message.id, error=failure.reason)
        outcome = Outcome.RETRY if retry_at else Outcome.PARKED
        return RelayStep(outcome, message.id, next_due=retry_at, error=failure.reason)
