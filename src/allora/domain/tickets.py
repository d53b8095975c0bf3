"""Support tickets: anyone opens one; an ADMIN answers with a ticket of its own."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import NewType
from uuid import UUID

from allora.domain.errors import NotFound, Validation
from allora.domain.fields import parse_text
from allora.domain.users import Email, Phone, UserId

TicketId = NewType("TicketId", UUID)


class TicketNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such ticket")


@dataclass(frozen=True, slots=True)
class TicketMessage:
    """Who wrote and what: validated before anything is stored."""

    name: str
    message: str
    phone: Phone
    email: Email

    @classmethod
    def parse(cls, name: object, message: object, phone: object, email: object) -> TicketMessage:
        check = Validation()
        parsed_name = check(lambda: parse_text("name", name, 1, 100))
        parsed_message = check(lambda: parse_text("message", message, 1, 5000))
        parsed_phone = check(lambda: Phone.parse(phone))
        parsed_email = check(lambda: Email.parse(email))
        check.raise_if_failed()
        assert parsed_name is not None
        assert parsed_message is not None
        assert parsed_phone is not None
        assert parsed_email is not None
        return cls(parsed_name, parsed_message, parsed_phone, parsed_email)


@dataclass(frozen=True, slots=True)
class SupportIdentity:
    """Who answers tickets, as customers see it: the shop's support desk, never the admin."""

    name: str
    phone: Phone
    email: Email

    @classmethod
    def parse(cls, name: object, phone: object, email: object) -> SupportIdentity:
        """The rules of a ticket's sender: the desk signs its answers like one."""
        sender = TicketMessage.parse(name, "-", phone, email)
        return cls(sender.name, sender.phone, sender.email)


@dataclass(frozen=True, slots=True)
class Ticket:
    id: TicketId
    content: TicketMessage
    user_id: UserId | None
    has_answer: bool
    main_ticket: TicketId | None
    created_at: datetime

    @property
    def is_answer(self) -> bool:
        return self.main_ticket is not None

    def answer_as_shown(self, support: SupportIdentity, *, to_admin: bool) -> Ticket:
        """An answer speaks for the support desk: its contact details are the desk's, and
        which admin wrote it (`user_id`) is for admins' eyes only."""
        content = replace(self.content, name=support.name, phone=support.phone, email=support.email)
        return replace(self, content=content, user_id=self.user_id if to_admin else None)
