"""OutboxRelay on fakes: claims, marks sent only after the server accepted, retries with backoff
and parks; ListParkedMail; mail posted by AnswerTicket commits or rolls back with the answer."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest

from allora.application.answer_ticket import AnswerTicket
from allora.application.list_parked_mail import ListParkedMail
from allora.application.open_ticket import OpenTicket
from allora.application.outbox import Outbox
from allora.application.outbox_relay import OutboxRelay, Outcome
from allora.application.sessions import SignedIn
from allora.domain.mail import DeliveryFailed, Mail, MailStatus, MessageId, RetryPolicy
from allora.domain.paging import Page
from allora.domain.users import Email
from tests.unit.fake_mail import FakeMailSender
from tests.unit.fakes import (
    DatabaseDown,
    FakeClock,
    FakeDatabase,
    FakeUnitOfWorkFactory,
    SequentialIds,
)

pytestmark = pytest.mark.anyio

MAIL = Mail(Email("ann@example.com"), "Ann Ångström", "Hello", "Hi there\n", "<p>Hi there</p>")
DOWN = DeliveryFailed("connection refused")
REFUSED = DeliveryFailed("550 no such user", permanent=True)


async def post(uow: FakeUnitOfWorkFactory, outbox: Outbox, mail: Mail = MAIL) -> None:
    async with uow() as transaction:
        await outbox.post(transaction, mail)
        await transaction.commit()


async def test_nothing_due_is_idle(outbox_relay: OutboxRelay, mail_sender: FakeMailSender) -> None:
    step = await outbox_relay()
    assert (step.outcome, step.next_due) == (Outcome.IDLE, None)
    assert mail_sender.tries == 0


async def test_a_due_message_is_sent_once_then_marked_sent_without_its_body(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    await post(uow, outbox)
    [message_id] = database.outbox
    step = await outbox_relay()
    assert (step.outcome, step.message_id) == (Outcome.SENT, message_id)
    assert mail_sender.sent == [(MAIL, message_id)]
    sent = database.outbox[message_id]
    assert (sent.status, sent.sent_at, sent.sealed_body) == (MailStatus.SENT, clock.now(), "")
    assert (await outbox_relay()).outcome is Outcome.IDLE
    assert len(mail_sender.sent) == 1


async def test_a_failed_send_leaves_the_message_due_after_the_first_delay(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    await post(uow, outbox)
    mail_sender.fail_next([DOWN])
    step = await outbox_relay()
    assert step.outcome is Outcome.RETRY
    [message] = database.outbox.values()
    assert (message.status, message.attempts, message.last_error) == (
        MailStatus.PENDING,
        1,
        "connection refused",
    )
    assert message.due_at == clock.now() + timedelta(seconds=30)
    assert message.due_at - clock.now() <= timedelta(minutes=1)  # the contract's "within a minute"
    idle = await outbox_relay()
    assert (idle.outcome, idle.next_due) == (Outcome.IDLE, message.due_at)
    clock.advance(timedelta(seconds=30))
    assert (await outbox_relay()).outcome is Outcome.SENT
    assert [mail for mail, _ in mail_sender.sent] == [MAIL]


async def test_the_retry_schedule_backs_off_to_a_cap_then_parks(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
    clock: FakeClock,
    list_parked_mail: ListParkedMail,
    admin: SignedIn,
) -> None:
    policy = RetryPolicy()
    await post(uow, outbox)
    mail_sender.fail_next([DOWN] * policy.max_attempts)
    waits = []
    for _ in range(policy.max_attempts - 1):
        step = await outbox_relay()
        assert step.outcome is Outcome.RETRY
        assert step.next_due is not None
        waits.append(step.next_due - clock.now())
        clock.set(step.next_due)
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert all(later >= earlier for earlier, later in itertools.pairwise(waits))
    assert waits[-1] == policy.max_delay
    last = await outbox_relay()
    assert last.outcome is Outcome.PARKED
    [message] = database.outbox.values()
    assert (message.status, message.attempts) == (MailStatus.PARKED, policy.max_attempts)
    clock.advance(timedelta(days=30))
    assert (await outbox_relay()).outcome is Outcome.IDLE
    parked = await list_parked_mail(actor=admin.user, page=Page())
    assert [(m.id, m.last_error) for m in parked.items] == [(message.id, "connection refused")]
    assert mail_sender.sent == []


async def test_a_permanent_refusal_parks_at_once(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
) -> None:
    await post(uow, outbox)
    mail_sender.fail_next([REFUSED])
    assert (await outbox_relay()).outcome is Outcome.PARKED
    [message] = database.outbox.values()
    assert (message.status, message.last_error) == (MailStatus.PARKED, "550 no such user")


async def test_a_body_sealed_with_another_key_is_parked_not_sent(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
) -> None:
    await post(uow, outbox)
    [message] = database.outbox.values()
    database.outbox[message.id] = replace(message, sealed_body="sealed-by-another-key")
    assert (await outbox_relay()).outcome is Outcome.PARKED
    assert mail_sender.tries == 0


async def test_a_claimed_message_is_left_alone_until_its_lease_ends(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
    clock: FakeClock,
    ids: SequentialIds,
) -> None:
    """Another relay claimed it and crashed before recording anything: once the lease is over
    the message is sent again (at least once), and the crashed relay's claim is void."""
    await post(uow, outbox)
    crashed = ids()
    async with uow() as transaction:
        claimed = await transaction.outbox.claim(
            clock.now(), clock.now() + timedelta(minutes=5), crashed
        )
        await transaction.commit()
    assert claimed is not None
    assert (await outbox_relay()).outcome is Outcome.IDLE
    clock.advance(timedelta(minutes=5))
    assert (await outbox_relay()).outcome is Outcome.SENT
    async with uow() as transaction:
        assert not await transaction.outbox.mark_sent(claimed.id, crashed, clock.now())
    assert len(mail_sender.sent) == 1


