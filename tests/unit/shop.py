"""The use cases wired on fakes by the composition root's own `wire`.

`fake_ports` is the one place the fakes are put together: conftest's fixtures and the Hypothesis
tests (which build a fresh world per example, as function-scoped fixtures are shared across
examples) both use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from allora.domain.users import Profile, Role, User, UserId
from allora.entrypoints.wiring import Ports, UseCases, wire
from tests.unit.fake_images import FakeImageInspector, FakeImageStore
from tests.unit.fakes import (
    FakeAttemptLimiter,
    FakeClock,
    FakeDatabase,
    FakePasswordHasher,
    FakeTokenIssuer,
    FakeUnitOfWorkFactory,
    SequentialIds,
)

T = TypeVar("T")

VALID_PRODUCT: dict[str, object] = {
    "name": "Linen shirt",
    "price": "19.99",
    "description": "A light linen shirt for summer",
    "category": "tops",
    "stock": "5",
    "discount": "0",
}


def product_fields(**changes: object) -> dict[str, object]:
    """Valid multipart fields of a new product, with some replaced."""
    return {**VALID_PRODUCT, **changes}


SESSION_LIFETIME = timedelta(days=7)
CLIENT_LIMIT = 20
EMAIL_FAILURES = 10


def fake_ports(
    uow: FakeUnitOfWorkFactory,
    clock: FakeClock,
    ids: SequentialIds,
    hasher: FakePasswordHasher | None = None,
    tokens: FakeTokenIssuer | None = None,
    images: FakeImageStore | None = None,
    inspector: FakeImageInspector | None = None,
    per_client: FakeAttemptLimiter | None = None,
    failures_per_email: FakeAttemptLimiter | None = None,
) -> Ports:
    """The ports of `wire`, all fakes; reads and writes share the one fake database."""
    return Ports(
        uow=uow,
        reader=uow,
        clock=clock,
        ids=ids,
        hasher=hasher or FakePasswordHasher(),
        tokens=tokens or FakeTokenIssuer(),
        images=images or FakeImageStore(),
        inspector=inspector or FakeImageInspector(),
        signin_per_client=per_client or FakeAttemptLimiter(CLIENT_LIMIT),
        signin_failures_per_email=failures_per_email or FakeAttemptLimiter(EMAIL_FAILURES),
        session_lifetime=SESSION_LIFETIME,
    )


@dataclass
class World:
    """Fresh fakes and the shop on them, for one Hypothesis example; `run` awaits a use case."""

    database: FakeDatabase = field(default_factory=FakeDatabase)
    clock: FakeClock = field(default_factory=FakeClock)
    ids: SequentialIds = field(default_factory=SequentialIds)
    images: FakeImageStore = field(default_factory=FakeImageStore)
    inspector: FakeImageInspector = field(default_factory=FakeImageInspector)
    runner: asyncio.Runner = field(default_factory=asyncio.Runner)

    def __post_init__(self) -> None:
        uow = FakeUnitOfWorkFactory(self.database)
        ports = fake_ports(uow, self.clock, self.ids, images=self.images, inspector=self.inspector)
        self.shop: UseCases = wire(ports)

    def run(self, step: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(step)

    def close(self) -> None:
        self.runner.close()

    def person(self, n: int, role: Role = Role.USER) -> User:
        """The n-th account, stored directly: these tests are not about signing up."""
        profile = Profile.parse(f"user{n}", f"user{n}@example.com", f"5550000{n:03d}")
        user = User(UserId(self.ids()), profile, role, "hashed:x", self.clock.now())
        self.database.users[user.id] = user
        return user
