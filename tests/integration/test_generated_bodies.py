"""Hypothesis-generated bodies against the HTTP layer: nothing the contract rejects is accepted,
and nothing is stored from a rejected request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from allora.adapters.sql.tables import metadata
from allora.entrypoints.settings import Settings
from tests.integration.generated_bodies import (
    EXAMPLES,
    MISSING,
    PASSWORD_SPECIALS,
    VARIANT,
    Field,
    Harness,
    Ref,
    any_emails,
    any_phones,
    any_prices,
    around,
    assert_refused,
    catalogue_text_of,
    ensure_product,
    fields_of,
    json_objects,
    json_values,
    names,
    new_rows,
    opened_harness,
    phones,
    price_of,
    prices,
    request_bodies,
    resolved,
    shown_variants,
    user_id,
    valid_email,
    valid_name,
    valid_phone,
    valid_text,
    well_formed_emails,
    well_formed_phones,
    without_variant_ids,
)


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    yield from opened_harness(settings)


def valid_password(password: object) -> bool:
    return (
        isinstance(password, str)
        and 8 <= len(password) <= 256
        and any("A" <= c <= "Z" for c in password)
        and any("a" <= c <= "z" for c in password)
        and any("0" <= c <= "9" for c in password)
        and any(c in PASSWORD_SPECIALS for c in password)
    )


passwords = st.one_of(
    st.from_regex(r"[A-Z][a-z][0-9][@$!%*?&][a-zA-Z0-9]{4,20}", fullmatch=True),
    st.text(max_size=12),
    json_values,
)
emails = st.one_of(
    st.sampled_from(["new@example.com", "NEW@Example.COM"]),
    st.sampled_from(["", "no-at", "a@b", "two@@x.io", " new@example.com"]),
    json_values,
)


@pytest.mark.postgres
@EXAMPLES
@given(name=names, email=emails, phone=phones, password=passwords)
def test_sign_up_accepts_exactly_what_the_rules_allow(
    harness: Harness, name: object, email: object, phone: object, password: object
) -> None:
    before = harness.count("users")
    response = harness.request(
        "POST",
        "/api/auth/signup/",
        json={"name": name, "email": email, "phone": phone, "password": password},
    )
    valid = (
        valid_name(name)
        and isinstance(email, str)
        and email in ("new@example.com", "NEW@Example.COM")
        and valid_phone(phone)
        and valid_password(password)
        and name != "admin"
        and phone != "5550000000"
    )
    if valid:
        assert response.status_code == 201, response.text
        assert harness.count("users") == before + 1
        harness.runner.run(empty_users_but_admin(harness))  # the next example starts alike
    else:
        assert response.status_code in {400, 422}, (response.status_code, response.text)
        assert harness.count("users") == before


async def empty_users_but_admin(harness: Harness) -> None:
    async with harness.container.engine.begin() as connection:
        await connection.execute(text("DELETE FROM users WHERE name <> 'admin'"))


@pytest.mark.postgres
@EXAMPLES
@given(
    score=st.one_of(st.integers(-3, 9), json_values, st.text(max_size=3)),
    body=st.one_of(st.text(max_size=30), json_values),
)
def test_comments_accept_only_integer_scores_1_to_5_and_text(
    harness: Harness, score: object, body: object
) -> None:
    product_id = ensure_product(harness)
    before = harness.count("comments")
    response = harness.request(
        "POST",
        "/api/comments/",
        json={
            "username": "ana",
            "email": "ana@example.com",
            "body": body,
            "score": score,
            "productID": product_id,
        },
    )
    valid_score = type(score) is int and 1 <= score <= 5
    valid_body = isinstance(body, str) and 1 <= len(body.strip()) <= 2000 and "\x00" not in body
    if valid_score and valid_body:
        assert response.status_code == 201, response.text
        assert harness.count("comments") == before + 1
    else:
        assert response.status_code == 400, (response.status_code, response.text)
        assert harness.count("comments") == before


@pytest.mark.postgres
@EXAMPLES
@given(
    code=st.one_of(
        st.from_regex(r"[A-Za-z0-9]{3,20}", fullmatch=True), st.text(max_size=22), json_values
    ),
    percent=st.one_of(st.integers(-5, 105), json_values, st.text(max_size=3)),
    max_use=st.one_of(st.integers(-2, 5), json_values),
)
def test_discount_codes_accept_exactly_what_the_rules_allow(
    harness: Harness, code: object, percent: object, max_use: object
) -> None:
    before = harness.count("discounts")
    response = harness.request(
        "POST",
        "/api/discounts/",
        json={"code": code, "percent": percent, "maxUse": max_use},
        headers={"Cookie": f"token={harness.admin_cookie}"},
    )
    valid = (
        isinstance(code, str)
        and re.fullmatch(r"[A-Za-z0-9]{3,20}", code) is not None
        and type(percent) is int
        and 0 <= percent <= 100
        and type(max_use) is int
        and 1 <= max_use <= 1_000_000_000  # the shop caps maxUse at a billion
    )
    if valid:
        assert response.status_code in {201, 422}, response.text  # 422: generated twice
        assert harness.count("discounts") == before + (response.status_code == 201)
    else:
        assert response.status_code == 400, (response.status_code, response.text)
        assert harness.count("discounts") == before


PRODUCT_CHANGES: dict[str, Field] = {
    "name": (st.text(min_size=3, max_size=20), around(3, 200)),
    "price": (prices, any_prices),
    "description": (st.text(min_size=10, max_size=40), around(10, 10_000)),
    "category": (st.text(min_size=1, max_size=12), around(1, 100)),
    "stock": (
        st.one_of(st.integers(0, 20), st.just(10**9)),
        st.one_of(
            st.integers(-3, -1),
            st.sampled_from([10**9 + 1, 2**31, 2**64, "5", 1.0]),
            json_values,
            st.just(MISSING),
        ),
    ),
    "discount": (
        st.integers(0, 100),
        st.one_of(st.integers(-5, 110), st.sampled_from(["5", 5.0]), json_values),
    ),
    "variants": (
        st.lists(json_objects(VARIANT, partial=True, spoil=False), max_size=3),
        st.one_of(
            st.lists(st.one_of(json_objects(VARIANT, partial=True), json_values), max_size=3),
            st.sampled_from([[{}] * 100, [{}] * 101, [{"size": "M"}] * 101]),
            json_objects(VARIANT, partial=True),
            json_values,
            st.just(MISSING),
        ),
    ),
    # Fields a product shows but no client may set, and misspellings: refused.
    "id": (st.just(MISSING), st.uuids().map(str)),
    "score": (st.just(MISSING), st.integers(0, 5)),
    "colour": (st.just(MISSING), st.sampled_from(["red", ""])),
}
TEXT_BOUNDS = {"name": (3, 200), "description": (10, 10_000), "category": (1, 100)}
WHOLE_BOUNDS = {"stock": 10**9, "discount": 100}
PRODUCT_FIELDS = {*TEXT_BOUNDS, *WHOLE_BOUNDS, "price", "variants"}


def updated_product(before: dict[str, Any], body: object) -> dict[str, Any] | None:
    """The product as it must read once `body` is applied to `before`, or None when the body
    must be refused: it must name at least one product field, and no other field, and each
    value must keep the contract's rules."""
    if not isinstance(body, dict) or not body or not set(body) <= PRODUCT_FIELDS:
        return None
    after = dict(before)
    for field, (low, high) in TEXT_BOUNDS.items():
        if field in body:
            text = catalogue_text_of(body[field], low, high)
            if text is None:
                return None
            after[field] = text
    for field, high in WHOLE_BOUNDS.items():
        if field in body:
            if type(body[field]) is not int or not 0 <= body[field] <= high:
                return None
            after[field] = body[field]
    if "price" in body:
        price = price_of(body["price"], zero_ok=False)
        if price is None:
            return None
        after["price"] = float(price)
    if "variants" in body:
        variants = shown_variants(body["variants"])
        if variants is None:
            return None
        after["variants"] = variants
    return after


