from __future__ import annotations

from dataclasses import replace

import anyio
import pytest

from allora.application.current_user import CurrentUser
from allora.application.ports import UnitOfWorkFactory
from allora.application.sessions import SessionOpener, SignedIn
from allora.application.sign_in import SignIn
from allora.domain.bans import Ban
from allora.domain.errors import (
    Banned,
    DomainError,
    InvalidCredentials,
    InvalidInput,
    TooManyAttempts,
)
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeAttemptLimiter, FakeDatabase, FakePasswordHasher
from tests.unit.shop import CLIENT_LIMIT, EMAIL_FAILURES

pytestmark = pytest.mark.anyio

MEMBER = details(2)


async def test_sign_in_with_the_right_password_opens_a_session(
    sign_in: SignIn, member: SignedIn, current_user: CurrentUser, database: FakeDatabase
) -> None:
    signed_in = await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    assert signed_in.user == member.user
    assert signed_in.token != member.token
    assert len(database.sessions) == 3  # the admin's and member's sign-ups, and this one
    assert await current_user(token=signed_in.token) == member.user


async def test_sign_in_ignores_the_case_of_the_email(sign_in: SignIn, member: SignedIn) -> None:
    signed_in = await sign_in(email=MEMBER.email.upper(), password=PASSWORD, client="10.0.0.1")
    assert signed_in.user.id == member.user.id


async def test_sign_in_refuses_wrong_password_like_unknown_email(
    sign_in: SignIn, member: SignedIn, hasher: FakePasswordHasher, database: FakeDatabase
) -> None:
    before = database.contents()
    with pytest.raises(InvalidCredentials) as wrong_password:
        await sign_in(email=MEMBER.email, password="Wrong1!pass", client="10.0.0.1")
    assert hasher.verifications == 1
    with pytest.raises(InvalidCredentials) as unknown_email:
        await sign_in(email="nobody@example.com", password=PASSWORD, client="10.0.0.1")
    assert hasher.verifications == 2  # the same work for an unknown email
    assert type(wrong_password.value) is type(unknown_email.value)
    assert wrong_password.value.message == unknown_email.value.message
    assert database.contents() == before


@pytest.mark.parametrize("email", ["", "no-at-sign", "two@@example.com"])
async def test_sign_in_refuses_an_ill_formed_email(sign_in: SignIn, email: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        await sign_in(email=email, password=PASSWORD, client="10.0.0.1")
    assert [error.field for error in raised.value.errors] == ["email"]


async def test_sign_in_requires_a_password(sign_in: SignIn, member: SignedIn) -> None:
    password = ""
    with pytest.raises(InvalidInput) as raised:
        await sign_in(email=MEMBER.email, password=password, client="10.0.0.1")
    assert [error.field for error in raised.value.errors] == ["password"]


async def test_sign_in_accepts_an_existing_password_that_breaks_todays_rules(
    sign_in: SignIn, member: SignedIn, database: FakeDatabase
) -> None:
    """Only new passwords are checked for strength; signing in just compares."""
    database.users[member.user.id] = replace(member.user, password_hash="hashed:short")
    signed_in = await sign_in(email=MEMBER.email, password="short", client="10.0.0.1")
    assert signed_in.user.id == member.user.id


async def test_ten_failures_for_one_email_lock_it_even_with_the_right_password(
    sign_in: SignIn, member: SignedIn
) -> None:
    for attempt in range(EMAIL_FAILURES):
        with pytest.raises(InvalidCredentials):
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client=f"10.0.0.{attempt}")
    with pytest.raises(TooManyAttempts):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.1.1")


async def test_nine_failures_do_not_lock_the_email(sign_in: SignIn, member: SignedIn) -> None:
    for _ in range(EMAIL_FAILURES - 1):
        with pytest.raises(InvalidCredentials):
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client="10.0.0.1")
    signed_in = await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    assert signed_in.user.id == member.user.id


