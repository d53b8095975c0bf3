from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from allora.domain.bans import Ban
from allora.domain.errors import FieldError, Forbidden, InvalidInput, Validation, taken_message
from allora.domain.sessions import Session, SessionId
from allora.domain.users import Email, Password, Phone, Profile, Role, User, UserId

NOW = datetime(2024, 1, 1, tzinfo=UTC)
PROFILE = Profile.parse("alice", "alice@example.com", "5551234567")


def make_user(role: Role, banned: bool = False) -> User:
    return User(UserId(UUID(int=1)), PROFILE, role, "hash", NOW, banned)


def test_toggling_a_role_swaps_user_and_admin() -> None:
    assert Role.USER.toggled() is Role.ADMIN
    assert Role.ADMIN.toggled() is Role.USER


def test_an_admin_passes_the_admin_check() -> None:
    admin = make_user(Role.ADMIN)
    admin.require_admin()
    assert admin.is_admin


@pytest.mark.parametrize(
    "user",
    [make_user(Role.USER), make_user(Role.ADMIN, banned=True), make_user(Role.USER, banned=True)],
)
def test_a_user_or_a_banned_admin_is_no_admin(user: User) -> None:
    assert not user.is_admin
    with pytest.raises(Forbidden):
        user.require_admin()


def test_banning_keeps_everything_but_the_flag() -> None:
    user = make_user(Role.ADMIN)
    assert user.as_banned() == User(user.id, PROFILE, Role.ADMIN, "hash", NOW, banned=True)


def test_a_session_lives_until_its_end_exclusive() -> None:
    session = Session.start(SessionId(UUID(int=1)), UserId(UUID(int=2)), NOW, timedelta(hours=1))
    assert session.created_at == NOW
    assert session.expires_at == NOW + timedelta(hours=1)
    assert session.is_live(NOW)
    assert session.is_live(NOW + timedelta(minutes=59, seconds=59))
    assert not session.is_live(NOW + timedelta(hours=1))
    assert not session.is_live(NOW + timedelta(days=1))


def test_a_ban_needs_an_email_or_a_phone() -> None:
    with pytest.raises(InvalidInput):
        Ban.parse(None, None)


def test_a_ban_may_name_only_an_email_or_only_a_phone() -> None:
    assert Ban.parse("Bob@Example.com", None) == Ban(Email("bob@example.com"), None)
    assert Ban.parse(None, "5551234567") == Ban(None, Phone("5551234567"))


def test_a_ban_names_every_invalid_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        Ban.parse("bob", "555")
    assert [error.field for error in raised.value.errors] == ["email", "phone"]
    with pytest.raises(InvalidInput) as raised:
        Ban.parse("bob@example.com", "")
    assert [error.field for error in raised.value.errors] == ["phone"]


def test_combining_invalid_inputs_keeps_every_field_in_order() -> None:
    first = InvalidInput.for_field("name", "bad name")
    second = InvalidInput("two bad", (FieldError("email", "bad email"), FieldError("phone", "p")))
    combined = InvalidInput.combine([first, second])
    assert combined.message == "bad name; two bad"
    assert combined.errors == (
        FieldError("name", "bad name"),
        FieldError("email", "bad email"),
        FieldError("phone", "p"),
    )


def test_validation_collects_failures_and_returns_parsed_values() -> None:
    check = Validation()
    assert check(lambda: Phone.parse("5551234567")) == Phone("5551234567")
    assert check(lambda: Email.parse("nope")) is None
    assert check(lambda: Password.parse("short")) is None
    with pytest.raises(InvalidInput) as raised:
        check.raise_if_failed()
    assert [error.field for error in raised.value.errors] == ["email", "password"]


def test_validation_without_failures_raises_nothing() -> None:
    check = Validation()
    check(lambda: Phone.parse("5551234567"))
    check.raise_if_failed()


def test_a_profile_names_every_invalid_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        Profile.parse("ALICE", "alice@", "phone")
    assert [error.field for error in raised.value.errors] == ["name", "email", "phone"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (["email"], "email already taken"),
        (["name", "phone"], "name and phone already taken"),
        (["name", "email", "phone"], "name, email and phone already taken"),
    ],
)
def test_taken_message_lists_the_fields_in_english(fields: list[str], message: str) -> None:
    assert taken_message(fields) == message


def test_a_password_never_shows_in_its_repr() -> None:
    assert "Secret1!" not in repr(Password.parse("Secret1!"))