async def test_a_lost_mark_leaves_the_message_to_be_sent_again(
    outbox_relay: OutboxRelay,
    outbox: Outbox,
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    """The server accepted the mail, then the database failed before it was marked: the
    message is sent again after the lease (the at-least-once case)."""
    await post(uow, outbox)

    class FailingMark(FakeMailSender):
        async def send(self, mail: Mail, message_id: MessageId) -> None:
            await super().send(mail, message_id)
            database.committing = False

    relay = OutboxRelay(uow, uow, FailingMark(), outbox, clock, SequentialIds())
    with pytest.raises(DatabaseDown):
        await relay()
    database.committing = True
    clock.advance(timedelta(minutes=5))
    assert (await outbox_relay()).outcome is Outcome.SENT
    assert len(mail_sender.sent) == 1  # plus the one the failing relay handed over


async def test_an_answer_mails_the_main_tickets_email_in_its_transaction(
    open_ticket: OpenTicket,
    answer_ticket: AnswerTicket,
    admin: SignedIn,
    database: FakeDatabase,
    outbox: Outbox,
) -> None:
    main = await open_ticket(
        client="192.0.2.1",
        author=None,
        name="Zoë",
        message="Where is my parcel?",
        phone="5551234567",
        email="Zoe@Example.com",
    )
    await answer_ticket(actor=admin.user, ticket_id=str(main.id), message="It left today")
    [message] = database.outbox.values()
    mail = outbox.open(message)
    assert (mail.to.value, mail.to_name) == ("zoe@example.com", "Zoë")
    assert "It left today" in mail.text
    assert "Where is my parcel?" in mail.text


async def test_an_answer_that_fails_to_commit_leaves_no_mail(
    open_ticket: OpenTicket, answer_ticket: AnswerTicket, admin: SignedIn, database: FakeDatabase
) -> None:
    main = await open_ticket(
        client="192.0.2.1",
        author=None,
        name="Zoë",
        message="Where is my parcel?",
        phone="5551234567",
        email="zoe@example.com",
    )
    database.committing = False
    with database.unchanged(), pytest.raises(DatabaseDown):
        await answer_ticket(actor=admin.user, ticket_id=str(main.id), message="It left today")
    assert database.outbox == {}
