from __future__ import annotations

from datetime import timedelta

import pytest

from allora.application.current_user import CurrentUser
from allora.application.sessions import SignedIn
from allora.application.toggle_role import ToggleRole
from allora.domain.errors import NotAuthenticated
from allora.domain.users import Role
from tests.unit.fakes import FakeClock, FakeDatabase
from tests.unit.shop import SESSION_LIFETIME

pytestmark = pytest.mark.anyio


async def test_a_live_session_names_its_user(current_user: CurrentUser, member: SignedIn) -> None:
    assert await current_user(token=member.token) == member.user


@pytest.mark.parametrize("token", [None, ""])
async def test_no_token_is_not_authenticated(current_user: CurrentUser, token: str | None) -> None:
    with pytest.raises(NotAuthenticated):
        await current_user(token=token)


@pytest.mark.parametrize("token", ["garbage", "session:123", "Bearer x"])
async def test_a_forged_token_is_not_authenticated(
    current_user: CurrentUser, member: SignedIn, token: str
) -> None:
    with pytest.raises(NotAuthenticated):
        await current_user(token=token)


async def test_a_token_naming_no_session_is_not_authenticated(
    current_user: CurrentUser, member: SignedIn, database: FakeDatabase
) -> None:
    database.sessions.clear()
    with pytest.raises(NotAuthenticated):
        await current_user(token=member.token)


async def test_a_session_lives_until_just_before_its_end(
    current_user: CurrentUser, member: SignedIn, clock: FakeClock
) -> None:
    clock.advance(SESSION_LIFETIME - timedelta(seconds=1))
    assert await current_user(token=member.token) == member.user


async def test_an_expired_session_is_not_authenticated(
    current_user: CurrentUser, member: SignedIn, clock: FakeClock
) -> None:
    clock.advance(SESSION_LIFETIME)
    with pytest.raises(NotAuthenticated):
        await current_user(token=member.token)


async def test_a_banned_users_session_is_not_authenticated(
    current_user: CurrentUser, member: SignedIn, database: FakeDatabase
) -> None:
    database.users[member.user.id] = member.user.as_banned()  # the session row is still there
    with pytest.raises(NotAuthenticated):
        await current_user(token=member.token)


async def test_the_user_is_read_fresh_so_a_role_change_applies_at_once(
    current_user: CurrentUser, toggle_role: ToggleRole, admin: SignedIn, member: SignedIn
) -> None:
    await toggle_role(actor=admin.user, user_id=str(member.user.id))
    assert (await current_user(token=member.token)).role is Role.ADMIN


async def test_reading_the_current_user_changes_nothing(
    current_user: CurrentUser, member: SignedIn, database: FakeDatabase
) -> None:
    before, commits = database.contents(), database.commits
    await current_user(token=member.token)
    assert (database.contents(), database.commits) == (before, commits)
