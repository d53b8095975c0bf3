"""The domain's error tree: every message is safe to show to a client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One rejected field of an input, named as the client sent it."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every rule violation; the message is written for the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The input breaks a validation rule; `errors` names each offending field."""

    def __init__(self, message: str, errors: tuple[FieldError, ...] = ()) -> None:
        super().__init__(message)
        self.errors = errors

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(message, (FieldError(field, message),))

    @classmethod
    def combine(cls, failures: list[InvalidInput]) -> InvalidInput:
        """One error carrying every field failure, so a client can fix a form at once."""
        errors = tuple(error for failure in failures for error in failure.errors)
        return cls("; ".join(failure.message for failure in failures), errors)


class Validation:
    """Runs several field parsers and collects their failures into one `InvalidInput`."""

    def __init__(self) -> None:
        self._failures: list[InvalidInput] = []

    def __call__(self, parse: Callable[[], T]) -> T | None:
        """The parsed value, or None after recording why it failed."""
        try:
            return parse()
        except InvalidInput as failure:
            self._failures.append(failure)
            return None

    def raise_if_failed(self) -> None:
        if self._failures:
            raise InvalidInput.combine(self._failures)


class NotAuthenticated(DomainError):
    """No valid session (missing, expired, revoked or tampered with)."""


class InvalidCredentials(NotAuthenticated):
    """Unknown email or wrong password: one message for both, so accounts cannot be probed."""

    def __init__(self) -> None:
        super().__init__("Invalid email or password")


class Forbidden(DomainError):
    """Signed in, but not allowed to do this."""


class Banned(Forbidden):
    """The account, its email or its phone is banned."""

    def __init__(self) -> None:
        super().__init__("This account is banned")


class NotFound(DomainError):
    """An id the client sent names nothing."""


class AlreadyTaken(DomainError):
    """A unique value (name, email, phone, code) belongs to someone else."""


class LastAdmin(DomainError):
    """The change would leave the shop without an active ADMIN."""

    def __init__(self) -> None:
        super().__init__("The shop must keep at least one ADMIN")


class TooManyAttempts(DomainError):
    """A rate limit was reached; try again in `retry_after` seconds at the latest."""

    def __init__(self, retry_after: int = 60) -> None:
        super().__init__("Too many attempts, try again later")
        self.retry_after = retry_after


def taken_message(fields: list[str]) -> str:
    """`email already taken`, `name, email and phone already taken`."""
    listed = fields[0] if len(fields) == 1 else f"{', '.join(fields[:-1])} and {fields[-1]}"
    return f"{listed} already taken"


class TooLarge(DomainError):
    """An upload exceeds a size cap."""


class LimitReached(DomainError):
    """A quota or one-time right is used up, or not available now (422)."""


class Conflict(DomainError):
    """The request cannot be carried out in the current state of what it names (409);
    `errors` may name each part of the request in the way (a short order line)."""

    def __init__(self, message: str, errors: tuple[FieldError, ...] = ()) -> None:
        super().__init__(message)
        self.errors = errors


class ServiceUnavailable(DomainError):
    """A service the shop needs (`dependency`: the database, Redis) cannot be reached or was
    lost mid-request: the request did not complete, and may succeed once it is back (503)."""

    def __init__(self, dependency: str) -> None:
        super().__init__("The shop is temporarily unavailable, try again in a few seconds")
        self.dependency = dependency
