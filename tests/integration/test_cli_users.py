"""`allora users list|ban|role`: the HTTP API's rules, acting as a named account."""

from __future__ import annotations

import pytest

from tests.integration.cli_helpers import ADMIN_EMAIL, MEMBER_EMAIL, Cli
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

ME, USERS = "/api/auth/me/", "/api/users/"


async def test_list_gives_what_the_http_api_gives(shop: Shop) -> None:
    cli = await Cli.on(shop)
    listed = (await cli.admin_run("users", "list", "--json")).json()
    assert listed == (await cli.admin.get(USERS)).json()
    assert [user["email"] for user in listed] == [ADMIN_EMAIL, MEMBER_EMAIL]
    text = await cli.admin_run("users", "list", "--limit", "1", "--offset", "1")
    assert text.code == 0, text.stderr
    assert text.stdout.splitlines()[0] == "2 in all, 1 shown"
    assert text.stdout.splitlines()[1].split() == [
        "id",
        "name",
        "email",
        "phone",
        "role",
        "created_at",
    ]
    assert MEMBER_EMAIL in text.stdout
    assert ADMIN_EMAIL not in text.stdout


async def test_a_user_acting_is_refused_and_changes_nothing(shop: Shop) -> None:
    cli = await Cli.on(shop)
    assert (await cli.member_run("users", "list")).refused() == "error: Only an ADMIN may do this"
    ban = await cli.member_run("users", "ban", "--email", ADMIN_EMAIL)
    assert ban.refused() == "error: Only an ADMIN may do this"
    admin_id = (await cli.admin.get(ME)).json()["id"]
    assert (await cli.member_run("users", "role", admin_id)).refused().startswith("error: ")
    assert (await cli.admin.get(ME)).json()["role"] == "ADMIN"  # neither banned nor demoted


async def test_ban_ends_the_sessions_of_the_account(shop: Shop) -> None:
    cli = await Cli.on(shop)
    done = await cli.admin_run("users", "ban", "--email", MEMBER_EMAIL, "--json")
    assert done.json() == {"message": "User banned"}
    assert (await cli.member.get(ME)).status_code == 401
    # a banned account cannot act either
    assert (await cli.member_run("users", "list")).refused() == "error: This account is banned"


async def test_role_switches_and_keeps_the_last_admin(shop: Shop) -> None:
    cli = await Cli.on(shop)
    member_id = (await cli.member.get(ME)).json()["id"]
    admin_id = (await cli.admin.get(ME)).json()["id"]
    promoted = await cli.admin_run("users", "role", member_id)
    assert promoted.stdout.strip() == "Role changed to ADMIN"
    assert (await cli.member.get(ME)).json()["role"] == "ADMIN"
    assert (await cli.admin_run("users", "role", member_id)).code == 0
    last = await cli.admin_run("users", "role", admin_id)
    assert last.refused().startswith("error: ")
    assert (await cli.admin.get(ME)).json()["role"] == "ADMIN"


async def test_bad_input_is_one_line(shop: Shop) -> None:
    cli = await Cli.on(shop)
    assert (await cli.run("users", "list", "--as", "ghost@example.com")).refused() == (
        "error: No such user"
    )
    assert (await cli.admin_run("users", "list", "--limit", "0")).refused().startswith("error: ")
    assert (await cli.admin_run("users", "role", "not-an-id")).refused() == "error: No such user"
    assert (await cli.admin_run("users", "ban")).refused().startswith("error: ")


async def test_a_real_process_lists_users(shop: Shop) -> None:
    cli = await Cli.on(shop)
    listed = (await cli.subprocess("users", "list", "--as", ADMIN_EMAIL, "--json")).json()
    assert [user["email"] for user in listed] == [ADMIN_EMAIL, MEMBER_EMAIL]
    refused = await cli.subprocess("users", "list", "--as", MEMBER_EMAIL)
    assert refused.refused() == "error: Only an ADMIN may do this"
