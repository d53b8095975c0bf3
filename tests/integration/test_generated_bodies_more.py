"""Hypothesis-generated bodies, continued: product creation (multipart), and the bodies that name
an id or an account (comment moderation, role changes, bans, sign-in). Each oracle restates the
contract's rules without the domain's code; a refused request must change nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import hypothesis
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from allora.adapters.sql.tables import metadata
from allora.entrypoints.settings import Settings
from tests.integration.catalogue_helpers import mean_score, png_file, product_form
from tests.integration.conftest import PASSWORD
from tests.integration.generated_bodies import (
    ADMIN_PHONE,
    BILLION,
    CENT,
    EXAMPLES,
    JSON,
    MISSING,
    VARIANT,
    Field,
    Harness,
    Missing,
    Ref,
    any_emails,
    any_phones,
    around,
    assert_refused,
    catalogue_text_of,
    ensure_product,
    fields_of,
    json_objects,
    json_values,
    new_rows,
    opened_harness,
    request_bodies,
    shown_variants,
    user_id,
    valid_email,
    valid_phone,
    well_formed_emails,
    well_formed_phones,
    without_variant_ids,
)

MEMBER_PHONE = "5550000001"


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    yield from opened_harness(settings)


@pytest.fixture
def member_cookie(harness: Harness) -> str:
    """The session of a USER named member (the harness's admin is the first account)."""
    return harness.sign_up("member", MEMBER_PHONE)


def as_cookie(cookie: str) -> dict[str, str]:
    """The headers of a request by the session `cookie` (none: anonymous)."""
    return {"Cookie": f"token={cookie}"} if cookie else {}


# Who sends a request: mostly the ADMIN, now and then a USER or nobody (refused whatever the body).
actors = st.sampled_from(["admin"] * 6 + ["member", "anonymous"])
REFUSED_ACTOR = {"member": 403, "anonymous": 401}


# --- POST /api/products/ (multipart) ------------------------------------------------------------
# Every multipart field is text: a "wrong shape" is text that does not parse as the contract
# says (a number with too many decimals, a word where an integer goes, variants that are not a
# JSON list of variants), or a field left out.


def form_text(values: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """`values` as multipart text: a string or a left-out field as it is, anything else as the
    JSON text of it (`null`, `true`, `[1, 2]`, ...)."""
    return values.map(lambda kept: kept if isinstance(kept, str | Missing) else json.dumps(kept))


def json_text(values: st.SearchStrategy[Any]) -> st.SearchStrategy[object]:
    """`values` as the exact JSON text of them (a Decimal as the number it is)."""
    return values.map(lambda value: JSON.encode(value).decode())


def whole_texts(high: int) -> Field:
    """Text of a whole number in [0, high], and text around or beside it."""
    return (
        st.one_of(st.integers(0, min(high, 50)).map(str), st.sampled_from(["0", str(high)])),
        st.one_of(
            st.integers(-3, -1).map(str),
            st.sampled_from(
                [str(high + 1), str(2**63), "3.0", "1e2", " 7 ", "\t7\n", "-0", "007", "+3"]
            ),
            st.sampled_from(["", " ", "\u0663", "7a", "0x10", "1_0", "seven", "7%"]),
            form_text(json_values),
            st.text(max_size=3),
            st.just(MISSING),
        ),
    )


PRICE_TEXTS: Field = (
    st.one_of(
        st.integers(1, 10**8).map(lambda cents: str(Decimal(cents) / 100)),
        st.integers(1, 10**6).map(str),
        st.sampled_from(["19.99", "0.01", "999999999.99", "19.990", " 19.99 ", "19.99\n"]),
    ),
    st.one_of(
        st.sampled_from(
            ["0", "0.00", "-0", "-1.50", "0.001", "19.999", "1000000000", "1000000000.00"]
        ),
        st.sampled_from(["1e2", "1E2", "19,99", "$5", ".5", "5.", "+5", "19.99.1", "--5"]),
        st.sampled_from(["", " ", "\u0661\u0669", "Infinity", "NaN", "0x10", "1_000"]),
        st.decimals(-1, 2 * 10**9, places=3, allow_nan=False, allow_infinity=False).map(str),
        st.floats().map(str),
        form_text(json_values),
        st.text(max_size=5),
        st.just(MISSING),
    ),
)
VARIANTS_TEXT: Field = (
    st.one_of(
        json_text(st.lists(json_objects(VARIANT, partial=True, spoil=False), max_size=3)),
        st.sampled_from(["", "[]", " [] "]),
        st.just(MISSING),
    ),
    st.one_of(
        json_text(
            st.lists(st.one_of(json_objects(VARIANT, partial=True), json_values), max_size=3)
        ),
        json_text(st.sampled_from([[{}] * 100, [{}] * 101, [{"size": "M"}] * 101])),
        json_text(json_objects(VARIANT, partial=True)),
        json_text(json_values),
        st.sampled_from(["[", "[{]", "[{'size': 'M'}]", "null", '[{"size": "M",}]', "[]]"]),
        st.sampled_from(['[{"stock": 1.0}]', '[{"price": "5"}]', '[{"price": NaN}]', "  "]),
        st.sampled_from(['[{"stock": 01}]', '[{"size": "M"}] x', "\u00a0[]"]),
        st.text(max_size=4),
    ),
)
PRODUCT_FORM: dict[str, Field] = {
    "name": (st.text(min_size=3, max_size=20), form_text(around(3, 200))),
    "price": PRICE_TEXTS,
    "description": (st.text(min_size=10, max_size=40), form_text(around(10, 10_000))),
    "category": (st.text(min_size=1, max_size=12), form_text(around(1, 100))),
    "stock": whole_texts(10**9),
    "discount": (
        st.one_of(
            st.integers(0, 100).map(str), st.sampled_from(["", "0", "100"]), st.just(MISSING)
        ),
        whole_texts(100)[1],
    ),
    "variants": VARIANTS_TEXT,
}
# Fields a product shows but no client may set: ignored or refused, never stored.
NOT_SETTABLE = st.sampled_from(
    [
        {"score": "5"},
        {"id": "0190aaaa-0000-7000-8000-000000000000"},
        {"images": "/etc/passwd"},
        {"created_at": "2000-01-01T00:00:00Z"},
    ]
)


@st.composite
def product_forms(draw: st.DrawFn) -> dict[str, str]:
    """Well-formed fields but for one or two spoiled ones (none in one form out of three), and
    now and then a field no client may set."""
    names = sorted(PRODUCT_FORM)
    spoiled = (
        draw(st.sets(st.sampled_from(names), min_size=1, max_size=2))
        if draw(st.integers(0, 2))
        else set()
    )
    form: dict[str, str] = {}
    for name in names:
        good, anything = PRODUCT_FORM[name]
        value = draw(anything if name in spoiled else good)
        if isinstance(value, str):
            form[name] = value
    if draw(st.integers(0, 5)) == 0:
        form.update(draw(NOT_SETTABLE))
    return form


DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
WHOLE_TEXT = re.compile(r"-?[0-9]+")


def price_text_of(raw: object) -> Decimal | None:
    """The amount a form's `price` text stands for: ASCII digits with an optional fraction
    (blanks around it trimmed), more than 0, below a billion, at most 2 decimals."""
    if not isinstance(raw, str) or not DECIMAL_TEXT.fullmatch(raw.strip()):
        return None
    amount = Decimal(raw.strip())
    if amount <= 0 or amount >= BILLION or amount != amount.quantize(CENT):
        return None
    return amount


def whole_text_of(raw: object, high: int) -> int | None:
    """The integer in [0, high] a form's text stands for (blanks around it trimmed)."""
    if not isinstance(raw, str) or not WHOLE_TEXT.fullmatch(raw.strip()):
        return None
    value = int(raw.strip())
    return value if 0 <= value <= high else None


def refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is no JSON")


def variants_text_of(raw: object) -> list[dict[str, object]] | None:
    """The variants a product shows from its `variants` text: none when the field is left out
    or blank, else the JSON text must be a list of valid variants (see `shown_variants`)."""
    if not isinstance(raw, str) or not raw.strip():
        return []
    try:
        parsed = json.loads(raw, parse_float=Decimal, parse_constant=refuse_constant)
    except ValueError:
        return None
    return shown_variants(parsed)


FORM_TEXT_BOUNDS = {"name": (3, 200), "description": (10, 10_000), "category": (1, 100)}


def created_product(form: dict[str, str]) -> dict[str, Any] | None:
    """The product's fields as it must show once `form` is posted, or None when the form must be
    refused. `discount` left out or empty is 0 (as the shop's other tests create products)."""
    price = price_text_of(form.get("price"))
    stock = whole_text_of(form.get("stock"), 10**9)
    discount = whole_text_of(form.get("discount") or "0", 100)
    variants = variants_text_of(form.get("variants"))
    texts = {
        field: catalogue_text_of(form.get(field), low, high)
        for field, (low, high) in FORM_TEXT_BOUNDS.items()
    }
    if None in texts.values():
        return None
    if price is None or stock is None or discount is None or variants is None:
        return None
    return {
        **texts,
        "price": float(price),
        "stock": stock,
        "discount": discount,
        "variants": variants,
        "score": 0,
    }


CATALOGUE_TABLES = (
    "products",
    "product_variants",
    "product_images",
    "product_totals",
    "category_totals",
)


def catalogue(harness: Harness) -> list[list[dict[str, Any]]]:
    return [harness.rows(table) for table in CATALOGUE_TABLES]


def media_files(harness: Harness) -> list[Path]:
    """Every file under the media directory (none when it does not exist yet)."""
    root = harness.settings.media_dir
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.mark.postgres
@EXAMPLES
@given(form=product_forms(), slash=st.sampled_from(["/", ""]), actor=actors)
def test_product_creation_accepts_exactly_what_the_rules_allow(
    harness: Harness, member_cookie: str, form: dict[str, str], slash: str, actor: str
) -> None:
    cookie = {"admin": harness.admin_cookie, "member": member_cookie, "anonymous": ""}[actor]
    before, files = catalogue(harness), media_files(harness)
    response = harness.request(
        "POST",
        "/api/products" + slash,
        data=form,
        files=[("img", png_file())],
        headers=as_cookie(cookie),
    )
    harness.client.cookies.clear()
    expected = created_product(form)
    event(f"{actor}: {response.status_code}, oracle {'201' if expected else 'refuses'}")
    if actor == "admin" and expected is not None and response.status_code != 400:
        assert response.status_code == 201, response.text
        created = response.json()["data"]
        assert all("id" in variant for variant in created["variants"])
        assert {key: without_variant_ids(created)[key] for key in expected} == expected
        [stored] = new_rows(harness, "products", before[0])
        assert str(stored["id"]) == created["id"] != form.get("id")
        assert stored["price"] == Decimal(form["price"].strip())  # exactly, never a float
        assert created["created_at"] != form.get("created_at")
        [image] = created["images"]
        assert "passwd" not in image
        assert harness.request("GET", image).status_code == 200
        shown = harness.request("GET", f"/api/products/{created['id']}/").json()
        assert {**shown, "comments": []} == {**created, "comments": []}
        assert len(media_files(harness)) == len(files) + 1
        deleted = harness.request(
            "DELETE", f"/api/products/{created['id']}/", headers=as_cookie(cookie)
        )
        assert deleted.status_code == 200, deleted.text  # the next example starts alike
        assert media_files(harness) == files
    else:
        # A 400 for a form the rules allow is only right when it sends a field no client sets.
        if actor == "admin":
            assert expected is None or set(form) - set(PRODUCT_FORM), form
        assert_refused(response, REFUSED_ACTOR.get(actor, 400))
        assert catalogue(harness) == before
        assert media_files(harness) == files


# Multipart text parts are bytes: ones that do not decode in their charset (UTF-8 unless the part
# names another) are a malformed body, 400 like malformed JSON.

BOUNDARY = "generated-bodies-boundary"
CORRUPT_UTF8 = (
    b"\xff",
    b"\xc3\x28",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\x80",
)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


undecodable = (
    st.tuples(st.binary(max_size=4), st.sampled_from(CORRUPT_UTF8), st.binary(max_size=4))
    .map(b"".join)
    .filter(lambda data: not is_utf8(data))
)


@st.composite
def undecodable_parts(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """(field, content, part headers) of one text part that does not decode: bytes that are not
    UTF-8, or a charset no one knows. The field is one of the form's, or one it does not have."""
    field = draw(st.sampled_from([*sorted(PRODUCT_FORM), "note"]))
    if draw(st.booleans()):
        return field, draw(undecodable), ""
    charset = draw(st.sampled_from(["no-such-charset", "utf-9", "x-unknown"]))
    return field, b"Linen shirt", f"Content-Type: text/plain; charset={charset}\r\n"


def multipart_body(fields: dict[str, tuple[bytes, str]]) -> bytes:
    """A multipart/form-data body of text parts (content, extra part headers) and one PNG."""
    name, data, content_type = png_file()
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"\r\n{headers}\r\n'.encode()
        + content
        + b"\r\n"
        for field, (content, headers) in fields.items()
    ]
    image = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="img"; filename="{name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    )
    return b"".join([*parts, image.encode(), data, f"\r\n--{BOUNDARY}--\r\n".encode()])


@pytest.mark.postgres
@hypothesis.settings(EXAMPLES, max_examples=10)
@given(part=undecodable_parts())
def test_product_form_text_that_does_not_decode_is_refused(
    harness: Harness, part: tuple[str, bytes, str]
) -> None:
    field, content, headers = part
    fields = {key: (value.encode(), "") for key, value in product_form().items()}
    fields[field] = (content, headers)
    before, files = catalogue(harness), media_files(harness)
    response = harness.request(
        "POST",
        "/api/products/",
        content=multipart_body(fields),
        headers={
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            **as_cookie(harness.admin_cookie),
        },
    )
    assert_refused(response, 400)
    assert catalogue(harness) == before
    assert media_files(harness) == files


# --- PUT /api/comments/accept/ and /reject/ ------------------------------------------------------


@dataclass(frozen=True)
class Respelled:
    """Another spelling of a known id (upper-case, braces, ...): the API may take it for that id
    or for no id at all, but nothing else."""

    ref: Ref
    spelling: str


SPELLINGS: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "braces": lambda known: "{" + known + "}",
    "urn": lambda known: "urn:uuid:" + known,
    "no hyphens": lambda known: known.replace("-", ""),
    "padded": lambda known: f" {known}\n",
    "with NUL": lambda known: known + "\x00",
}


def spelled_ids(refs: list[Ref]) -> st.SearchStrategy[object]:
    """Mostly a known id exactly, sometimes another spelling of one, or an id of nothing."""
    return st.one_of(
        st.sampled_from(refs),
        st.builds(Respelled, st.sampled_from(refs), st.sampled_from(sorted(SPELLINGS))),
        st.uuids().map(str),
    )


any_ids = st.one_of(
    st.text(max_size=8), json_values, st.just(MISSING), st.uuids().map(lambda uuid: [str(uuid)])
)


def resolved_id(body: object, ids: dict[Ref, str]) -> tuple[object, Ref | None, bool]:
    """`body` with its `id` spelled out; the `Ref` it names (None: none) and whether it names it
    by another spelling than the API's."""
    if not isinstance(body, dict) or not isinstance(body.get("id"), Ref | Respelled):
        return body, None, False
    named = body["id"]
    if isinstance(named, Ref):
        return {**body, "id": ids[named]}, named, False
    return {**body, "id": SPELLINGS[named.spelling](ids[named.ref])}, named.ref, True


COMMENT_SCORES = (2, 4, 5)
COMMENT_REFS = [Ref(f"comment scored {score}") for score in COMMENT_SCORES]
A_PRODUCT, A_USER = Ref("a product"), Ref("a user")  # ids, but of other kinds of row


def open_comments(harness: Harness) -> tuple[str, dict[Ref, str]]:
    """The product and the ids of its three comments (posted by the first example), of the
    product and of the admin."""
    product_id = ensure_product(harness)
    if harness.count("comments") == 0:
        for score in COMMENT_SCORES:
            comment = {
                "username": "ana",
                "email": "ana@example.com",
                "body": f"scored {score}",
                "score": score,
                "productID": product_id,
            }
            assert harness.send("POST", "/api/comments/", comment).status_code == 201
    by_score = {row["score"]: str(row["id"]) for row in harness.rows("comments")}
    pairs = zip(COMMENT_REFS, COMMENT_SCORES, strict=True)
    others = {A_PRODUCT: product_id, A_USER: str(user_id(harness, harness.admin_cookie))}
    return product_id, {**others, **{ref: by_score[score] for ref, score in pairs}}


def statuses(harness: Harness) -> dict[str, str]:
    return {str(row["id"]): row["status"] for row in harness.rows("comments")}


@pytest.mark.postgres
@EXAMPLES
@given(
    verdict=st.sampled_from(["accept", "reject"]),
    slash=st.sampled_from(["/", ""]),
    body=request_bodies(
        {"id": (spelled_ids([*COMMENT_REFS, *COMMENT_REFS, A_PRODUCT, A_USER]), any_ids)}
    ),
    actor=actors,
)
def test_comment_moderation_changes_exactly_the_named_comment(
    harness: Harness, member_cookie: str, verdict: str, slash: str, body: object, actor: str
) -> None:
    product_id, ids = open_comments(harness)
    body, named, respelled = resolved_id(body, ids)
    cookie = {"admin": harness.admin_cookie, "member": member_cookie, "anonymous": ""}[actor]
    comments, products = harness.rows("comments"), harness.rows("products")
    before = statuses(harness)
    response = harness.send("PUT", f"/api/comments/{verdict}{slash}", body, cookie)
    event(f"{actor}: {response.status_code}{' (respelled)' if respelled else ''}")
    well_formed = isinstance(fields_of(body).get("id"), str)
    if actor == "admin" and named in COMMENT_REFS and response.status_code == 200:
        assert response.json()["message"], response.text
        target = ids[named]
        wanted = {**before, target: "accepted" if verdict == "accept" else "rejected"}
        after = harness.rows("comments")
        assert after == [{**row, "status": wanted[str(row["id"])]} for row in comments]
        scores = {str(row["id"]): row["score"] for row in after}
        accepted = sorted(key for key, status in wanted.items() if status == "accepted")
        shown = harness.request("GET", f"/api/products/{product_id}/").json()
        assert shown["score"] == mean_score([scores[key] for key in accepted])
        listed = harness.request("GET", f"/api/comments/?productID={product_id}").json()
        assert sorted(comment["id"] for comment in listed) == accepted
    else:
        if actor != "admin":
            allowed = {REFUSED_ACTOR[actor]} | ({400} if not well_formed else set())
        elif not well_formed:
            allowed = {400}
        else:  # an id of no comment; a comment's spelled otherwise may be taken for none
            assert named not in COMMENT_REFS or respelled, response.text
            allowed = {404}
        assert_refused(response, *allowed)
        assert (harness.rows("comments"), harness.rows("products")) == (comments, products)


# --- PUT /api/user/role/ ---------------------------------------------------------------------


ADMIN, MEMBER = Ref("the admin"), Ref("the member")


def unaudited(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` without `updated_at`, which a change may or may not touch."""
    return [{key: value for key, value in row.items() if key != "updated_at"} for row in rows]


def account_ids(harness: Harness, member_cookie: str) -> dict[Ref, str]:
    """The ids of the two accounts, and of a product (an id, but of no user)."""
    return {
        ADMIN: str(user_id(harness, harness.admin_cookie)),
        MEMBER: str(user_id(harness, member_cookie)),
        A_PRODUCT: ensure_product(harness),
    }


@pytest.mark.postgres
@EXAMPLES
@given(
    slash=st.sampled_from(["/", ""]),
    body=request_bodies({"id": (spelled_ids([MEMBER, MEMBER, MEMBER, ADMIN, A_PRODUCT]), any_ids)}),
    actor=actors,
)
def test_role_changes_toggle_exactly_the_named_user(
    harness: Harness, member_cookie: str, slash: str, body: object, actor: str
) -> None:
    ids = account_ids(harness, member_cookie)
    body, named, respelled = resolved_id(body, ids)
    cookie = {"admin": harness.admin_cookie, "member": member_cookie, "anonymous": ""}[actor]
    users, sessions = harness.rows("users"), harness.rows("sessions")
    response = harness.send("PUT", f"/api/user/role{slash}", body, cookie)
    event(f"{actor}: {response.status_code}{' (respelled)' if respelled else ''}")
    well_formed = isinstance(fields_of(body).get("id"), str)
    if actor == "admin" and named is MEMBER and response.status_code == 200:
        assert response.json()["newRole"] == "ADMIN", response.text
        assert isinstance(response.json()["message"], str)
        member = UUID(ids[MEMBER])
        wanted = [{**row, "role": "ADMIN"} if row["id"] == member else row for row in users]
        assert unaudited(harness.rows("users")) == unaudited(wanted)
        assert harness.get("/api/auth/me/", member_cookie)["role"] == "ADMIN"  # at once
        assert harness.rows("sessions") == sessions
        users_table = metadata.tables["users"]
        harness.execute(  # the next example starts with a USER member again
            users_table.update().where(users_table.c.id == member).values(role="USER")
        )
    else:
        if actor != "admin":
            allowed = {REFUSED_ACTOR[actor]} | ({400} if not well_formed else set())
        elif not well_formed:
            allowed = {400}
        elif named is ADMIN:  # the only ADMIN may not step down
            allowed = {409, 404} if respelled else {409}
        else:  # an id of no user; the member's spelled otherwise may be taken for none
            assert named is not MEMBER or respelled, response.text
            allowed = {404}
        assert_refused(response, *allowed)
        assert (harness.rows("users"), harness.rows("sessions")) == (users, sessions)


# --- POST /api/user/ban/ ---------------------------------------------------------------------
# A ban names an email, a phone or both (null or left out: not named); each named one must be
# valid. It bans every account holding that email (any case) or phone, and ends their sessions;
# a ban that would catch the only ADMIN is refused with 409 and changes nothing.

BAN: dict[str, Field] = {
    "email": (
        st.one_of(
            st.sampled_from(
                [
                    "admin@example.com",
                    "ADMIN@Example.COM",
                    "member@example.com",
                    "Member@Example.COM",
                ]
            ),
            well_formed_emails,
        ),
        st.one_of(any_emails, st.none()),
    ),
    "phone": (
        st.one_of(st.sampled_from([ADMIN_PHONE, MEMBER_PHONE]), well_formed_phones),
        st.one_of(any_phones, st.none()),
    ),
}


@pytest.mark.postgres
@pytest.mark.usefixtures("member_cookie")
@EXAMPLES
@given(
    slash=st.sampled_from(["/", ""]),
    body=request_bodies(BAN),
    anonymous=st.sampled_from([False] * 7 + [True]),
)
def test_bans_catch_exactly_the_named_accounts(
    harness: Harness, slash: str, body: object, anonymous: bool
) -> None:
    users, sessions, bans = harness.rows("users"), harness.rows("sessions"), harness.rows("bans")
    cookie = "" if anonymous else harness.admin_cookie
    response = harness.send("POST", f"/api/user/ban{slash}", body, cookie)
    event(f"{'anonymous' if anonymous else 'admin'}: {response.status_code}")
    named = {key: value for key, value in fields_of(body).items() if value is not None}
    valid = (
        isinstance(body, dict)
        and bool(named.keys() & {"email", "phone"})
        and ("email" not in named or valid_email(named["email"]))
        and ("phone" not in named or valid_phone(named["phone"]))
    )
    email = str(named.get("email", "")).lower() or None
    phone = named.get("phone")
    caught = {row["id"] for row in users if row["email"] == email or row["phone"] == phone}
    admin = user_id(harness, harness.admin_cookie)
    if not anonymous and valid and admin not in caught:
        assert response.status_code == 200, response.text
        wanted = [{**row, "banned": True} if row["id"] in caught else row for row in users]
        assert unaudited(harness.rows("users")) == unaudited(wanted)
        assert harness.rows("sessions") == [row for row in sessions if row["user_id"] not in caught]
        [ban] = new_rows(harness, "bans", bans)
        assert ((ban["email"] or "").lower() or None, ban["phone"]) == (email, phone)
        users_table = metadata.tables["users"]
        harness.execute(  # the next example starts with no ban (the member's session is gone)
            metadata.tables["bans"].delete(), users_table.update().values(banned=False)
        )
    else:
        if anonymous:
            allowed = {401} | ({400} if not valid else set())
        else:
            allowed = {409} if valid else {400}
        assert_refused(response, *allowed)
        assert (harness.rows("users"), harness.rows("sessions"), harness.rows("bans")) == (
            users,
            sessions,
            bans,
        )


# --- POST /api/auth/signin/ ------------------------------------------------------------------
# The attempt limits (429) have tests of their own; here they are raised out of reach, so every
# example meets the same rules. Hashing is slow: few examples, accounts made once.

ACCOUNTS = {"admin@example.com", "member@example.com", "outlaw@example.com"}
BANNED = "outlaw@example.com"
SIGN_IN: dict[str, Field] = {
    "email": (
        st.sampled_from(
            [
                "admin@example.com",
                "ADMIN@Example.com",
                "member@example.com",
                "outlaw@example.com",
                "nobody@example.com",
            ]
        ),
        any_emails,
    ),
    "password": (
        st.sampled_from([PASSWORD, PASSWORD, "passw0rd!", "Passw0rd!!"]),
        st.one_of(
            st.sampled_from(["", " " + PASSWORD, PASSWORD + "\n", PASSWORD.upper()]),
            st.text(max_size=10),
            json_values,
            st.just(MISSING),
        ),
    ),
}


@dataclass(frozen=True)
class SignInShop:
    harness: Harness
    no_such_account: str  # the message of a sign-in by an unknown email


@pytest.fixture
def sign_in_shop(settings: Settings) -> Iterator[SignInShop]:
    """A shop with an ADMIN, a USER and a banned USER, and no attempt limit within reach."""
    unlimited = replace(settings, signin_client_limit=100_000, signin_email_failures=100_000)
    for opened in opened_harness(unlimited):  # one harness, closed once the test is done
        opened.sign_up("member", MEMBER_PHONE)
        opened.sign_up("outlaw", "5550000002")
        ban = opened.send("POST", "/api/user/ban/", {"email": BANNED}, opened.admin_cookie)
        assert ban.status_code == 200, ban.text
        unknown = {"email": "nobody@example.com", "password": PASSWORD}
        refused = opened.send("POST", "/api/auth/signin/", unknown)
        assert refused.status_code == 401, refused.text
        yield SignInShop(opened, refused.json()["message"])


@pytest.mark.postgres
@hypothesis.settings(EXAMPLES, max_examples=15)
@given(slash=st.sampled_from(["/", ""]), body=request_bodies(SIGN_IN))
def test_sign_in_opens_a_session_exactly_for_the_right_password(
    sign_in_shop: SignInShop, slash: str, body: object
) -> None:
    harness = sign_in_shop.harness
    users, sessions = harness.rows("users"), harness.rows("sessions")
    response = harness.send("POST", f"/api/auth/signin{slash}", body)
    event(f"status {response.status_code}")
    harness.client.cookies.clear()
    sent = fields_of(body)
    email, password = sent.get("email"), sent.get("password")
    well_formed = valid_email(email) and isinstance(password, str) and password != ""
    known = well_formed and str(email).lower() in ACCOUNTS
    if known and password == PASSWORD and str(email).lower() != BANNED:
        assert response.status_code == 200, response.text
        cookie = str(response.cookies["token"])
        assert harness.get("/api/auth/me/", cookie)["email"] == str(email).lower()
        [opened] = new_rows(harness, "sessions", sessions)
        assert opened["user_id"] == user_id(harness, cookie)
        assert harness.rows("users") == users
    else:
        if not well_formed:
            allowed = {400}
        elif known and str(email).lower() == BANNED:  # a wrong password may say 401 first
            allowed = {403} if password == PASSWORD else {401, 403}
        else:  # unknown email or wrong password: the same answer
            allowed = {401}
        assert_refused(response, *allowed)
        if response.status_code == 401:  # no account enumeration: one answer for both
            assert response.json()["message"] == sign_in_shop.no_such_account
        assert not response.cookies.get("token"), response.headers
        assert (harness.rows("users"), harness.rows("sessions")) == (users, sessions)
