"""`allora discounts create|list|delete`: discount codes from the command line, same rules."""

from __future__ import annotations

import pytest

from tests.integration.cli_helpers import ADMIN_EMAIL, Cli
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

DISCOUNTS = "/api/discounts/"
SUMMER = ("--code", "summer24", "--percent", "15", "--max-use", "3")


async def test_create_list_and_delete(shop: Shop) -> None:
    cli = await Cli.on(shop)
    window = ("--starts-at", "2030-01-01T00:00:00+02:00", "--ends-at", "2030-02-01T00:00:00Z")
    created = (await cli.admin_run("discounts", "create", *SUMMER, *window, "--json")).json()
    assert (created["code"], created["percent"], created["maxUse"]) == ("SUMMER24", 15, 3)
    assert created["startsAt"] == "2029-12-31T22:00:00Z"
    text = await cli.admin_run("discounts", "create", "--code", "winter", "--percent", "5",
                               "--max-use", "1")  # fmt: skip
    assert "code: WINTER" in text.stdout.splitlines()
    listed = (await cli.admin_run("discounts", "list", "--json")).json()
    assert listed == (await cli.admin.get(DISCOUNTS)).json()
    assert [d["code"] for d in listed] == ["WINTER", "SUMMER24"]
    table = (await cli.admin_run("discounts", "list")).stdout.splitlines()
    assert table[0] == "2 in all, 2 shown"
    assert table[1].split()[:3] == ["id", "code", "percent"]
    gone = await cli.admin_run("discounts", "delete", created["id"])
    assert gone.stdout.strip() == "Discount deleted"
    assert [d["code"] for d in (await cli.admin.get(DISCOUNTS)).json()] == ["WINTER"]


async def test_a_user_acting_is_refused_and_changes_nothing(shop: Shop) -> None:
    cli = await Cli.on(shop)
    created = (await cli.admin_run("discounts", "create", *SUMMER, "--json")).json()
    refused = await cli.member_run("discounts", "create", "--code", "mine", "--percent", "90",
                                   "--max-use", "9")  # fmt: skip
    assert refused.refused() == "error: Only an ADMIN may do this"
    assert (await cli.member_run("discounts", "delete", created["id"])).refused() == (
        "error: Only an ADMIN may do this"
    )
    assert (await cli.member_run("discounts", "list")).refused().startswith("error: ")
    assert [d["code"] for d in (await cli.admin.get(DISCOUNTS)).json()] == ["SUMMER24"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--code", "x", "--percent", "101", "--max-use", "0"), "code must be 3-20"),
        ((*SUMMER, "--starts-at", "2030-01-01T00:00:00"), "startsAt must be an ISO 8601 time"),
        ((*SUMMER, "--ends-at", "next tuesday"), "endsAt must be an ISO 8601 time"),
        (
            (*SUMMER, "--starts-at", "2030-02-01T00:00:00Z", "--ends-at", "2030-01-01T00:00:00Z"),
            "endsAt must be after startsAt",
        ),
    ],
)
async def test_bad_terms_are_one_line_and_create_nothing(
    shop: Shop, options: tuple[str, ...], message: str
) -> None:
    cli = await Cli.on(shop)
    refused = (await cli.admin_run("discounts", "create", *options)).refused()
    assert refused.startswith(f"error: {message}"), refused
    assert (await cli.admin.get(DISCOUNTS)).json() == []


async def test_a_taken_code_and_an_unknown_id_are_one_line(shop: Shop) -> None:
    cli = await Cli.on(shop)
    assert (await cli.admin_run("discounts", "create", *SUMMER)).code == 0
    assert (await cli.admin_run("discounts", "create", *SUMMER)).refused().startswith("error: ")
    assert (await cli.admin_run("discounts", "delete", "nope")).refused().startswith("error: ")


async def test_a_real_process_creates_a_code(shop: Shop) -> None:
    cli = await Cli.on(shop)
    created = (await cli.subprocess("discounts", "create", *SUMMER, "--as", ADMIN_EMAIL,
                                    "--json")).json()  # fmt: skip
    assert [d["id"] for d in (await cli.admin.get(DISCOUNTS)).json()] == [created["id"]]
