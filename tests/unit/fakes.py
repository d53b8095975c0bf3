"""In-memory fakes of every port, honouring the semantics the Protocol docstrings promise.

Repositories work on a staged copy of one `FakeDatabase`; `FakeUnitOfWork.commit` swaps that copy
in, so a use case that fails before committing leaves the shared state exactly as it was.
Transactions run one at a time, as SQLite's `BEGIN IMMEDIATE` runs them: a second one waits
until the first has left, so a race of use cases ends as it would on the database.
"""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self
from uuid import UUID

from allora.domain.bans import Ban
from allora.domain.billing import BillingDetails
from allora.domain.comments import Comment, CommentId
from allora.domain.discounts import Discount, DiscountId
from allora.domain.errors import NotAuthenticated
from allora.domain.mail import MessageId, OutboxMessage
from allora.domain.orders import Order, OrderId
from allora.domain.password_reset import ResetCode
from allora.domain.products import Product, ProductId
from allora.domain.sessions import Session, SessionId
from allora.domain.tickets import Ticket, TicketId
from allora.domain.users import User, UserId
from tests.unit.fake_accounts import (
    FakeBanRepository,
    FakeSessionRepository,
    FakeUserRepository,
)
from tests.unit.fake_catalogue import FakeCommentRepository, FakeProductRepository
from tests.unit.fake_commerce import (
    FakeDiscountRepository,
    FakeTicketRepository,
    FakeWishlistRepository,
)
from tests.unit.fake_mail import (
    FakeBillingRepository,
    FakeOutboxRepository,
    FakePasswordResetRepository,
)
from tests.unit.fake_orders import FakeOrderRepository

__all__ = [
    "DatabaseDown",
    "FakeAttemptLimiter",
    "FakeBanRepository",
    "FakeClock",
    "FakeCommentRepository",
    "FakeDatabase",
    "FakeDiscountRepository",
    "FakeOrderRepository",
    "FakePasswordHasher",
    "FakeProductRepository",
    "FakeSessionLookup",
    "FakeSessionRepository",
    "FakeTicketRepository",
    "FakeTokenIssuer",
    "FakeUnitOfWork",
    "FakeUnitOfWorkFactory",
    "FakeUserRepository",
    "FakeWishlistRepository",
    "SequentialIds",
]


class DatabaseDown(ConnectionError):
    """What a fake database raises while it is switched off."""


_SWITCHES = frozenset({"reachable", "answering", "committing", "commits", "writer"})


@dataclass
class FakeDatabase:
    """The committed state of the shop, plus switches to simulate an outage."""

    users: dict[UserId, User] = field(default_factory=dict)
    sessions: dict[SessionId, Session] = field(default_factory=dict)
    bans: list[Ban] = field(default_factory=list)
    products: dict[ProductId, Product] = field(default_factory=dict)
    comments: dict[CommentId, Comment] = field(default_factory=dict)
    wishlists: dict[tuple[UserId, ProductId], datetime] = field(default_factory=dict)
    discounts: dict[DiscountId, Discount] = field(default_factory=dict)
    redemptions: dict[tuple[DiscountId, UserId], datetime] = field(default_factory=dict)
    redemption_orders: dict[tuple[DiscountId, UserId], OrderId] = field(default_factory=dict)
    orders: dict[OrderId, Order] = field(default_factory=dict)
    order_requests: dict[tuple[UserId, str], tuple[OrderId, str]] = field(default_factory=dict)
    tickets: dict[TicketId, Ticket] = field(default_factory=dict)
    billing: dict[UserId, BillingDetails] = field(default_factory=dict)
    password_resets: dict[UserId, ResetCode] = field(default_factory=dict)
    outbox: dict[MessageId, OutboxMessage] = field(default_factory=dict)
    outbox_claims: dict[MessageId, UUID] = field(default_factory=dict)
    first_account_claimed: bool = False
    reachable: bool = True  # False: opening a transaction fails
    answering: bool = True  # False: transactions open but `ping` fails
    committing: bool = True  # False: `commit` fails and nothing of the transaction lands
    commits: int = 0
    # Held by the open transaction, so transactions run one at a time (see the module's doc).
    writer: asyncio.Lock = field(
        default_factory=asyncio.Lock, init=False, repr=False, compare=False
    )

    def _state(self) -> list[str]:
        return [f.name for f in fields(self) if f.name not in _SWITCHES]

    def snapshot(self) -> FakeDatabase:
        """A copy whose containers can change without touching this state (entities are frozen)."""
        staged = copy.copy(self)
        for name in self._state():
            setattr(staged, name, copy.copy(getattr(self, name)))
        return staged

    def load(self, staged: FakeDatabase) -> None:
        """Makes a transaction's staged changes the committed state."""
        for name in self._state():
            setattr(self, name, copy.copy(getattr(staged, name)))
        self.commits += 1

    def contents(self) -> tuple[object, ...]:
        """Everything a use case can change, for before/after comparisons."""
        return tuple(copy.copy(getattr(self, name)) for name in self._state())

    @contextmanager
    def unchanged(self) -> Iterator[None]:
        """The block must leave everything a use case can change as it found it:
        `with database.unchanged(), pytest.raises(...)` for a refused request."""
        before = self.contents()
        yield
        assert self.contents() == before

    def user_by_name(self, name: str) -> User:
        return next(user for user in self.users.values() if user.profile.name.value == name)


