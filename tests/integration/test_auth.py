"""Contract section "Auth" and "Session": every row, every failure status."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from allora.adapters.clock import SystemClock, new_id
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.application.check_health import CheckHealth, Health
from allora.application.registration import NewAccount, Registrar
from allora.entrypoints.app import create_app
from tests.integration.conftest import PASSWORD, Shop, ShopFactory, account

pytestmark = pytest.mark.anyio


async def count_users(shop: Shop) -> int:
    async with shop.container.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM users"))).scalar_one())


def set_cookie_header(response: httpx.Response) -> str:
    headers = response.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    return headers[0]


@pytest.mark.parametrize("path", ["/api/auth/signup/", "/api/auth/signup"])
async def test_sign_up_creates_account_and_sets_session_cookie(shop: Shop, path: str) -> None:
    client = await shop.client()
    response = await client.post(path, json=account("alice"), follow_redirects=False)
    assert response.status_code == 201
    assert response.json() == {"message": "Account created"}
    cookie = set_cookie_header(response)
    assert cookie.startswith("token=")
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert "path=/" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes
    assert "token" not in response.text


async def test_cookie_is_secure_when_configured(make_shop: ShopFactory) -> None:
    shop = await make_shop(cookie_secure=True)
    client = await shop.client()
    response = await client.post("/api/auth/signup/", json=account("alice"))
    assert "secure" in {p.strip().lower() for p in set_cookie_header(response).split(";")}


async def test_first_account_is_admin_and_later_ones_users(shop: Shop) -> None:
    first = await shop.signed_up("alice")
    second = await shop.signed_up("bob")
    me_first = (await first.get("/api/auth/me/")).json()
    me_second = (await second.get("/api/auth/me/")).json()
    assert me_first["role"] == "ADMIN"
    assert me_second["role"] == "USER"


async def test_me_returns_the_user_without_secrets(shop: Shop) -> None:
    client = await shop.signed_up("alice", email="Alice@Example.COM")
    response = await client.get("/api/auth/me")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "phone", "email", "role", "created_at"}
    assert body["email"] == "alice@example.com"
    assert body["name"] == "alice"
    assert body["created_at"].endswith(("Z", "+00:00"))


async def test_me_without_session_is_401_with_null_data(shop: Shop) -> None:
    client = await shop.client()
    for path in ["/api/auth/me/", "/api/auth/me"]:
        response = await client.get(path)
        assert response.status_code == 401
        body = response.json()
        assert body["data"] is None
        assert isinstance(body["message"], str)


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.", ""],
)
async def test_me_with_forged_or_bad_token_is_401(shop: Shop, token: str) -> None:
    client = await shop.client()
    client.cookies.set("token", token)
    response = await client.get("/api/auth/me/")
    assert response.status_code == 401


async def test_token_signed_with_another_secret_is_401(make_shop: ShopFactory) -> None:
    shop = await make_shop()
    client = await shop.signed_up("alice")
    token = client.cookies["token"]
    other = await make_shop(secret_key="another-secret-" + "y" * 32)
    stranger = await other.client()
    stranger.cookies.set("token", token)
    assert (await stranger.get("/api/auth/me/")).status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Al"),
        ("name", "ALICE"),
        ("name", "a" * 16),
        ("name", "alice!"),
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("phone", "123456789"),
        ("phone", "1234567890123456"),
        ("phone", "12345abcde"),
        ("password", "short1!A"[:7]),
        ("password", "nouppercase1!"),
        ("password", "NOLOWERCASE1!"),
        ("password", "NoDigits!!"),
        ("password", "NoSpecial123"),
    ],
)
async def test_sign_up_rejects_invalid_field_and_writes_nothing(
    shop: Shop, field: str, value: str
) -> None:
    client = await shop.client()
    response = await client.post("/api/auth/signup/", json=account("alice", **{field: value}))
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["message"], str)
    assert field in {error["field"] for error in body["errors"]}
    assert "set-cookie" not in response.headers
    assert await count_users(shop) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'"a string"',
        b'{"name": "alice", "email": "alice@example.com", "phone": 5123456789, '
        b'"password": "Passw0rd!"}',
        b'{"name": "alice", "email": "alice@example.com", "password": "Passw0rd!"}',
        b'{"name": null, "email": "alice@example.com", "phone": "5123456789", '
        b'"password": "Passw0rd!"}',
        b'{"name": ["alice"], "email": "alice@example.com", "phone": "5123456789", '
        b'"password": "Passw0rd!"}',
    ],
)
async def test_sign_up_rejects_malformed_json_and_wrong_types(shop: Shop, body: bytes) -> None:
    client = await shop.client()
    response = await client.post(
        "/api/auth/signup/", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert isinstance(response.json()["message"], str)
    assert await count_users(shop) == 0


@pytest.mark.parametrize("taken", ["name", "email", "phone"])
async def test_sign_up_with_taken_detail_is_422(shop: Shop, taken: str) -> None:
    existing = account("alice")
    await (await shop.client()).post("/api/auth/signup/", json=existing)
    fresh = account("bob")
    fresh[taken] = existing[taken].upper() if taken == "email" else existing[taken]
    response = await (await shop.client()).post("/api/auth/signup/", json=fresh)
    assert response.status_code == 422
    assert taken in response.json()["message"]
    assert await count_users(shop) == 1


async def test_json_body_over_one_mebibyte_is_413(shop: Shop) -> None:
    client = await shop.client()
    big = account("alice", password="Aa1!" + "x" * (1024 * 1024))
    response = await client.post("/api/auth/signup/", json=big)
    assert response.status_code == 413
    assert "message" in response.json()
    assert await count_users(shop) == 0


@pytest.mark.parametrize("path", ["/api/auth/signin/", "/api/auth/signin"])
async def test_sign_in_with_right_password_sets_cookie(shop: Shop, path: str) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    response = await client.post(
        path, json={"email": "ALICE@example.com", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 200
    assert response.json() == {"message": "Signed in"}
    assert "httponly" in set_cookie_header(response).lower()
    me = await client.get("/api/auth/me/")
    assert me.json()["name"] == "alice"


async def test_sign_in_unknown_email_and_wrong_password_look_the_same(shop: Shop) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    wrong = await client.post(
        "/api/auth/signin/", json={"email": "alice@example.com", "password": "Wrong0rd!"}
    )
    unknown = await client.post(
        "/api/auth/signin/", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "set-cookie" not in wrong.headers


@pytest.mark.parametrize(
    "body",
    [
        {"email": "alice@example.com"},
        {"password": PASSWORD},
        {"email": "not an email", "password": PASSWORD},
        {"email": "alice@example.com", "password": ""},
        {"email": "alice@example.com", "password": 12345678},
        {"email": 5, "password": PASSWORD},
    ],
)
async def test_sign_in_with_missing_or_ill_formed_fields_is_400(
    shop: Shop, body: dict[str, object]
) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    response = await client.post("/api/auth/signin/", json=body)
    assert response.status_code == 400


async def test_ten_failures_for_one_email_lock_it_with_429(shop: Shop) -> None:
    await shop.signed_up("alice")
    attempts = [
        await (await shop.client(ip=f"10.1.0.{i}")).post(
            "/api/auth/signin/", json={"email": "alice@example.com", "password": "Wrong0rd!"}
        )
        for i in range(10)
    ]
    assert [r.status_code for r in attempts] == [401] * 10
    right = await (await shop.client(ip="10.1.0.99")).post(
        "/api/auth/signin/", json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert right.status_code == 429
    other = await shop.signed_up("bob")
    assert (await other.get("/api/auth/me/")).status_code == 200


async def test_client_over_its_per_minute_limit_gets_429(make_shop: ShopFactory) -> None:
    shop = await make_shop(signin_client_limit=3)
    await shop.signed_up("alice")
    client = await shop.client(ip="10.2.0.1")
    statuses = [
        (
            await client.post(
                "/api/auth/signin/", json={"email": "alice@example.com", "password": PASSWORD}
            )
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    elsewhere = await shop.client(ip="10.2.0.2")
    response = await elsewhere.post(
        "/api/auth/signin/", json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200


async def test_signout_revokes_the_session_for_every_copy_of_the_cookie(shop: Shop) -> None:
    client = await shop.signed_up("alice")
    copy = await shop.client()
    copy.cookies.set("token", client.cookies["token"])
    assert (await copy.get("/api/auth/me/")).status_code == 200
    response = await client.post("/api/auth/signout/")
    assert response.status_code == 200
    assert "message" in response.json()
    cleared = set_cookie_header(response).lower()
    assert cleared.startswith('token=""') or cleared.startswith("token=;")
    assert "max-age=0" in cleared
    assert (await copy.get("/api/auth/me/")).status_code == 401
    assert (await client.get("/api/auth/me/")).status_code == 401


@pytest.mark.parametrize("path", ["/api/auth/signout/", "/api/auth/signout"])
async def test_signout_without_session_is_200(shop: Shop, path: str) -> None:
    client = await shop.client()
    response = await client.post(path)
    assert response.status_code == 200
    client.cookies.set("token", "garbage")
    assert (await client.post(path)).status_code == 200


async def test_banned_account_sign_in_is_403(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    await shop.signed_up("bob", phone="5550001111")
    banned = await admin.post(
        "/api/user/ban/", json={"email": "bob@example.com", "phone": "5550001111"}
    )
    assert banned.status_code == 200
    client = await shop.client()
    response = await client.post(
        "/api/auth/signin/", json={"email": "bob@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403


async def test_sign_up_with_banned_phone_is_403(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    assert (await admin.post("/api/user/ban/", json={"phone": "5559990000"})).status_code == 200
    response = await (await shop.client()).post(
        "/api/auth/signup/", json=account("carol", phone="5559990000")
    )
    assert response.status_code == 403
    assert await count_users(shop) == 1


async def test_state_changing_request_from_foreign_origin_is_403(shop: Shop) -> None:
    client = await shop.client(origin="http://evil.test")
    response = await client.post("/api/auth/signup/", json=account("alice"))
    assert response.status_code == 403
    assert "message" in response.json()
    assert await count_users(shop) == 0


async def test_allowed_and_absent_origins_pass_the_csrf_check(shop: Shop) -> None:
    allowed = await shop.client(origin="http://shop.test")
    assert (await allowed.post("/api/auth/signup/", json=account("alice"))).status_code == 201
    no_origin = await shop.client()
    assert (await no_origin.post("/api/auth/signup/", json=account("bob"))).status_code == 201


async def test_reads_from_foreign_origin_are_not_refused_but_get_no_cors_grant(
    shop: Shop,
) -> None:
    client = await shop.client(origin="http://evil.test")
    response = await client.get("/api/auth/me/")
    assert response.status_code == 401
    assert "access-control-allow-origin" not in response.headers


async def test_cors_grants_configured_origin_with_credentials(shop: Shop) -> None:
    client = await shop.client()
    preflight = await client.options(
        "/api/auth/signin/",
        headers={
            "origin": "http://shop.test",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code in {200, 204}
    assert preflight.headers["access-control-allow-origin"] == "http://shop.test"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    simple = await client.get("/api/auth/me/", headers={"origin": "http://shop.test"})
    assert simple.headers["access-control-allow-origin"] == "http://shop.test"
    assert simple.headers["access-control-allow-credentials"] == "true"


async def test_concurrent_first_sign_ups_make_exactly_one_admin(make_shop: ShopFactory) -> None:
    # Hash in parallel so the sign-ups reach the database together, not one after another.
    shop = await make_shop(hasher_processes=8)
    clients = [await shop.client() for _ in range(8)]
    responses = await asyncio.gather(
        *(c.post("/api/auth/signup/", json=account(f"user{i}")) for i, c in enumerate(clients))
    )
    assert [r.status_code for r in responses] == [201] * 8
    roles = [(await c.get("/api/auth/me/")).json()["role"] for c in clients]
    assert roles.count("ADMIN") == 1
    assert roles.count("USER") == 7


async def test_first_account_claims_race_in_the_database_yields_one_admin(shop: Shop) -> None:
    """The registrations meet in the database at the same instant (hashing done beforehand)."""
    registrar = Registrar(FastHasher(), SystemClock(), new_id)
    accounts = [
        await registrar.prepare(
            name=f"user{i}",
            email=f"user{i}@example.com",
            phone=f"55500000{i:02}",
            password=PASSWORD,
        )
        for i in range(10)
    ]
    session_factory = async_sessionmaker(shop.container.engine, expire_on_commit=False)

    async def register(new: NewAccount) -> str:
        async with SqlUnitOfWork(session_factory) as uow:
            user = await registrar.register(uow, new, role=None)
            await uow.commit()
        return user.role.value

    roles = await asyncio.gather(*(register(a) for a in accounts))
    assert sorted(roles) == ["ADMIN"] + ["USER"] * 9


class FastHasher:
    async def hash(self, password: str) -> str:
        return "not-a-real-hash"

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return False


class ExplodingHealthCheck(CheckHealth):
    def __init__(self) -> None:
        """Needs no database: it fails before using one."""

    async def __call__(self) -> Health:
        raise RuntimeError("SELECT password_hash FROM users -- internal detail")


async def test_unknown_exception_is_500_without_internals(shop: Shop) -> None:
    use_cases = replace(shop.container.use_cases, check_health=ExplodingHealthCheck())
    container = replace(shop.container, use_cases=use_cases)
    app = create_app(shop.settings, container)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/health")
    assert response.status_code == 500
    body = response.json()
    assert set(body) == {"message"}
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["x-request-id"] in body["message"]
