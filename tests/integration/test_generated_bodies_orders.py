"""Hypothesis-generated checkout bodies: `POST /api/orders/` accepts exactly what the oracle
below allows, prices it as the contract says, and changes nothing when it refuses. The oracle
restates the contract's rules (shape, merging, bounds, ids, variants, stock, prices) without
the domain's code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from allora.entrypoints.settings import Settings
from tests.integration.generated_bodies import (
    EXAMPLES,
    MISSING,
    Field,
    Harness,
    Ref,
    any_emails,
    any_phones,
    around,
    assert_refused,
    json_objects,
    json_values,
    malformed_bodies,
    opened_harness,
    tiny_png,
    valid_email,
    valid_phone,
    valid_text,
    well_formed_emails,
    well_formed_phones,
)

MEMBER_PHONE = "5550000001"
CENT = Decimal("0.01")
WATCHED = (
    "products", "product_variants", "orders", "order_lines", "discounts", "discount_redemptions",
)  # fmt: skip


@dataclass(frozen=True)
class Catalogue:
    """What the examples buy from: `plain` (4.05, 50% off), `shirt` with a variant priced 0
    and one priced 12.50 (15% off), `empty` with no stock; and the code SAVE10."""

    ids: dict[Ref, str]
    prices: dict[tuple[str, str | None], Decimal]  # (product, variant) -> unit price
    with_variants: dict[str, set[str]]  # product -> its variant ids
    stock: dict[tuple[str, str | None], int]


PLAIN, SHIRT, EMPTY = Ref("plain"), Ref("shirt"), Ref("empty")
FREE_VARIANT, PRICED_VARIANT = Ref("variant priced 0"), Ref("variant priced 12.50")


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    yield from opened_harness(settings)


@pytest.fixture
def member_cookie(harness: Harness) -> str:
    return harness.sign_up("member", MEMBER_PHONE)


def product(harness: Harness, **form: str) -> dict[str, Any]:
    fields = {"description": "generated checkout target", "category": "tops", **form}
    created = harness.request(
        "POST",
        "/api/products/",
        data=fields,
        files=[("img", ("a.png", tiny_png(), "image/png"))],
        headers={"Cookie": f"token={harness.admin_cookie}"},
    )
    assert created.status_code == 201, created.text
    data: dict[str, Any] = created.json()["data"]
    return data


@pytest.fixture
def catalogue(harness: Harness) -> Catalogue:
    plain = product(harness, name="Plain", price="4.05", discount="50", stock="1000")
    shirt = product(
        harness,
        name="Shirt",
        price="10.00",
        discount="15",
        stock="0",
        variants='[{"size": "M", "stock": 1000, "price": 0}, {"size": "L", "stock": 1000,'
        ' "price": 12.5}]',
    )
    empty = product(harness, name="Empty", price="3.00", stock="0", variants="[]")
    terms = {"code": "SAVE10", "percent": 10, "maxUse": 1_000_000}
    assert harness.send("POST", "/api/discounts/", terms, harness.admin_cookie).status_code == 201
    free, priced = (variant["id"] for variant in shirt["variants"])
    return Catalogue(
        ids={
            PLAIN: plain["id"],
            SHIRT: shirt["id"],
            EMPTY: empty["id"],
            FREE_VARIANT: free,
            PRICED_VARIANT: priced,
        },
        prices={
            (plain["id"], None): Decimal("2.03"),
            (shirt["id"], free): Decimal("8.50"),
            (shirt["id"], priced): Decimal("10.63"),
            (empty["id"], None): Decimal("3.00"),
        },
        with_variants={shirt["id"]: {free, priced}},
        stock={(plain["id"], None): 1000, (shirt["id"], free): 1000, (shirt["id"], priced): 1000},
    )


# --- bodies ---------------------------------------------------------------------------------

ids_or_not = st.one_of(
    st.sampled_from([PLAIN, SHIRT, EMPTY, FREE_VARIANT]),
    st.uuids().map(str),
    st.sampled_from(["", "plain", "00000000-0000-0000-0000-00000000000g"]),
)
LINE: dict[str, Field] = {
    "product": (
        st.sampled_from([PLAIN, PLAIN, SHIRT, SHIRT, EMPTY]),
        st.one_of(ids_or_not, json_values, st.just(MISSING)),
    ),
    "variant": (
        st.sampled_from([MISSING, MISSING, FREE_VARIANT, PRICED_VARIANT]),
        st.one_of(ids_or_not, st.sampled_from(["", None]), json_values),
    ),
    "quantity": (
        st.integers(1, 60),
        st.one_of(
            st.integers(-2, 0),
            st.sampled_from([99, 100, 2**31, "2", 1.0, 2.5, True]),
            json_values,
            st.just(MISSING),
        ),
    ),
    "price": (st.just(MISSING), st.sampled_from([0, 0.01, -5, "free"])),  # ignored
    "name": (st.just(MISSING), st.text(max_size=5)),  # ignored
}
BILLING: dict[str, Field] = {
    "firstName": (st.text(min_size=1, max_size=12), around(1, 100)),
    "companyName": (st.sampled_from([MISSING, None, "", "Acme"]), around(0, 100)),
    "streetAddress": (st.text(min_size=1, max_size=12), around(1, 100)),
    "apartment": (st.sampled_from([MISSING, None, "", "2B"]), around(0, 100)),
    "city": (st.text(min_size=1, max_size=12), around(1, 100)),
    "phone": (well_formed_phones, any_phones),
    "email": (well_formed_emails, any_emails),
}
lines = st.lists(
    st.one_of(json_objects(LINE), json_objects(LINE), json_objects(LINE), json_values),
    max_size=5,
)
CHECKOUT: dict[str, Field] = {
    "items": (lines, st.one_of(json_values, st.just(MISSING), st.just([]))),
    "billing": (json_objects(BILLING), st.one_of(json_values, st.just(MISSING))),
    "discountCode": (
        st.sampled_from([MISSING, None, "", "save10", "SAVE10"]),
        st.one_of(st.sampled_from(["NOPE10", "no way", "ab", 10]), json_values),
    ),
}


@st.composite
def coherent_lines(draw: st.DrawFn) -> dict[str, object]:
    """A line naming a product and, when it has some, one of its variants (prices ignored)."""
    chosen, variant = draw(
        st.sampled_from(
            [(PLAIN, None), (PLAIN, None), (SHIRT, FREE_VARIANT), (SHIRT, PRICED_VARIANT),
             (EMPTY, None)]
        )
    )  # fmt: skip
    line: dict[str, object] = {"product": chosen, "quantity": draw(st.integers(1, 40))}
    if variant is not None:
        line["variant"] = variant
    elif draw(st.booleans()):
        line["variant"] = draw(st.sampled_from([None, ""]))
    if draw(st.booleans()):
        line["price"] = draw(st.sampled_from([0, 0.01, 1e6]))
    return line


@st.composite
def checkout_bodies(draw: st.DrawFn) -> object:
    """A tenth malformed; four tenths well-formed, naming the products coherently (so most
    are placed, or short of stock); the rest with some part spoiled."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(malformed_bodies)
    if kind <= 4:
        body: dict[str, object] = {
            "items": draw(st.lists(coherent_lines(), min_size=1, max_size=4)),
            "billing": draw(json_objects(BILLING, spoil=False)),
        }
        if code := draw(st.sampled_from([None, "save10", "SAVE10", ""])):
            body["discountCode"] = code
        return body
    return draw(json_objects(CHECKOUT))


def resolved(value: object, ids: dict[Ref, str]) -> object:
    """`value` with every `Ref` inside replaced by the id it stands for."""
    if isinstance(value, Ref):
        return ids[value]
    if isinstance(value, dict):
        return {key: resolved(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item, ids) for item in value]
    return value


# --- the oracle -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    status: int
    lines: list[tuple[str, str | None, int, int]]  # product, variant, quantity, first index
    code: bool = False


def canonical(text: str) -> str:
    try:
        return str(UUID(text))
    except ValueError:
        return text


def optional_text(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and valid_text(raw, 0, 100))


def well_typed(body: object) -> bool:
    """The JSON shapes the contract names; any other type is 400."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return False
    billing = body.get("billing")
    if not isinstance(billing, dict):
        return False
    required = ("firstName", "streetAddress", "city", "phone", "email")
    if not all(isinstance(billing.get(name), str) for name in required):
        return False
    if not all(billing.get(name) is None or isinstance(billing[name], str)
               for name in ("companyName", "apartment")):  # fmt: skip
        return False
    if body.get("discountCode") is not None and not isinstance(body["discountCode"], str):
        return False
    for line in body["items"]:
        if not isinstance(line, dict) or not isinstance(line.get("product"), str):
            return False
        if type(line.get("quantity")) is not int:
            return False
        if line.get("variant") is not None and not isinstance(line["variant"], str):
            return False
    return True


def expected(body: object, catalogue: Catalogue) -> Expected:
    if not well_typed(body):
        return Expected(400, [])
    assert isinstance(body, dict)
    billing, code = body["billing"], body.get("discountCode")
    valid_billing = (
        valid_text(billing["firstName"], 1, 100)
        and valid_text(billing["streetAddress"], 1, 100)
        and valid_text(billing["city"], 1, 100)
        and optional_text(billing.get("companyName"))
        and optional_text(billing.get("apartment"))
        and valid_phone(billing["phone"])
        and valid_email(billing["email"])
    )
    code_ok = not code or (3 <= len(code) <= 20 and code.isascii() and code.isalnum())
    merged: dict[tuple[str, str | None], list[int]] = {}  # -> [quantity, first index]
    quantities_ok = True
    for index, line in enumerate(body["items"]):
        quantities_ok &= 1 <= line["quantity"] <= 99
        key = (
            canonical(line["product"]),
            canonical(line["variant"]) if line.get("variant") else None,
        )
        entry = merged.setdefault(key, [0, index])
        entry[0] += line["quantity"]
    bounded = 1 <= len(merged) <= 50 and all(q <= 99 for q, _ in merged.values())
    if not (valid_billing and code_ok and quantities_ok and bounded):
        return Expected(400, [])
    known = {canonical(pid) for pid, _ in catalogue.prices}
    missing, misnamed = False, False
    for product_id, variant in merged:
        variants = catalogue.with_variants.get(product_id, set())
        if product_id not in known:
            missing = True
        elif bool(variant) != bool(variants):
            misnamed = True
        elif variant is not None and variant not in variants:
            missing = True
    if missing:
        return Expected(404, [])
    if misnamed:
        return Expected(400, [])
    if code and code.upper() != "SAVE10":
        return Expected(404, [])
    found = [(p, v, q, i) for (p, v), (q, i) in merged.items()]
    if any(q > catalogue.stock.get((p, v), 0) for p, v, q, _ in found):
        return Expected(409, found)
    return Expected(201, found, code=bool(code))


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.mark.postgres
@EXAMPLES
@given(body=checkout_bodies())
def test_checkout_accepts_exactly_what_the_rules_allow(
    harness: Harness, member_cookie: str, catalogue: Catalogue, body: object
) -> None:
    sent = resolved(body, catalogue.ids)
    outcome = expected(sent, catalogue)
    event(f"expected {outcome.status}")
    before = {table: harness.rows(table) for table in WATCHED}
    response = harness.send("POST", "/api/orders/", sent, member_cookie)
    if outcome.status != 201:
        assert_refused(response, outcome.status)
        if outcome.status == 409:
            short = [
                f"items[{i}]" for p, v, q, i in outcome.lines if q > catalogue.stock.get((p, v), 0)
            ]
            assert [e["field"] for e in response.json()["errors"]] == short
        assert {table: harness.rows(table) for table in WATCHED} == before
        return
    assert response.status_code == 201, response.text
    order = response.json()["data"]
    totals = [catalogue.prices[(p, v)] * q for p, v, q, _ in outcome.lines]
    shown = [(line["product"], line["variant"], line["quantity"]) for line in order["lines"]]
    assert shown == [(p, v, q) for p, v, q, _ in outcome.lines]
    assert [Decimal(str(line["lineTotal"])) for line in order["lines"]] == totals
    subtotal = sum(totals, Decimal(0))
    amount = half_up(subtotal / 10) if outcome.code else Decimal(0)
    assert Decimal(str(order["subtotal"])) == subtotal
    assert Decimal(str(order["total"])) == subtotal - amount
    assert (order["discount"] or {}).get("amount", 0) == float(amount)
    # Put everything back for the next example: cancelling returns the units and the code.
    cancelled = harness.send(
        "PUT", f"/api/orders/{order['id']}/status/", {"status": "cancelled"}, member_cookie
    )
    assert cancelled.status_code == 200, cancelled.text
    assert harness.rows("products") == before["products"]
    assert harness.rows("product_variants") == before["product_variants"]
    assert harness.count("discount_redemptions") == 0