class FakeUnitOfWork:
    """A transaction over a staged copy of `database`; only `commit` publishes it."""

    def __init__(self, database: FakeDatabase) -> None:
        self._database = database
        self._staged: FakeDatabase | None = None
        self.committed = False

    @property
    def users(self) -> FakeUserRepository:
        return FakeUserRepository(self._require_staged())

    @property
    def sessions(self) -> FakeSessionRepository:
        return FakeSessionRepository(self._require_staged())

    @property
    def bans(self) -> FakeBanRepository:
        return FakeBanRepository(self._require_staged())

    @property
    def products(self) -> FakeProductRepository:
        return FakeProductRepository(self._require_staged())

    @property
    def comments(self) -> FakeCommentRepository:
        return FakeCommentRepository(self._require_staged())

    @property
    def wishlists(self) -> FakeWishlistRepository:
        return FakeWishlistRepository(self._require_staged())

    @property
    def discounts(self) -> FakeDiscountRepository:
        return FakeDiscountRepository(self._require_staged())

    @property
    def tickets(self) -> FakeTicketRepository:
        return FakeTicketRepository(self._require_staged())

    @property
    def billing(self) -> FakeBillingRepository:
        return FakeBillingRepository(self._require_staged())

    @property
    def password_resets(self) -> FakePasswordResetRepository:
        return FakePasswordResetRepository(self._require_staged())

    @property
    def outbox(self) -> FakeOutboxRepository:
        return FakeOutboxRepository(self._require_staged())

    @property
    def orders(self) -> FakeOrderRepository:
        return FakeOrderRepository(self._require_staged())

    async def __aenter__(self) -> Self:
        if self._staged is not None:
            raise RuntimeError("transaction already open")
        if not self._database.reachable:
            raise DatabaseDown("database unreachable")
        await self._database.writer.acquire()
        self._staged = self._database.snapshot()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._staged = None  # whatever was not committed is dropped
        self._database.writer.release()

    async def commit(self) -> None:
        staged = self._require_staged()
        if not self._database.committing:
            raise DatabaseDown("commit failed")
        self._database.load(staged)
        self._staged = self._database.snapshot()
        self.committed = True

    async def ping(self) -> None:
        self._require_staged()
        if not self._database.answering:
            raise DatabaseDown("database does not answer")

    def _require_staged(self) -> FakeDatabase:
        if self._staged is None:
            raise RuntimeError("used outside `async with`")
        return self._staged


class FakeUnitOfWorkFactory:
    """The `UnitOfWorkFactory`: a fresh transaction over the shared database on every call."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.opened: list[FakeUnitOfWork] = []

    def __call__(self) -> FakeUnitOfWork:
        uow = FakeUnitOfWork(self.database)
        self.opened.append(uow)
        return uow


class FakeSessionLookup:
    """The `SessionLookup` without memory: every call reads the committed state through a
    transaction of `uow` (the process's cache is tested on its own, in test_session_cache)."""

    def __init__(self, uow: FakeUnitOfWorkFactory) -> None:
        self._uow = uow

    async def find(self, session_id: SessionId) -> tuple[Session, User] | None:
        async with self._uow() as uow:
            return await uow.sessions.get(session_id)


START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """Stands still until told to move; always timezone-aware UTC."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self.set(start)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class SequentialIds:
    """Ids 1, 2, 3, ... as UUIDs: unique and ordered like creation, easy to read in failures."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> UUID:
        self._last += 1
        return UUID(int=self._last)


class FakePasswordHasher:
    PREFIX = "hashed:"

    def __init__(self) -> None:
        self.verifications = 0

    async def hash(self, password: str) -> str:
        return self.PREFIX + password

    async def verify(self, password_hash: str | None, password: str) -> bool:
        self.verifications += 1  # counted with or without a hash: "the same work"
        return password_hash is not None and password_hash == self.PREFIX + password


class FakeTokenIssuer:
    PREFIX = "session:"

    def issue(self, session: Session) -> str:
        return f"{self.PREFIX}{session.id}"

    def read(self, token: str) -> SessionId:
        if not token.startswith(self.PREFIX):
            raise NotAuthenticated("Invalid or expired session")
        try:
            return SessionId(UUID(token.removeprefix(self.PREFIX)))
        except ValueError as error:
            raise NotAuthenticated("Invalid or expired session") from error


class FakeAttemptLimiter:
    """At most `limit` counted attempts per key, until `window_passes` or `forget`."""

    window_seconds = 60

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.counts: Counter[str] = Counter()

    async def hit(self, key: str) -> bool:
        if self.counts[key] >= self.limit:
            return False
        self.counts[key] += 1
        return True

    async def forget(self, key: str) -> None:
        del self.counts[key]

    def window_passes(self) -> None:
        self.counts.clear()
