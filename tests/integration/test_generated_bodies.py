"""Hypothesis-generated bodies against the HTTP layer: nothing the contract rejects is accepted,
and nothing is stored from a rejected request."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import text

from allora.adapters.sql.migrate import upgrade
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

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.run(self.container.engine.dispose())
        self.runner.close()


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    opened = Harness(settings)
    response = opened.request(
        "POST",
        "/api/auth/signup/",
        json={
            "name": "admin",
            "email": "admin@example.com",
            "phone": "5550000000",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 201
    opened.admin_cookie = response.cookies["token"]
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


@pytest.mark.postgres
@EXAMPLES
@given(
    score=st.one_of(st.integers(-3, 9), json_values, st.text(max_size=3)),
    body=st.one_of(st.text(max_size=30), json_values),
)
def test_comments_accept_only_integer_scores_1_to_5_and_text(
    harness: Harness, score: object, body: object
) -> None:
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
    product_id = harness.request("GET", "/api/products/").json()[0]["id"]
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
