"""The mail settings: ALLORA_SMTP_URL, ALLORA_MAIL_FROM, ALLORA_OUTBOX_IN_PROCESS and
ALLORA_RESET_CLIENT_LIMIT, checked with the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from allora.entrypoints.settings import DEFAULT_MAIL_FROM, Settings, SettingsError
from allora.entrypoints.wiring import load_settings

SECRET = "unit-mail-settings-secret-Vb3q9ZtR7xLp2Nc"


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"ALLORA_VAR_DIR": str(tmp_path), **{f"ALLORA_{k}": v for k, v in values.items()}}


def test_defaults_log_mail_in_development_with_a_reset_limit_of_5(tmp_path: Path) -> None:
    settings = Settings.from_env(env(tmp_path))
    assert (settings.smtp_url, settings.mail_from) == (None, DEFAULT_MAIL_FROM)
    assert (settings.outbox_in_process, settings.reset_client_limit) == (False, 5)


def test_mail_settings_are_read(tmp_path: Path) -> None:
    settings = Settings.from_env(
        env(
            tmp_path,
            SMTP_URL="smtps://u:p@mail.example.com",
            MAIL_FROM="Shop <shop@example.com>",
            OUTBOX_IN_PROCESS="1",
            RESET_CLIENT_LIMIT="9",
        )
    )
    assert settings.smtp_url == "smtps://u:p@mail.example.com"
    assert settings.mail_from == "Shop <shop@example.com>"
    assert (settings.outbox_in_process, settings.reset_client_limit) == (True, 9)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMTP_URL", "http://mail.example.com"),
        ("SMTP_URL", "smtp://mail.example.com:port"),
        ("SMTP_URL", "smtp://user@mail.example.com"),
        ("MAIL_FROM", "Shop <not an address>"),
        ("OUTBOX_IN_PROCESS", "maybe"),
        ("RESET_CLIENT_LIMIT", "0"),
        ("RESET_CLIENT_LIMIT", "five"),
    ],
)
def test_bad_mail_settings_are_named(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"ALLORA_{name}"):
        load_settings(env(tmp_path, **{name: value}))


def test_production_needs_a_sender_with_a_server_and_a_server_to_relay_in_process(
    tmp_path: Path,
) -> None:
    with pytest.raises(SettingsError, match="ALLORA_MAIL_FROM"):
        Settings.from_env(
            env(tmp_path, ENV="production", SECRET_KEY=SECRET, SMTP_URL="smtp://mail.example.com")
        )
    with pytest.raises(SettingsError, match="ALLORA_OUTBOX_IN_PROCESS"):
        Settings.from_env(env(tmp_path, ENV="production", SECRET_KEY=SECRET, OUTBOX_IN_PROCESS="1"))
    assert Settings.from_env(env(tmp_path, ENV="production", SECRET_KEY=SECRET)).smtp_url is None