@pytest.mark.postgres
@EXAMPLES
@given(
    method=st.sampled_from(["PUT", "PATCH"]),
    slash=st.sampled_from(["/", ""]),
    body=request_bodies(PRODUCT_CHANGES, partial=True),
)
def test_product_updates_accept_exactly_what_the_rules_allow(
    harness: Harness, method: str, slash: str, body: object
) -> None:
    path = f"/api/products/{ensure_product(harness)}/"
    before = harness.request("GET", path).json()
    stored = harness.rows("products"), harness.rows("product_variants")
    response = harness.send(method, path.rstrip("/") + slash, body, harness.admin_cookie)
    expected = updated_product(before, body)
    after = harness.request("GET", path).json()
    if expected is not None:
        assert response.status_code == 200, response.text
        assert {**response.json(), "comments": after["comments"]} == after
        assert all("id" in variant for variant in after["variants"])
        assert {**without_variant_ids(after), "updated_at": None} == {
            **without_variant_ids(expected),
            "updated_at": None,
        }
    else:
        assert_refused(response, 400)
        assert after == before
        assert (harness.rows("products"), harness.rows("product_variants")) == stored


TICKET: dict[str, Field] = {
    "name": (st.text(min_size=1, max_size=20), around(1, 100)),
    "message": (st.text(min_size=1, max_size=60), around(1, 5000)),
    "phone": (well_formed_phones, any_phones),
    "email": (well_formed_emails, any_emails),
}


