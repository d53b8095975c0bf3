"""UpdateAccount: profile and optional password change, with sign-in's limits on the check."""

from __future__ import annotations

from typing import Any

import pytest

from allora.application.current_user import CurrentUser
from allora.application.sessions import SignedIn
from allora.application.sign_in import SignIn
from allora.application.update_account import UpdateAccount
from allora.domain.bans import Ban
from allora.domain.errors import (
    AlreadyTaken,
    Banned,
    InvalidInput,
    NotAuthenticated,
    TooManyAttempts,
)
from allora.domain.password_reset import WrongCurrentPassword
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeAttemptLimiter, FakeDatabase, FakePasswordHasher
from tests.unit.shop import CLIENT_LIMIT, EMAIL_FAILURES

pytestmark = pytest.mark.anyio

ADMIN, MEMBER = details(1), details(2)
NEW_PASSWORD = "Fresh2?pass"


def fields(**changes: str | None) -> dict[str, Any]:
    """The member's own details, as the account form always sends them, with changes."""
    return {"name": MEMBER.name, "email": MEMBER.email, "phone": MEMBER.phone, **changes}


async def test_profile_changes_without_touching_password_or_sessions(
    update_account: UpdateAccount, member: SignedIn, database: FakeDatabase
) -> None:
    sessions = dict(database.sessions)
    updated = await update_account(
        actor=member.user,
        token=member.token,
        client="10.0.0.1",
        **fields(name="renamed", email="New@Example.com", current_password="", new_password=""),
    )
    assert (updated.profile.name.value, updated.profile.email.value) == (
        "renamed",
        "new@example.com",
    )
    assert updated.password_hash == member.user.password_hash
    assert database.users[member.user.id] == updated
    assert database.sessions == sessions


async def test_a_current_password_alone_is_not_checked(
    update_account: UpdateAccount, member: SignedIn, hasher: FakePasswordHasher
) -> None:
    updated = await update_account(
        actor=member.user,
        token=member.token,
        client="10.0.0.1",
        **fields(current_password="Wrong1!pass", new_password=None),
    )
    assert updated.password_hash == member.user.password_hash
    assert hasher.verifications == 0


async def test_new_password_ends_every_other_session_and_keeps_this_one(
    update_account: UpdateAccount,
    member: SignedIn,
    admin: SignedIn,
    sign_in: SignIn,
    current_user: CurrentUser,
    database: FakeDatabase,
) -> None:
    elsewhere = await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.2")
    updated = await update_account(
        actor=member.user,
        token=member.token,
        client="10.0.0.1",
        **fields(current_password=PASSWORD, new_password=NEW_PASSWORD),
    )
    assert updated.password_hash == FakePasswordHasher.PREFIX + NEW_PASSWORD
    assert await current_user(token=member.token) == updated
    with pytest.raises(NotAuthenticated):
        await current_user(token=elsewhere.token)
    assert await current_user(token=admin.token) == admin.user  # other users keep theirs
    signed_in = await sign_in(email=MEMBER.email, password=NEW_PASSWORD, client="10.0.0.3")
    assert signed_in.user.id == member.user.id


async def test_wrong_current_password_is_403_and_changes_nothing(
    update_account: UpdateAccount, member: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(WrongCurrentPassword):
        await update_account(
            actor=member.user,
            token=member.token,
            client="10.0.0.1",
            **fields(name="renamed", current_password="Wrong1!pass", new_password=NEW_PASSWORD),
        )


async def test_wrong_current_passwords_count_as_failed_sign_ins_for_the_email(
    update_account: UpdateAccount, member: SignedIn, sign_in: SignIn
) -> None:
    for _ in range(EMAIL_FAILURES):
        with pytest.raises(WrongCurrentPassword):
            await update_account(
                actor=member.user,
                token=member.token,
                client="10.0.0.1",
                **fields(current_password="Wrong1!pass", new_password=NEW_PASSWORD),
            )
    with pytest.raises(TooManyAttempts):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.9.9")
    with pytest.raises(TooManyAttempts):
        await update_account(
            actor=member.user,
            token=member.token,
            client="10.0.0.1",
            **fields(current_password=PASSWORD, new_password=NEW_PASSWORD),
        )


async def test_a_right_current_password_ends_the_run_of_failures(
    update_account: UpdateAccount, member: SignedIn, failures_per_email: FakeAttemptLimiter
) -> None:
    with pytest.raises(WrongCurrentPassword):
        await update_account(
            actor=member.user,
            token=member.token,
            client="10.0.0.1",
            **fields(current_password="Wrong1!pass", new_password=NEW_PASSWORD),
        )
    await update_account(
        actor=member.user,
        token=member.token,
        client="10.0.0.1",
        **fields(current_password=PASSWORD, new_password=NEW_PASSWORD),
    )
    assert failures_per_email.counts[MEMBER.email] == 0


async def test_password_checks_count_against_the_clients_sign_in_limit(
    update_account: UpdateAccount, member: SignedIn, per_client: FakeAttemptLimiter
) -> None:
    per_client.counts["10.0.0.1"] = CLIENT_LIMIT
    with pytest.raises(TooManyAttempts):
        await update_account(
            actor=member.user,
            token=member.token,
            client="10.0.0.1",
            **fields(current_password=PASSWORD, new_password=NEW_PASSWORD),
        )


async def test_new_password_needs_the_current_one_and_strength_all_reported_at_once(
    update_account: UpdateAccount, member: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(InvalidInput) as raised:
        await update_account(
            actor=member.user,
            token=member.token,
            client="10.0.0.1",
            **fields(name="Bad Name", current_password="", new_password="weak"),
        )
    assert [e.field for e in raised.value.errors] == ["name", "newPassword", "currentPassword"]


async def test_taken_details_are_422_and_banned_ones_403(
    update_account: UpdateAccount, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(AlreadyTaken) as raised:
        await update_account(
            actor=member.user, token=member.token, client="x", **fields(email=ADMIN.email)
        )
    assert raised.value.message == "email already taken"
    database.bans.append(Ban.parse(None, "5550009999"))
    with database.unchanged(), pytest.raises(Banned):
        await update_account(
            actor=member.user, token=member.token, client="x", **fields(phone="5550009999")
        )


async def test_a_vanished_account_is_not_authenticated(
    update_account: UpdateAccount, member: SignedIn, database: FakeDatabase
) -> None:
    del database.users[member.user.id]
    with database.unchanged(), pytest.raises(NotAuthenticated):
        await update_account(actor=member.user, token=member.token, client="x", **fields())
