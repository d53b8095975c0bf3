from __future__ import annotations

import pytest

from allora.application.create_admin import CreateAdmin
from allora.application.sessions import SignedIn
from allora.application.sign_in import SignIn
from allora.application.sign_up import SignUp
from allora.domain.bans import Ban
from allora.domain.errors import AlreadyTaken, Banned, InvalidInput
from allora.domain.users import Role
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio

OPERATOR = details(9)


async def test_create_admin_makes_an_admin_even_after_the_first_account(
    create_admin: CreateAdmin, member: SignedIn, database: FakeDatabase
) -> None:
    user = await create_admin(
        name=OPERATOR.name, email=OPERATOR.email.upper(), phone=OPERATOR.phone, password=PASSWORD
    )
    assert user.role is Role.ADMIN
    assert database.users[user.id] == user
    assert user.profile.email.value == OPERATOR.email
    assert user.password_hash == "hashed:" + PASSWORD


async def test_create_admin_opens_no_session(
    create_admin: CreateAdmin, database: FakeDatabase
) -> None:
    await create_admin(
        name=OPERATOR.name, email=OPERATOR.email, phone=OPERATOR.phone, password=PASSWORD
    )
    assert database.sessions == {}


async def test_the_created_admin_can_sign_in(create_admin: CreateAdmin, sign_in: SignIn) -> None:
    user = await create_admin(
        name=OPERATOR.name, email=OPERATOR.email, phone=OPERATOR.phone, password=PASSWORD
    )
    assert (await sign_in(email=OPERATOR.email, password=PASSWORD, client="cli")).user == user


async def test_after_an_operator_made_the_first_admin_sign_ups_are_users(
    create_admin: CreateAdmin, sign_up: SignUp
) -> None:
    await create_admin(
        name=OPERATOR.name, email=OPERATOR.email, phone=OPERATOR.phone, password=PASSWORD
    )
    first = details(1)
    signed_in = await sign_up(
        client="192.0.2.1", name=first.name, email=first.email, phone=first.phone, password=PASSWORD
    )
    assert signed_in.user.role is Role.USER


async def test_create_admin_names_every_invalid_field(
    create_admin: CreateAdmin, database: FakeDatabase
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await create_admin(name="x", email="@", phone="phone", password="password")
    assert [error.field for error in raised.value.errors] == ["name", "email", "phone", "password"]
    assert database.contents() == FakeDatabase().contents()


async def test_create_admin_refuses_taken_details(
    create_admin: CreateAdmin, admin: SignedIn, database: FakeDatabase
) -> None:
    first = details(1)
    before = database.contents()
    with pytest.raises(AlreadyTaken) as raised:
        await create_admin(
            name=OPERATOR.name, email=first.email, phone=OPERATOR.phone, password=PASSWORD
        )
    assert raised.value.message == "email already taken"
    assert database.contents() == before


async def test_create_admin_refuses_banned_details(
    create_admin: CreateAdmin, database: FakeDatabase
) -> None:
    database.bans.append(Ban.parse(None, OPERATOR.phone))
    with database.unchanged(), pytest.raises(Banned):
        await create_admin(
            name=OPERATOR.name, email=OPERATOR.email, phone=OPERATOR.phone, password=PASSWORD
        )
