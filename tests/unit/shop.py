"""The use cases wired on fakes by the composition root's own `wire`.

`fake_ports` is the one place the fakes are put together: conftest's fixtures and the Hypothesis
tests (which build a fresh world per example, as function-scoped fixtures are shared across
examples) both use it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

from allora.domain.fields import read_whole
from allora.domain.money import read_decimal
from allora.domain.products import ProductFields, VariantInput
from allora.domain.tickets import SupportIdentity
from allora.domain.users import Profile, Role, User, UserId
from allora.entrypoints.wiring import Ports, UseCases, wire
from tests.unit.fake_images import FakeImageInspector, FakeImageStore
from tests.unit.fake_mail import FakeCodes, FakeKeyedHasher, FakeMailSealer, FakeMailSender
from tests.unit.fake_views import FakeCatalogueViews
from tests.unit.fakes import (
    FakeAttemptLimiter,
    FakeClock,
    FakeDatabase,
    FakePasswordHasher,
    FakeSessionLookup,
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
_VARIANT_KEYS = {
    "colorName": "color_name",
    "colorHex": "color_hex",
    "size": "size",
    "stock": "stock",
    "price": "price",
}


def _number(field: str, value: object) -> object:
    """Numbers written as text are read as the multipart edge reads them."""
    if not isinstance(value, str) or field not in {"price", "stock", "discount"}:
        return value
    text = value.strip()
    return read_decimal(field, text) if field == "price" else read_whole(field, text)


def variant_inputs(entries: Sequence[Mapping[str, object]]) -> tuple[VariantInput, ...]:
    """Variants written with the contract's keys, typed as the edge types them ("" is empty)."""
    return tuple(
        VariantInput(
            **{
                _VARIANT_KEYS[key]: None
                if value == "" and key in {"stock", "price"}
                else _number(key, value)
                for key, value in entry.items()
            }  # type: ignore[arg-type]
        )
        for entry in entries
    )


def changes(given: Mapping[str, object]) -> ProductFields:
    """Product fields as a client names them (contract keys), typed as the edge types them."""
    typed = {key: _number(key, value) for key, value in given.items() if key != "variants"}
    variants = given.get("variants")
    return ProductFields(
        **typed,  # type: ignore[arg-type]
        variants=None if variants is None else variant_inputs(variants),  # type: ignore[arg-type]
    )


def product_fields(**replaced: object) -> ProductFields:
    """Valid fields of a new product, with some replaced."""
    return changes({**VALID_PRODUCT, **replaced})


def with_variants(fields: ProductFields, entries: Sequence[Mapping[str, object]]) -> ProductFields:
    return replace(fields, variants=variant_inputs(entries))


def read_json(body: bytes) -> Any:
    """A body a read use case returned, as a client reads it (numbers with a fraction as
    `Decimal`, so a score compares exactly)."""
    return json.loads(body, parse_float=Decimal)


SESSION_LIFETIME = timedelta(days=7)
SUPPORT = SupportIdentity.parse("Allora Support", "5550000000", "support@shop.test")
CLIENT_LIMIT = 20
EMAIL_FAILURES = 10
RESET_CLIENT_LIMIT = 5
RESET_EMAIL_LIMIT = 3
ABUSE_LIMIT = 10_000  # sign-up, comments, tickets, orders: out of the way of other rules' tests


def fake_ports(
    uow: FakeUnitOfWorkFactory, clock: FakeClock, ids: SequentialIds, **fakes: Any
) -> Ports:
    """The ports of `wire`, all fakes, any of them given by its `Ports` name; reads and
    writes share the one fake database."""
    defaults: dict[str, Any] = {
        "sessions": FakeSessionLookup(uow),
        "redeemer": None,
        "hasher": FakePasswordHasher(),
        "tokens": FakeTokenIssuer(),
        "images": FakeImageStore(),
        "inspector": FakeImageInspector(),
        "signin_per_client": FakeAttemptLimiter(CLIENT_LIMIT),
        "signin_failures_per_email": FakeAttemptLimiter(EMAIL_FAILURES),
        "reset_requests_per_client": FakeAttemptLimiter(RESET_CLIENT_LIMIT),
        "reset_requests_per_email": FakeAttemptLimiter(RESET_EMAIL_LIMIT),
        "reset_codes_per_client": FakeAttemptLimiter(RESET_CLIENT_LIMIT),
        "signup_per_client": FakeAttemptLimiter(ABUSE_LIMIT),
        "comment_per_client": FakeAttemptLimiter(ABUSE_LIMIT),
        "ticket_per_client": FakeAttemptLimiter(ABUSE_LIMIT),
        "order_per_client": FakeAttemptLimiter(ABUSE_LIMIT),
        "mail": FakeMailSender(),
        "sealer": FakeMailSealer(),
        "keyed": FakeKeyedHasher(),
        "codes": FakeCodes("314159", "271828", "161803"),
        "session_lifetime": SESSION_LIFETIME,
        "support": SUPPORT,
    }
    chosen = {**defaults, **fakes}
    views = FakeCatalogueViews(uow.database, chosen["images"])
    return Ports(uow=uow, reader=uow, views=views, clock=clock, ids=ids, **chosen)


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
