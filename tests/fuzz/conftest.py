"""Schema-driven fuzzing of the running server with schemathesis.

The app runs as a real `allora serve` subprocess (Litestar's test client drives the app from
another thread's event loop, which breaks asyncpg), on a database of its own: SQLite under a
temporary `ALLORA_VAR_DIR`, or, when `ALLORA_FUZZ_DATABASE_URL` names a PostgreSQL server, a fresh
database created on it and dropped afterwards (the fuzz run needs an empty database: its first
sign-up must become ADMIN). The server is seeded over HTTP with products, comments, discount codes,
tickets and users, whose ids (and whole valid bodies) are put into generated requests part of the
time, so operations reach existing records and their 2xx branch, not only 400 and 404.

`ALLORA_FUZZ_EXAMPLES` bounds the examples Hypothesis generates per operation and identity in the
fuzzing phase, valid and invalid together (default 15, the bounded run of `make test`); the
coverage phase adds its fixed set of boundary and invalid-input cases on top. `ALLORA_FUZZ_SEED`
fixes the generation seed to replay a run.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
import schemathesis
from _pytest import nodeid, nodes
from PIL import Image
from schemathesis import Case, HookContext
from schemathesis.schemas import BaseSchema
from sqlalchemy.engine import make_url

T = TypeVar("T")
Key = tuple[str, str]  # (METHOD, path template) of an operation
FuzzCase = Case[Any]

DEFAULT_EXAMPLES = 15
PASSWORD = "Fuzz-Passw0rd!"
SERVER_START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0

# The checks of the fuzz run: no 5xx; status code, content type, headers and body as documented;
# invalid input (negative generation mode) answered with a 4xx. Checks about business rules the
# schema cannot express (e.g. `positive_data_acceptance`: the schema has no `pattern`/`minLength`,
# so "valid per schema" bodies are routinely, and rightly, refused with 400) stay off.
CHECKS: dict[str, Any] = {
    "enabled": False,
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    "negative_data_rejection": {"enabled": True, "expected-statuses": ["4xx"]},
}


@pytest.fixture(autouse=True)
def _private_nodeid_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    """schemathesis 4.32's `from_fixture` names each operation's sub-test by rewriting
    `request.node._nodeid`, which pytest 9.2 replaced with a structured `Node._id` (pytest#14758):
    every lazy-schema test then dies with "'Function' object has no attribute '_nodeid'". Alias
    the old name onto the new storage for the fuzz tests only; nothing to do on a pytest that
    still has it (or a schemathesis that stopped using it)."""
    if hasattr(nodes.Node, "_nodeid") or not hasattr(nodeid, "coerce_node_id"):
        return

    def get(node: nodes.Node) -> str:
        return node.nodeid

    def set_(node: nodes.Node, value: str) -> None:
        node._id = nodeid.coerce_node_id(value)  # type: ignore[attr-defined,unused-ignore]

    monkeypatch.setattr(nodes.Node, "_nodeid", property(get, set_), raising=False)


def fuzz_examples() -> int:
    raw = os.environ.get("ALLORA_FUZZ_EXAMPLES", "").strip()
    if not raw:
        return DEFAULT_EXAMPLES
    if not raw.isdecimal() or int(raw) < 1:
        raise pytest.UsageError("ALLORA_FUZZ_EXAMPLES must be a whole number of at least 1")
    return int(raw)


def fuzz_seed() -> int | None:
    raw = os.environ.get("ALLORA_FUZZ_SEED", "").strip()
    return int(raw) if raw else None


# --- the server ------------------------------------------------------------------------------


@dataclass
class Account:
    name: str
    email: str
    phone: str
    id: str = ""
    token: str = ""
    role: str = ""


@dataclass
class Seeds:
    """Records created before fuzzing; `doomed_*` ones are the targets of DELETE operations."""

    products: list[str] = field(default_factory=list)
    doomed_products: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    doomed_comments: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    doomed_discounts: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    signin: list[Account] = field(default_factory=list)
    banned: list[Account] = field(default_factory=list)
    media_keys: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    cart_lines: list[dict[str, Any]] = field(default_factory=list)  # product and variant ids
    orders: list[str] = field(default_factory=list)


@dataclass
class FuzzServer:
    base_url: str
    admin: Account
    seeds: Seeds
    log_path: Path

    def client(self, token: str | None = None) -> httpx.Client:
        cookies = {"token": token} if token else None
        return httpx.Client(base_url=self.base_url, cookies=cookies, timeout=REQUEST_TIMEOUT)

    def sign_in_admin(self) -> str:
        """A new ADMIN session (the fuzzed sign-out revokes the one it is sent with)."""
        with self.client() as client:
            response = client.post(
                "/api/auth/signin/", json={"email": self.admin.email, "password": PASSWORD}
            )
        assert response.status_code == 200, response.text
        return response.cookies["token"]

    def refresh_admin_profile(self) -> None:
        """The fuzzed profile update may change the ADMIN's email or phone: read them back."""
        with self.client(self.admin.token) as client:
            response = client.get("/api/auth/me/")
        assert response.status_code == 200, response.text
        me = response.json()
        self.admin.email, self.admin.phone, self.admin.name = me["email"], me["phone"], me["name"]

    def log_excerpt(self, request_id: str | None) -> str:
        """The server's log lines about one request (its `X-Request-ID`), with tracebacks, or
        the end of the log when none names it: what a 5xx report needs."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        matching = [line for line in lines if request_id and request_id in line]
        title = f"request {request_id}" if matching else "last lines"
        return f"Server log ({title}):\n" + "\n".join(map(_readable, matching or lines[-30:]))


def _readable(line: str) -> str:
    """A JSON log line, with its `exception` traceback unfolded."""
    try:
        entry = json.loads(line)
    except ValueError:
        return line
    if not isinstance(entry, dict) or "exception" not in entry:
        return line
    traceback = entry.pop("exception")
    return f"{json.dumps(entry)}\n{traceback}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _allora_command() -> str:
    beside_python = Path(sys.executable).parent / "allora"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("allora")
    if found is None:
        raise pytest.UsageError("the `allora` console script is not installed (make install)")
    return found


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _postgres_admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=10)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextlib.contextmanager
def _database() -> Iterator[str | None]:
    """`ALLORA_DATABASE_URL` for the server: None (SQLite under the var dir) or a fresh
    PostgreSQL database on the server `ALLORA_FUZZ_DATABASE_URL` names, dropped at the end."""
    server_url = os.environ.get("ALLORA_FUZZ_DATABASE_URL", "").strip()
    if not server_url:
        yield None
        return
    if not server_url.startswith("postgresql+asyncpg://"):
        yield server_url  # e.g. a sqlite+aiosqlite:// file: used as given, it must be empty
        return
    name = f"allora_fuzz_{uuid.uuid4().hex[:12]}"
    asyncio.run(_postgres_admin(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_postgres_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _wait_for_health(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")
            pytest.fail(f"allora serve exited with {process.returncode}:\n{log}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"allora serve did not answer GET /health within {SERVER_START_TIMEOUT}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    """`allora db upgrade` then `allora serve` on a free port, seeded; stopped at the end."""
    var_dir = tmp_path_factory.mktemp("fuzz-var")
    log_path = var_dir / "server.log"
    allora = _allora_command()
    with _database() as database_url:
        # Only the settings below: a developer's ALLORA_* variables (database, Redis, CORS
        # origins...) must not leak into the fuzz server; cwd=var_dir keeps their `.env` out too.
        env = {key: value for key, value in os.environ.items() if not key.startswith("ALLORA_")}
        env.update(
            ALLORA_ENV="test",
            ALLORA_VAR_DIR=str(var_dir),
            ALLORA_SIGNIN_CLIENT_LIMIT="100000",
            ALLORA_RESET_CLIENT_LIMIT="100000",
            ALLORA_SIGNUP_CLIENT_LIMIT="100000",
            ALLORA_COMMENT_CLIENT_LIMIT="100000",
            ALLORA_TICKET_CLIENT_LIMIT="100000",
            ALLORA_ORDER_CLIENT_LIMIT="100000",
        )
        if database_url is not None:
            env["ALLORA_DATABASE_URL"] = database_url
        upgrade = subprocess.run(
            [allora, "db", "upgrade"], env=env, cwd=var_dir, capture_output=True, check=False
        )
        if upgrade.returncode != 0:
            pytest.fail(f"allora db upgrade failed:\n{upgrade.stderr.decode(errors='replace')}")
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [allora, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=var_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_for_health(base_url, process, log_path)
            server = FuzzServer(base_url, _seed_admin(base_url), Seeds(), log_path)
            _seed(server)
            yield server
        finally:
            _stop(process)


# --- seeding ---------------------------------------------------------------------------------


def png_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _sign_up(client: httpx.Client, account: Account) -> Account:
    response = client.post(
        "/api/auth/signup/",
        json={
            "name": account.name,
            "email": account.email,
            "phone": account.phone,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 201, response.text
    account.token = response.cookies["token"]
    client.cookies.clear()
    me = client.get("/api/auth/me/", headers={"Cookie": f"token={account.token}"})
    assert me.status_code == 200, me.text
    account.id = me.json()["id"]
    account.role = me.json()["role"]
    return account


def _seed_admin(base_url: str) -> Account:
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        admin = _sign_up(client, Account("fuzzadmin", "fuzz.admin@example.com", "0123456789"))
    if admin.role != "ADMIN":
        pytest.fail("the fuzz database is not empty: its first sign-up did not become ADMIN")
    return admin


def _create_product(client: httpx.Client, index: int, category: str) -> dict[str, Any]:
    response = client.post(
        "/api/products/",
        data={
            "name": f"Fuzz product {index}",
            "price": f"{10 + index}.99",
            "description": "A product created to give the fuzzer something to find.",
            "category": category,
            "stock": str(5 + index),
            "discount": str(index * 5),
            "variants": '[{"colorName": "red", "colorHex": "#f00", "size": "M", "stock": 2}]',
        },
        files=[("img", (f"p{index}.png", png_bytes((20 * index, 80, 160)), "image/png"))],
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _create_comment(client: httpx.Client, product: str, score: int) -> str:
    response = client.post(
        "/api/comments/",
        json={
            "username": "fuzzer",
            "email": "fuzzer@example.com",
            "body": f"Scored {score} by the fuzz seed.",
            "score": score,
            "productID": product,
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def _create_discount(client: httpx.Client, code: str, max_use: int) -> str:
    response = client.post("/api/discounts/", json={"code": code, "percent": 10, "maxUse": max_use})
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


BILLING = {
    "firstName": "Fuzz",
    "streetAddress": "1 Fuzz Street",
    "city": "Fuzzville",
    "phone": "0612345678",
    "email": "fuzz.buyer@example.com",
}


def _checkout(items: list[dict[str, Any]], code: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"items": items, "billing": BILLING}
    if code is not None:
        body["discountCode"] = code
    return body


def _seed(server: FuzzServer) -> None:
    seeds = server.seeds
    with server.client(server.admin.token) as client:
        seeds.categories = ["shoes", "hats"]
        for index in range(6):
            product = _create_product(client, index, seeds.categories[index % 2])
            target = seeds.products if index < 3 else seeds.doomed_products
            target.append(product["id"])
            if index < 3:
                variant = product["variants"][0]["id"]
                seeds.cart_lines.append({"product": product["id"], "variant": variant})
            seeds.media_keys.extend(url.rsplit("/", 1)[-1] for url in product["images"])
        for index, product_id in enumerate(seeds.products):
            accepted = _create_comment(client, product_id, 5 - index)
            assert client.put("/api/comments/accept/", json={"id": accepted}).status_code == 200
            seeds.comments.append(accepted)
            seeds.comments.append(_create_comment(client, product_id, 2))  # left pending
            seeds.doomed_comments.append(_create_comment(client, product_id, 3))
        for index in range(3):
            code = f"FUZZ{index}"
            _create_discount(client, code, max_use=1000)
            seeds.codes.append(code)
            seeds.doomed_discounts.append(_create_discount(client, f"DOOMED{index}", max_use=5))
        assert client.post("/api/wishlist/", json={"product": seeds.products[0]}).status_code == 201
        for index in range(2):
            ticket = {
                "name": f"Customer {index}",
                "message": "Where is my parcel? It has been a week.",
                "phone": f"098765432{index}",
                "email": f"customer{index}@example.com",
            }
            assert client.post("/api/tickets/", json=ticket).status_code == 200
        tickets = client.get("/api/tickets/")
        assert tickets.status_code == 200, tickets.text
        seeds.tickets = [ticket["id"] for ticket in tickets.json()]
        for line in seeds.cart_lines[:2]:
            order = client.post("/api/orders/", json=_checkout([{**line, "quantity": 1}]))
            assert order.status_code == 201, order.text
            seeds.orders.append(order.json()["data"]["id"])
    with server.client() as client:
        for index in range(3):
            user = _sign_up(
                client,
                Account(f"fuzzuser{index}", f"fuzz.user{index}@example.com", f"055500000{index}"),
            )
            seeds.users.append(user.id)
            seeds.signin.append(user)
        seeds.banned.append(
            _sign_up(client, Account("fuzzbanned", "fuzz.banned@example.com", "0666000000"))
        )


# --- generated cases -------------------------------------------------------------------------


def _digest(case: FuzzCase, salt: str) -> int:
    """A number that depends only on the case's content (Hypothesis replays and shrinks cases, so
    anything derived from them must be deterministic)."""
    content = repr((salt, case.path_parameters, case.query, case.body))
    return zlib.crc32(content.encode("utf-8", "replace"))


def _pick(case: FuzzCase, salt: str, pool: Sequence[T]) -> T | None:
    """An element of `pool` for about two cases in three, None for the others."""
    digest = _digest(case, salt)
    if not pool or digest % 3 == 0:
        return None
    return pool[(digest // 3) % len(pool)]


class SeededValues:
    """Makes valid (positive) cases reach existing records part of the time: ids of the seeded
    records in path, query and body, and valid values for the fields the schema leaves
    unconstrained (the OpenAPI document has no `format: email`, `pattern` or `minLength`, so
    generated "valid" bodies are nearly always, and rightly, refused with 400, and the 2xx
    responses would never be checked against their schemas).

    Applied by the test right before `case.call()`, editing the containers in place, rather than
    as a `map_case` hook or by assigning `case.body = ...`: schemathesis revalidates a case whose
    containers a hook replaced, and it cannot validate binary, so swapping in a real PNG relabels
    the multipart upload as invalid input ("negative") and then reports its 201 as "schema-
    violating request accepted". In-place edits made before `call()` keep the generation-time
    mode, which is right here: only valid cases are edited, and only with valid values. Being a
    pure function of the case, it keeps Hypothesis' replay deterministic, and it covers the
    coverage phase as well as the fuzzing phase.
    """

    def __init__(self, server: FuzzServer) -> None:
        self.server = server
        seeds = server.seeds
        self.path_pools: dict[Key, tuple[str, list[str]]] = {
            ("GET", "/api/products/{product_id}"): ("product_id", seeds.products),
            ("PUT", "/api/products/{product_id}"): ("product_id", seeds.products),
            ("PATCH", "/api/products/{product_id}"): ("product_id", seeds.products),
            ("DELETE", "/api/products/{product_id}"): ("product_id", seeds.doomed_products),
            ("DELETE", "/api/wishlist/{product_id}"): ("product_id", seeds.products),
            ("DELETE", "/api/comments/{comment_id}"): ("comment_id", seeds.doomed_comments),
            ("DELETE", "/api/discounts/{discount_id}"): ("discount_id", seeds.doomed_discounts),
            ("GET", "/media/{key}"): ("key", seeds.media_keys),
            ("GET", "/api/orders/{order_id}"): ("order_id", seeds.orders),
            ("PUT", "/api/orders/{order_id}/status"): ("order_id", seeds.orders),
        }
        self.query_pools: dict[Key, list[tuple[str, list[str]]]] = {
            ("GET", "/api/comments"): [("productID", seeds.products)],
            ("GET", "/api/comments/all"): [("status", ["pending", "accepted", "rejected", "all"])],
            ("GET", "/api/products"): [
                ("sort", ["newest", "price", "-price", "score"]),
                ("category", seeds.categories),
                ("min_price", ["1", "10.5"]),
                ("max_price", ["100", "99.99"]),
            ],
        }
        self.body_pools: dict[Key, list[tuple[str, list[str]]]] = {
            ("POST", "/api/wishlist"): [("product", seeds.products)],
            ("PUT", "/api/comments/accept"): [("id", seeds.comments)],
            ("PUT", "/api/comments/reject"): [("id", seeds.comments)],
            ("PUT", "/api/user/role"): [("id", seeds.users)],
            ("POST", "/api/tickets/answer"): [("ticketID", seeds.tickets)],
            ("PUT", "/api/discounts/use"): [("code", seeds.codes)],
            ("PUT", "/api/orders/{order_id}/status"): [
                ("status", ["pending", "paid", "shipped", "delivered", "cancelled"])
            ],
        }
        # Whole valid bodies, from a number drawn from the case.
        self.valid_bodies: dict[Key, Callable[[int], dict[str, Any]]] = {
            ("POST", "/api/auth/signup"): lambda n: {
                "name": f"fz{n % 10**9}",
                "email": f"fz{n}@example.com",
                "phone": f"07{n % 10**9:09d}",
                "password": PASSWORD,
            },
            ("POST", "/api/auth/signin"): lambda n: {
                "email": seeds.signin[n % len(seeds.signin)].email,
                "password": PASSWORD if n % 4 else "Wrong-Passw0rd!",
            },
            ("POST", "/api/user"): lambda n: {
                "name": server.admin.name,  # the ADMIN's own profile: changes nothing
                "email": server.admin.email,
                "phone": server.admin.phone,
            },
            ("PATCH", "/api/account/update"): lambda n: {
                "name": server.admin.name,  # the ADMIN's own profile, password kept
                "email": server.admin.email,
                "phone": server.admin.phone,
                "currentPassword": "",
                "newPassword": "",
            },
            ("PUT", "/api/account/billing"): lambda n: {
                "firstName": f"Fuzz {n}",
                "companyName": None if n % 2 else "Fuzz Ltd",
                "streetAddress": f"{n % 1000} Main Street",
                "apartment": None,
                "city": "Springfield",
                "phone": f"07{n % 10**9:09d}",
                "email": f"billing{n}@example.com",
            },
            ("POST", "/api/auth/password/forgot"): lambda n: {
                "email": seeds.signin[n % len(seeds.signin)].email,
            },
            ("POST", "/api/auth/password/reset"): lambda n: {
                "email": seeds.signin[n % len(seeds.signin)].email,
                "code": f"{n % 10**6:06d}",  # almost surely not the live code: 401
                "newPassword": PASSWORD,
            },
            ("POST", "/api/user/ban"): lambda n: {
                "email": seeds.banned[n % len(seeds.banned)].email,
                "phone": seeds.banned[n % len(seeds.banned)].phone,
            },
            ("POST", "/api/comments"): lambda n: {
                "username": "fuzzer",
                "email": "fuzzer@example.com",
                "body": f"Fuzzed comment number {n}.",
                "score": 1 + n % 5,
                "productID": seeds.products[n % len(seeds.products)],
            },
            ("POST", "/api/discounts"): lambda n: {
                "code": f"FZ{n}",
                "percent": n % 101,
                "maxUse": 1 + n % 50,
            },
            ("POST", "/api/tickets"): lambda n: {
                "name": "Fuzz customer",
                "message": f"Fuzzed question number {n}.",
                "phone": "0612345678",
                "email": "customer@example.com",
            },
            ("PUT", "/api/products/{product_id}"): lambda n: {"stock": n % 20, "discount": n % 50},
            ("PATCH", "/api/products/{product_id}"): lambda n: {"price": 5 + n % 100 / 4},
            ("POST", "/api/orders/quote"): lambda n: {
                "items": [{**seeds.cart_lines[n % len(seeds.cart_lines)], "quantity": 1 + n % 3}],
                "discountCode": seeds.codes[n % len(seeds.codes)] if n % 2 else None,
            },
            ("POST", "/api/orders"): lambda n: _checkout(
                [{**seeds.cart_lines[n % len(seeds.cart_lines)], "quantity": 1}],
                seeds.codes[n % len(seeds.codes)] if n % 3 == 0 else None,
            ),
            ("POST", "/api/products"): lambda n: {
                "name": f"Fuzzed product {n}",
                "price": f"{1 + n % 500}.{n % 100:02d}",
                "description": "A product the fuzzer uploaded with a real image.",
                "category": seeds.categories[n % len(seeds.categories)],
                "stock": str(n % 30),
                "discount": str(n % 101),
                "img": [png_bytes()],
            },
        }

    def __call__(self, case: FuzzCase) -> None:
        meta = case.meta
        if meta is None or not meta.generation.mode.is_positive:
            return  # invalid input stays invalid: injecting could make it valid
        key = (case.operation.method.upper(), case.operation.path)
        if key in self.path_pools:
            name, pool = self.path_pools[key]
            if (value := _pick(case, name, pool)) is not None:
                case.path_parameters[name] = value
        for name, pool in self.query_pools.get(key, []):
            if (value := _pick(case, name, pool)) is not None:
                case.query[name] = value
        body = case.body
        if not isinstance(body, dict):
            return
        for name, pool in self.body_pools.get(key, []):
            if (value := _pick(case, name, pool)) is not None:
                body[name] = value
        if key in self.valid_bodies and _pick(case, "body", [True]):
            valid = self.valid_bodies[key](_digest(case, "values"))
            body.clear()  # no stray generated properties, files or form fields
            body.update(valid)


def keep_fuzzer_admin(server: FuzzServer) -> Callable[[HookContext, FuzzCase], bool]:
    """A `filter_case` hook: the fuzzing ADMIN never bans or demotes itself, nor fails sign-ins
    into a lock-out (schemathesis reuses values seen in responses, such as its id and email), or
    the rest of the run would be 401/403/429. Its account updates never try a password change:
    each wrong `currentPassword` counts as a failed sign-in for its email."""

    def filter_case(context: HookContext, case: FuzzCase) -> bool:
        body = case.body if isinstance(case.body, dict) else {}
        path = case.operation.path
        admin = server.admin
        email, phone = body.get("email"), body.get("phone")
        if path in {"/api/user/ban", "/api/auth/signin"}:
            if isinstance(email, str) and email.strip().lower() == admin.email.lower():
                return False
            if isinstance(phone, str) and phone.strip() == admin.phone:
                return False
        if path == "/api/account/update" and all(
            isinstance(body.get(key), str) and body[key]
            for key in ("currentPassword", "newPassword")
        ):
            return False
        return not (path == "/api/user/role" and body.get("id") == admin.id)

    return filter_case


def load_schema(server: FuzzServer) -> BaseSchema:
    """The app's own OpenAPI document, with the fuzz run's configuration and hooks."""
    settings: dict[str, Any] = {
        "request-timeout": REQUEST_TIMEOUT,
        "generation": {"max-examples": fuzz_examples(), "mode": "all"},
        # Examples, coverage and fuzzing phases; the stateful phase is not part of
        # `parametrize()` (it would need `as_state_machine()`).
        "phases": {"stateful": {"enabled": False}},
        "checks": CHECKS,
    }
    if (seed := fuzz_seed()) is not None:
        settings["seed"] = seed
    config = schemathesis.Config.from_dict(settings)
    schema = schemathesis.openapi.from_url(f"{server.base_url}/schema/openapi.json", config=config)
    schema.hook("filter_case")(keep_fuzzer_admin(server))
    return schema


@pytest.fixture(scope="session")
def anonymous_schema(fuzz_server: FuzzServer) -> BaseSchema:
    return load_schema(fuzz_server)


@pytest.fixture(scope="session")
def admin_schema(fuzz_server: FuzzServer) -> BaseSchema:
    return load_schema(fuzz_server)


@pytest.fixture(scope="session")
def seeded_values(fuzz_server: FuzzServer) -> SeededValues:
    return SeededValues(fuzz_server)
