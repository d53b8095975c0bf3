"""The outbox on SQLite and PostgreSQL with the real SMTP adapter and a real SMTP server: mail
commits or rolls back with its change, a relay retries a server that is down, parks a refusal,
two relays racing over 200 messages send each exactly once, and a relay that dies between the
server's accept and the mark makes the message go out again (at least once, never lost)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from allora.adapters.clock import new_id
from allora.adapters.secrets import AesGcmMailSealer
from allora.adapters.smtp import SmtpMailSender, SmtpServer, parse_sender
from allora.adapters.sql.engine import create_engine, reading_engine
from allora.adapters.sql.migrate import upgrade
from allora.adapters.sql.tables import OutboxRow
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.application.list_parked_mail import ListParkedMail
from allora.application.outbox import Outbox
from allora.application.outbox_relay import OutboxRelay, Outcome
from allora.application.ports import UnitOfWork
from allora.domain.mail import Mail, MailStatus
from allora.domain.paging import Page
from allora.domain.users import Email, Profile, Role, User, UserId
from allora.entrypoints.cli import main
from tests.integration.conftest import Shop, ShopFactory
from tests.integration.mail_server import Recorder, free_port, smtp_server

pytestmark = pytest.mark.anyio

SECRET = "outbox-test-secret-" + "y" * 32
SENDER = parse_sender("Allora <shop@allora.test>")


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at


class Wiring:
    """Units of work, an outbox and relays on one engine, as the composition root builds them."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        writing = async_sessionmaker(engine, expire_on_commit=False)
        reading = async_sessionmaker(reading_engine(engine), expire_on_commit=False)
        self._writing, self._reading = writing, reading
        self.clock = clock
        self.outbox = Outbox(clock, new_id, AesGcmMailSealer(SECRET))

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self._writing)

    def reader(self) -> UnitOfWork:
        return SqlUnitOfWork(self._reading, read_only=True)

    def relay(self, port: int) -> OutboxRelay:
        sender = SmtpMailSender(SmtpServer.parse(f"smtp://127.0.0.1:{port}"), SENDER)
        return OutboxRelay(self.uow, self.reader, sender, self.outbox, self.clock, new_id)

    async def post(self, *mails: Mail) -> None:
        async with self.uow() as uow:
            for mail in mails:
                await self.outbox.post(uow, mail)
            await uow.commit()

    async def statuses(self) -> Counter[str]:
        async with self.reader() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            rows = await uow._session.execute(select(OutboxRow.status))
            return Counter(status for (status,) in rows)


def mail(n: int = 0) -> Mail:
    return Mail(Email(f"to{n}@example.com"), f"Ünïcode {n}", f"Mail {n}", f"Text {n}\n", "<p>x</p>")


@pytest.fixture
def wiring(shop: Shop) -> Wiring:
    return Wiring(shop.container.engine, Clock())


async def count(uow: UnitOfWork) -> int:
    assert isinstance(uow, SqlUnitOfWork)
    return int(await uow._session.scalar(select(func.count()).select_from(OutboxRow)) or 0)


async def test_a_mail_commits_or_rolls_back_with_its_transaction(wiring: Wiring) -> None:
    async def failing_change() -> None:
        async with wiring.uow() as uow:
            await wiring.outbox.post(uow, mail())
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError, match="the change failed"):
        await failing_change()
    async with wiring.uow() as uow:
        await wiring.outbox.post(uow, mail())  # left without commit: rolled back on exit
    async with wiring.uow() as uow:
        assert await count(uow) == 0
    await wiring.post(mail())
    async with wiring.uow() as uow:
        assert await count(uow) == 1


async def test_a_server_that_is_down_is_retried_and_the_mail_delivered_once_back(
    wiring: Wiring,
) -> None:
    await wiring.post(mail())
    port = free_port()
    relay = wiring.relay(port)
    first = await relay()
    assert first.outcome is Outcome.RETRY
    assert first.next_due is not None
    assert first.next_due - wiring.clock.at <= timedelta(minutes=1)
    assert (await relay()).outcome is Outcome.IDLE  # not due again yet
    assert await wiring.statuses() == Counter({"pending": 1})
    wiring.clock.at = first.next_due
    with smtp_server(port=port) as (server, _):
        assert (await relay()).outcome is Outcome.SENT
    assert [r.message["Subject"] for r in server.received] == ["Mail 0"]
    assert await wiring.statuses() == Counter({"sent": 1})


async def test_a_refusal_is_parked_with_its_error_and_listed(wiring: Wiring) -> None:
    await wiring.post(mail(1), mail(2))
    with smtp_server(Recorder(refuse="550 5.1.1 No such user")) as (_, port):
        relay = wiring.relay(port)
        assert [(await relay()).outcome for _ in range(3)] == [
            Outcome.PARKED,
            Outcome.PARKED,
            Outcome.IDLE,
        ]
    admin = User(
        UserId(new_id()),
        Profile.parse("operator", "op@example.com", "5550001111"),
        Role.ADMIN,
        "x",
        wiring.clock.now(),
    )
    parked = await ListParkedMail(wiring.reader)(actor=admin, page=Page())
    assert parked.total == 2
    assert {m.recipient.value for m in parked.items} == {"to1@example.com", "to2@example.com"}
    assert all(m.last_error and m.last_error.startswith("550") for m in parked.items)
    assert all(m.status is MailStatus.PARKED for m in parked.items)


