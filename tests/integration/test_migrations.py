"""The Alembic migrations build exactly the schema the tables describe, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from allora.adapters.sql.schema_compare import compare_type, include_name
from allora.adapters.sql.tables import metadata
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": compare_type,
            "include_name": include_name,
            "target_metadata": metadata,
        },
    )
    return list(compare_metadata(context, metadata))


async def test_migrated_schema_matches_the_tables(shop: Shop) -> None:
    async with shop.container.engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []
