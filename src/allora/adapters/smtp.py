"""Delivering mail over SMTP with aiosmtplib; messages built with the standard library."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import unquote, urlsplit

import aiosmtplib

from allora.domain.mail import DeliveryFailed, Mail, MessageId
from allora.domain.users import is_valid_email

TIMEOUT_SECONDS = 30.0
_DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to deliver: `smtp://` upgrades with STARTTLS when the server offers it
    (and insists on it when there are credentials, so a password never crosses in clear);
    `smtps://` speaks TLS from the first byte."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False

    @classmethod
    def parse(cls, url: str) -> SmtpServer:
        """`smtp://user:pass@host:port` or `smtps://...`; `ValueError` saying what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS:
            raise ValueError("must start with smtp:// or smtps://")
        try:
            port = parts.port or _DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise ValueError("has an invalid port") from None
        if not parts.hostname:
            raise ValueError("names no host")
        if (parts.username is None) != (parts.password is None):
            raise ValueError("needs both a user and a password, or neither")
        return cls(
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            implicit_tls=parts.scheme == "smtps",
        )


def parse_sender(raw: str) -> Address:
    """`Allora Shop <shop@example.com>` or a bare address; `ValueError` when it is not one."""
    name, address = parseaddr(raw)
    if not is_valid_email(address):
        raise ValueError(
            "must be an email address, optionally with a name: Shop <shop@example.com>"
        )
    return Address(display_name=name, addr_spec=address)


def build_message(mail: Mail, message_id: MessageId, sender: Address, now: datetime) -> bytes:
    """Plain text plus an HTML alternative, with Date and a Message-ID that stays the same on
    every try (so a receiving system can recognise a repeat); headers encoded for SMTP
    (non-ASCII display names as RFC 2047 encoded words)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=" ".join(mail.to_name.split()), addr_spec=mail.to.value)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{message_id}@{sender.domain}>"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message.as_bytes(policy=policy.SMTP)


class SmtpMailSender:
    """One connection per message: a relay sends one message at a time, and a fresh
    connection recovers by itself from a server that went away in between."""

    def __init__(
        self, server: SmtpServer, sender: Address, tls_context: ssl.SSLContext | None = None
    ) -> None:
        self._server, self._sender = server, sender
        self._tls = tls_context or ssl.create_default_context()

    async def send(self, mail: Mail, message_id: MessageId) -> None:
        data = build_message(mail, message_id, self._sender, datetime.now(UTC))
        server = self._server
        client = aiosmtplib.SMTP(
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            start_tls=None if server.implicit_tls or server.username is None else True,
            tls_context=self._tls,
            timeout=TIMEOUT_SECONDS,
        )
        try:
            async with client:
                await client.sendmail(self._sender.addr_spec, [mail.to.value], data)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [r.code for r in refused.recipients]
            reason = "; ".join(f"{r.code} {r.message}" for r in refused.recipients)
            raise DeliveryFailed(reason, permanent=all(c >= 500 for c in codes)) from None
        except (
            aiosmtplib.SMTPSenderRefused,
            aiosmtplib.SMTPDataError,
            aiosmtplib.SMTPRecipientRefused,
        ) as refused:
            raise DeliveryFailed(
                f"{refused.code} {refused.message}", permanent=refused.code >= 500
            ) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from None
