"""The catalogue and shop use cases wired on fakes, as `entrypoints/container.py` wires them.

`Shop.wire` is the one place the wiring is written: conftest's fixtures and the Hypothesis tests
(which build a fresh world per example, as function-scoped fixtures are shared across examples)
both use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from allora.application.outbox import Outbox
from allora.application.shop_use_cases import ShopUseCases
from allora.domain.users import Profile, Role, User, UserId
from tests.unit.fake_images import FakeImageInspector, FakeImageStore
from tests.unit.fake_mail import FakeMailSealer
from tests.unit.fakes import FakeClock, FakeDatabase, FakeUnitOfWorkFactory, SequentialIds

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


Shop = ShopUseCases


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
        outbox = Outbox(self.clock, self.ids, FakeMailSealer())
        self.shop = Shop.wire(uow, self.images, self.inspector, self.clock, self.ids, outbox=outbox)

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
