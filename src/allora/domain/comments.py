"""Comments: scored reviews of a product that count only once an ADMIN accepts them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from allora.domain.errors import InvalidInput, NotFound, Validation
from allora.domain.fields import parse_text
from allora.domain.products import ProductId
from allora.domain.users import Email, UserId

CommentId = NewType("CommentId", UUID)
MIN_SCORE, MAX_SCORE = 1, 5


class CommentNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such comment")


class CommentStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# What anyone may see of a product's comments: those an ADMIN accepted.
PUBLIC_STATUSES = frozenset({CommentStatus.ACCEPTED})

_STATUS_FILTERS = {
    "pending": frozenset({CommentStatus.PENDING}),
    "accepted": frozenset({CommentStatus.ACCEPTED}),
    "rejected": frozenset({CommentStatus.REJECTED}),
    "all": frozenset(CommentStatus),
}


def statuses_named(name: str) -> frozenset[CommentStatus]:
    """The statuses a listing filter names: one of them, or `all`."""
    if name not in _STATUS_FILTERS:
        allowed = ", ".join(_STATUS_FILTERS)
        raise InvalidInput.for_field("status", f"status must be one of {allowed}")
    return _STATUS_FILTERS[name]


def parse_score(raw: object) -> int:
    """An integer 1-5; `"3"`, `3.0` and `true` are not."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not MIN_SCORE <= raw <= MAX_SCORE:
        raise InvalidInput.for_field("score", "score must be an integer from 1 to 5")
    return raw


@dataclass(frozen=True, slots=True)
class CommentDraft:
    """What a visitor writes; validated before anything is stored."""

    username: str
    email: Email
    body: str
    score: int

    @classmethod
    def parse(cls, username: object, email: object, body: object, score: object) -> CommentDraft:
        check = Validation()
        draft_username = check(lambda: parse_text("username", username, 1, 50))
        draft_email = check(lambda: Email.parse(email))
        draft_body = check(lambda: parse_text("body", body, 1, 2000))
        draft_score = check(lambda: parse_score(score))
        check.raise_if_failed()
        assert draft_username and draft_email and draft_body and draft_score  # noqa: PT018
        return cls(draft_username, draft_email, draft_body, draft_score)


@dataclass(frozen=True, slots=True)
class Comment:
    id: CommentId
    product_id: ProductId
    author_id: UserId | None
    draft: CommentDraft
    status: CommentStatus
    created_at: datetime

    @property
    def is_accepted(self) -> bool:
        return self.status is CommentStatus.ACCEPTED
