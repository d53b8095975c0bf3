"""Hypothesis-generated bodies against the HTTP layer: nothing the contract rejects is accepted,
and nothing is stored from a rejected request."""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Executable, select, text

from allora.adapters.sql.migrate import upgrade
from allora.adapters.sql.tables import metadata
from allora.entrypoints.app import create_app
from allora.entrypoints.container import Container
from allora.entrypoints.settings import Settings
from tests.integration.conftest import PASSWORD, empty_tables

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PASSWORD_SPECIALS = "@$!%*?&"
JSON = msgspec.json.Encoder(decimal_format="number")  # a Decimal goes out as the number it is


class Harness:
    """One app on its own event loop; each example runs a request to completion on it."""

    def __init__(self, configured: Settings) -> None:
        self.runner = asyncio.Runner()
        self.container = Container.build(configured)
        self.app = create_app(configured, self.container)
        self.runner.run(upgrade(self.container.engine))
        self.runner.run(empty_tables(self.container))
        transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
        self.client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self.admin_cookie = ""

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.runner.run(self.client.request(method, path, **kwargs))

    def count(self, table: str) -> int:
        async def count() -> int:
            async with self.container.engine.connect() as connection:
                return int(
                    (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()  # noqa: S608
                )

        return self.runner.run(count())

    def send(self, method: str, path: str, body: object, cookie: str = "") -> httpx.Response:
        """`body` as JSON (as its exact bytes when `Raw`), signed in when `cookie` is given."""
        content = body.content if isinstance(body, Raw) else JSON.encode(body)
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = f"token={cookie}"
        return self.request(method, path, content=content, headers=headers)

    def get(self, path: str, cookie: str) -> Any:
        """The JSON body of a successful GET by the session `cookie`."""
        response = self.request("GET", path, headers={"Cookie": f"token={cookie}"})
        assert response.status_code == 200, response.text
        return response.json()

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of `table`, typed and in a stable order: compared before and after."""

        async def rows() -> list[dict[str, Any]]:
            async with self.container.engine.connect() as connection:
                result = await connection.execute(select(metadata.tables[table]))
                return sorted((dict(row) for row in result.mappings()), key=repr)

        return self.runner.run(rows())

    def execute(self, *statements: Executable) -> None:
        async def execute() -> None:
            async with self.container.engine.begin() as connection:
                for statement in statements:
                    await connection.execute(statement)

        self.runner.run(execute())

    def sign_up(self, name: str, phone: str) -> str:
        """Signs `name` up and returns the session cookie, leaving the client anonymous (every
        request says who sends it, or that nobody does)."""
        response = self.request(
            "POST",
            "/api/auth/signup/",
            json={
                "name": name,
                "email": f"{name}@example.com",
                "phone": phone,
                "password": PASSWORD,
            },
        )
        assert response.status_code == 201
        self.client.cookies.clear()
        return str(response.cookies["token"])

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.run(self.container.engine.dispose())
        self.runner.close()


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    opened = Harness(settings)
    opened.admin_cookie = opened.sign_up("admin", "5550000000")
    yield opened
    opened.close()


def valid_name(name: object) -> bool:
    return isinstance(name, str) and re.fullmatch(r"[a-z0-9_-]{3,15}", name) is not None


def valid_phone(phone: object) -> bool:
    return isinstance(phone, str) and re.fullmatch(r"[0-9]{10,15}", phone) is not None


def valid_password(password: object) -> bool:
    return (
        isinstance(password, str)
        and 8 <= len(password) <= 256
        and any("A" <= c <= "Z" for c in password)
        and any("a" <= c <= "z" for c in password)
        and any("0" <= c <= "9" for c in password)
        and any(c in PASSWORD_SPECIALS for c in password)
    )


json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
)
names = st.one_of(
    st.from_regex(r"[a-z0-9_-]{3,15}", fullmatch=True), st.text(max_size=20), json_values
)
phones = st.one_of(
    st.from_regex(r"[0-9]{10,15}", fullmatch=True), st.text(max_size=16), json_values
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


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


def ensure_product(harness: Harness) -> str:
    """The id of the one product the examples work on, created by the first of them."""
    if harness.count("products") == 0:
        created = harness.request(
            "POST",
            "/api/products/",
            data={
                "name": "Shirt",
                "price": "9.99",
                "description": "generated bodies target",
                "category": "tops",
                "stock": "1",
            },
            files=[("img", ("a.png", tiny_png(), "image/png"))],
            headers={"Cookie": f"token={harness.admin_cookie}"},
        )
        assert created.status_code == 201
    return str(harness.request("GET", "/api/products/").json()[0]["id"])


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


# --- Bodies of the other write endpoints --------------------------------------------------------
# Each field has a well-formed strategy and an "anything" one (wrong types, values around the
# bounds, or the field left out); a body spoils some of its fields, and now and then it is not a
# JSON object at all. The oracles below restate the contract's rules without the domain's code.


class Missing:
    """A field left out of a generated body."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


@dataclass(frozen=True)
class Raw:
    """A body sent as these exact bytes: malformed JSON, or JSON that is not an object."""

    content: bytes


@dataclass(frozen=True)
class Ref:
    """An id known only once the example runs (the product, a ticket, ...)."""

    name: str


Field = tuple[st.SearchStrategy[object], st.SearchStrategy[object]]  # (well-formed, anything)

malformed_bodies = st.one_of(
    st.sampled_from(
        [b"", b"{", b'{"a": 1,}', b"[1, 2", b"\xff\xfe{}", b"nul", b"{'a': 1}", b'{"a": "\\ud800"}']
    ),
    st.one_of(json_values, st.text(max_size=5)).map(lambda value: json.dumps(value).encode()),
).map(Raw)


@st.composite
def json_objects(
    draw: st.DrawFn, fields: dict[str, Field], *, partial: bool = False, spoil: bool = True
) -> dict[str, object]:
    """An object over `fields`: each holds a well-formed value unless spoiled (then anything,
    maybe nothing); with `partial` only some of the fields are sent."""
    names = sorted(fields)
    sent = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))) if partial else names
    body: dict[str, object] = {}
    for name in names:
        if name in sent:
            good, anything = fields[name]
            spoiled = spoil and draw(st.sampled_from([True, False, False, False]))
            value = draw(anything if spoiled else good)
            if not isinstance(value, Missing):
                body[name] = value
    return body


