"""The words of every mail the shop sends: written here, like every message a client reads."""

from __future__ import annotations

from html import escape

from allora.domain.mail import Mail
from allora.domain.tickets import Ticket
from allora.domain.users import Email


def _html(paragraphs: list[str]) -> str:
    """A minimal HTML twin of the text: each paragraph escaped, line breaks kept."""
    body = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f'<!DOCTYPE html><html><body style="font-family: sans-serif">{body}</body></html>'


def _mail(to: Email, to_name: str, subject: str, paragraphs: list[str]) -> Mail:
    return Mail(to, to_name, subject, "\n\n".join(paragraphs) + "\n", _html(paragraphs))


def reset_code_mail(to: Email, to_name: str, code: str, minutes: int) -> Mail:
    return _mail(
        to,
        to_name,
        "Your Allora password reset code",
        [
            f"Hello {to_name},",
            f"Your password reset code is {code}. It is valid for {minutes} minutes and can be "
            "used once.",
            "If you did not ask to reset your password, ignore this mail: your password stays "
            "as it is.",
        ],
    )


def ticket_answered_mail(ticket: Ticket, answer: str) -> Mail:
    content = ticket.content
    return _mail(
        content.email,
        content.name,
        "Your support request has an answer",
        [
            f"Hello {content.name},",
            "Our support team answered your request:",
            answer,
            f"Your request was:\n{content.message}",
        ],
    )
