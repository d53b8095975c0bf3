from __future__ import annotations

import pytest

from allora.application.current_user import CurrentUser
from allora.application.sign_up import SignUp
from allora.domain.bans import Ban
from allora.domain.errors import AlreadyTaken, Banned, InvalidInput
from allora.domain.users import Role
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeClock, FakeDatabase

pytestmark = pytest.mark.anyio


async def test_first_account_becomes_admin_and_later_ones_user(
    sign_up: SignUp, database: FakeDatabase
) -> None:
    roles = []
    for n in range(1, 4):
        account = details(n)
        signed_in = await sign_up(
            client="192.0.2.1",
            name=account.name,
            email=account.email,
            phone=account.phone,
            password=PASSWORD,
        )
        roles.append(signed_in.user.role)
    assert roles == [Role.ADMIN, Role.USER, Role.USER]
    assert [database.user_by_name(f"user{n}").role for n in range(1, 4)] == roles


async def test_sign_up_stores_the_account_with_a_hashed_password(
    sign_up: SignUp, database: FakeDatabase, clock: FakeClock
) -> None:
    signed_in = await sign_up(
        client="192.0.2.1",
        name="alice",
        email="alice@example.com",
        phone="5551234567",
        password="Str0ng!pass",
    )
    stored = database.users[signed_in.user.id]
    assert stored == signed_in.user
    assert stored.profile.name.value == "alice"
    assert stored.profile.phone.value == "5551234567"
    assert stored.password_hash == "hashed:Str0ng!pass"
    assert stored.created_at == clock.now()
    assert not stored.banned


async def test_sign_up_stores_the_email_lower_case(sign_up: SignUp, database: FakeDatabase) -> None:
    signed_in = await sign_up(
        client="192.0.2.1",
        name="alice",
        email="Alice@Example.COM",
        phone="5551234567",
        password=PASSWORD,
    )
    assert database.users[signed_in.user.id].profile.email.value == "alice@example.com"


async def test_sign_up_signs_the_new_account_in(
    sign_up: SignUp, current_user: CurrentUser, database: FakeDatabase
) -> None:
    signed_in = await sign_up(
        client="192.0.2.1",
        name="alice",
        email="alice@example.com",
        phone="5551234567",
        password=PASSWORD,
    )
    assert len(database.sessions) == 1
    assert await current_user(token=signed_in.token) == signed_in.user


async def test_sign_up_names_every_invalid_field_and_stores_nothing(
    sign_up: SignUp, database: FakeDatabase
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await sign_up(
            client="192.0.2.1", name="A", email="not-an-email", phone="12345", password="weak"
        )
    assert [error.field for error in raised.value.errors] == ["name", "email", "phone", "password"]
    assert database.contents() == FakeDatabase().contents()


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("name", {"name": "no spaces allowed"}),
        ("email", {"email": "alice@localhost"}),
        ("phone", {"phone": "555-123-4567"}),
        ("password", {"password": "alllowercase1!"}),
    ],
)
async def test_sign_up_refuses_one_invalid_field_naming_only_it(
    sign_up: SignUp, database: FakeDatabase, field: str, fields: dict[str, str]
) -> None:
    given: dict[str, str] = {
        "name": "alice",
        "email": "alice@example.com",
        "phone": "5551234567",
        "password": PASSWORD,
    }
    with pytest.raises(InvalidInput) as raised:
        await sign_up(client="192.0.2.1", **(given | fields))
    assert [error.field for error in raised.value.errors] == [field]
    assert database.users == {}


@pytest.mark.parametrize(
    "ban", [Ban.parse("alice@example.com", None), Ban.parse(None, "5551234567")]
)
async def test_sign_up_refuses_a_banned_email_or_phone(
    sign_up: SignUp, database: FakeDatabase, ban: Ban
) -> None:
    database.bans.append(ban)
    with database.unchanged(), pytest.raises(Banned):
        await sign_up(
            client="192.0.2.1",
            name="alice",
            email="ALICE@example.com",
            phone="5551234567",
            password=PASSWORD,
        )


async def test_a_refused_first_sign_up_leaves_the_admin_place_free(
    sign_up: SignUp, database: FakeDatabase
) -> None:
    database.bans.append(Ban.parse("banned@example.com", None))
    with pytest.raises(Banned):
        await sign_up(
            client="192.0.2.1",
            name="banned",
            email="banned@example.com",
            phone="5550000000",
            password=PASSWORD,
        )
    signed_in = await sign_up(
        client="192.0.2.1",
        name="alice",
        email="alice@example.com",
        phone="5551234567",
        password=PASSWORD,
    )
    assert signed_in.user.role is Role.ADMIN


@pytest.mark.parametrize(
    ("name", "email", "phone", "message"),
    [
        ("user1", "other@example.com", "5559999999", "name already taken"),
        ("other", "USER1@Example.com", "5559999999", "email already taken"),
        ("other", "other@example.com", "5550000001", "phone already taken"),
        ("other", "user1@example.com", "5550000001", "email and phone already taken"),
        ("user1", "user1@example.com", "5550000001", "name, email and phone already taken"),
    ],
)
async def test_sign_up_refuses_taken_details_and_stores_nothing(
    sign_up: SignUp, database: FakeDatabase, name: str, email: str, phone: str, message: str
) -> None:
    first = details(1)
    await sign_up(
        client="192.0.2.1", name=first.name, email=first.email, phone=first.phone, password=PASSWORD
    )
    before = database.contents()
    with pytest.raises(AlreadyTaken) as raised:
        await sign_up(client="192.0.2.1", name=name, email=email, phone=phone, password=PASSWORD)
    assert raised.value.message == message
    assert database.contents() == before