@st.composite
def request_bodies(draw: st.DrawFn, fields: dict[str, Field], *, partial: bool = False) -> object:
    """Mostly a JSON object over `fields`; one in eight is a malformed body."""
    if draw(st.integers(0, 7)) == 0:
        return draw(malformed_bodies)
    return draw(json_objects(fields, partial=partial))


WIDE = ("a", "é", "\u4e2d", "\U0001f600")  # 1 to 4 bytes in UTF-8, one character each


def around(low: int, high: int) -> st.SearchStrategy[object]:
    """Text of any kind and lengths around [low, high], wrong types, or nothing."""
    return st.one_of(
        st.text(max_size=low + 3),
        st.tuples(st.sampled_from([low - 1, low, high, high + 1]), st.sampled_from(WIDE)).map(
            lambda length_char: length_char[1] * max(length_char[0], 0)
        ),
        st.sampled_from([" " * (low + 2), "\t" + "a" * max(low, 1) + "\n", "a" * low + "\x00"]),
        json_values,
        st.just(MISSING),
    )


def valid_text(raw: object, low: int, high: int) -> bool:
    """A string of `low` to `high` characters once trimmed, with no NUL."""
    return isinstance(raw, str) and low <= len(raw.strip()) <= high and "\x00" not in raw


CENT = Decimal("0.01")
BILLION = Decimal(1_000_000_000)
prices = st.one_of(
    st.integers(-2, 20),
    st.integers(-100, 10**6).map(lambda cents: cents / 100),
    st.integers(-100, 10**6).map(lambda mills: mills / 1000),
    st.sampled_from([999_999_999.99, 999_999_999, 1e9, 10**9, 1e2, 0.0, -0.0, 0.001, 1e-2]),
    st.decimals(0, 10**6, places=2),
    st.decimals(-1, 2 * 10**9, allow_nan=False, allow_infinity=False),
    st.sampled_from(
        ["19.990000000000000001", "19.990", "1E+2", "1E-400", "1E+400", "-0", "0.00"]
    ).map(Decimal),
)
any_prices = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["9.99", "10", ""]),
    json_values,
    st.just(MISSING),
)


def price_of(raw: object, *, zero_ok: bool) -> Decimal | None:
    """The exact amount a JSON number sent as `raw` stands for, when the price rules allow it:
    at most 2 decimals, below a billion, more than 0 (or 0 when `zero_ok`)."""
    if type(raw) is int:
        amount = Decimal(raw)
    elif type(raw) in {float, Decimal}:
        amount = Decimal(JSON.encode(raw).decode())  # exactly the number on the wire
    else:
        return None
    if amount < 0 or (amount == 0 and not zero_ok) or amount >= BILLION:
        return None
    return amount if amount == amount.quantize(CENT) else None


