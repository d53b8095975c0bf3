from __future__ import annotations

import pytest

from allora.application.sessions import SignedIn
from allora.application.update_profile import UpdateProfile
from allora.domain.bans import Ban
from allora.domain.errors import AlreadyTaken, Banned, InvalidInput, NotAuthenticated
from tests.unit.conftest import details
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio

ADMIN, MEMBER = details(1), details(2)


async def test_update_profile_stores_the_new_details(
    update_profile: UpdateProfile, member: SignedIn, database: FakeDatabase
) -> None:
    updated = await update_profile(
        actor=member.user, name="renamed", email="New@Example.com", phone="5559876543"
    )
    assert (
        updated.profile.name.value,
        updated.profile.email.value,
        updated.profile.phone.value,
    ) == ("renamed", "new@example.com", "5559876543")
    assert database.users[member.user.id] == updated


async def test_update_profile_keeps_role_password_and_creation_time(
    update_profile: UpdateProfile, admin: SignedIn, database: FakeDatabase
) -> None:
    updated = await update_profile(
        actor=admin.user, name="renamed", email="new@example.com", phone="5559876543"
    )
    assert (updated.id, updated.role, updated.password_hash, updated.created_at) == (
        admin.user.id,
        admin.user.role,
        admin.user.password_hash,
        admin.user.created_at,
    )


async def test_keeping_ones_own_details_is_not_taken(
    update_profile: UpdateProfile, member: SignedIn
) -> None:
    updated = await update_profile(
        actor=member.user, name=MEMBER.name, email=MEMBER.email.upper(), phone=MEMBER.phone
    )
    assert updated.profile == member.user.profile


async def test_update_profile_names_every_invalid_field_and_changes_nothing(
    update_profile: UpdateProfile, member: SignedIn, database: FakeDatabase
) -> None:
    before = database.contents()
    with pytest.raises(InvalidInput) as raised:
        await update_profile(actor=member.user, name="Bad Name", email="bad@", phone="42")
    assert [error.field for error in raised.value.errors] == ["name", "email", "phone"]
    assert database.contents() == before


@pytest.mark.parametrize(
    ("name", "email", "phone", "message"),
    [
        (ADMIN.name, MEMBER.email, MEMBER.phone, "name already taken"),
        (MEMBER.name, ADMIN.email.upper(), MEMBER.phone, "email already taken"),
        (MEMBER.name, MEMBER.email, ADMIN.phone, "phone already taken"),
        (ADMIN.name, ADMIN.email, ADMIN.phone, "name, email and phone already taken"),
    ],
)
async def test_update_profile_refuses_details_of_another_account(
    update_profile: UpdateProfile,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    name: str,
    email: str,
    phone: str,
    message: str,
) -> None:
    before = database.contents()
    with pytest.raises(AlreadyTaken) as raised:
        await update_profile(actor=member.user, name=name, email=email, phone=phone)
    assert raised.value.message == message
    assert database.contents() == before


@pytest.mark.parametrize(
    "ban", [Ban.parse("banned@example.com", None), Ban.parse(None, "5550009999")]
)
async def test_update_profile_refuses_a_banned_email_or_phone(
    update_profile: UpdateProfile, member: SignedIn, database: FakeDatabase, ban: Ban
) -> None:
    database.bans.append(ban)
    with database.unchanged(), pytest.raises(Banned):
        await update_profile(
            actor=member.user, name=MEMBER.name, email="Banned@example.com", phone="5550009999"
        )


async def test_update_profile_of_a_vanished_account_is_not_authenticated(
    update_profile: UpdateProfile, member: SignedIn, database: FakeDatabase
) -> None:
    del database.users[member.user.id]
    with database.unchanged(), pytest.raises(NotAuthenticated):
        await update_profile(
            actor=member.user, name="renamed", email="new@example.com", phone="5559876543"
        )
