"""ActAs: the command line acts as the account named by email; the use cases then decide."""

from __future__ import annotations

import pytest

from allora.application.ban_user import BanUser
from allora.application.list_parked_mail import ListParkedMail
from allora.application.sessions import SignedIn
from allora.domain.errors import Banned, Forbidden, InvalidInput, NotFound
from allora.domain.paging import Page
from allora.entrypoints.wiring import UseCases
from tests.unit.conftest import details

pytestmark = pytest.mark.anyio


async def test_the_account_holding_the_email_acts_whatever_its_case(
    use_cases: UseCases, admin: SignedIn, member: SignedIn
) -> None:
    assert await use_cases.act_as(email=details(1).email.upper()) == admin.user
    assert await use_cases.act_as(email=details(2).email) == member.user


async def test_an_unknown_or_malformed_email_cannot_act(
    use_cases: UseCases, admin: SignedIn
) -> None:
    with pytest.raises(NotFound):
        await use_cases.act_as(email="nobody@example.com")
    with pytest.raises(InvalidInput):
        await use_cases.act_as(email="not an email")


async def test_a_banned_account_cannot_act(
    use_cases: UseCases, ban_user: BanUser, admin: SignedIn, member: SignedIn
) -> None:
    await ban_user(actor=admin.user, email=details(2).email, phone=None)
    with pytest.raises(Banned):
        await use_cases.act_as(email=details(2).email)


async def test_only_an_admin_may_list_parked_mail(
    list_parked_mail: ListParkedMail, admin: SignedIn, member: SignedIn
) -> None:
    with pytest.raises(Forbidden):
        await list_parked_mail(actor=member.user, page=Page())
    assert (await list_parked_mail(actor=admin.user, page=Page())).total == 0
