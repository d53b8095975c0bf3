from __future__ import annotations

from uuid import UUID

import pytest

from allora.application.sessions import SignedIn
from allora.application.toggle_role import ToggleRole
from allora.domain.errors import Forbidden, LastAdmin, NotFound
from allora.domain.users import Role
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio


async def test_toggling_a_user_makes_an_admin_and_back(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    assert await toggle_role(actor=admin.user, user_id=str(member.user.id)) is Role.ADMIN
    assert database.users[member.user.id].role is Role.ADMIN
    assert await toggle_role(actor=admin.user, user_id=str(member.user.id)) is Role.USER
    assert database.users[member.user.id].role is Role.USER


async def test_toggling_changes_only_the_role(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    await toggle_role(actor=admin.user, user_id=str(member.user.id))
    assert database.users[member.user.id] == member.user.with_role(Role.ADMIN)
    assert database.users[admin.user.id] == admin.user


async def test_the_last_active_admin_cannot_be_demoted(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(LastAdmin):
        await toggle_role(actor=admin.user, user_id=str(admin.user.id))


async def test_one_of_two_admins_can_be_demoted_but_then_not_the_other(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    await toggle_role(actor=admin.user, user_id=str(member.user.id))
    assert await toggle_role(actor=admin.user, user_id=str(admin.user.id)) is Role.USER
    promoted = database.users[member.user.id]
    with pytest.raises(LastAdmin):
        await toggle_role(actor=promoted, user_id=str(promoted.id))
    assert database.users[member.user.id].role is Role.ADMIN


async def test_admins_demoting_each_other_keep_one_admin(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    await toggle_role(actor=admin.user, user_id=str(member.user.id))
    second_admin = database.users[member.user.id]
    await toggle_role(actor=admin.user, user_id=str(second_admin.id))
    with pytest.raises(LastAdmin):
        await toggle_role(
            actor=second_admin, user_id=str(admin.user.id)
        )  # its actor object is stale
    assert database.users[admin.user.id].role is Role.ADMIN


async def test_a_banned_admin_does_not_count_as_an_active_admin(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    database.users[member.user.id] = member.user.with_role(Role.ADMIN).as_banned()
    with pytest.raises(LastAdmin):
        await toggle_role(actor=admin.user, user_id=str(admin.user.id))
    assert database.users[admin.user.id].role is Role.ADMIN


@pytest.mark.parametrize("raw_id", [str(UUID(int=999)), "not-a-uuid", ""])
async def test_an_id_naming_no_user_is_not_found(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase, raw_id: str
) -> None:
    with database.unchanged(), pytest.raises(NotFound):
        await toggle_role(actor=admin.user, user_id=raw_id)


async def test_a_user_may_not_toggle_roles(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    before = database.contents()
    with pytest.raises(Forbidden):
        await toggle_role(actor=member.user, user_id=str(member.user.id))
    with pytest.raises(Forbidden):
        await toggle_role(actor=member.user, user_id=str(admin.user.id))
    assert database.contents() == before


async def test_a_banned_admin_may_not_toggle_roles(
    toggle_role: ToggleRole, admin: SignedIn, member: SignedIn, database: FakeDatabase
) -> None:
    with pytest.raises(Forbidden):
        await toggle_role(actor=admin.user.as_banned(), user_id=str(member.user.id))
    assert database.users[member.user.id].role is Role.USER