async def test_failures_count_against_the_email_whatever_its_case(
    sign_in: SignIn, member: SignedIn
) -> None:
    for attempt in range(EMAIL_FAILURES):
        spelled = MEMBER.email.upper() if attempt % 2 else MEMBER.email
        with pytest.raises(InvalidCredentials):
            await sign_in(email=spelled, password="Wrong1!pass", client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.2")


async def test_a_locked_email_does_not_lock_other_emails(
    sign_in: SignIn, admin: SignedIn, member: SignedIn
) -> None:
    for _ in range(EMAIL_FAILURES):
        with pytest.raises(InvalidCredentials):
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client="10.0.0.1")
    signed_in = await sign_in(email=details(1).email, password=PASSWORD, client="10.0.0.2")
    assert signed_in.user.id == admin.user.id


async def test_the_email_lock_ends_with_its_window(
    sign_in: SignIn, member: SignedIn, failures_per_email: FakeAttemptLimiter
) -> None:
    for _ in range(EMAIL_FAILURES):
        with pytest.raises(InvalidCredentials):
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client="10.0.0.1")
    failures_per_email.window_passes()
    assert (
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.2")
    ).user.id == member.user.id


async def test_unknown_emails_are_locked_too(sign_in: SignIn) -> None:
    for _ in range(EMAIL_FAILURES):
        with pytest.raises(InvalidCredentials):
            await sign_in(email="nobody@example.com", password=PASSWORD, client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        await sign_in(email="nobody@example.com", password=PASSWORD, client="10.0.0.2")


async def test_a_client_over_its_limit_is_refused_even_with_the_right_password(
    sign_in: SignIn, member: SignedIn
) -> None:
    for _ in range(CLIENT_LIMIT):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    assert (
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.2")
    ).user.id == member.user.id


async def test_ill_formed_attempts_count_against_the_client(
    sign_in: SignIn, member: SignedIn
) -> None:
    for _ in range(CLIENT_LIMIT):
        with pytest.raises(InvalidInput):
            await sign_in(email="garbage", password=PASSWORD, client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")


async def test_a_banned_account_cannot_sign_in(
    sign_in: SignIn, member: SignedIn, database: FakeDatabase
) -> None:
    database.users[member.user.id] = member.user.as_banned()
    sessions_before = dict(database.sessions)
    with pytest.raises(Banned):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    assert database.sessions == sessions_before


@pytest.mark.parametrize("ban", [Ban.parse(MEMBER.email, None), Ban.parse(None, MEMBER.phone)])
async def test_a_banned_email_or_phone_cannot_sign_in(
    sign_in: SignIn, member: SignedIn, database: FakeDatabase, ban: Ban
) -> None:
    database.bans.append(ban)  # a ban row alone, even if the account was never flagged
    sessions_before = dict(database.sessions)
    with pytest.raises(Banned):
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    assert database.sessions == sessions_before


class SlowHasher(FakePasswordHasher):
    """Verifies like the real hasher: the event loop runs other sign-ins meanwhile."""

    async def verify(self, password_hash: str | None, password: str) -> bool:
        await anyio.sleep(0.01)
        return await super().verify(password_hash, password)


async def test_concurrent_guesses_cannot_outrun_the_email_lock(
    member: SignedIn,
    uow: UnitOfWorkFactory,
    session_opener: SessionOpener,
    failures_per_email: FakeAttemptLimiter,
) -> None:
    slow = SlowHasher()
    sign_in = SignIn(uow, slow, session_opener, FakeAttemptLimiter(1000), failures_per_email)
    outcomes: list[str] = []

    async def guess(client: int) -> None:
        try:
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client=f"10.9.0.{client}")
        except DomainError as error:
            outcomes.append(type(error).__name__)

    async with anyio.create_task_group() as group:
        for client in range(30):
            group.start_soon(guess, client)
    assert outcomes.count("InvalidCredentials") == EMAIL_FAILURES
    assert outcomes.count("TooManyAttempts") == 30 - EMAIL_FAILURES
    assert slow.verifications == EMAIL_FAILURES


async def test_a_successful_sign_in_ends_the_run_of_failures(
    sign_in: SignIn, member: SignedIn
) -> None:
    for _ in range(EMAIL_FAILURES - 1):
        with pytest.raises(InvalidCredentials):
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client="10.0.0.1")
    await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.1")
    for _ in range(EMAIL_FAILURES - 1):
        with pytest.raises(InvalidCredentials):
            await sign_in(email=MEMBER.email, password="Wrong1!pass", client="10.0.0.1")
    assert (
        await sign_in(email=MEMBER.email, password=PASSWORD, client="10.0.0.2")
    ).user.id == member.user.id