@pytest.fixture
def member_cookie(harness: Harness) -> str:
    """The session of a USER named member (the harness's admin is the first account)."""
    return harness.sign_up("member", "5550000001")


@pytest.mark.postgres
@EXAMPLES
@given(body=request_bodies(TICKET), signed_in=st.booleans())
def test_tickets_accept_exactly_what_the_rules_allow(
    harness: Harness, member_cookie: str, body: object, signed_in: bool
) -> None:
    before = harness.rows("tickets")
    response = harness.send("POST", "/api/tickets/", body, member_cookie if signed_in else "")
    sent = fields_of(body)
    valid = (
        valid_text(sent.get("name"), 1, 100)
        and valid_text(sent.get("message"), 1, 5000)
        and valid_phone(sent.get("phone"))
        and valid_email(sent.get("email"))
    )
    if valid:
        assert response.status_code == 200, response.text
        assert harness.count("tickets") == len(before) + 1
        [stored] = new_rows(harness, "tickets", before)
        assert (stored["name"], stored["message"]) == (
            sent["name"].strip(),
            sent["message"].strip(),
        )
        assert stored["phone"] == sent["phone"]
        assert stored["email"].lower() == sent["email"].lower()
        author = user_id(harness, member_cookie) if signed_in else None
        assert (stored["user_id"], stored["main_ticket_id"], stored["has_answer"]) == (
            author,
            None,
            False,
        )
    else:
        assert_refused(response, 400)
        assert harness.count("tickets") == len(before)


MAIN_TICKET, AN_ANSWER = Ref("main ticket"), Ref("an answer")
ANSWER: dict[str, Field] = {
    "ticketID": (
        st.one_of(st.sampled_from([MAIN_TICKET, MAIN_TICKET, AN_ANSWER]), st.uuids().map(str)),
        st.one_of(st.text(max_size=8), json_values, st.just(MISSING)),
    ),
    "message": (st.text(min_size=1, max_size=60), around(1, 5000)),
}


def open_tickets(harness: Harness) -> dict[Ref, str]:
    """The ids of an unanswered ticket and of the answer to another (made by the first example)."""
    if harness.count("tickets") == 0:
        ticket = {"name": "ana", "message": "help", "phone": "5551234567", "email": "a@b.io"}
        for _ in range(2):
            assert harness.send("POST", "/api/tickets/", ticket).status_code == 200
        answered = harness.get("/api/tickets/", harness.admin_cookie)[0]
        answer = {"ticketID": answered["id"], "message": "done"}
        sent = harness.send("POST", "/api/tickets/answer/", answer, harness.admin_cookie)
        assert sent.status_code == 200
    threads = harness.get("/api/tickets/", harness.admin_cookie)
    [main] = [thread for thread in threads if not thread["answers"]]
    assert main["hasAnswer"] is False
    [answer_id] = [answer["id"] for thread in threads for answer in thread["answers"]]
    return {MAIN_TICKET: main["id"], AN_ANSWER: answer_id}


@pytest.mark.postgres
@EXAMPLES
@given(body=request_bodies(ANSWER))
def test_ticket_answers_accept_exactly_what_the_rules_allow(harness: Harness, body: object) -> None:
    ids = open_tickets(harness)
    body = resolved(body, ids)
    before = harness.rows("tickets")
    response = harness.send("POST", "/api/tickets/answer/", body, harness.admin_cookie)
    sent = fields_of(body)
    valid = isinstance(sent.get("ticketID"), str) and valid_text(sent.get("message"), 1, 5000)
    if valid and sent["ticketID"] == ids[MAIN_TICKET]:
        assert response.status_code == 200, response.text
        assert harness.count("tickets") == len(before) + 1
        main = UUID(ids[MAIN_TICKET])
        [answer] = new_rows(harness, "tickets", before)
        assert (answer["main_ticket_id"], answer["message"]) == (main, sent["message"].strip())
        assert answer["user_id"] == user_id(harness, harness.admin_cookie)
        assert [row["has_answer"] for row in harness.rows("tickets") if row["id"] == main] == [True]
        tickets = metadata.tables["tickets"]
        harness.execute(  # the next example starts from an unanswered ticket again
            tickets.delete().where(tickets.c.main_ticket_id == main),
            tickets.update().where(tickets.c.id == main).values(has_answer=False),
        )
    else:
        assert_refused(response, 404 if valid else 400)
        assert harness.rows("tickets") == before


PROFILE: dict[str, Field] = {
    "name": (
        st.one_of(st.from_regex(r"[a-z0-9_-]{3,15}", fullmatch=True), st.just("admin")),
        st.one_of(names, st.just(MISSING)),
    ),
    "email": (
        st.one_of(well_formed_emails, st.sampled_from(["ADMIN@example.com", "Member@Example.com"])),
        any_emails,
    ),
    "phone": (st.one_of(well_formed_phones, st.just("5550000000")), any_phones),
}
ADMIN_PROFILE = {"name": "admin", "email": "admin@example.com", "phone": "5550000000"}


