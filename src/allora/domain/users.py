"""Accounts: validated value objects and the `User` entity with its role rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from allora.domain.errors import Forbidden, InvalidInput, NotFound, Validation

UserId = NewType("UserId", UUID)

_NAME = re.compile(r"[a-z0-9_-]{3,15}")
# The WHATWG "valid e-mail address" rule, with the domain required to have a dot.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}")
_EMAIL_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_PHONE = re.compile(r"[0-9]{10,15}")
PASSWORD_SPECIALS = "@$!%*?&"  # noqa: S105 - the allowed symbols, not a password
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256
EMAIL_MAX_LENGTH = 254


def _require_str(field: str, raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidInput.for_field(field, f"{field} must be a string")
    return raw


@dataclass(frozen=True, slots=True)
class UserName:
    """3 to 15 of lower-case letters, digits, `_` and `-`."""

    value: str

    @classmethod
    def parse(cls, raw: object) -> UserName:
        text = _require_str("name", raw)
        if not _NAME.fullmatch(text):
            raise InvalidInput.for_field(
                "name", "name must be 3-15 characters of a-z, 0-9, '_' or '-'"
            )
        return cls(text)


@dataclass(frozen=True, slots=True)
class Email:
    """A syntactically valid address, kept lower-case so uniqueness ignores case."""

    value: str

    @classmethod
    def parse(cls, raw: object) -> Email:
        text = _require_str("email", raw)
        if not is_valid_email(text):
            raise InvalidInput.for_field("email", "email must be a valid email address")
        return cls(text.lower())


def is_valid_email(text: str) -> bool:
    """WHATWG address syntax, at most 254 characters, a dotted domain of valid labels."""
    if len(text) > EMAIL_MAX_LENGTH or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    labels = domain.split(".")
    return (
        _EMAIL_LOCAL.fullmatch(local) is not None
        and len(labels) >= 2
        and all(_EMAIL_LABEL.fullmatch(label) for label in labels)
    )


@dataclass(frozen=True, slots=True)
class Phone:
    """10 to 15 ASCII digits, nothing else."""

    value: str

    @classmethod
    def parse(cls, raw: object) -> Phone:
        text = _require_str("phone", raw)
        if not _PHONE.fullmatch(text):
            raise InvalidInput.for_field("phone", "phone must be 10-15 digits")
        return cls(text)


@dataclass(frozen=True, slots=True)
class Password:
    """A new password: 8-256 characters with upper, lower, digit and one of @$!%*?&."""

    value: str

    def __repr__(self) -> str:
        return "Password(***)"

    @classmethod
    def parse(cls, raw: object) -> Password:
        text = _require_str("password", raw)
        if not is_strong_password(text):
            raise InvalidInput.for_field(
                "password",
                "password must be 8-256 characters with an upper-case letter, a lower-case "
                f"letter, a digit and one of {PASSWORD_SPECIALS}",
            )
        return cls(text)


def is_strong_password(text: str) -> bool:
    return (
        PASSWORD_MIN_LENGTH <= len(text) <= PASSWORD_MAX_LENGTH
        and any("A" <= c <= "Z" for c in text)
        and any("a" <= c <= "z" for c in text)
        and any("0" <= c <= "9" for c in text)
        and any(c in PASSWORD_SPECIALS for c in text)
    )


class UserNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such user")


class Role(StrEnum):
    USER = "USER"
    ADMIN = "ADMIN"

    def toggled(self) -> Role:
        return Role.USER if self is Role.ADMIN else Role.ADMIN


@dataclass(frozen=True, slots=True)
class Profile:
    """The public identity of an account; each part is unique across the shop."""

    name: UserName
    email: Email
    phone: Phone

    @classmethod
    def parse(cls, name: object, email: object, phone: object) -> Profile:
        """Validates every field and reports all failures together."""
        check = Validation()
        user_name = check(lambda: UserName.parse(name))
        user_email = check(lambda: Email.parse(email))
        user_phone = check(lambda: Phone.parse(phone))
        check.raise_if_failed()
        assert user_name and user_email and user_phone  # noqa: PT018 - narrowing for mypy
        return cls(user_name, user_email, user_phone)


@dataclass(frozen=True, slots=True)
class User:
    """An account. `banned` accounts keep their row but can no longer sign in."""

    id: UserId
    profile: Profile
    role: Role
    password_hash: str
    created_at: datetime
    banned: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN and not self.banned

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("Only an ADMIN may do this")

    def with_profile(self, profile: Profile) -> User:
        return replace(self, profile=profile)

    def with_role(self, role: Role) -> User:
        return replace(self, role=role)

    def as_banned(self) -> User:
        return replace(self, banned=True)


@dataclass(frozen=True, slots=True)
class Operator:
    """Whoever runs a maintenance command (`allora demo-data`) on the server itself: trusted as
    the database's owner is, so allowed what an ADMIN is, without an account to act as."""

    is_admin = True

    def require_admin(self) -> None:
        """Always allowed."""
