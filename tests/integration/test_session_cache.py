"""A signed-in request is answered from the process's memory, yet a sign-out, ban, role,
password or profile change is seen by this process on the very next request, and by another
process as soon as the database announces it; without announcements, every request reads the
database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from allora.adapters.sql.catalogue_version import SqliteCatalogueVersion
from allora.adapters.sql.session_notices import PostgresSessionNotices
from tests.integration.catalogue_helpers import counting_statements
from tests.integration.conftest import PASSWORD, Shop, ShopFactory
from tests.integration.notices import eventually, unannounced

pytestmark = pytest.mark.anyio

ME = "/api/auth/me/"
SIGNOUT = "/api/auth/signout/"
BAN = "/api/user/ban/"
ROLE = "/api/user/role/"
PROFILE = "/api/user/"
USERS = "/api/users/"


async def me_from_memory(shop: Shop, client: httpx.AsyncClient) -> bool:
    """True once /me answers 200 without a statement (on PostgreSQL, once the notices of
    earlier writes have arrived: each one keeps a read that it overtook out of the cache)."""
    with counting_statements(shop) as statements:
        response = await client.get(ME)
    assert response.status_code == 200, response.text
    return not statements


async def warm(shop: Shop, client: httpx.AsyncClient) -> dict[str, Any]:
    """The client's session is in the shop's cache; returns what /me shows."""
    await eventually(lambda: me_from_memory(shop, client))
    body: dict[str, Any] = (await client.get(ME)).json()
    return body


def deafen(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shop no longer hears of any commit from the database (no PostgreSQL notice, no
    SQLite data_version): what it still sees at once, it owes to its own units of work."""
    watcher = shop.container.session_version
    if isinstance(watcher, PostgresSessionNotices):
        monkeypatch.setattr(watcher, "notified", lambda payload: None)
    else:
        assert isinstance(watcher, SqliteCatalogueVersion)
        monkeypatch.setattr(watcher, "current", lambda: 1)


async def user_id(client: httpx.AsyncClient) -> str:
    return str((await client.get(ME)).json()["id"])


# --- this process: the next request ----------------------------------------------------------


