from __future__ import annotations

import pytest

from allora.application.current_user import CurrentUser
from allora.application.sessions import SignedIn
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.domain.errors import NotAuthenticated
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio


async def test_sign_out_ends_the_session_so_the_token_stops_working(
    sign_out: SignOut, current_user: CurrentUser, member: SignedIn, database: FakeDatabase
) -> None:
    copy_of_cookie = member.token
    await sign_out(token=member.token)
    assert all(session.user_id != member.user.id for session in database.sessions.values())
    with pytest.raises(NotAuthenticated):
        await current_user(token=copy_of_cookie)


async def test_sign_out_keeps_the_users_other_sessions(
    sign_out: SignOut, sign_in: SignIn, current_user: CurrentUser, member: SignedIn
) -> None:
    other_device = await sign_in(email=details(2).email, password=PASSWORD, client="10.0.0.1")
    await sign_out(token=member.token)
    assert await current_user(token=other_device.token) == member.user
    with pytest.raises(NotAuthenticated):
        await current_user(token=member.token)


@pytest.mark.parametrize("token", [None, "", "garbage", "session:not-a-uuid"])
async def test_sign_out_succeeds_without_a_genuine_token_and_changes_nothing(
    sign_out: SignOut, member: SignedIn, database: FakeDatabase, token: str | None
) -> None:
    before = database.contents()
    await sign_out(token=token)
    assert database.contents() == before


async def test_signing_out_twice_is_fine(
    sign_out: SignOut, member: SignedIn, admin: SignedIn, current_user: CurrentUser
) -> None:
    await sign_out(token=member.token)
    await sign_out(token=member.token)
    assert await current_user(token=admin.token) == admin.user
