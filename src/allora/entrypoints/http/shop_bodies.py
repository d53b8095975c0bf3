"""Wire types of wishlists, discount codes and support tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from allora.domain.discounts import Discount
from allora.domain.tickets import Ticket


class WishIn(msgspec.Struct):
    product: str
    user: Any = None  # accepted for compatibility and ignored: the user is the session's


class DiscountIn(msgspec.Struct):
    code: str
    percent: int
    maxUse: int
    startsAt: datetime | None = None
    endsAt: datetime | None = None


class CodeIn(msgspec.Struct):
    code: str


class TicketIn(msgspec.Struct):
    name: str
    message: str
    phone: str
    email: str


class AnswerIn(msgspec.Struct):
    ticketID: str
    message: str


class DiscountOut(msgspec.Struct):
    id: str
    code: str
    percent: int
    maxUse: int
    uses: int
    startsAt: datetime | None
    endsAt: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, discount: Discount) -> DiscountOut:
        terms = discount.terms
        return cls(
            id=str(discount.id),
            code=terms.code,
            percent=terms.percent,
            maxUse=terms.max_use,
            uses=discount.uses,
            startsAt=terms.starts_at,
            endsAt=terms.ends_at,
            created_at=discount.created_at,
            updated_at=discount.updated_at,
        )


class DiscountCreated(msgspec.Struct):
    message: str
    data: DiscountOut


class TicketOut(msgspec.Struct):
    id: str
    name: str
    message: str
    phone: str
    email: str
    user: str | None
    hasAnswer: bool
    isAnswer: bool
    mainTicket: str | None
    created_at: datetime

    @classmethod
    def of(cls, ticket: Ticket) -> TicketOut:
        content = ticket.content
        return cls(
            id=str(ticket.id),
            name=content.name,
            message=content.message,
            phone=content.phone.value,
            email=content.email.value,
            user=str(ticket.user_id) if ticket.user_id else None,
            hasAnswer=ticket.has_answer,
            isAnswer=ticket.is_answer,
            mainTicket=str(ticket.main_ticket) if ticket.main_ticket else None,
            created_at=ticket.created_at,
        )


class ThreadOut(TicketOut):
    answers: list[TicketOut]
