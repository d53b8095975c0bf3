from __future__ import annotations

from datetime import timedelta

import pytest

from allora.application.list_users import ListUsers
from allora.application.sessions import SignedIn
from allora.application.sign_up import SignUp
from allora.domain.errors import Forbidden
from allora.domain.paging import Page
from allora.domain.users import User
from tests.unit.conftest import PASSWORD, details
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.anyio


async def _sign_up_many(sign_up: SignUp, clock: FakeClock, count: int) -> list[User]:
    users = []
    for n in range(1, count + 1):
        account = details(n)
        users.append(
            (
                await sign_up(
                    client="192.0.2.1",
                    name=account.name,
                    email=account.email,
                    phone=account.phone,
                    password=PASSWORD,
                )
            ).user
        )
        clock.advance(timedelta(minutes=1))
    return users


async def test_an_admin_lists_every_account_oldest_first(
    list_users: ListUsers, sign_up: SignUp, clock: FakeClock
) -> None:
    users = await _sign_up_many(sign_up, clock, 4)
    listed = await list_users(actor=users[0], page=Page())
    assert listed.items == users
    assert listed.total == 4


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [(2, 0, [0, 1]), (2, 1, [1, 2]), (2, 4, [4]), (1, 4, [4]), (3, 5, []), (200, 9, [])],
)
async def test_list_users_pages_and_counts_the_whole_listing(
    list_users: ListUsers,
    sign_up: SignUp,
    clock: FakeClock,
    limit: int,
    offset: int,
    expected: list[int],
) -> None:
    users = await _sign_up_many(sign_up, clock, 5)
    listed = await list_users(actor=users[0], page=Page.parse(limit, offset))
    assert listed.items == [users[i] for i in expected]
    assert listed.total == 5


async def test_a_user_may_not_list_accounts(list_users: ListUsers, member: SignedIn) -> None:
    with pytest.raises(Forbidden):
        await list_users(actor=member.user, page=Page())


async def test_a_banned_admin_may_not_list_accounts(list_users: ListUsers, admin: SignedIn) -> None:
    with pytest.raises(Forbidden):
        await list_users(actor=admin.user.as_banned(), page=Page())
