"""Discount codes: a percentage off, redeemable once per user, never past `max_use`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NewType
from uuid import UUID

from allora.domain.errors import AlreadyTaken, InvalidInput, LimitReached, NotFound, Validation
from allora.domain.fields import parse_whole
from allora.domain.users import UserId

DiscountId = NewType("DiscountId", UUID)
_CODE = re.compile(r"[A-Za-z0-9]{3,20}")
MAX_USES = 1_000_000_000


class DiscountUnavailable(LimitReached):
    """The code cannot be redeemed now: used up, already used by this user, or out of its
    validity window (422)."""

    @classmethod
    def not_now(cls) -> DiscountUnavailable:
        return cls("This code is not valid at this time")

    @classmethod
    def used_up(cls) -> DiscountUnavailable:
        return cls("This code has reached its usage limit")

    @classmethod
    def already_used(cls) -> DiscountUnavailable:
        return cls("You have already used this code")


class DiscountNotFound(NotFound):
    @classmethod
    def by_code(cls) -> DiscountNotFound:
        return cls("No such discount code")

    @classmethod
    def by_id(cls) -> DiscountNotFound:
        return cls("No such discount")


class DiscountCodeTaken(AlreadyTaken):
    def __init__(self, code: str) -> None:
        super().__init__(f"code {code} already exists")


def parse_code(raw: object, field: str = "code") -> str:
    """3-20 letters or digits, compared and stored upper-case."""
    if not isinstance(raw, str) or not _CODE.fullmatch(raw):
        raise InvalidInput.for_field(field, f"{field} must be 3-20 letters or digits")
    return raw.upper()


def _parse_moment(field: str, raw: object) -> datetime | None:
    if raw is None:
        return None
    if not isinstance(raw, datetime) or raw.tzinfo is None:
        raise InvalidInput.for_field(field, f"{field} must be an ISO 8601 time with a timezone")
    try:
        return raw.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is in year 10000 once in UTC
        message = f"{field} must fall within years 1 to 9999 in UTC"
        raise InvalidInput.for_field(field, message) from None


@dataclass(frozen=True, slots=True)
class DiscountTerms:
    """What an ADMIN sets when creating a code."""

    code: str
    percent: int
    max_use: int
    starts_at: datetime | None
    ends_at: datetime | None

    @classmethod
    def parse(
        cls, code: object, percent: object, max_use: object, starts_at: object, ends_at: object
    ) -> DiscountTerms:
        check = Validation()
        terms = (
            check(lambda: parse_code(code)),
            check(lambda: parse_whole("percent", percent, 0, 100)),
            check(lambda: parse_whole("maxUse", max_use, 1, MAX_USES)),
            check(lambda: _parse_moment("startsAt", starts_at)),
            check(lambda: _parse_moment("endsAt", ends_at)),
        )
        check.raise_if_failed()
        parsed_code, parsed_percent, parsed_max, starts, ends = terms
        if starts is not None and ends is not None and ends <= starts:
            raise InvalidInput.for_field("endsAt", "endsAt must be after startsAt")
        assert parsed_code is not None
        assert parsed_percent is not None
        assert parsed_max is not None
        return cls(parsed_code, parsed_percent, parsed_max, starts, ends)


@dataclass(frozen=True, slots=True)
class Discount:
    id: DiscountId
    terms: DiscountTerms
    uses: int
    created_at: datetime
    updated_at: datetime

    def check_redeemable(self, now: datetime) -> None:
        """The rules a redemption must pass before the database's own checks."""
        self.check_window(now)
        if self.uses >= self.terms.max_use:
            raise DiscountUnavailable.used_up()

    def check_window(self, now: datetime) -> None:
        """Outside its window a code applies to nothing, even one redeemed earlier."""
        starts, ends = self.terms.starts_at, self.terms.ends_at
        if (starts is not None and now < starts) or (ends is not None and now >= ends):
            raise DiscountUnavailable.not_now()


@dataclass(frozen=True, slots=True)
class Redemption:
    """A user's use of a code; `order_id` is the order that holds it, None while the code was
    only redeemed on the cart page and no order has taken it over yet."""

    discount_id: DiscountId
    user_id: UserId
    order_id: UUID | None
    redeemed_at: datetime
