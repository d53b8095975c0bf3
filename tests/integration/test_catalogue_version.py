"""The catalogue change watchers, on their own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from allora.adapters.sql.catalogue_version import (
    PostgresCatalogueVersion,
    SqliteCatalogueVersion,
    UnobservedCatalogueVersion,
    catalogue_version,
)

pytestmark = pytest.mark.anyio


async def test_sqlite_moves_on_another_connections_commit_and_on_touch(tmp_path: Path) -> None:
    path = tmp_path / "odd name#1.db"  # characters a file: URI must escape
    writer = sqlite3.connect(path)
    writer.execute("CREATE TABLE t (x INTEGER)")
    writer.commit()
    version = catalogue_version(f"sqlite+aiosqlite:///{path}")
    assert isinstance(version, SqliteCatalogueVersion)
    await version.start()
    try:
        first = version.current()
        assert first is not None
        assert version.current() == first  # nothing happened
        writer.execute("INSERT INTO t VALUES (1)")
        writer.commit()
        second = version.current()
        assert second is not None
        assert second != first
        version.touch()
        assert version.current() not in (first, second)
    finally:
        await version.close()
        writer.close()
    assert version.current() is None


async def test_sqlite_without_a_database_file_caches_nothing(tmp_path: Path) -> None:
    version = catalogue_version(f"sqlite+aiosqlite:///{tmp_path / 'missing.db'}")
    await version.start()
    assert version.current() is None
    assert not (tmp_path / "missing.db").exists()


def test_each_database_gets_its_watcher() -> None:
    memory = catalogue_version("sqlite+aiosqlite:///:memory:")
    assert isinstance(memory, UnobservedCatalogueVersion)
    assert memory.current() is None
    postgres = catalogue_version("postgresql+asyncpg://u:p@db.example:5433/shop?ssl=require")
    assert isinstance(postgres, PostgresCatalogueVersion)
    assert postgres.current() is None  # not listening yet
    assert postgres._dsn == "postgresql://u:p@db.example:5433/shop?sslmode=require"
