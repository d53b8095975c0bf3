"""Use cases wired on the fakes, as `entrypoints/container.py` wires them on the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from allora.application.ban_user import BanUser
from allora.application.check_health import CheckHealth
from allora.application.create_admin import CreateAdmin
from allora.application.current_user import CurrentUser
from allora.application.list_users import ListUsers
from allora.application.registration import Registrar
from allora.application.sessions import SessionOpener
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignedIn, SignUp
from allora.application.toggle_role import ToggleRole
from allora.application.update_profile import UpdateProfile
from tests.unit.fakes import (
    FakeAttemptLimiter,
    FakeClock,
    FakeDatabase,
    FakePasswordHasher,
    FakeTokenIssuer,
    FakeUnitOfWorkFactory,
    SequentialIds,
)

SESSION_LIFETIME = timedelta(days=7)
CLIENT_LIMIT = 20
EMAIL_FAILURES = 10
PASSWORD = "Secret1!"


@dataclass(frozen=True)
class Details:
    """Valid sign-up fields."""

    name: str
    email: str
    phone: str
    password: str = PASSWORD


def details(n: int) -> Details:
    """The n-th distinct valid account: no field collides with another n's."""
    return Details(f"user{n}", f"user{n}@example.com", f"5550000{n:03d}")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def uow(database: FakeDatabase) -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(database)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ids() -> SequentialIds:
    return SequentialIds()


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


@pytest.fixture
def tokens() -> FakeTokenIssuer:
    return FakeTokenIssuer()


@pytest.fixture
def per_client() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(CLIENT_LIMIT)


@pytest.fixture
def failures_per_email() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(EMAIL_FAILURES)


@pytest.fixture
def registrar(hasher: FakePasswordHasher, clock: FakeClock, ids: SequentialIds) -> Registrar:
    return Registrar(hasher, clock, ids)


@pytest.fixture
def session_opener(tokens: FakeTokenIssuer, clock: FakeClock, ids: SequentialIds) -> SessionOpener:
    return SessionOpener(tokens, clock, ids, SESSION_LIFETIME)


@pytest.fixture
def sign_up(
    uow: FakeUnitOfWorkFactory, registrar: Registrar, session_opener: SessionOpener
) -> SignUp:
    return SignUp(uow, registrar, session_opener)


@pytest.fixture
def sign_in(
    uow: FakeUnitOfWorkFactory,
    hasher: FakePasswordHasher,
    session_opener: SessionOpener,
    per_client: FakeAttemptLimiter,
    failures_per_email: FakeAttemptLimiter,
) -> SignIn:
    return SignIn(uow, hasher, session_opener, per_client, failures_per_email)


@pytest.fixture
def sign_out(uow: FakeUnitOfWorkFactory, tokens: FakeTokenIssuer) -> SignOut:
    return SignOut(uow, tokens)


@pytest.fixture
def current_user(
    uow: FakeUnitOfWorkFactory, tokens: FakeTokenIssuer, clock: FakeClock
) -> CurrentUser:
    return CurrentUser(uow, tokens, clock)


@pytest.fixture
def update_profile(uow: FakeUnitOfWorkFactory) -> UpdateProfile:
    return UpdateProfile(uow)


@pytest.fixture
def list_users(uow: FakeUnitOfWorkFactory) -> ListUsers:
    return ListUsers(uow)


@pytest.fixture
def ban_user(uow: FakeUnitOfWorkFactory) -> BanUser:
    return BanUser(uow)


@pytest.fixture
def toggle_role(uow: FakeUnitOfWorkFactory) -> ToggleRole:
    return ToggleRole(uow)


@pytest.fixture
def create_admin(uow: FakeUnitOfWorkFactory, registrar: Registrar) -> CreateAdmin:
    return CreateAdmin(uow, registrar)


@pytest.fixture
def check_health(uow: FakeUnitOfWorkFactory) -> CheckHealth:
    return CheckHealth(uow)


@pytest.fixture
async def admin(sign_up: SignUp) -> SignedIn:
    """The first account, so the founding ADMIN, signed in."""
    first = details(1)
    return await sign_up(first.name, first.email, first.phone, first.password)


@pytest.fixture
async def member(admin: SignedIn, sign_up: SignUp) -> SignedIn:
    """A second account, so a USER, signed in."""
    second = details(2)
    return await sign_up(second.name, second.email, second.phone, second.password)
