"""`allora worker` as a real process next to a real `allora serve`: a reset code goes from an
HTTP request through the outbox and SMTP to the test's mail server and back over HTTP; SIGTERM
stops the worker cleanly once the message in flight is sent and marked."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from allora.adapters.sql.engine import create_engine
from allora.adapters.sql.tables import metadata
from tests.integration.conftest import PASSWORD, account
from tests.integration.mail_server import Recorder, smtp_server
from tests.integration.servers import SECRET, running_shop

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "Fresh2?pass"
WAIT_SECONDS = 30.0


def empty(url: str) -> None:
    async def run() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name not in {"shop", "product_totals"}:
                    await connection.execute(table.delete())
            await connection.execute(text("UPDATE shop SET first_account_claimed = false"))
            await connection.execute(text("UPDATE product_totals SET products = 0"))
        await engine.dispose()

    asyncio.run(run())


def outbox_statuses(url: str) -> list[str]:
    async def run() -> list[str]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT status FROM outbox ORDER BY created_at"))
            statuses = [status for (status,) in rows]
        await engine.dispose()
        return statuses

    return asyncio.run(run())


@contextmanager
def running_worker(var_dir: Path, settings: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "ALLORA_VAR_DIR": str(var_dir),
        "ALLORA_SECRET_KEY": SECRET,
        "ALLORA_ENV": "test",
        **{f"ALLORA_{name.upper()}": value for name, value in settings.items()},
    }
    allora = str(Path(sys.executable).with_name("allora"))
    with (var_dir / "worker.log").open("wb") as log:
        worker = subprocess.Popen([allora, "worker"], env=env, stdout=log, stderr=log)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=20)


def received_code(server: Recorder, count: int) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(server.received) < count:
        assert time.monotonic() < deadline, "no mail arrived"
        time.sleep(0.05)
    found = re.search(r"code is ([0-9]{6})", server.received[count - 1].part("plain"))
    assert found
    return found.group(1)


@pytest.fixture
def shared(database_url: str, tmp_path: Path) -> Iterator[tuple[dict[str, str], Recorder]]:
    empty(database_url)
    with smtp_server() as (server, port):
        yield (
            {
                "database_url": database_url,
                "smtp_url": f"smtp://127.0.0.1:{port}",
                "mail_from": "Allora <shop@allora.test>",
            },
            server,
        )


def test_a_reset_code_goes_out_through_the_worker_and_comes_back_over_http(
    shared: tuple[dict[str, str], Recorder], tmp_path: Path
) -> None:
    settings, server = shared
    (tmp_path / "serve").mkdir()
    (tmp_path / "work").mkdir()
    with (
        running_shop(tmp_path / "serve", settings) as base,
        running_worker(tmp_path / "work", settings) as worker,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        signup = client.post("/api/auth/signup/", json=account("alice"))
        assert signup.status_code == 201
        client.cookies.clear()
        forgot = client.post("/api/auth/password/forgot/", json={"email": "alice@example.com"})
        assert forgot.status_code == 200
        code = received_code(server, 1)
        assert server.received[0].recipients == ["alice@example.com"]
        reset = client.post(
            "/api/auth/password/reset/",
            json={"email": "alice@example.com", "code": code, "newPassword": NEW_PASSWORD},
        )
        assert reset.status_code == 200, reset.text
        assert client.get("/api/auth/me/").json()["name"] == "alice"
        client.cookies.clear()
        old = client.post(
            "/api/auth/signin/", json={"email": "alice@example.com", "password": PASSWORD}
        )
        assert old.status_code == 401
        new = client.post(
            "/api/auth/signin/", json={"email": "alice@example.com", "password": NEW_PASSWORD}
        )
        assert new.status_code == 200

        # SIGTERM while a message is in flight: it is finished and marked, then the worker exits.
        server.hold, server.in_data = threading.Event(), threading.Event()
        client.cookies.clear()
        assert (
            client.post(
                "/api/auth/password/forgot/", json={"email": "alice@example.com"}
            ).status_code
            == 200
        )
        assert server.in_data.wait(WAIT_SECONDS), "the worker did not start sending"
        worker.send_signal(signal.SIGTERM)
        server.hold.set()
        assert worker.wait(timeout=WAIT_SECONDS) == 0
    assert len(server.received) == 2
    assert outbox_statuses(settings["database_url"]) == ["sent", "sent"]
    log = (tmp_path / "work" / "worker.log").read_text()
    assert "worker stopped" in log
    assert code not in log  # ids and outcomes only: no mail content


def test_production_refuses_to_start_the_worker_without_smtp(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ALLORA_ENV": "production",
        "ALLORA_SECRET_KEY": SECRET,
        "ALLORA_VAR_DIR": str(tmp_path),
    }
    env.pop("ALLORA_SMTP_URL", None)
    allora = str(Path(sys.executable).with_name("allora"))
    done = subprocess.run([allora, "worker"], env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 2
    assert b"ALLORA_SMTP_URL" in done.stderr
