"""Bans name an email, a phone or both; either one blocks signup and signin."""

from __future__ import annotations

from dataclasses import dataclass

from allora.domain.errors import InvalidInput, Validation
from allora.domain.users import Email, Phone


@dataclass(frozen=True, slots=True)
class Ban:
    email: Email | None
    phone: Phone | None

    @classmethod
    def parse(cls, email: object, phone: object) -> Ban:
        """Each given field must be valid; at least one must be given."""
        if email is None and phone is None:
            raise InvalidInput("A ban needs an email or a phone")
        check = Validation()
        ban_email = None if email is None else check(lambda: Email.parse(email))
        ban_phone = None if phone is None else check(lambda: Phone.parse(phone))
        check.raise_if_failed()
        return cls(ban_email, ban_phone)