COLOURS = ("black", "white", "blue", "red", "green", "yellow")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
VARIANT_FIELDS = {"colorName", "colorHex", "size", "stock", "price"}
VARIANT: dict[str, Field] = {
    "colorName": (
        st.one_of(st.sampled_from((*COLOURS, "")), st.none()),
        st.one_of(st.sampled_from(["Black", "purple", " red"]), st.text(max_size=3), json_values),
    ),
    "colorHex": (
        st.one_of(st.from_regex(HEX_COLOUR, fullmatch=True), st.just(""), st.none()),
        st.one_of(
            st.sampled_from(["#abcd", "fff", "#ggg", "#12345", "#fff\n", "#FFFFFFF"]),
            st.text(max_size=4),
            json_values,
        ),
    ),
    "size": (
        st.one_of(st.sampled_from((*SIZES, "")), st.none()),
        st.one_of(st.sampled_from(["xs", "XXXL", " M"]), json_values, st.just(MISSING)),
    ),
    "stock": (
        st.one_of(st.integers(0, 50), st.just(""), st.none()),
        st.one_of(
            st.integers(-3, -1),
            st.sampled_from([10**9, 10**9 + 1, 2**63, "3", " "]),
            st.floats(0, 3),
            json_values,
        ),
    ),
    "price": (st.one_of(prices, st.just(""), st.none()), any_prices),
    "sku": (st.just(MISSING), st.one_of(json_values, st.text(max_size=3))),  # no such field
}


def shown_variants(raw: object) -> list[dict[str, object]] | None:
    """The variants a product shows once `raw` is sent, or None when `raw` must be refused:
    a list of at most 100 objects with only the variant fields, each valid or empty (null or
    ""); entries with every field empty are dropped."""
    if not isinstance(raw, list) or len(raw) > 100:
        return None
    shown: list[dict[str, object]] = []
    for entry in raw:
        if not isinstance(entry, dict) or not set(entry) <= VARIANT_FIELDS:
            return None
        given = {key: value for key, value in entry.items() if value is not None and value != ""}
        name, hex_colour = given.get("colorName"), given.get("colorHex")
        size, stock = given.get("size"), given.get("stock")
        price = price_of(given["price"], zero_ok=True) if "price" in given else None
        if (
            ("colorName" in given and name not in COLOURS)
            or (
                "colorHex" in given
                and not (isinstance(hex_colour, str) and HEX_COLOUR.fullmatch(hex_colour))
            )
            or ("size" in given and size not in SIZES)
            or ("stock" in given and (type(stock) is not int or not 0 <= stock <= 10**9))
            or ("price" in given and price is None)
        ):
            return None
        if given:
            shown.append(
                {
                    "color": {
                        "name": name,
                        "hex": hex_colour.lower() if isinstance(hex_colour, str) else None,
                    },
                    "size": size,
                    "stock": stock,
                    "price": None if price is None else float(price),
                }
            )
    return shown


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
            if not valid_text(body[field], low, high):
                return None
            after[field] = body[field].strip()
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


def assert_refused(response: httpx.Response, *statuses: int) -> None:
    """One of `statuses`, with the contract's error body."""
    assert response.status_code in statuses, (response.status_code, response.text)
    assert isinstance(response.json()["message"], str), response.text


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
        assert {**after, "updated_at": None} == {**expected, "updated_at": None}
    else:
        assert_refused(response, 400)
        assert after == before
        assert (harness.rows("products"), harness.rows("product_variants")) == stored


EMAIL_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]{{1,64}}@{EMAIL_LABEL}(?:\.{EMAIL_LABEL})+")


def valid_email(raw: object) -> bool:
    """The contract's "valid address": WHATWG syntax, a dotted domain, at most 254 characters."""
    return isinstance(raw, str) and len(raw) <= 254 and EMAIL.fullmatch(raw) is not None


well_formed_emails = st.from_regex(
    r"[A-Za-z0-9._+-]{1,10}@[a-z0-9]{1,8}\.[a-z]{2,4}", fullmatch=True
)
any_emails = st.one_of(
    st.sampled_from(
        [
            "",
            "a@b",
            "two@@x.io",
            "x@-a.io",
            "x@a..io",
            " a@b.io",
            "a@b.io ",
            "é@b.io",
            "x" * 65 + "@b.io",
            "a@" + "b" * 64 + ".io",
            "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 57 + ".io",  # 254
            "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 58 + ".io",  # 255
        ]
    ),
    st.text(max_size=12),
    json_values,
    st.just(MISSING),
)
well_formed_phones = st.from_regex(r"[0-9]{10,15}", fullmatch=True)
any_phones = st.one_of(
    phones,
    st.sampled_from(["555 000 0000", "+15550000000", "\u0665" * 10, "5550000000\n"]),
    st.just(MISSING),
)
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


def new_rows(harness: Harness, table: str, before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of `table` whose id was not there `before`."""
    known = {row["id"] for row in before}
    return [row for row in harness.rows(table) if row["id"] not in known]


def fields_of(body: object) -> dict[str, Any]:
    """The fields of a JSON-object body; none of anything else (refused whatever it holds)."""
    return body if isinstance(body, dict) else {}


def resolved(body: object, ids: dict[Ref, str]) -> object:
    """`body` with each `Ref` field replaced by the id it stands for."""
    if not isinstance(body, dict):
        return body
    return {key: ids[value] if isinstance(value, Ref) else value for key, value in body.items()}


def user_id(harness: Harness, cookie: str) -> UUID:
    return UUID(harness.get("/api/auth/me/", cookie)["id"])


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
