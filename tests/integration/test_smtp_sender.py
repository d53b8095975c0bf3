"""The SMTP adapter against a real SMTP server on 127.0.0.1 (aiosmtpd): headers and both
parts as received, refusals, a server that is down then back, STARTTLS with auth, implicit TLS.
The protocol is never mocked."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from uuid import UUID

import pytest

from allora.adapters.smtp import SmtpMailSender, SmtpServer, parse_sender
from allora.domain.mail import DeliveryFailed, Mail, MessageId
from allora.domain.users import Email
from tests.integration.mail_server import (
    SECRET,
    USER,
    Certificates,
    Recorder,
    free_port,
    make_certificates,
    smtp_server,
)

pytestmark = pytest.mark.anyio

SENDER = parse_sender("Allora Boutique Ümlaut <shop@allora.test>")
MAIL = Mail(
    to=Email("zoe@example.com"),
    to_name='Zoë Ångström, "the" customer',
    subject="Your support request has an answer",
    text="Hello Zoë,\n\nIt left today.\n",
    html="<p>Hello Zoë,</p><p>It left today &amp; arrives soon.</p>",
)
MESSAGE_ID = MessageId(UUID("01900000-0000-7000-8000-000000000001"))


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


def sender_for(url: str, certificates: Certificates | None = None) -> SmtpMailSender:
    tls = certificates.client() if certificates else None
    return SmtpMailSender(SmtpServer.parse(url), SENDER, tls)


async def test_a_mail_arrives_with_encoded_headers_and_both_parts() -> None:
    with smtp_server() as (server, port):
        await sender_for(f"smtp://127.0.0.1:{port}").send(MAIL, MESSAGE_ID)
    [received] = server.received
    assert (received.sender, received.recipients) == ("shop@allora.test", ["zoe@example.com"])
    headers = received.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # 7-bit clean on the wire
    for name in ("From", "To"):  # RFC 2047 encoded words for the non-ASCII display names
        assert re.search(rf"^{name}: .*=\?utf-8\?[bq]\?", headers, re.M | re.I), headers
    message = received.message
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ('Zoë Ångström, "the" customer', "zoe@example.com")
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Allora Boutique Ümlaut", "shop@allora.test")
    assert message["Subject"] == MAIL.subject
    assert message["Message-ID"] == f"<{MESSAGE_ID}@allora.test>"
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message.get_content_type() == "multipart/alternative"
    assert received.part("plain").replace("\r\n", "\n") == MAIL.text
    assert received.part("html").strip() == MAIL.html


@pytest.mark.parametrize(
    ("reply", "permanent"), [("550 5.1.1 No such user", True), ("451 4.3.0 Try later", False)]
)
async def test_a_refused_recipient_fails_permanently_only_on_5xx(
    reply: str, permanent: bool
) -> None:
    with (
        smtp_server(Recorder(refuse=reply)) as (server, port),
        pytest.raises(DeliveryFailed) as failed,
    ):
        await sender_for(f"smtp://127.0.0.1:{port}").send(MAIL, MESSAGE_ID)
    assert failed.value.permanent is permanent
    assert reply.split()[0] in failed.value.reason
    assert server.received == []


async def test_a_server_that_is_down_fails_for_now_then_delivers_once_back() -> None:
    port = free_port()
    sender = sender_for(f"smtp://127.0.0.1:{port}")
    with pytest.raises(DeliveryFailed) as failed:
        await sender.send(MAIL, MESSAGE_ID)
    assert failed.value.permanent is False
    with smtp_server(port=port) as (server, _):
        await sender.send(MAIL, MESSAGE_ID)
    assert len(server.received) == 1


async def test_starttls_and_auth(certificates: Certificates) -> None:
    with smtp_server(starttls=certificates.server, auth=True) as (server, port):
        await sender_for(f"smtp://{USER}:{SECRET}@127.0.0.1:{port}", certificates).send(
            MAIL, MESSAGE_ID
        )
        with pytest.raises(DeliveryFailed) as wrong:
            await sender_for(f"smtp://{USER}:wrong@127.0.0.1:{port}", certificates).send(
                MAIL, MESSAGE_ID
            )
        with pytest.raises(DeliveryFailed) as untrusted:  # a certificate it cannot verify
            await sender_for(f"smtp://{USER}:{SECRET}@127.0.0.1:{port}").send(MAIL, MESSAGE_ID)
    assert len(server.received) == 1
    assert wrong.value.permanent is False  # configuration: later tries may succeed once fixed
    assert untrusted.value.permanent is False


async def test_credentials_are_never_sent_without_tls() -> None:
    with smtp_server() as (server, port), pytest.raises(DeliveryFailed):  # offers no STARTTLS
        await sender_for(f"smtp://{USER}:{SECRET}@127.0.0.1:{port}").send(MAIL, MESSAGE_ID)
    assert server.received == []


async def test_implicit_tls(certificates: Certificates, tmp_path: Path) -> None:
    with smtp_server(implicit_tls=certificates.server, auth=True) as (server, port):
        await sender_for(f"smtps://{USER}:{SECRET}@127.0.0.1:{port}", certificates).send(
            MAIL, MESSAGE_ID
        )
    assert len(server.received) == 1


@pytest.mark.parametrize(
    "url", ["http://host", "smtp://", "smtp://host:notaport", "smtp://user@host", "smtps:///x"]
)
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"must|names|invalid|needs"):
        SmtpServer.parse(url)


def test_urls_read_user_password_port_and_tls() -> None:
    assert SmtpServer.parse("smtps://a%40b:p%3Ass@mail.example.com") == SmtpServer(
        "mail.example.com", 465, "a@b", "p:ss", implicit_tls=True
    )
    assert SmtpServer.parse("smtp://mail.example.com:2525").port == 2525
    assert SmtpServer.parse("smtp://mail.example.com").port == 25
