"""Comments and their moderation (contract section "Comments"), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, cast

import httpx
import pytest

from tests.integration.catalogue_helpers import (
    ACCEPT,
    ALL_COMMENTS,
    COMMENT_KEYS,
    COMMENTS,
    REJECT,
    accepted_comment,
    add_comment,
    assert_error,
    comment_body,
    create_product,
    mean_score,
    moderate,
    score_of,
)
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

ADMIN_COMMENT_KEYS = COMMENT_KEYS | {"email"}


# --- helpers ---------------------------------------------------------------------------------


async def admin_listing(
    admin: httpx.AsyncClient, status: str = "all"
) -> tuple[list[dict[str, Any]], int]:
    response = await admin.get(ALL_COMMENTS, params={"status": status})
    assert response.status_code == 200, response.text
    return cast("list[dict[str, Any]]", response.json()), int(response.headers["X-Total-Count"])


async def public_listing(
    client: httpx.AsyncClient, **params: str | int
) -> tuple[list[dict[str, Any]], int]:
    response = await client.get(COMMENTS, params=params)
    assert response.status_code == 200, response.text
    return cast("list[dict[str, Any]]", response.json()), int(response.headers["X-Total-Count"])


def ids(comments: list[dict[str, Any]]) -> set[str]:
    return {comment["id"] for comment in comments}


async def second_admin(shop: Shop, admin: httpx.AsyncClient) -> httpx.AsyncClient:
    """A new account promoted to ADMIN by `admin`."""
    client = await shop.signed_up("carol")
    me = await client.get("/api/auth/me/")
    response = await admin.put("/api/user/role/", json={"id": me.json()["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["newRole"] == "ADMIN"
    return client


# --- POST /api/comments/ ---------------------------------------------------------------------


async def test_anyone_can_post_a_comment_that_waits_for_moderation(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    visitor = await shop.client()
    user = await shop.signed_up("bob")
    for client in (visitor, user):
        response = await client.post(COMMENTS, json=comment_body(product["id"], 5))
        assert response.status_code == 201, response.text
        body = response.json()
        assert set(body) == {"message", "data"}
        assert isinstance(body["message"], str)
        assert body["message"]
        comment = body["data"]
        assert set(comment) == COMMENT_KEYS
        assert comment["isAccept"] is False
        assert comment["product"] == product["id"]
        assert comment["username"] == "Dana"
        assert comment["body"] == "Fits well and feels great."
        assert comment["score"] == 5
    pending, total = await admin_listing(admin, "pending")
    assert total == 2
    assert {comment["email"] for comment in pending} == {"dana@example.com"}
    assert await public_listing(visitor, productID=product["id"]) == ([], 0)
    assert await score_of(visitor, product["id"]) == 0


INVALID_COMMENTS: list[tuple[str, dict[str, object]]] = [
    ("score as a string", {"score": "3"}),
    ("score a fraction", {"score": 3.5}),
    ("score a whole float", {"score": 3.0}),
    ("score 0", {"score": 0}),
    ("score 6", {"score": 6}),
    ("score true", {"score": True}),
    ("score null", {"score": None}),
    ("invalid email", {"email": "not-an-email"}),
    ("email a number", {"email": 42}),
    ("empty body", {"body": ""}),
    ("empty username", {"username": ""}),
    ("productID a number", {"productID": 5}),
]


async def test_invalid_comment_is_400_and_stores_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    visitor = await shop.client()
    wrong: list[str] = []
    bodies = [
        (case, {**comment_body(product["id"]), **change}) for case, change in INVALID_COMMENTS
    ]
    for field in ("username", "email", "body", "score", "productID"):
        missing = comment_body(product["id"])
        del missing[field]
        bodies.append((f"missing {field}", missing))
    for case, body in bodies:
        response = await visitor.post(COMMENTS, json=body)
        if response.status_code != 400 or "message" not in response.json():
            wrong.append(f"{case}: {response.status_code} {response.text}")
    malformed = await visitor.post(
        COMMENTS, content=b'{"score": 4,', headers={"Content-Type": "application/json"}
    )
    if malformed.status_code != 400:
        wrong.append(f"malformed JSON: {malformed.status_code} {malformed.text}")
    assert wrong == []
    assert await admin_listing(admin) == ([], 0)


async def test_comment_on_an_unknown_product_is_404_and_stores_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    for product_id in (str(uuid.uuid4()), "not-a-uuid"):
        assert_error(await visitor.post(COMMENTS, json=comment_body(product_id)), 404)
    assert await admin_listing(admin) == ([], 0)


async def test_comment_body_over_1_mib_is_413_and_stores_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    visitor = await shop.client()
    huge = comment_body(product["id"], body="x" * (1024 * 1024 + 1))
    assert_error(await visitor.post(COMMENTS, json=huge), 413)
    assert await admin_listing(admin) == ([], 0)


# --- GET /api/comments/ ----------------------------------------------------------------------


async def test_public_listing_shows_only_accepted_comments_of_the_product(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    product = await create_product(admin)
    other = await create_product(admin, name="Other product")
    first = await accepted_comment(visitor, admin, product["id"], 5)
    second = await accepted_comment(visitor, admin, product["id"], 3)
    await accepted_comment(visitor, admin, other["id"], 4)
    await add_comment(visitor, product["id"], 1)
    rejected = await add_comment(visitor, product["id"], 2)
    await moderate(admin, REJECT, rejected["id"])

    comments, total = await public_listing(visitor, productID=product["id"])
    assert total == 2
    assert ids(comments) == {first["id"], second["id"]}
    for comment in comments:
        assert set(comment) == COMMENT_KEYS
        assert comment["isAccept"] is True
        assert comment["product"] == product["id"]

    page, total = await public_listing(visitor, productID=product["id"], limit=1, offset=1)
    assert total == 2
    assert len(page) == 1
    assert (await public_listing(visitor))[1] == 3
    assert await public_listing(visitor, productID=str(uuid.uuid4())) == ([], 0)


async def test_public_listing_rejects_paging_out_of_range(shop: Shop) -> None:
    visitor = await shop.client()
    for params in ({"limit": "0"}, {"limit": "201"}, {"offset": "-1"}):
        assert_error(await visitor.get(COMMENTS, params=params), 400)


# --- GET /api/comments/all/ ------------------------------------------------------------------


async def test_admin_listing_filters_by_status_and_shows_email(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    product = await create_product(admin)
    accepted = await accepted_comment(visitor, admin, product["id"], 5)
    pending = await add_comment(visitor, product["id"], 2, email="Pending@Example.com")

    everything, total = await admin_listing(admin, "all")
    assert total == 2
    assert ids(everything) == {accepted["id"], pending["id"]}
    for comment in everything:
        assert set(comment) >= ADMIN_COMMENT_KEYS
        assert "@example.com" in comment["email"].lower()
    assert ids((await admin_listing(admin, "pending"))[0]) == {pending["id"]}
    assert ids((await admin_listing(admin, "accepted"))[0]) == {accepted["id"]}
    default = await admin.get(ALL_COMMENTS)
    assert default.status_code == 200
    assert ids(default.json()) == {accepted["id"], pending["id"]}


async def test_admin_listing_needs_an_admin_and_a_known_status(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    user = await shop.signed_up("bob")
    visitor = await shop.client()
    assert_error(await visitor.get(ALL_COMMENTS, params={"status": "all"}), 401)
    assert_error(await user.get(ALL_COMMENTS, params={"status": "all"}), 403)
    for status in ("done", "ACCEPTED", ""):
        assert_error(await admin.get(ALL_COMMENTS, params={"status": status}), 400)


# --- PUT /api/comments/accept/ and /reject/ --------------------------------------------------


async def test_accepting_comments_sets_the_score_to_their_rounded_mean(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    product = await create_product(admin)
    comments = [await add_comment(visitor, product["id"], score) for score in (5, 4, 4, 1)]
    assert await score_of(visitor, product["id"]) == 0
    for count, expected in ((1, 5), (2, 4.5), (3, 4.33)):
        response = await admin.put(ACCEPT, json={"id": comments[count - 1]["id"]})
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"message"}
        assert await score_of(visitor, product["id"]) == expected
    assert await score_of(visitor, product["id"]) == mean_score([5, 4, 4])
    accepted, _ = await public_listing(visitor, productID=product["id"])
    assert ids(accepted) == {comment["id"] for comment in comments[:3]}


async def test_rejecting_an_accepted_comment_lowers_the_score_back(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    product = await create_product(admin)
    low = await accepted_comment(visitor, admin, product["id"], 2)
    high = await accepted_comment(visitor, admin, product["id"], 5)
    assert await score_of(visitor, product["id"]) == 3.5
    response = await admin.put(REJECT, json={"id": high["id"]})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"message"}
    assert await score_of(visitor, product["id"]) == 2
    await moderate(admin, REJECT, low["id"])
    assert await score_of(visitor, product["id"]) == 0
    assert await public_listing(visitor, productID=product["id"]) == ([], 0)
    await moderate(admin, ACCEPT, high["id"])
    assert await score_of(visitor, product["id"]) == 5


async def test_moderation_refuses_bad_ids_and_non_admins(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    user = await shop.signed_up("bob")
    visitor = await shop.client()
    product = await create_product(admin)
    comment = await add_comment(visitor, product["id"], 3)
    for path in (ACCEPT, REJECT):
        for body in ({"id": 5}, {}, {"id": None}, {"comment": comment["id"]}):
            assert_error(await admin.put(path, json=body), 400)
        for unknown in (str(uuid.uuid4()), "not-a-uuid"):
            assert_error(await admin.put(path, json={"id": unknown}), 404)
        assert_error(await visitor.put(path, json={"id": comment["id"]}), 401)
        assert_error(await user.put(path, json={"id": comment["id"]}), 403)
    [unchanged], _ = await admin_listing(admin, "pending")
    assert unchanged["id"] == comment["id"]
    assert await score_of(visitor, product["id"]) == 0


# --- DELETE /api/comments/{id}/ --------------------------------------------------------------


async def test_deleting_a_comment_updates_the_score(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    product = await create_product(admin)
    await accepted_comment(visitor, admin, product["id"], 5)
    await accepted_comment(visitor, admin, product["id"], 4)
    worst = await accepted_comment(visitor, admin, product["id"], 1)
    assert await score_of(visitor, product["id"]) == 3.33
    response = await admin.delete(f"{COMMENTS}{worst['id']}/")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"message"}
    assert await score_of(visitor, product["id"]) == 4.5
    assert worst["id"] not in ids((await admin_listing(admin))[0])
    assert_error(await admin.delete(f"{COMMENTS}{worst['id']}/"), 404)


async def test_deleting_a_comment_needs_an_admin_and_a_known_id(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    user = await shop.signed_up("bob")
    visitor = await shop.client()
    product = await create_product(admin)
    comment = await accepted_comment(visitor, admin, product["id"], 4)
    assert_error(await visitor.delete(f"{COMMENTS}{comment['id']}/"), 401)
    assert_error(await user.delete(f"{COMMENTS}{comment['id']}/"), 403)
    for unknown in (str(uuid.uuid4()), "not-a-uuid"):
        assert_error(await admin.delete(f"{COMMENTS}{unknown}/"), 404)
    assert (await admin_listing(admin))[1] == 1
    assert await score_of(visitor, product["id"]) == 4


# --- concurrency -----------------------------------------------------------------------------


async def test_concurrent_moderation_by_two_admins_keeps_the_score_exact(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    other_admin = await second_admin(shop, admin)
    visitor = await shop.client()
    product = await create_product(admin)
    scores = [5, 1, 4, 2, 3, 5, 4, 1, 2, 5, 3, 4, 1, 5, 2, 4, 3, 1, 5, 4]
    comments = [await add_comment(visitor, product["id"], score) for score in scores]
    accepted_indices = {i for i in range(len(scores)) if i % 3 != 0}

    async def decide(client: httpx.AsyncClient, index: int) -> httpx.Response:
        path = ACCEPT if index in accepted_indices else REJECT
        return await client.put(path, json={"id": comments[index]["id"]})

    halves = [(admin, range(0, 10)), (other_admin, range(10, 20))]
    responses = await asyncio.gather(
        *(decide(client, i) for client, indices in halves for i in indices)
    )
    assert [response.status_code for response in responses] == [200] * 20
    expected = mean_score([scores[i] for i in sorted(accepted_indices)])
    assert await score_of(visitor, product["id"]) == expected
    accepted, total = await admin_listing(admin, "accepted")
    assert total == len(accepted_indices)
    assert ids(accepted) == {comments[i]["id"] for i in accepted_indices}


# --- trailing slashes ------------------------------------------------------------------------


async def test_every_comment_route_answers_with_and_without_trailing_slash(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    created = []
    for path in ("/api/comments", "/api/comments/"):
        response = await admin.post(path, json=comment_body(product["id"]))
        assert response.status_code == 201, f"{path}: {response.status_code}"
        created.append(response.json()["data"]["id"])
    for path in ("/api/comments", "/api/comments/", "/api/comments/all", "/api/comments/all/"):
        assert (await admin.get(path)).status_code == 200, path
    for path in ("/api/comments/accept", "/api/comments/accept/"):
        assert (await admin.put(path, json={"id": created[0]})).status_code == 200, path
    for path in ("/api/comments/reject", "/api/comments/reject/"):
        assert (await admin.put(path, json={"id": created[0]})).status_code == 200, path
    assert (await admin.delete(f"/api/comments/{created[0]}")).status_code == 200
    assert (await admin.delete(f"/api/comments/{created[1]}/")).status_code == 200
    assert await admin_listing(admin) == ([], 0)
