"""The development mail sender: every mail goes to the log, so nothing else need be installed."""

from __future__ import annotations

import logging

from allora.domain.mail import Mail, MessageId

log = logging.getLogger("allora.mail")


class LogMailSender:
    """Never used in production: there the worker refuses to start without ALLORA_SMTP_URL."""

    async def send(self, mail: Mail, message_id: MessageId) -> None:
        log.info(
            "mail (not sent: ALLORA_SMTP_URL is not set)",
            extra={
                "message_id": str(message_id),
                "to": mail.to.value,
                "subject": mail.subject,
                "text": mail.text,
            },
        )
