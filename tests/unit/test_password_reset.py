"""RequestPasswordReset and ResetPassword: a mailed 6-digit code, kept only as a keyed digest."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from allora.application.current_user import CurrentUser
from allora.application.outbox import Outbox
from allora.application.request_password_reset import RequestPasswordReset
from allora.application.reset_password import ResetPassword
from allora.application.sessions import SignedIn
from allora.application.sign_in import SignIn
from allora.domain.bans import Ban
from allora.domain.errors import (
    Banned,
    InvalidCredentials,
    InvalidInput,
    NotAuthenticated,
    TooManyAttempts,
)
from allora.domain.password_reset import CODE_LIFETIME, MAX_CODE_FAILURES, InvalidResetCode
from tests.unit.conftest import details
from tests.unit.fake_mail import FakeCodes
from tests.unit.fakes import DatabaseDown, FakeClock, FakeDatabase
from tests.unit.shop import RESET_CLIENT_LIMIT, RESET_EMAIL_LIMIT

pytestmark = pytest.mark.anyio

MEMBER = details(2)
NEW_PASSWORD = "Fresh2?pass"
FIRST, SECOND = "314159", "271828"  # the codes the `codes` fixture hands out


async def test_known_and_unknown_emails_get_the_same_answer(
    request_password_reset: RequestPasswordReset, member: SignedIn, database: FakeDatabase
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")  # no error, no value
    with database.unchanged():
        await request_password_reset(email="nobody@example.com", client="10.0.0.1")
    assert list(database.password_resets) == [member.user.id]


async def test_the_code_is_mailed_to_the_account_and_never_stored_or_logged_in_clear(
    request_password_reset: RequestPasswordReset,
    member: SignedIn,
    database: FakeDatabase,
    outbox: Outbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await request_password_reset(email=MEMBER.email.upper(), client="10.0.0.1")
    assert FIRST not in repr(database.contents())
    assert FIRST not in caplog.text
    [message] = database.outbox.values()
    mail = outbox.open(message)
    assert (mail.to.value, mail.to_name) == (MEMBER.email, MEMBER.name)
    assert FIRST in mail.text
    assert FIRST in mail.html


async def test_the_right_code_resets_the_password_ends_every_session_and_signs_in(
    request_password_reset: RequestPasswordReset,
    reset_password: ResetPassword,
    member: SignedIn,
    sign_in: SignIn,
    current_user: CurrentUser,
    database: FakeDatabase,
) -> None:
    elsewhere = await sign_in(email=MEMBER.email, password=MEMBER.password, client="10.0.0.2")
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    signed_in = await reset_password(
        email=MEMBER.email, code=FIRST, new_password=NEW_PASSWORD, client="10.0.0.1"
    )
    assert signed_in.user.id == member.user.id
    assert await current_user(token=signed_in.token) == signed_in.user
    for old in (member.token, elsewhere.token):
        with pytest.raises(NotAuthenticated):
            await current_user(token=old)
    with pytest.raises(InvalidCredentials):
        await sign_in(email=MEMBER.email, password=MEMBER.password, client="10.0.0.2")
    assert (
        await sign_in(email=MEMBER.email, password=NEW_PASSWORD, client="10.0.0.2")
    ).user.id == member.user.id
    assert database.password_resets == {}


async def test_a_used_code_fails(
    request_password_reset: RequestPasswordReset, reset_password: ResetPassword, member: SignedIn
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    await reset_password(email=MEMBER.email, code=FIRST, new_password=NEW_PASSWORD, client="c")
    with pytest.raises(InvalidResetCode):
        await reset_password(email=MEMBER.email, code=FIRST, new_password="Other3!pw", client="c")


async def test_asking_again_voids_the_earlier_code(
    request_password_reset: RequestPasswordReset, reset_password: ResetPassword, member: SignedIn
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    with pytest.raises(InvalidResetCode):
        await reset_password(email=MEMBER.email, code=FIRST, new_password=NEW_PASSWORD, client="c")
    await reset_password(email=MEMBER.email, code=SECOND, new_password=NEW_PASSWORD, client="c")


async def test_an_expired_code_fails(
    request_password_reset: RequestPasswordReset,
    reset_password: ResetPassword,
    member: SignedIn,
    clock: FakeClock,
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    clock.advance(CODE_LIFETIME)
    with pytest.raises(InvalidResetCode):
        await reset_password(email=MEMBER.email, code=FIRST, new_password=NEW_PASSWORD, client="c")


async def test_five_wrong_codes_void_it_four_do_not(
    request_password_reset: RequestPasswordReset,
    reset_password: ResetPassword,
    member: SignedIn,
    clock: FakeClock,
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    for attempt in range(MAX_CODE_FAILURES - 1):
        with pytest.raises(InvalidResetCode):
            await reset_password(
                email=MEMBER.email, code="000000", new_password=NEW_PASSWORD, client=f"c{attempt}"
            )
    await reset_password(email=MEMBER.email, code=FIRST, new_password=NEW_PASSWORD, client="c")

    clock.advance(timedelta(hours=1))
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")  # code SECOND
    for attempt in range(MAX_CODE_FAILURES):
        with pytest.raises(InvalidResetCode):
            await reset_password(
                email=MEMBER.email, code="000000", new_password=NEW_PASSWORD, client=f"c{attempt}"
            )
    with pytest.raises(InvalidResetCode):
        await reset_password(email=MEMBER.email, code=SECOND, new_password=NEW_PASSWORD, client="c")


async def test_unknown_email_and_wrong_code_are_one_401(
    request_password_reset: RequestPasswordReset,
    reset_password: ResetPassword,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    with database.unchanged(), pytest.raises(InvalidResetCode) as unknown:
        await reset_password(
            email="nobody@example.com", code=FIRST, new_password=NEW_PASSWORD, client="c"
        )
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    with pytest.raises(InvalidResetCode) as wrong:
        await reset_password(
            email=MEMBER.email, code="999999", new_password=NEW_PASSWORD, client="c"
        )
    assert unknown.value.message == wrong.value.message


async def test_a_banned_account_with_the_right_code_is_403_and_keeps_the_code(
    request_password_reset: RequestPasswordReset,
    reset_password: ResetPassword,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    database.bans.append(Ban.parse(MEMBER.email, None))
    with database.unchanged(), pytest.raises(Banned):
        await reset_password(email=MEMBER.email, code=FIRST, new_password=NEW_PASSWORD, client="c")


@pytest.mark.parametrize(
    ("email", "code", "password", "fields"),
    [
        ("bad@", FIRST, NEW_PASSWORD, ["email"]),
        (MEMBER.email, "31415", NEW_PASSWORD, ["code"]),
        (MEMBER.email, "3141592", NEW_PASSWORD, ["code"]),
        (MEMBER.email, " 314159", NEW_PASSWORD, ["code"]),
        (MEMBER.email, "٣١٤١٥٩", NEW_PASSWORD, ["code"]),  # digits, but not ASCII ones
        (MEMBER.email, FIRST, "weak", ["newPassword"]),
        ("", "", "", ["email", "code", "newPassword"]),
    ],
)
async def test_ill_formed_resets_are_400_naming_each_field(
    request_password_reset: RequestPasswordReset,
    reset_password: ResetPassword,
    member: SignedIn,
    database: FakeDatabase,
    email: str,
    code: str,
    password: str,
    fields: list[str],
) -> None:
    await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    with database.unchanged(), pytest.raises(InvalidInput) as raised:
        await reset_password(email=email, code=code, new_password=password, client="c")
    assert [e.field for e in raised.value.errors] == fields


async def test_three_requests_an_hour_for_one_email_account_or_not(
    request_password_reset: RequestPasswordReset, member: SignedIn, codes: FakeCodes
) -> None:
    for email in (MEMBER.email, "nobody@example.com"):
        for attempt in range(RESET_EMAIL_LIMIT):
            await request_password_reset(email=email, client=f"10.0.{attempt}.1")
        with pytest.raises(TooManyAttempts):
            await request_password_reset(email=email.upper(), client="10.0.9.1")
    assert len(codes.issued) == RESET_EMAIL_LIMIT


async def test_each_client_address_has_its_own_limit(
    request_password_reset: RequestPasswordReset, reset_password: ResetPassword
) -> None:
    for n in range(RESET_CLIENT_LIMIT):
        await request_password_reset(email=f"nobody{n}@example.com", client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        await request_password_reset(email="other@example.com", client="10.0.0.1")
    await request_password_reset(email="other@example.com", client="10.0.0.2")
    for _ in range(RESET_CLIENT_LIMIT):
        with pytest.raises(InvalidResetCode):
            await reset_password(
                email="a@example.com", code=FIRST, new_password=NEW_PASSWORD, client="10.0.0.3"
            )
    with pytest.raises(TooManyAttempts):
        await reset_password(
            email="a@example.com", code=FIRST, new_password=NEW_PASSWORD, client="10.0.0.3"
        )


async def test_a_request_that_cannot_commit_leaves_no_code_and_no_mail(
    request_password_reset: RequestPasswordReset, member: SignedIn, database: FakeDatabase
) -> None:
    database.committing = False
    with database.unchanged(), pytest.raises(DatabaseDown):
        await request_password_reset(email=MEMBER.email, client="10.0.0.1")
    assert database.outbox == {}
