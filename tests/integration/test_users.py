"""Users: profile update, admin listing, bans and roles (contract section "Users")."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import httpx
import pytest

from allora.application.current_user import CurrentUser
from allora.domain.users import User
from tests.integration.conftest import PASSWORD, Shop, account

pytestmark = pytest.mark.anyio

PROFILE = "/api/user/"
USERS = "/api/users/"
BAN = "/api/user/ban/"
ROLE = "/api/user/role/"
ME = "/api/auth/me/"
SIGNIN = "/api/auth/signin/"
SIGNUP = "/api/auth/signup/"

USER_KEYS = {"id", "name", "phone", "email", "role", "created_at"}
MALFORMED = b'{"name": "alice", '

Body = dict[str, object] | bytes


# --- helpers ---------------------------------------------------------------------------------


async def send(client: httpx.AsyncClient, method: str, path: str, body: Body) -> httpx.Response:
    """Sends `body` as JSON, or as raw bytes labelled JSON (to send malformed JSON)."""
    if isinstance(body, bytes):
        return await client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
    return await client.request(method, path, json=body)


def assert_error(response: httpx.Response, status: int) -> None:
    """The status is `status` and the body is JSON with a non-empty "message" string."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("message"), str), body
    assert body["message"], body


async def me(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get(ME)
    assert response.status_code == 200, response.text
    return cast("dict[str, Any]", response.json())


async def listing(admin: httpx.AsyncClient, **params: str | int) -> list[dict[str, Any]]:
    response = await admin.get(USERS, params=params)
    assert response.status_code == 200, response.text
    return cast("list[dict[str, Any]]", response.json())


async def sign_in(shop: Shop, email: str) -> httpx.Response:
    client = await shop.client()
    return await client.post(SIGNIN, json={"email": email, "password": PASSWORD})


async def promote(admin: httpx.AsyncClient, user: httpx.AsyncClient) -> None:
    response = await admin.put(ROLE, json={"id": (await me(user))["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["newRole"] == "ADMIN"


# --- POST /api/user/ : profile update --------------------------------------------------------


async def test_profile_update_changes_name_email_and_phone(shop: Shop) -> None:
    alice = await shop.signed_up("alice")

    response = await alice.post(
        PROFILE, json={"name": "alice_2", "email": "Alice.New@Example.COM", "phone": "0123456789"}
    )

    assert response.status_code == 200, response.text
    assert set(response.json()) == {"message"}
    assert isinstance(response.json()["message"], str)
    shown = await me(alice)
    assert (shown["name"], shown["email"], shown["phone"]) == (
        "alice_2",
        "alice.new@example.com",
        "0123456789",
    )


async def test_profile_update_to_ones_own_current_values_is_fine(shop: Shop) -> None:
    alice = await shop.signed_up("alice")
    before = await me(alice)

    response = await alice.post(
        PROFILE, json={key: before[key] for key in ("name", "email", "phone")}
    )

    assert response.status_code == 200, response.text
    assert await me(alice) == before


async def test_profile_update_can_change_the_case_of_ones_own_email(shop: Shop) -> None:
    alice = await shop.signed_up("alice")
    before = await me(alice)

    response = await alice.post(
        PROFILE, json={"name": "alice", "email": "ALICE@example.com", "phone": before["phone"]}
    )

    assert response.status_code == 200, response.text
    assert await me(alice) == before


def profile_body(*missing: str, **fields: object) -> dict[str, object]:
    """A valid profile-update body (for a new name, email and phone), with changes."""
    body: dict[str, object] = {"name": "alice_2", "email": "a2@example.com", "phone": "0123456789"}
    body.update(fields)
    return {key: value for key, value in body.items() if key not in missing}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(profile_body(name="Alice"), id="name-upper"),
        pytest.param(profile_body(name="al"), id="name-short"),
        pytest.param(profile_body(name="a" * 16), id="name-long"),
        pytest.param(profile_body(name="al ice"), id="name-space"),
        pytest.param(profile_body(email="not-an-email"), id="email"),
        pytest.param(profile_body(email="a@b"), id="email-no-dot"),
        pytest.param(profile_body(phone="12345"), id="phone-short"),
        pytest.param(profile_body(phone="1" * 16), id="phone-long"),
        pytest.param(profile_body(phone="01234abcde"), id="phone-letters"),
        pytest.param(profile_body(phone=1234567890), id="phone-number"),
        pytest.param(profile_body(name=None), id="name-null"),
        pytest.param(profile_body(name=["alice"]), id="name-list"),
        pytest.param(profile_body(email=True), id="email-bool"),
        pytest.param(profile_body("name"), id="missing-name"),
        pytest.param(profile_body("email"), id="missing-email"),
        pytest.param(profile_body("phone"), id="missing-phone"),
        pytest.param({}, id="empty"),
        pytest.param(MALFORMED, id="malformed-json"),
        pytest.param(b"[]", id="array"),
    ],
)
async def test_profile_update_rejects_invalid_input_and_changes_nothing(
    shop: Shop, body: Body
) -> None:
    alice = await shop.signed_up("alice")
    before = await me(alice)

    response = await send(alice, "POST", PROFILE, body)

    assert_error(response, 400)
    assert await me(alice) == before


async def test_profile_update_needs_a_session(shop: Shop) -> None:
    await shop.signed_up("alice")
    anonymous = await shop.client()

    response = await anonymous.post(
        PROFILE, json={"name": "mallory", "email": "m@example.com", "phone": "0123456789"}
    )

    assert_error(response, 401)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "bob@example.com"),
        ("email", "BOB@Example.com"),
        ("phone", None),  # bob's phone
        ("name", "bob"),
    ],
    ids=["email", "email-other-case", "phone", "name"],
)
async def test_profile_update_refuses_values_of_another_account(
    shop: Shop, field: str, value: str | None
) -> None:
    alice = await shop.signed_up("alice")
    bob = await shop.signed_up("bob")
    alice_before, bob_before = await me(alice), await me(bob)
    wanted = {key: alice_before[key] for key in ("name", "email", "phone")}
    wanted[field] = value if value is not None else bob_before[field]

    response = await alice.post(PROFILE, json=wanted)

    assert_error(response, 422)
    assert await me(alice) == alice_before
    assert await me(bob) == bob_before


