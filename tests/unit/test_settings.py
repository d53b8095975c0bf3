"""Configuration is read from ALLORA_* variables and checked once, with clear messages."""

from __future__ import annotations

import secrets
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from allora.entrypoints.settings import Settings, SettingsError


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"ALLORA_VAR_DIR": str(tmp_path), **{f"ALLORA_{k}": v for k, v in values.items()}}


def test_production_refuses_a_missing_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ALLORA_SECRET_KEY"):
        Settings.from_env(env(tmp_path, ENV="production"))


@pytest.mark.parametrize("secret", ["secret", "changeme", "short-but-random-1234"])
def test_production_refuses_a_default_or_short_secret(tmp_path: Path, secret: str) -> None:
    with pytest.raises(SettingsError, match="ALLORA_SECRET_KEY"):
        Settings.from_env(env(tmp_path, ENV="production", SECRET_KEY=secret))


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("a" * 32, "fewer than 8 distinct characters"),
        ("changeme" * 4, "fewer than 8 distinct characters"),
        ("password" * 5, "fewer than 8 distinct characters"),
        ("my-shop-secret!" * 3, "occurs twice"),
        ("bench-secret-" + "b" * 40, "occurs twice"),
        ("Xq7#" + "Allora Shop " * 3, "occurs twice"),
        ("abcdefghijklmnopqrstuvwxyz012345", "regular sequence"),
        ("0123456789" + "ACEGIKMOQSUWY" + "zyxwvutsrq", "regular sequence"),
    ],
)
def test_production_refuses_a_long_but_guessable_secret(
    tmp_path: Path, secret: str, reason: str
) -> None:
    assert len(secret) >= 32
    with pytest.raises(SettingsError, match="ALLORA_SECRET_KEY") as raised:
        Settings.from_env(env(tmp_path, ENV="production", SECRET_KEY=secret))
    assert reason in str(raised.value)
    assert "token_urlsafe" in str(raised.value)


@pytest.mark.parametrize(
    "make", [lambda: secrets.token_urlsafe(24), lambda: secrets.token_hex(16), secrets.token_hex]
)
def test_production_accepts_generated_secrets(tmp_path: Path, make: Callable[[], str]) -> None:
    for _ in range(200):
        secret = make()
        assert Settings.from_env(env(tmp_path, ENV="production", SECRET_KEY=secret)).secret_key == (
            secret
        )
    assert not (tmp_path / "secret_key").exists()


def test_development_accepts_any_secret_and_generates_one_when_missing(tmp_path: Path) -> None:
    assert Settings.from_env(env(tmp_path, SECRET_KEY="a" * 32)).secret_key == "a" * 32
    assert len(Settings.from_env(env(tmp_path)).secret_key) >= 32


def test_production_cookie_is_secure_unless_turned_off(tmp_path: Path) -> None:
    production = env(tmp_path, ENV="production", SECRET_KEY=secrets.token_urlsafe(32))
    assert Settings.from_env(production).cookie_secure is True
    assert Settings.from_env({**production, "ALLORA_COOKIE_SECURE": "false"}).cookie_secure is False
    assert Settings.from_env(env(tmp_path)).cookie_secure is False


def test_development_secret_is_generated_once_and_shared(tmp_path: Path) -> None:
    first = Settings.from_env(env(tmp_path))
    second = Settings.from_env(env(tmp_path))
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_defaults_use_sqlite_under_var(tmp_path: Path) -> None:
    settings = Settings.from_env(env(tmp_path))
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'allora.db'}"
    assert settings.media_dir == tmp_path.resolve() / "media"
    assert settings.signin_client_limit == 20
    assert settings.redis_url is None
    assert settings.cookie_secure is False
    assert settings.database_pool_warm is True


def test_values_are_parsed(tmp_path: Path) -> None:
    settings = Settings.from_env(
        env(
            tmp_path,
            DATABASE_URL="postgresql+asyncpg://u@h/db",
            CORS_ORIGINS="http://a.test, https://b.test/",
            COOKIE_SECURE="true",
            SIGNIN_CLIENT_LIMIT="7",
            REDIS_URL="redis://127.0.0.1:6379/0",
            CATALOGUE_CACHE_ENTRIES="0",
            SESSION_CACHE_ENTRIES="0",
            DATABASE_POOL_SIZE="5",
            DATABASE_POOL_WARM="false",
        )
    )
    assert settings.database_pool_warm is False
    assert settings.catalogue_cache_entries == 0
    assert settings.session_cache_entries == 0
    assert settings.database_pool_size == 5
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.cors_origins == ("http://a.test", "https://b.test")
    assert settings.cookie_secure is True
    assert settings.signin_client_limit == 7
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


