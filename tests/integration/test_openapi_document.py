"""The OpenAPI document is precise enough to generate a typed client from (clients/typescript):
every JSON body has a schema (nothing comes out `unknown`), every error is the `{"message"}`
body, the session cookie is a security scheme the routes that need it name, list routes
document `X-Total-Count` and order placement its `Idempotency-Key`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from allora.entrypoints.app import create_app
from allora.entrypoints.http.access import Access
from allora.entrypoints.settings import Settings
from allora.entrypoints.wiring import Container

METHODS = ("get", "post", "put", "patch", "delete")
# A schema says what a value is when it has one of these; else a generator must say `unknown`.
SAYS_WHAT = {"type", "$ref", "oneOf", "anyOf", "allOf", "const", "enum"}
# The two bodies of a failure that are not the error body, as the contract says.
NOT_ERROR_BODIES = {("/api/auth/me", "get", "401"), ("/health", "get", "503")}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Litestar:
    var = tmp_path_factory.mktemp("openapi")
    configured = Settings(
        secret_key="s" * 40,
        database_url=f"sqlite+aiosqlite:///{var / 'allora.db'}",
        env="test",
        var_dir=var,
        media_dir=var / "media",
    )
    return create_app(configured, Container.build(configured))


@pytest.fixture(scope="module")
def document(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def vague_schemas(schema: object, where: str) -> Iterator[str]:
    """Every place under `schema` that says nothing of its value."""
    if isinstance(schema, dict):
        if not SAYS_WHAT & set(schema):
            yield where
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for name, field in value.items():
                    yield from vague_schemas(field, f"{where}.{name}")
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                yield from vague_schemas(value, f"{where}[]")
            elif key in ("oneOf", "anyOf", "allOf") and isinstance(value, list):
                for i, option in enumerate(value):
                    yield from vague_schemas(option, f"{where}|{i}")


def json_bodies(document: dict[str, Any]) -> Iterator[tuple[str, object]]:
    """Each JSON request and response body of each operation, with where it is."""
    for path, method, operation in operations(document):
        request = operation.get("requestBody", {}).get("content", {})
        for media_type, body in request.items():
            if is_json(media_type):
                yield f"{method.upper()} {path} request", body.get("schema")
        for status, response in operation["responses"].items():
            for media_type, body in response.get("content", {}).items():
                if is_json(media_type):
                    yield f"{method.upper()} {path} {status}", body.get("schema")


def test_every_json_body_and_component_says_what_it_holds(document: dict[str, Any]) -> None:
    vague = [where for where, schema in json_bodies(document) if not schema]
    for where, schema in json_bodies(document):
        vague.extend(vague_schemas(schema, where))
    for name, schema in document["components"]["schemas"].items():
        vague.extend(vague_schemas(schema, f"components.{name}"))
    assert vague == []
    assert sum(1 for _ in json_bodies(document)) > 100  # the walk sees the whole API


def test_every_route_answers_json_with_its_errors_as_the_message_body(
    document: dict[str, Any],
) -> None:
    wrong = []
    for path, method, operation in operations(document):
        responses = operation["responses"]
        successes = [status for status in responses if status.startswith("2")]
        if not successes:
            wrong.append(f"{method} {path}: no success response")
        for status, response in responses.items():
            content = response.get("content", {})
            if path != "/media/{key}" and not any(map(is_json, content)):
                wrong.append(f"{method} {path} {status}: no JSON body")
            if status >= "400" and (path, method, status) not in NOT_ERROR_BODIES:
                schema = content.get("application/json", {}).get("schema")
                if schema != {"$ref": "#/components/schemas/ErrorBody"}:
                    wrong.append(f"{method} {path} {status}: {schema}")
    assert wrong == []
    error = document["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["message"]
    assert error["properties"]["message"] == {"type": "string"}


def signed_in_routes(app: Litestar) -> set[tuple[str, str]]:
    """(path, method) of every route whose access needs a session."""
    needed = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                if handler.opt.get("access") in (Access.SIGNED_IN, Access.ADMIN):
                    methods = {method.lower() for method in handler.http_methods}
                    needed |= {(route.path_format, m) for m in methods if m in METHODS}
    return needed


def test_the_session_cookie_is_the_security_of_every_route_that_needs_it(
    app: Litestar, document: dict[str, Any]
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes == {
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": "token",
            "description": schemes["session"]["description"],
        }
    }
    needed = signed_in_routes(app)
    assert ("/api/orders", "post") in needed
    assert ("/api/products", "post") in needed
    secured = {
        (path, method)
        for path, method, operation in operations(document)
        if operation.get("security") == [{"session": []}]
    }
    optional = {
        (path, method)
        for path, method, operation in operations(document)
        if operation.get("security") == [{}, {"session": []}]
    }
    assert secured == needed | {("/api/auth/me", "get")}
    assert {("/api/comments", "post"), ("/api/tickets", "post")} <= optional
    public = ("/api/products", "get"), ("/api/auth/signin", "post")
    assert not ({*public} & (secured | optional))


def test_list_routes_document_their_total_and_order_placement_its_key(
    document: dict[str, Any],
) -> None:
    lists = {
        (path, method)
        for path, method, operation in operations(document)
        if operation["responses"]["200" if "200" in operation["responses"] else "201"]
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("type")
        == "array"
    }
    assert len(lists) == 8
    for path, method in lists:
        headers = document["paths"][path][method]["responses"]["200"].get("headers", {})
        assert headers.get("X-Total-Count", {}).get("required") is True, (path, headers)
    placing = document["paths"]["/api/orders"]["post"]
    key = [p for p in placing.get("parameters", []) if p["name"] == "Idempotency-Key"]
    assert len(key) == 1
    assert key[0]["in"] == "header"
    assert key[0]["required"] is False