async def test_profile_update_to_a_banned_email_is_forbidden(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    alice = await shop.signed_up("alice")
    assert (await admin.post(BAN, json={"email": "banned@example.com"})).status_code == 200
    before = await me(alice)

    response = await alice.post(
        PROFILE, json={"name": "alice", "email": "banned@example.com", "phone": before["phone"]}
    )

    assert_error(response, 403)
    assert await me(alice) == before


# --- GET /api/users/ : admin listing ---------------------------------------------------------


async def test_admin_lists_every_user_without_secrets(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await shop.signed_up("bob")
    await shop.signed_up("carol")

    response = await admin.get(USERS)

    assert response.status_code == 200, response.text
    assert response.headers["X-Total-Count"] == "3"
    users = response.json()
    assert isinstance(users, list)
    assert len(users) == 3
    for user in users:
        assert set(user) == USER_KEYS, user
        assert datetime.fromisoformat(user["created_at"]).utcoffset() is not None
    assert {(u["name"], u["email"], u["role"]) for u in users} == {
        ("admin", "admin@example.com", "ADMIN"),
        ("bob", "bob@example.com", "USER"),
        ("carol", "carol@example.com", "USER"),
    }
    assert "password" not in response.text.lower()
    assert "argon2" not in response.text
    assert admin.cookies["token"] not in response.text


async def test_users_listing_pages_with_limit_and_offset(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for name in ("bob", "carol", "dave", "erin"):
        await shop.signed_up(name)
    everyone = await listing(admin)

    pages = []
    for offset in (0, 2, 4):
        response = await admin.get(USERS, params={"limit": 2, "offset": offset})
        assert response.status_code == 200, response.text
        assert response.headers["X-Total-Count"] == "5"
        pages.append(response.json())

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [user for page in pages for user in page] == everyone
    beyond = await admin.get(USERS, params={"limit": 2, "offset": 10})
    assert beyond.json() == []
    assert beyond.headers["X-Total-Count"] == "5"


@pytest.mark.parametrize("limit", ["1", "200"])
async def test_users_listing_accepts_limits_at_the_bounds(shop: Shop, limit: str) -> None:
    admin = await shop.signed_up("admin")
    await shop.signed_up("bob")

    users = await listing(admin, limit=limit)

    assert len(users) == min(int(limit), 2)


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "201"}, {"limit": "-1"}, {"limit": "abc"}, {"offset": "-1"}],
    ids=["limit-0", "limit-201", "limit-negative", "limit-abc", "offset-negative"],
)
async def test_users_listing_rejects_bad_paging(shop: Shop, params: dict[str, str]) -> None:
    admin = await shop.signed_up("admin")

    response = await admin.get(USERS, params=params)

    assert_error(response, 400)


