"""The client address the abuse limits count by: the socket peer, unless the peer is a trusted
proxy (ALLORA_TRUSTED_PROXIES), then the right-most X-Forwarded-For address that is not one.
Sign-in's per-client limit (ALLORA_SIGNIN_CLIENT_LIMIT) shows which bucket a request fell in."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import PASSWORD, Shop, ShopFactory, account
from tests.integration.servers import migrated_sqlite, running_shop

pytestmark = pytest.mark.anyio

LIMIT = 3
PROXY = "10.9.0.1"
SIGNIN = "/api/auth/signin/"
ALICE = {"email": "alice@example.com", "password": PASSWORD}


async def limited_shop(make_shop: ShopFactory, *trusted: str) -> Shop:
    proxies = {"trusted_proxies": tuple(ip_network(entry) for entry in trusted)} if trusted else {}
    shop = await make_shop(signin_client_limit=LIMIT, **proxies)
    await shop.signed_up("alice", email=ALICE["email"])
    return shop


async def sign_in(shop: Shop, peer: str, forwarded_for: str) -> int:
    client = await shop.client(ip=peer, **{"X-Forwarded-For": forwarded_for})
    return (await client.post(SIGNIN, json=ALICE)).status_code


async def test_an_untrusted_peer_rotating_x_forwarded_for_is_one_client(
    make_shop: ShopFactory,
) -> None:
    shop = await limited_shop(make_shop)  # nobody trusted: the default
    statuses = [await sign_in(shop, PROXY, f"203.0.113.{i}") for i in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket(
    make_shop: ShopFactory,
) -> None:
    shop = await limited_shop(make_shop, "10.9.0.0/24")
    for i in range(LIMIT + 1):  # every shopper behind the one proxy signs in LIMIT times
        # a client's own X-Forwarded-For comes first; the proxy appends the address it saw
        statuses = [
            await sign_in(shop, PROXY, f"198.51.100.{n}, 203.0.113.{i}") for n in range(LIMIT)
        ]
        assert statuses == [200] * LIMIT, i
    assert await sign_in(shop, PROXY, "203.0.113.0") == 429
    # the right-most address that is not a trusted proxy, past a chain of trusted ones
    assert await sign_in(shop, PROXY, "203.0.113.1, 10.9.0.7") == 429
    assert await sign_in(shop, PROXY, "::ffff:203.0.113.2") == 429
    assert await sign_in(shop, PROXY, "203.0.113.200, 10.9.0.7") == 200


async def test_an_ipv6_client_is_its_slash_64(make_shop: ShopFactory) -> None:
    """Rotating through the addresses of one /64 is one client; another /64 is another."""
    shop = await limited_shop(make_shop, PROXY)
    rotated = [await sign_in(shop, PROXY, f"2001:db8:0:1::{i:x}") for i in range(LIMIT + 1)]
    assert rotated == [200] * LIMIT + [429]
    assert await sign_in(shop, PROXY, "2001:db8:0:2::1") == 200


@pytest.mark.parametrize(
    "garbage",
    ["client-{i}", "203.0.113.{i}:80", "fe80::1%eth{i}", "203.0.113.1, x{i}", "{i}" * 3000],
)
async def test_a_malformed_x_forwarded_for_is_never_a_key(
    make_shop: ShopFactory, garbage: str
) -> None:
    shop = await limited_shop(make_shop, PROXY)
    statuses = [await sign_in(shop, PROXY, garbage.format(i=i)) for i in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]  # all counted as the proxy itself


def test_allora_serve_ignores_x_forwarded_for_from_an_untrusted_local_client(
    tmp_path: Path,
) -> None:
    """uvicorn's own proxy handling trusted 127.0.0.1: a local client chose its address."""
    settings = {"database_url": migrated_sqlite(tmp_path), "signin_client_limit": str(LIMIT)}
    with running_shop(tmp_path, settings) as base, httpx.Client(base_url=base) as client:
        created = client.post("/api/auth/signup/", json=account("alice", email=ALICE["email"]))
        assert created.status_code == 201, created.text
        statuses = [
            client.post(SIGNIN, json=ALICE, headers={"X-Forwarded-For": f"203.0.113.{i}"})
            for i in range(LIMIT + 1)
        ]
    assert [response.status_code for response in statuses] == [200] * LIMIT + [429]
