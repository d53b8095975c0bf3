"""Shared pieces of the Hypothesis-generated HTTP body tests: the harness that runs one app on
its own event loop, body strategies (well-formed and "anything" values per field, malformed
bodies) and the oracles restating the contract's rules without the domain's code."""

from __future__ import annotations

import asyncio
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import msgspec
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Executable, select, text

from allora.adapters.sql.migrate import upgrade
from allora.adapters.sql.tables import metadata
from allora.entrypoints.app import create_app
from allora.entrypoints.settings import Settings
from allora.entrypoints.wiring import Container
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
        self.settings = configured
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


ADMIN_PHONE = "5550000000"


def opened_harness(configured: Settings) -> Iterator[Harness]:
    """A harness whose first account (so its ADMIN) is `admin`; closed when the test ends."""
    opened = Harness(configured)
    opened.admin_cookie = opened.sign_up("admin", ADMIN_PHONE)
    yield opened
    opened.close()


def valid_name(name: object) -> bool:
    return isinstance(name, str) and re.fullmatch(r"[a-z0-9_-]{3,15}", name) is not None


def valid_phone(phone: object) -> bool:
    return isinstance(phone, str) and re.fullmatch(r"[0-9]{10,15}", phone) is not None


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


# --- Generated JSON bodies ----------------------------------------------------------------------
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


# What draws nothing: controls, format characters (zero-width ones), blanks, lone combining marks,
# unassigned code points, and the fillers that render as blanks.
UNSEEN = {"Cc", "Cf", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"}
BLANK_FILLERS = set("\u115f\u1160\u3164\uffa0\u2800")


def catalogue_text_of(raw: object, low: int, high: int) -> str | None:
    """A product's text as stored: trimmed, at most `high` characters, no NUL, then in NFC,
    `low` to `high` characters with something visible."""
    if not isinstance(raw, str) or not valid_text(raw, 0, high):
        return None
    text = unicodedata.normalize("NFC", raw.strip())
    seen = any(c not in BLANK_FILLERS and unicodedata.category(c) not in UNSEEN for c in text)
    return text if seen and low <= len(text) <= high else None


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
TEXT_PRICE = r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?"
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
        st.one_of(st.integers(0, 50), st.integers(0, 50).map(str), st.just(""), st.none()),
        st.one_of(
            st.integers(-3, -1),
            st.sampled_from([10**9, 10**9 + 1, 2**63, " ", " 3", "3.0", "1e3", "five", "-1"]),
            st.sampled_from(["1000000001", "0012", "+3", "\u0663", "9" * 13]),
            st.floats(0, 3),
            json_values,
        ),
    ),
    "price": (
        st.one_of(prices, prices.map(lambda p: JSON.encode(p).decode()), st.just(""), st.none()),
        st.one_of(any_prices, st.sampled_from(["19.999", "1e3", " 5", "1.", ".5", "-0.01"])),
    ),
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
        if isinstance(stock, str):  # numeric text from a form input: ASCII digits only
            stock = int(stock) if re.fullmatch(r"-?[0-9]{1,12}", stock) else None
        price = given.get("price")
        if isinstance(price, str):  # the same, with an optional fraction
            price = (
                Decimal(price) if re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,12})?", price) else None
            )
        price = price_of(price, zero_ok=True) if "price" in given else None
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


def without_variant_ids(product: dict[str, Any]) -> dict[str, Any]:
    """A product's JSON with each variant's `id` left out, to compare with an oracle that
    cannot know ids; an id that is there must be an opaque non-empty string."""
    variants = product.get("variants", [])
    for variant in variants:
        assert isinstance(variant.get("id", "-"), str), variant
        assert variant.get("id", "-")
    bare = [{k: v for k, v in variant.items() if k != "id"} for variant in variants]
    return {**product, "variants": bare} if "variants" in product else product


def assert_refused(response: httpx.Response, *statuses: int) -> None:
    """One of `statuses`, with the contract's error body."""
    assert response.status_code in statuses, (response.status_code, response.text)
    assert isinstance(response.json()["message"], str), response.text


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
