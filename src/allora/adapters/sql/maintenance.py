"""Database upkeep that the application never needs but bulk loads do."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def refresh_statistics(engine: AsyncEngine) -> None:
    """After a bulk load, before autovacuum gets round to it: without statistics PostgreSQL
    plans the catalogue's queries as if the tables were small (hash joins over every variant,
    counts by full scans); VACUUM also marks pages all-visible so counts read only indexes."""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
    else:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
