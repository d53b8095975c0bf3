"""Password reset by a mailed code: six digits, valid 15 minutes, five wrong guesses at most."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from allora.domain.errors import Forbidden, InvalidInput, NotAuthenticated
from allora.domain.users import Password, UserId

CODE_LIFETIME = timedelta(minutes=15)
MAX_CODE_FAILURES = 5
CODE_DIGITS = 6
_CODE = re.compile(r"[0-9]{6}")


def parse_reset_code(raw: str) -> str:
    """Exactly six ASCII digits (a JSON string: leading zeros matter)."""
    if not _CODE.fullmatch(raw):
        raise InvalidInput.for_field("code", "code must be a string of 6 digits")
    return raw


def parse_new_password(raw: str, field: str = "newPassword") -> Password:
    """A strong password (as at sign-up), reported under the field the client sent it in."""
    try:
        return Password.parse(raw)
    except InvalidInput as error:
        message = error.message.replace("password", field, 1)
        raise InvalidInput.for_field(field, message) from None


@dataclass(frozen=True, slots=True)
class ResetCode:
    """The one live code of an account, kept only as a keyed digest. A new request replaces
    it (voiding the old one), using it deletes it, and `MAX_CODE_FAILURES` wrong guesses void it."""

    user_id: UserId
    digest: str
    created_at: datetime
    expires_at: datetime
    failures: int = 0

    @classmethod
    def issue(cls, user_id: UserId, digest: str, now: datetime) -> ResetCode:
        return cls(user_id, digest, now, now + CODE_LIFETIME)

    def usable(self, now: datetime) -> bool:
        return now < self.expires_at and self.failures < MAX_CODE_FAILURES

    def with_failure(self) -> ResetCode:
        return replace(self, failures=self.failures + 1)


class InvalidResetCode(NotAuthenticated):
    """Wrong, expired, used or voided code, or unknown email: one message for all."""

    def __init__(self) -> None:
        super().__init__("Invalid or expired code")


class WrongCurrentPassword(Forbidden):
    """The current password given to change it is not the account's."""

    def __init__(self) -> None:
        super().__init__("Current password is wrong")