async def test_users_listing_needs_a_session(shop: Shop) -> None:
    await shop.signed_up("admin")
    anonymous = await shop.client()

    assert_error(await anonymous.get(USERS), 401)


async def test_users_listing_is_forbidden_to_a_user(shop: Shop) -> None:
    await shop.signed_up("admin")
    bob = await shop.signed_up("bob")

    assert_error(await bob.get(USERS), 403)


# --- POST /api/user/ban/ ---------------------------------------------------------------------


async def test_ban_blocks_sign_in_and_sign_up_by_email_and_by_phone(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    bob_phone = (await me(bob))["phone"]

    response = await admin.post(BAN, json={"email": "bob@example.com", "phone": bob_phone})

    assert response.status_code == 200, response.text
    assert set(response.json()) == {"message"}
    assert_error(await sign_in(shop, "bob@example.com"), 403)
    newcomer = await shop.client()
    assert_error(await newcomer.post(SIGNUP, json=account("bob2", email="bob@example.com")), 403)
    assert_error(await newcomer.post(SIGNUP, json=account("bob3", phone=bob_phone)), 403)


async def test_ban_by_email_alone_matches_any_case_and_blocks_that_account(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")

    response = await admin.post(BAN, json={"email": "BOB@Example.com"})

    assert response.status_code == 200, response.text
    assert_error(await bob.get(ME), 401)
    assert_error(await sign_in(shop, "bob@example.com"), 403)


async def test_ban_by_phone_alone_blocks_the_account_holding_it(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    bob_phone = (await me(bob))["phone"]

    response = await admin.post(BAN, json={"phone": bob_phone})

    assert response.status_code == 200, response.text
    assert_error(await bob.get(ME), 401)
    assert_error(await sign_in(shop, "bob@example.com"), 403)
    newcomer = await shop.client()
    assert_error(await newcomer.post(SIGNUP, json=account("bob2", phone=bob_phone)), 403)


async def test_ban_ends_the_banned_users_session(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    bob_phone = (await me(bob))["phone"]

    response = await admin.post(BAN, json={"email": "bob@example.com", "phone": bob_phone})

    assert response.status_code == 200, response.text
    after = await bob.get(ME)
    assert_error(after, 401)
    assert after.json()["data"] is None
    assert_error(
        await bob.post(PROFILE, json={"name": "bob", "email": "b@example.com", "phone": bob_phone}),
        401,
    )


async def test_ban_leaves_other_accounts_alone(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")

    response = await admin.post(BAN, json={"email": "bob@example.com"})

    assert response.status_code == 200, response.text
    assert_error(await bob.get(ME), 401)
    assert (await me(carol))["name"] == "carol"
    assert (await sign_in(shop, "carol@example.com")).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"email": "not-an-email"}, id="email"),
        pytest.param({"phone": "123"}, id="phone"),
        pytest.param({"email": "bob@example.com", "phone": "12ab567890"}, id="phone-with-email"),
        pytest.param({"email": 5}, id="email-number"),
        pytest.param({"phone": 1234567890}, id="phone-number"),
        pytest.param({}, id="empty"),
        pytest.param(MALFORMED, id="malformed-json"),
    ],
)
async def test_ban_rejects_invalid_input(shop: Shop, body: Body) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")

    response = await send(admin, "POST", BAN, body)

    assert_error(response, 400)
    assert (await me(bob))["name"] == "bob"


async def test_ban_needs_a_session(shop: Shop) -> None:
    await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    anonymous = await shop.client()

    assert_error(await anonymous.post(BAN, json={"email": "bob@example.com"}), 401)
    assert (await me(bob))["name"] == "bob"


async def test_ban_is_forbidden_to_a_user_and_bans_nothing(shop: Shop) -> None:
    await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")
    bob_phone = (await me(bob))["phone"]

    response = await carol.post(BAN, json={"email": "bob@example.com", "phone": bob_phone})

    assert_error(response, 403)
    assert (await me(bob))["name"] == "bob"
    assert (await sign_in(shop, "bob@example.com")).status_code == 200
    newcomer = await shop.client()
    signup = await newcomer.post(SIGNUP, json=account("dave", email="dave@example.com"))
    assert signup.status_code == 201, signup.text


async def test_admin_cannot_ban_the_only_active_admin(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    admin_phone = (await me(admin))["phone"]

    response = await admin.post(BAN, json={"email": "admin@example.com", "phone": admin_phone})

    assert_error(response, 409)
    assert (await me(admin))["role"] == "ADMIN"
    assert (await admin.get(USERS)).status_code == 200
    assert (await sign_in(shop, "admin@example.com")).status_code == 200


# --- PUT /api/user/role/ ---------------------------------------------------------------------


async def test_promotion_takes_effect_on_the_users_next_request(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    assert_error(await bob.get(USERS), 403)

    response = await admin.put(ROLE, json={"id": (await me(bob))["id"]})

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"message", "newRole"}
    assert isinstance(body["message"], str)
    assert body["newRole"] == "ADMIN"
    assert (await me(bob))["role"] == "ADMIN"
    assert (await bob.get(USERS)).status_code == 200


async def test_demotion_removes_admin_access_on_the_users_next_request(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    await promote(admin, bob)
    assert (await bob.get(USERS)).status_code == 200

    response = await admin.put(ROLE, json={"id": (await me(bob))["id"]})

    assert response.status_code == 200, response.text
    assert response.json()["newRole"] == "USER"
    assert (await me(bob))["role"] == "USER"
    assert_error(await bob.get(USERS), 403)


async def test_an_admin_may_step_down_while_another_admin_remains(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    await promote(admin, bob)

    response = await admin.put(ROLE, json={"id": (await me(admin))["id"]})

    assert response.status_code == 200, response.text
    assert response.json()["newRole"] == "USER"
    assert (await me(admin))["role"] == "USER"
    assert_error(await admin.get(USERS), 403)


@pytest.mark.parametrize(
    "user_id", [str(uuid.uuid4()), "not-a-uuid", ""], ids=["random-uuid", "not-a-uuid", "empty"]
)
async def test_role_change_of_an_unknown_id_is_not_found(shop: Shop, user_id: str) -> None:
    admin = await shop.signed_up("admin")

    response = await admin.put(ROLE, json={"id": user_id})

    assert_error(response, 404)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"id": 5}, id="number"),
        pytest.param({"id": None}, id="null"),
        pytest.param({"id": ["x"]}, id="list"),
        pytest.param({}, id="empty"),
        pytest.param(MALFORMED, id="malformed-json"),
    ],
)
async def test_role_change_rejects_invalid_input(shop: Shop, body: Body) -> None:
    admin = await shop.signed_up("admin")

    response = await send(admin, "PUT", ROLE, body)

    assert_error(response, 400)
    assert (await me(admin))["role"] == "ADMIN"


