"""`allora tickets list|answer`: support from the command line, same rules as over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.cli_helpers import ADMIN_EMAIL, MEMBER_EMAIL, Cli
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

TICKETS = "/api/tickets/"


async def open_ticket(client: httpx.AsyncClient, email: str, message: str) -> None:
    body = {"name": "Dana", "message": message, "phone": "5550001234", "email": email}
    response = await client.post(TICKETS, json=body)
    assert response.status_code == 200, response.text


async def threads(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get(TICKETS)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_list_gives_what_the_http_api_gives(shop: Shop) -> None:
    cli = await Cli.on(shop)
    await open_ticket(cli.member, MEMBER_EMAIL, "Where is my parcel?")
    await open_ticket(await shop.client(), "guest@example.com", "Do you ship\nto Norway?")
    listed = (await cli.admin_run("tickets", "list", "--json")).json()
    assert listed == await threads(cli.admin)
    assert len(listed) == 2
    table = (await cli.admin_run("tickets", "list")).stdout.splitlines()
    assert table[0] == "2 in all, 2 shown"
    assert any(line.endswith("Do you ship to Norway?") for line in table)
    # the command line is for ADMINs: a USER is refused even the list of their own tickets
    assert (await cli.member_run("tickets", "list")).refused() == "error: Only an ADMIN may do this"


async def test_answer_threads_under_the_ticket(shop: Shop) -> None:
    cli = await Cli.on(shop)
    await open_ticket(cli.member, MEMBER_EMAIL, "Where is my parcel?")
    [ticket] = await threads(cli.admin)
    sent = await cli.admin_run("tickets", "answer", ticket["id"], "--message", "On its way.")
    assert sent.stdout.strip() == "Answer sent"
    [thread] = await threads(cli.member)
    assert thread["hasAnswer"] is True
    assert [a["message"] for a in thread["answers"]] == ["On its way."]


async def test_a_user_acting_is_refused_and_changes_nothing(shop: Shop) -> None:
    cli = await Cli.on(shop)
    await open_ticket(cli.member, MEMBER_EMAIL, "Where is my parcel?")
    [ticket] = await threads(cli.admin)
    refused = await cli.member_run("tickets", "answer", ticket["id"], "--message", "Never.")
    assert refused.refused() == "error: Only an ADMIN may do this"
    [thread] = await threads(cli.admin)
    assert (thread["hasAnswer"], thread["answers"]) == (False, [])


async def test_bad_answers_are_one_line(shop: Shop) -> None:
    cli = await Cli.on(shop)
    await open_ticket(cli.member, MEMBER_EMAIL, "Where is my parcel?")
    [ticket] = await threads(cli.admin)
    assert (await cli.admin_run("tickets", "answer", "nope", "--message", "Hi there")).refused()
    empty = await cli.admin_run("tickets", "answer", ticket["id"], "--message", "")
    assert empty.refused().startswith("error: ")
    assert (await threads(cli.admin))[0]["answers"] == []


async def test_a_real_process_answers(shop: Shop) -> None:
    cli = await Cli.on(shop)
    await open_ticket(cli.member, MEMBER_EMAIL, "Where is my parcel?")
    [ticket] = await threads(cli.admin)
    done = await cli.subprocess(
        "tickets", "answer", ticket["id"], "--message", "Shipped today.", "--as", ADMIN_EMAIL
    )
    assert done.code == 0, done.stderr
    assert (await threads(cli.member))[0]["hasAnswer"] is True
