"""Real `allora serve` processes for tests that need several processes on shared services."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import text

from allora.adapters.sql.engine import create_engine
from allora.adapters.sql.migrate import upgrade

SECRET = "multi-process-test-secret-Qm4rT8wXz2Kp7Vn"


def empty_database(url: str) -> None:
    async def empty() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "TRUNCATE users, sessions, bans, products, comments, discounts, "
                    "discount_redemptions, tickets, wishlist_items, orders, order_lines CASCADE"
                )
            )
            await connection.execute(text("UPDATE shop SET first_account_claimed = false"))
        await engine.dispose()

    asyncio.run(empty())


def migrated_sqlite(directory: Path) -> str:
    """The URL of a new SQLite database in `directory`, migrated to head."""
    url = f"sqlite+aiosqlite:///{directory / 'shop.db'}"

    async def migrate() -> None:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(migrate())
    return url


_ABUSE_LIMITS = [f"ALLORA_{name}_CLIENT_LIMIT" for name in ("SIGNUP", "COMMENT", "TICKET", "ORDER")]


def shop_env(var_dir: Path, settings: Mapping[str, str]) -> dict[str, str]:
    """The environment of an `allora` process: `settings` named without `ALLORA_`, lower-case."""
    return {
        **os.environ,
        "ALLORA_VAR_DIR": str(var_dir),
        "ALLORA_SECRET_KEY": SECRET,
        "ALLORA_ENV": "test",
        # Every test client comes from 127.0.0.1: per-client abuse limits stay out of the way.
        **dict.fromkeys(_ABUSE_LIMITS, "100000"),
        **{f"ALLORA_{name.upper()}": value for name, value in settings.items()},
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_shop(var_dir: Path, settings: Mapping[str, str], workers: int = 1) -> Iterator[str]:
    """Serves the shop (one process group) until the block ends; yields its base URL."""
    env = shop_env(var_dir, settings)
    port = _free_port()
    allora = str(Path(sys.executable).with_name("allora"))
    server = subprocess.Popen(
        [allora, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