async def test_role_change_needs_a_session(shop: Shop) -> None:
    await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    anonymous = await shop.client()

    assert_error(await anonymous.put(ROLE, json={"id": (await me(bob))["id"]}), 401)
    assert (await me(bob))["role"] == "USER"


async def test_role_change_is_forbidden_to_a_user(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")

    assert_error(await bob.put(ROLE, json={"id": (await me(bob))["id"]}), 403)
    assert_error(await bob.put(ROLE, json={"id": (await me(admin))["id"]}), 403)
    assert (await me(bob))["role"] == "USER"
    assert (await me(admin))["role"] == "ADMIN"


async def test_the_only_admin_cannot_demote_themselves(shop: Shop) -> None:
    admin = await shop.signed_up("admin")

    response = await admin.put(ROLE, json={"id": (await me(admin))["id"]})

    assert_error(response, 409)
    assert (await me(admin))["role"] == "ADMIN"
    assert (await admin.get(USERS)).status_code == 200


async def two_admins(shop: Shop) -> tuple[httpx.AsyncClient, str, httpx.AsyncClient, str]:
    alice = await shop.signed_up("alice")
    bob = await shop.signed_up("bob")
    await promote(alice, bob)
    return alice, (await me(alice))["id"], bob, (await me(bob))["id"]


async def demote_each_other_at_once(shop: Shop, before_race: Callable[[], None]) -> list[int]:
    """Two ADMINs each demote the other concurrently, on separate clients. Checks that exactly
    one demotion went through and exactly one ADMIN remains; returns the two statuses."""
    alice, alice_id, bob, bob_id = await two_admins(shop)
    before_race()

    by_alice, by_bob = await asyncio.gather(
        alice.put(ROLE, json={"id": bob_id}), bob.put(ROLE, json={"id": alice_id})
    )

    assert [by_alice.status_code, by_bob.status_code].count(200) == 1, (by_alice.text, by_bob.text)
    alice_won = by_alice.status_code == 200
    winner, loser = (by_alice, by_bob) if alice_won else (by_bob, by_alice)
    assert winner.json()["newRole"] == "USER"
    assert_error(loser, loser.status_code)
    survivor, survivor_id = (alice, alice_id) if alice_won else (bob, bob_id)
    admins = [user["id"] for user in await listing(survivor) if user["role"] == "ADMIN"]
    assert admins == [survivor_id]
    return sorted([by_alice.status_code, by_bob.status_code])


async def test_two_admins_demoting_each_other_at_once_leave_exactly_one(shop: Shop) -> None:
    """The plain race. The loser gets 409 when it was authenticated as ADMIN before the winner
    committed, and 403 when its request was authenticated after its own demotion (it is a USER
    by then; on SQLite, BEGIN IMMEDIATE queues its session read behind the winner's write)."""
    statuses = await demote_each_other_at_once(shop, before_race=lambda: None)

    assert statuses in ([200, 409], [200, 403])


async def test_two_admins_authenticated_at_the_same_instant_cannot_both_step_down(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both racing requests are held until both were authenticated as ADMIN, so only the
    last-admin rule (and its lock on the admins) can refuse the second demotion: 409."""
    read_actor = CurrentUser.__call__
    both_authenticated = asyncio.Barrier(2)
    racing = False

    async def in_step(self: CurrentUser, *, token: str | None) -> User:
        nonlocal racing
        user = await read_actor(self, token=token)
        if racing:
            async with asyncio.timeout(10):
                await both_authenticated.wait()
            racing = False  # only the two racing requests wait for each other
        return user

    def start_race() -> None:
        nonlocal racing
        racing = True

    monkeypatch.setattr(CurrentUser, "__call__", in_step)

    statuses = await demote_each_other_at_once(shop, before_race=start_race)

    assert statuses == [200, 409]


# --- both trailing-slash forms ---------------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"], ids=["no-slash", "slash"])
@pytest.mark.parametrize("route", ["profile", "users", "ban", "role"])
async def test_every_users_route_answers_with_and_without_trailing_slash(
    shop: Shop, route: str, slash: str
) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    own = await me(admin)
    requests: dict[str, tuple[str, str, dict[str, object] | None]] = {
        "profile": ("POST", "/api/user", {k: own[k] for k in ("name", "email", "phone")}),
        "users": ("GET", "/api/users", None),
        "ban": ("POST", "/api/user/ban", {"email": "someone@example.com"}),
        "role": ("PUT", "/api/user/role", {"id": (await me(bob))["id"]}),
    }
    method, path, body = requests[route]

    response = await admin.request(method, path + slash, json=body, follow_redirects=False)

    assert not response.is_redirect, response.headers
    assert response.status_code == 200, response.text
