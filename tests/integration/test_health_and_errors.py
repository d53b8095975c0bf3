"""Operations: health, schema, error shape."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio


async def test_health_answers_ok_with_the_database(shop: Shop) -> None:
    client = await shop.client()
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"message": "ok", "database": "ok"}


async def test_unknown_path_is_404_with_message(shop: Shop) -> None:
    client = await shop.client()
    response = await client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert set(response.json()) == {"message"}


async def test_openapi_schema_lists_account_routes(shop: Shop) -> None:
    client = await shop.client()
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    for path in ["/api/auth/signup", "/api/auth/signin", "/api/user/role", "/api/users"]:
        assert path in schema["paths"], path
    signup_errors = schema["paths"]["/api/auth/signup"]["post"]["responses"]
    assert {"400", "403", "422"} <= set(signup_errors)


async def test_interactive_docs_are_served(shop: Shop) -> None:
    client = await shop.client()
    response = await client.get("/schema")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
