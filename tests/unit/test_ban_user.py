from __future__ import annotations

import pytest

from allora.application.ban_user import BanUser
from allora.application.current_user import CurrentUser
from allora.application.sessions import SignedIn
from allora.application.sign_in import SignIn
from allora.application.sign_up import SignUp
from allora.application.toggle_role import ToggleRole
from allora.domain.bans import Ban
from allora.domain.errors import Banned, Forbidden, InvalidInput, LastAdmin, NotAuthenticated
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio

ADMIN, MEMBER, OTHER = details(1), details(2), details(3)


@pytest.fixture
async def other(member: SignedIn, sign_up: SignUp) -> SignedIn:
    return await sign_up(
        client="192.0.2.1", name=OTHER.name, email=OTHER.email, phone=OTHER.phone, password=PASSWORD
    )


@pytest.mark.parametrize(
    ("email", "phone"), [(MEMBER.email, None), (None, MEMBER.phone), (MEMBER.email, MEMBER.phone)]
)
async def test_a_ban_flags_the_account_and_ends_its_sessions(
    ban_user: BanUser,
    current_user: CurrentUser,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    email: str | None,
    phone: str | None,
) -> None:
    await ban_user(actor=admin.user, email=email, phone=phone)
    assert database.users[member.user.id].banned
    assert all(session.user_id != member.user.id for session in database.sessions.values())
    with pytest.raises(NotAuthenticated):
        await current_user(token=member.token)


async def test_a_ban_leaves_other_accounts_alone(
    ban_user: BanUser,
    current_user: CurrentUser,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    database: FakeDatabase,
) -> None:
    await ban_user(actor=admin.user, email=MEMBER.email, phone=None)
    assert not database.users[other.user.id].banned
    assert await current_user(token=other.token) == other.user
    assert await current_user(token=admin.token) == admin.user


async def test_a_ban_on_email_and_phone_reaches_both_holders(
    ban_user: BanUser, admin: SignedIn, member: SignedIn, other: SignedIn, database: FakeDatabase
) -> None:
    await ban_user(actor=admin.user, email=MEMBER.email, phone=OTHER.phone)
    assert database.users[member.user.id].banned
    assert database.users[other.user.id].banned
    assert not database.users[admin.user.id].banned


async def test_a_ban_matches_the_email_whatever_its_case(
    ban_user: BanUser, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    await ban_user(actor=admin.user, email=MEMBER.email.upper(), phone=None)
    assert database.users[member.user.id].banned


@pytest.mark.parametrize(
    ("email", "phone"),
    [
        (MEMBER.email, None),
        (None, MEMBER.phone),
        ("nobody@example.com", None),
        (None, "5550009999"),
    ],
)
async def test_a_banned_email_or_phone_cannot_sign_up_again(
    ban_user: BanUser, sign_up: SignUp, admin: SignedIn, email: str | None, phone: str | None
) -> None:
    """Also for details no account holds yet."""
    await ban_user(actor=admin.user, email=email, phone=phone)
    with pytest.raises(Banned):
        await sign_up(
            client="192.0.2.1",
            name="newcomer",
            email=email or "newcomer@example.com",
            phone=phone or "5550008888",
            password=PASSWORD,
        )


async def test_a_banned_user_cannot_sign_in(
    ban_user: BanUser, sign_in: SignIn, admin: SignedIn, member: SignedIn
) -> None:
    await ban_user(actor=admin.user, email=None, phone=MEMBER.phone)
    with pytest.raises(Banned):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")


async def test_only_an_admin_may_ban(
    ban_user: BanUser, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    before = database.contents()
    with pytest.raises(Forbidden):
        await ban_user(actor=member.user, email=ADMIN.email, phone=None)
    with pytest.raises(Forbidden):
        await ban_user(actor=admin.user.as_banned(), email=MEMBER.email, phone=None)
    assert database.contents() == before


@pytest.mark.parametrize(
    ("email", "phone", "fields"),
    [
        ("not-an-email", None, ["email"]),
        (None, "12", ["phone"]),
        ("not-an-email", "12", ["email", "phone"]),
    ],
)
async def test_a_ban_with_invalid_details_names_them_and_changes_nothing(
    ban_user: BanUser,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    email: str | None,
    phone: str | None,
    fields: list[str],
) -> None:
    before = database.contents()
    with pytest.raises(InvalidInput) as raised:
        await ban_user(actor=admin.user, email=email, phone=phone)
    assert [error.field for error in raised.value.errors] == fields
    assert database.contents() == before


async def test_a_ban_needs_an_email_or_a_phone(
    ban_user: BanUser, admin: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(InvalidInput):
        await ban_user(actor=admin.user, email=None, phone=None)


async def test_the_only_admin_cannot_ban_themself(
    ban_user: BanUser, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(LastAdmin):
        await ban_user(actor=admin.user, email=ADMIN.email, phone=None)


async def test_a_ban_of_every_admin_is_refused_and_changes_nothing(
    ban_user: BanUser,
    toggle_role: ToggleRole,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    await toggle_role(actor=admin.user, user_id=str(member.user.id))
    with database.unchanged(), pytest.raises(LastAdmin):
        await ban_user(actor=admin.user, email=ADMIN.email, phone=MEMBER.phone)


async def test_one_of_two_admins_can_be_banned(
    ban_user: BanUser,
    toggle_role: ToggleRole,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    await toggle_role(actor=admin.user, user_id=str(member.user.id))
    await ban_user(actor=admin.user, email=ADMIN.email, phone=None)
    assert database.users[admin.user.id].banned
    assert database.bans == [Ban.parse(ADMIN.email, None)]


async def test_a_ban_is_recorded(
    ban_user: BanUser, admin: SignedIn, database: FakeDatabase
) -> None:
    await ban_user(actor=admin.user, email="Someone@Example.com", phone="5550009999")
    assert database.bans == [Ban.parse("someone@example.com", "5550009999")]
