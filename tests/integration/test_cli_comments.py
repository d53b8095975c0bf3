"""`allora comments pending|approve|reject`: moderation from the command line, same rules."""

from __future__ import annotations

import pytest

from tests.integration.catalogue_helpers import (
    ALL_COMMENTS,
    add_comment,
    create_product,
    score_of,
)
from tests.integration.cli_helpers import ADMIN_EMAIL, Cli
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio


async def test_pending_lists_what_the_http_api_lists(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await create_product(cli.admin)
    first = await add_comment(cli.member, product["id"], 5, body="First of two comments.")
    await add_comment(cli.member, product["id"], 2, body="Second one,\nover two lines.")
    listed = (await cli.admin_run("comments", "pending", "--json")).json()
    http = await cli.admin.get(ALL_COMMENTS, params={"status": "pending"})
    assert listed == http.json()
    assert first["id"] in {c["id"] for c in listed}
    text = await cli.admin_run("comments", "pending")
    lines = text.stdout.splitlines()
    assert lines[0] == "2 in all, 2 shown"
    assert len(lines) == 4  # a comment over two lines stays on one row
    assert "Second one, over two lines." in lines[2]


async def test_approve_and_reject_move_the_score(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await create_product(cli.admin)
    five = await add_comment(cli.member, product["id"], 5)
    one = await add_comment(cli.member, product["id"], 1)
    approved = await cli.admin_run("comments", "approve", five["id"])
    assert approved.stdout.strip() == "Comment accepted"
    assert (await cli.admin_run("comments", "approve", one["id"], "--json")).json() == {
        "message": "Comment accepted"
    }
    assert await score_of(cli.admin, product["id"]) == 3.0
    assert (await cli.admin_run("comments", "reject", one["id"])).code == 0
    assert await score_of(cli.admin, product["id"]) == 5.0
    assert (await cli.admin_run("comments", "pending", "--json")).json() == []


async def test_a_user_acting_is_refused_and_changes_nothing(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await create_product(cli.admin)
    comment = await add_comment(cli.member, product["id"], 5)
    for command in ("approve", "reject"):
        refused = await cli.member_run("comments", command, comment["id"])
        assert refused.refused() == "error: Only an ADMIN may do this"
    assert (await cli.member_run("comments", "pending")).refused().startswith("error: ")
    [still] = (await cli.admin_run("comments", "pending", "--json")).json()
    assert still["id"] == comment["id"]
    assert await score_of(cli.admin, product["id"]) == 0.0


async def test_an_unknown_comment_is_one_line(shop: Shop) -> None:
    cli = await Cli.on(shop)
    refused = await cli.admin_run("comments", "approve", "nope")
    assert refused.refused().startswith("error: ")


async def test_a_real_process_approves(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await create_product(cli.admin)
    comment = await add_comment(cli.member, product["id"], 4)
    done = await cli.subprocess("comments", "approve", comment["id"], "--as", ADMIN_EMAIL)
    assert done.code == 0, done.stderr
    assert await score_of(cli.admin, product["id"]) == 4.0