@pytest.mark.postgres
@EXAMPLES
@given(body=request_bodies(PROFILE))
def test_profile_updates_accept_exactly_what_the_rules_allow(
    harness: Harness, member_cookie: str, body: object
) -> None:
    before = harness.get("/api/auth/me/", member_cookie)
    users = harness.rows("users")
    response = harness.send("POST", "/api/user/", body, member_cookie)
    sent = fields_of(body)
    valid = (
        valid_name(sent.get("name"))
        and valid_email(sent.get("email"))
        and valid_phone(sent.get("phone"))
    )
    taken = valid and any(str(sent[key]).lower() == value for key, value in ADMIN_PROFILE.items())
    after = harness.get("/api/auth/me/", member_cookie)
    if valid and not taken:
        assert response.status_code == 200, response.text
        wanted = {"name": sent["name"], "email": sent["email"].lower(), "phone": sent["phone"]}
        assert after == {**before, **wanted}
    else:
        assert_refused(response, 422 if valid else 400)
        assert after == before
        assert harness.rows("users") == users


PRODUCT = Ref("the product")
WISH: dict[str, Field] = {
    "product": (
        st.one_of(st.just(PRODUCT), st.uuids().map(str)),
        st.one_of(st.text(max_size=8), json_values, st.just(MISSING)),
    ),
    "user": (st.just(MISSING), st.one_of(json_values, st.uuids().map(str))),  # ignored
}


@pytest.mark.postgres
@EXAMPLES
@given(body=request_bodies(WISH))
def test_wishlist_adds_only_a_known_product_named_by_a_string(
    harness: Harness, body: object
) -> None:
    product_id = ensure_product(harness)
    body = resolved(body, {PRODUCT: product_id})
    before = harness.count("wishlist_items")
    response = harness.send("POST", "/api/wishlist/", body, harness.admin_cookie)
    wanted = fields_of(body).get("product")
    if wanted == product_id:
        assert response.status_code == 201, response.text
        [wished] = harness.get("/api/wishlist/", harness.admin_cookie)
        assert wished["id"] == product_id
        harness.execute(metadata.tables["wishlist_items"].delete())  # the next starts empty
    else:
        assert_refused(response, 404 if isinstance(wanted, str) else 400)
        assert harness.count("wishlist_items") == before


REDEEM: dict[str, Field] = {
    "code": (
        st.one_of(
            st.sampled_from(["SAVE10", "save10", "sAvE10"]),
            st.from_regex(r"[A-Za-z0-9]{3,20}", fullmatch=True),
        ),
        st.one_of(
            st.sampled_from(["SAVE10 ", " save10", "SAVE-10", "SA", "S" * 21, "\u017fave10"]),
            st.text(max_size=22),
            json_values,
            st.just(MISSING),
        ),
    ),
}


@pytest.mark.postgres
@EXAMPLES
@given(body=request_bodies(REDEEM), fresh=st.booleans())
def test_discount_redemptions_accept_exactly_what_the_rules_allow(
    harness: Harness, body: object, fresh: bool
) -> None:
    if harness.count("discounts") == 0:
        terms = {"code": "SAVE10", "percent": 10, "maxUse": 1000}
        created = harness.send("POST", "/api/discounts/", terms, harness.admin_cookie)
        assert created.status_code == 201
    if fresh:  # the admin has not redeemed the code yet
        discounts = metadata.tables["discounts"]
        harness.execute(
            metadata.tables["discount_redemptions"].delete(), discounts.update().values(uses=0)
        )
    redeemed = harness.count("discount_redemptions")
    discounts_before = harness.rows("discounts")
    response = harness.send("PUT", "/api/discounts/use/", body, harness.admin_cookie)
    code = fields_of(body).get("code")
    wellformed = isinstance(code, str) and re.fullmatch(r"[A-Za-z0-9]{3,20}", code) is not None
    known = wellformed and str(code).upper() == "SAVE10"
    if known and redeemed == 0:
        assert response.status_code == 200, response.text
        assert (response.json()["code"], response.json()["uses"]) == ("SAVE10", 1)
        assert harness.count("discount_redemptions") == 1
        [redemption] = harness.rows("discount_redemptions")  # who redeemed it is recorded
        assert redemption["user_id"] == user_id(harness, harness.admin_cookie)
    else:  # 422: this user has redeemed it already
        assert_refused(response, (422 if known else 404) if wellformed else 400)
        assert harness.count("discount_redemptions") == redeemed
        assert harness.rows("discounts") == discounts_before
