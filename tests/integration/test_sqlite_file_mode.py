"""The SQLite database holds password hashes and sessions: only its owner may read its files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from allora.adapters.sql.engine import create_engine
from allora.entrypoints.cli import main


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual umask, under which a new file is readable by everyone (0644)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_db_upgrade_creates_the_database_for_its_owner_only(tmp_path: Path) -> None:
    env = {"ALLORA_VAR_DIR": str(tmp_path), "ALLORA_ENV": "development"}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "allora.db") == 0o600


@pytest.mark.anyio
async def test_wal_files_and_an_older_loose_database_are_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    database.touch(mode=0o644)
    assert mode(database) == 0o644
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        # The pooled connection stays open, so the write-ahead log and its index still exist.
        files = [database, tmp_path / "old.db-wal", tmp_path / "old.db-shm"]
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
    finally:
        await engine.dispose()