async def test_a_sign_out_here_ends_every_copy_of_the_cookie_at_once(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    deafen(shop, monkeypatch)
    alice = await shop.signed_up("alice")
    copy = await shop.client()
    copy.cookies.set("token", alice.cookies["token"])
    await warm(shop, copy)

    assert (await alice.post(SIGNOUT)).status_code == 200

    assert (await copy.get(ME)).status_code == 401


async def test_a_ban_here_ends_the_users_sessions_at_once(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    deafen(shop, monkeypatch)
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    shown = await warm(shop, bob)

    response = await admin.post(BAN, json={"email": "bob@example.com", "phone": shown["phone"]})
    assert response.status_code == 200, response.text

    assert (await bob.get(ME)).status_code == 401


async def test_a_role_change_here_applies_at_once(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    deafen(shop, monkeypatch)
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    assert (await warm(shop, bob))["role"] == "USER"
    assert (await bob.get(USERS)).status_code == 403

    promoted = await admin.put(ROLE, json={"id": await user_id(bob)})
    assert promoted.status_code == 200, promoted.text

    assert (await bob.get(ME)).json()["role"] == "ADMIN"
    assert (await bob.get(USERS)).status_code == 200
    await warm(shop, bob)
    demoted = await admin.put(ROLE, json={"id": await user_id(bob)})
    assert demoted.status_code == 200, demoted.text
    assert (await bob.get(USERS)).status_code == 403


async def test_a_profile_change_here_shows_at_once(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    deafen(shop, monkeypatch)
    bob = await shop.signed_up("bob")
    shown = await warm(shop, bob)

    changed = await bob.post(
        PROFILE, json={"name": "robert", "email": "robert@example.com", "phone": shown["phone"]}
    )
    assert changed.status_code == 200, changed.text

    assert (await bob.get(ME)).json()["name"] == "robert"


async def test_a_new_password_here_ends_the_other_sessions_at_once(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    deafen(shop, monkeypatch)
    alice = await shop.signed_up("alice")
    elsewhere = await shop.client()
    elsewhere.cookies.set("token", alice.cookies["token"])
    signed_in = await elsewhere.post(
        "/api/auth/signin/", json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    await warm(shop, elsewhere)
    await warm(shop, alice)

    changed = await alice.patch(
        "/api/account/update/",
        json={
            "name": "alice",
            "email": "alice@example.com",
            "phone": (await alice.get(ME)).json()["phone"],
            "currentPassword": PASSWORD,
            "newPassword": "N3w-Passw0rd!",
        },
    )
    assert changed.status_code == 200, changed.text

    assert (await elsewhere.get(ME)).status_code == 401
    assert (await alice.get(ME)).status_code == 200


async def test_an_expired_session_ends_though_it_is_in_memory(
    make_shop: ShopFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop()
    bob = await shop.signed_up("bob")
    await warm(shop, bob)
    clock = shop.container.ports.clock
    later = clock.now() + shop.settings.session_lifetime
    monkeypatch.setattr(type(clock), "now", lambda self: later)

    assert (await bob.get(ME)).status_code == 401


# --- another process: once announced --------------------------------------------------------


async def test_another_process_sees_a_sign_out_ban_and_role_change(
    make_shop: ShopFactory,
) -> None:
    writer, reader = await make_shop(), await make_shop()
    admin = await writer.signed_up("admin")
    bob, carol = await writer.signed_up("bob"), await writer.signed_up("carol")
    bob_there, carol_there = await reader.client(), await reader.client()
    bob_there.cookies.set("token", bob.cookies["token"])
    carol_there.cookies.set("token", carol.cookies["token"])
    await warm(reader, bob_there)
    await warm(reader, carol_there)

    async def status(client: httpx.AsyncClient) -> int:
        return (await client.get(ME)).status_code

    assert (await admin.put(ROLE, json={"id": await user_id(bob)})).status_code == 200

    async def promoted() -> bool:
        return bool((await bob_there.get(ME)).json()["role"] == "ADMIN")

    await eventually(promoted)
    assert (await carol.post(SIGNOUT)).status_code == 200

    async def signed_out() -> bool:
        return await status(carol_there) == 401

    await eventually(signed_out)
    await warm(reader, bob_there)
    assert (await admin.post(BAN, json={"email": "bob@example.com"})).status_code == 200

    async def banned() -> bool:
        return await status(bob_there) == 401

    await eventually(banned)


# --- PostgreSQL: the listener ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_lost_listener_reads_every_request_until_it_is_back(
    shop: Shop, database_url: str
) -> None:
    bob = await shop.signed_up("bob")
    await warm(shop, bob)
    bob_id = await user_id(bob)
    await unannounced(database_url, "UPDATE users SET name = 'unheard' WHERE id = :id", id=bob_id)
    assert (await bob.get(ME)).json()["name"] == "bob", "the process was answering from memory"

    watcher = shop.container.session_version
    async with shop.container.engine.connect() as connection:
        killed = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN%allora_sessions%'"
            )
        )
    assert killed >= 1  # the fixture's first app listens too

    async def lost() -> bool:
        return watcher.current() is None

    await eventually(lost)
    for name in ("unheard", "still-unheard", "nobody-tells"):
        await unannounced(
            database_url, "UPDATE users SET name = :name WHERE id = :id", name=name, id=bob_id
        )
        with counting_statements(shop) as statements:
            response = await bob.get(ME)
        assert response.json()["name"] == name
        assert statements, "without notices every request reads the database"

    async def back() -> bool:
        return watcher.current() is not None

    await eventually(back)
    await unannounced(database_url, "UPDATE users SET name = 'rejoined' WHERE id = :id", id=bob_id)
    assert (await bob.get(ME)).json()["name"] == "rejoined", "nothing from before is trusted"
    assert (await warm(shop, bob))["name"] == "rejoined"