def test_every_bad_value_is_named_in_one_message(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(
            env(
                tmp_path,
                ENV="staging",
                DATABASE_URL="mysql://x",
                SIGNIN_CLIENT_LIMIT="many",
                COOKIE_SECURE="maybe",
                CORS_ORIGINS="shop.test",
                REDIS_URL="http://x",
                CATALOGUE_CACHE_ENTRIES="-1",
                SESSION_CACHE_ENTRIES="lots",
                DATABASE_POOL_SIZE="0",
                DATABASE_POOL_WARM="sometimes",
            )
        )
    message = str(raised.value)
    for name in [
        "ALLORA_ENV",
        "ALLORA_DATABASE_URL",
        "ALLORA_SIGNIN_CLIENT_LIMIT",
        "ALLORA_COOKIE_SECURE",
        "ALLORA_CORS_ORIGINS",
        "ALLORA_REDIS_URL",
        "ALLORA_CATALOGUE_CACHE_ENTRIES",
        "ALLORA_SESSION_CACHE_ENTRIES",
        "ALLORA_DATABASE_POOL_SIZE",
        "ALLORA_DATABASE_POOL_WARM",
    ]:
        assert name in message


def test_the_support_identity_is_configured_and_checked(tmp_path: Path) -> None:
    default = Settings.from_env(env(tmp_path)).support
    assert (default.name, default.email.value) == ("Allora Support", "support@allora.invalid")
    chosen = Settings.from_env(
        env(
            tmp_path,
            SUPPORT_NAME="Help",
            SUPPORT_EMAIL="Help@Shop.Example",
            SUPPORT_PHONE="5551234567",
        )
    ).support
    assert (chosen.name, chosen.phone.value, chosen.email.value) == (
        "Help",
        "5551234567",
        "help@shop.example",
    )
    with pytest.raises(SettingsError, match=r"ALLORA_SUPPORT_NAME, _PHONE and _EMAIL.*phone"):
        Settings.from_env(env(tmp_path, SUPPORT_PHONE="12"))


def test_the_per_client_limits_come_from_the_environment(tmp_path: Path) -> None:
    names = ("SIGNUP", "COMMENT", "TICKET", "RESET", "ORDER")
    settings = Settings.from_env(
        env(tmp_path, **{f"{n}_CLIENT_LIMIT": str(i + 1) for i, n in enumerate(names)})
    )
    assert [getattr(settings, f"{n.lower()}_client_limit") for n in names] == [1, 2, 3, 4, 5]
    defaults = Settings.from_env(env(tmp_path))
    assert [getattr(defaults, f"{n.lower()}_client_limit") for n in names] == [10, 10, 5, 5, 10]


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("https://shop.example", "https://shop.example"),
        ("https://shop.example/", "https://shop.example"),
        ("http://127.0.0.1:8000/api-host/", "http://127.0.0.1:8000/api-host"),
    ],
)
def test_public_url_is_kept_without_its_trailing_slash(tmp_path: Path, raw: str, kept: str) -> None:
    assert Settings.from_env(env(tmp_path, PUBLIC_URL=raw)).public_url == kept
    assert Settings.from_env(env(tmp_path)).public_url is None


@pytest.mark.parametrize(
    "raw",
    [
        "shop.example",
        "/media",
        "ftp://shop.example",
        "https://",
        "https://shop.example/?v=1",
        "https://shop.example/#top",
        "https://shop.example?",
        "javascript:alert(1)",
    ],
)
def test_public_url_must_be_an_http_url_without_query_or_fragment(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SettingsError, match="ALLORA_PUBLIC_URL"):
        Settings.from_env(env(tmp_path, PUBLIC_URL=raw))


def test_trusted_proxies_are_addresses_or_cidrs_and_none_by_default(tmp_path: Path) -> None:
    assert Settings.from_env(env(tmp_path)).trusted_proxies == ()
    proxies = Settings.from_env(env(tmp_path, TRUSTED_PROXIES=" 10.0.0.0/8, ::1 ,192.0.2.7"))
    assert [str(network) for network in proxies.trusted_proxies] == [
        "10.0.0.0/8",
        "::1/128",
        "192.0.2.7/32",
    ]
    with pytest.raises(SettingsError, match=r"ALLORA_TRUSTED_PROXIES.*'localhost'"):
        Settings.from_env(env(tmp_path, TRUSTED_PROXIES="10.0.0.1,localhost"))
