"""The words of every mail the shop sends: written here, like every message a client reads."""

from __future__ import annotations

from html import escape

from allora.domain.mail import Mail
from allora.domain.orders import Order, OrderStatus
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


def _order_lines(order: Order) -> str:
    lines = []
    for line in order.lines:
        kind = ", ".join(part for part in (line.color_name, line.size) if part is not None)
        named = f"{line.name} ({kind})" if kind else line.name
        lines.append(f"{line.quantity} x {named}: {line.line_total}")
    summary = [f"Subtotal: {order.subtotal}"]
    if order.discount is not None:
        summary.append(
            f"Code {order.discount.code} (-{order.discount.percent}%): -{order.discount.amount}"
        )
    summary += [f"Shipping: {order.shipping}", f"Total: {order.total}"]
    return "\n".join(lines) + "\n\n" + "\n".join(summary)


def order_placed_mail(order: Order) -> Mail:
    billing = order.billing
    return _mail(
        billing.email,
        billing.first_name,
        f"Your Allora order {order.id}",
        [
            f"Hello {billing.first_name},",
            "Thank you for your order. We have received it and will let you know when it ships.",
            _order_lines(order),
            f"Delivery to:\n{billing.street_address}"
            + (f", {billing.apartment}" if billing.apartment else "")
            + f"\n{billing.city}",
        ],
    )


_STATUS_WORDS = {
    OrderStatus.SHIPPED: ("has shipped", "It is on its way to you."),
    OrderStatus.CANCELLED: (
        "was cancelled",
        "Nothing will be charged for it; any discount code it used can be used again.",
    ),
}


def order_status_mail(order: Order) -> Mail | None:
    """The mail a status change sends: shipped and cancelled tell the buyer; the others none."""
    if order.status not in _STATUS_WORDS:
        return None
    what, then = _STATUS_WORDS[order.status]
    billing = order.billing
    return _mail(
        billing.email,
        billing.first_name,
        f"Your Allora order {order.id} {what}",
        [
            f"Hello {billing.first_name},",
            f"Your order {order.id} {what}. {then}",
            _order_lines(order),
        ],
    )
