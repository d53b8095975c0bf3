"""Helpers for tests of what a process learns from the database's notices: waiting for one to
arrive, and changes that raise none (to show that a process was answering from memory)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from allora.adapters.sql.engine import create_engine


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    """Another process learns of a commit from the database: allow it a moment, not forever."""
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "the change never became visible"
        await asyncio.sleep(0.02)


async def unannounced(database_url: str, statement: str, **values: str) -> None:
    """A change on PostgreSQL that no trigger announces (the replica role): a process that
    caches keeps answering what it had, which a test must see before trusting a notice."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
            await connection.execute(text(statement), values)
    finally:
        await engine.dispose()
