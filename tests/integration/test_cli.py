"""The `allora` command: migrations, an ADMIN from the command line, demo data, bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allora.entrypoints.cli import main


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"ALLORA_VAR_DIR": str(tmp_path), "ALLORA_ENV": "development"}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, input=stdin)
    return result.exit_code, result.output


def test_db_upgrade_then_create_admin_reading_the_password_from_stdin(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert run(env, "db", "upgrade")[0] == 0
    assert (tmp_path / "allora.db").exists()
    code, output = run(
        env,
        "create-admin",
        "--email",
        "Boss@Example.com",
        "--name",
        "boss",
        "--phone",
        "5551234567",
        "--password-stdin",
        stdin="Passw0rd!\n",
    )
    assert code == 0, output
    assert "created ADMIN boss@example.com" in output
    again, output = run(
        env,
        "create-admin",
        "--email",
        "boss@example.com",
        "--name",
        "boss2",
        "--phone",
        "5551234568",
        "--password-stdin",
        stdin="Passw0rd!\n",
    )
    assert again == 1
    assert "email already taken" in output


def test_create_admin_refuses_a_weak_password(env: dict[str, str]) -> None:
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(
        env,
        "create-admin",
        "--email",
        "a@example.com",
        "--name",
        "boss",
        "--phone",
        "5551234567",
        "--password-stdin",
        stdin="weak\n",
    )
    assert code == 1
    assert "password" in output


def test_demo_data_is_idempotent(env: dict[str, str]) -> None:
    assert run(env, "db", "upgrade")[0] == 0
    assert "3 products added" in run(env, "demo-data", "--products", "3")[1]
    assert "0 products added" in run(env, "demo-data", "--products", "3")[1]


def test_production_without_a_secret_refuses_to_start(env: dict[str, str]) -> None:
    code, output = run({**env, "ALLORA_ENV": "production"}, "serve")
    assert code == 2
    assert "ALLORA_SECRET_KEY" in output