async def test_a_relay_that_dies_after_the_accept_sends_the_mail_again(wiring: Wiring) -> None:
    """The honest guarantee: the server took the mail, the relay died before marking it; once
    the claim's lease is over another relay sends it again, with the same Message-ID."""
    await wiring.post(mail())
    with smtp_server() as (server, port):
        sender = SmtpMailSender(SmtpServer.parse(f"smtp://127.0.0.1:{port}"), SENDER)
        async with wiring.uow() as uow:  # what a relay does up to its crash
            now = wiring.clock.at
            claimed = await uow.outbox.claim(now, now + timedelta(minutes=5), new_id())
            await uow.commit()
        assert claimed is not None
        await sender.send(wiring.outbox.open(claimed), claimed.id)
        relay = wiring.relay(port)
        assert (await relay()).outcome is Outcome.IDLE  # the lease still holds
        wiring.clock.at += timedelta(minutes=5)
        assert (await relay()).outcome is Outcome.SENT
    ids = [r.message["Message-ID"] for r in server.received]
    assert len(ids) == 2
    assert ids[0] == ids[1]


@pytest.mark.postgres
async def test_two_relays_racing_over_200_messages_send_each_once(postgres_url: str) -> None:
    engines = [create_engine(postgres_url) for _ in range(2)]
    try:
        first, second = (Wiring(engine, Clock()) for engine in engines)
        async with engines[0].begin() as connection:
            await connection.execute(delete(OutboxRow))
        await first.post(*(mail(n) for n in range(200)))
        with smtp_server() as (server, port):
            relays = [first.relay(port), second.relay(port)]

            async def drain(relay: OutboxRelay) -> Counter[Outcome]:
                outcomes: Counter[Outcome] = Counter()
                while (step := await relay()).outcome is not Outcome.IDLE:
                    outcomes[step.outcome] += 1
                    if step.outcome is Outcome.TAKEN:
                        await asyncio.sleep(0.01)
                return outcomes

            done = await asyncio.gather(*(drain(relay) for relay in relays))
        assert all(d[Outcome.SENT] > 0 for d in done), done  # both took part
        assert sum(d[Outcome.SENT] for d in done) == 200
        subjects = Counter(r.message["Subject"] for r in server.received)
        assert subjects == Counter({f"Mail {n}": 1 for n in range(200)})
        assert len({r.message["Message-ID"] for r in server.received}) == 200
        assert await first.statuses() == Counter({"sent": 200})
    finally:
        for engine in engines:
            await engine.dispose()


async def test_allora_outbox_parked_shows_parked_mail(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'allora.db'}"
    engine = create_engine(url)
    try:
        await upgrade(engine)
        wiring = Wiring(engine, Clock())
        await wiring.post(mail(7))
        with smtp_server(Recorder(refuse="554 5.7.1 Rejected")) as (_, port):
            assert (await wiring.relay(port)()).outcome is Outcome.PARKED
    finally:
        await engine.dispose()
    env = {"ALLORA_DATABASE_URL": url, "ALLORA_VAR_DIR": str(tmp_path), "ALLORA_ENV": "test"}
    admin = ["--email", "op@example.com", "--name", "operator", "--phone", "5550001111"]
    created = await asyncio.to_thread(
        CliRunner().invoke, main, ["create-admin", *admin, "--password-stdin"], "Passw0rd!\n", env
    )
    assert created.exit_code == 0, created.output
    as_admin = ["outbox", "parked", "--as", "op@example.com"]
    result = await asyncio.to_thread(CliRunner().invoke, main, as_admin, env=env)
    assert result.exit_code == 0, result.output
    assert "1 parked message(s)" in result.output
    assert "to7@example.com" in result.output
    assert "554 5.7.1 Rejected" in result.output
    as_json = await asyncio.to_thread(CliRunner().invoke, main, [*as_admin, "--json"], env=env)
    assert '"to": "to7@example.com"' in as_json.output
    assert "Text 7" not in as_json.output  # bodies stay sealed


async def test_a_server_with_the_relay_in_process_mails_a_ticket_answer(
    make_shop: ShopFactory,
) -> None:
    """ALLORA_OUTBOX_IN_PROCESS=1: the server delivers its outbox itself (no worker)."""
    with smtp_server() as (server, port):
        shop = await make_shop(
            outbox_in_process=True,
            smtp_url=f"smtp://127.0.0.1:{port}",
            mail_from="Allora Support <support@allora.test>",
        )
        admin = await shop.signed_up("admin")
        visitor = await shop.client()
        ticket = {
            "name": "Zoë",
            "message": "Where is it?",
            "phone": "5551234567",
            "email": "Zoe@X.io",
        }
        assert (await visitor.post("/api/tickets/", json=ticket)).status_code == 200
        [main] = (await admin.get("/api/tickets/")).json()
        answered = await admin.post(
            "/api/tickets/answer/", json={"ticketID": main["id"], "message": "It left today"}
        )
        assert answered.status_code == 200
        deadline = asyncio.get_running_loop().time() + 30
        while not server.received:
            assert asyncio.get_running_loop().time() < deadline, "the answer was not mailed"
            await asyncio.sleep(0.05)
    [received] = server.received
    [to] = received.message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë", "zoe@x.io")
    assert "It left today" in received.part("plain")
    assert "Where is it?" in received.part("plain")
