"""Configuration from `ALLORA_*` environment variables (and an optional `.env`), checked once."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values

from allora.domain.errors import InvalidInput
from allora.domain.tickets import SupportIdentity
from allora.entrypoints.secret_rule import MIN_SECRET_LENGTH, weak_secret_reason

Environment = Literal["development", "production", "test"]
_ENVIRONMENTS: tuple[Environment, ...] = ("development", "production", "test")
DEFAULT_MAIL_FROM = "Allora Shop <shop@allora.invalid>"
DEFAULT_SUPPORT = ("Allora Support", "0000000000", "support@allora.invalid")
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class SettingsError(Exception):
    """The configuration cannot run; the message says every variable to fix."""


@dataclass(frozen=True, slots=True)
class Settings:
    secret_key: str
    database_url: str
    env: Environment = "development"
    var_dir: Path = Path("var")
    cors_origins: tuple[str, ...] = ()
    media_dir: Path = Path("var/media")
    redis_url: str | None = None
    cookie_secure: bool = False
    signin_client_limit: int = 20
    signin_email_failures: int = 10
    session_lifetime: timedelta = field(default=timedelta(days=7))
    hasher_processes: int = 1
    hasher_niceness: int = 10
    catalogue_cache_entries: int = 16_384
    session_cache_entries: int = 10_000
    database_pool_size: int = 20
    database_pool_warm: bool = True
    s3_bucket: str | None = None
    s3_endpoint: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    smtp_url: str | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    outbox_in_process: bool = False
    reset_client_limit: int = 5
    signup_client_limit: int = 10
    comment_client_limit: int = 10
    ticket_client_limit: int = 5
    order_client_limit: int = 10
    support: SupportIdentity = field(default=SupportIdentity.parse(*DEFAULT_SUPPORT))
    public_url: str | None = None
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Reads the process environment over `.env`; raises `SettingsError` on any bad value."""
        values = {**_dotenv(), **(os.environ if environ is None else environ)}
        return _parse(values)


def _dotenv() -> dict[str, str]:
    path = Path(".env")
    if not path.is_file():
        return {}
    return {key: value for key, value in dotenv_values(path).items() if value is not None}


def _parse(values: Mapping[str, str]) -> Settings:
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = values.get(f"ALLORA_{name}", "").strip()
        return value or None

    def integer(name: str, default: int, low: int, high: int) -> int:
        raw = get(name)
        if raw is None:
            return default
        if not raw.isdecimal() or not low <= int(raw) <= high:
            problems.append(f"ALLORA_{name} must be a whole number from {low} to {high}")
            return default
        return int(raw)

    def boolean(name: str, default: bool) -> bool:
        raw = (get(name) or str(default)).lower()
        if raw not in _BOOLEANS:
            problems.append(f"ALLORA_{name} must be true or false (1 or 0)")
            return default
        return _BOOLEANS[raw]

    env = get("ENV") or "development"
    if env not in _ENVIRONMENTS:
        problems.append(f"ALLORA_ENV must be one of {', '.join(_ENVIRONMENTS)}")
        env = "development"
    var_dir = Path(get("VAR_DIR") or "var").resolve()
    database_url = get("DATABASE_URL") or f"sqlite+aiosqlite:///{var_dir / 'allora.db'}"
    if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        problems.append(
            "ALLORA_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
    redis_url = get("REDIS_URL")
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://")):
        problems.append("ALLORA_REDIS_URL must start with redis:// or rediss://")
    origins = tuple(
        o.strip().rstrip("/") for o in (get("CORS_ORIGINS") or "").split(",") if o.strip()
    )
    if bad := [o for o in origins if not o.startswith(("http://", "https://"))]:
        problems.append(f"ALLORA_CORS_ORIGINS entries must be http(s) origins, not {bad}")
    proxies = _networks(get("TRUSTED_PROXIES"), problems)
    # Production serves over HTTPS: the session cookie is Secure unless the operator says otherwise.
    cookie_secure = boolean("COOKIE_SECURE", env == "production")
    in_process = boolean("OUTBOX_IN_PROCESS", False)
    smtp_url, mail_from = get("SMTP_URL"), get("MAIL_FROM")
    problems.extend(_mail_problems(env, smtp_url, mail_from, in_process))
    secret = get("SECRET_KEY")
    if env == "production" and (
        weak := "it is not set" if secret is None else weak_secret_reason(secret)
    ):
        problems.append(
            f"ALLORA_SECRET_KEY must be a random value of at least {MIN_SECRET_LENGTH} characters "
            f"when ALLORA_ENV=production ({weak}); generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    support = _support(get, problems)
    settings = Settings(
        secret_key=secret or "",
        database_url=database_url,
        env=env,  # type: ignore[arg-type]
        var_dir=var_dir,
        cors_origins=origins,
        media_dir=Path(get("MEDIA_DIR") or var_dir / "media").resolve(),
        redis_url=redis_url,
        cookie_secure=cookie_secure,
        signin_client_limit=integer("SIGNIN_CLIENT_LIMIT", 20, 1, 100_000),
        signin_email_failures=integer("SIGNIN_EMAIL_FAILURES", 10, 1, 1000),
        session_lifetime=timedelta(hours=integer("SESSION_HOURS", 24 * 7, 1, 24 * 365)),
        # ALLORA_HASHER_THREADS is the name deployments set before hashing moved to processes.
        hasher_processes=integer("HASHER_PROCESSES", integer("HASHER_THREADS", 1, 1, 64), 1, 64),
        hasher_niceness=integer("HASHER_NICENESS", 10, 0, 19),
        catalogue_cache_entries=integer("CATALOGUE_CACHE_ENTRIES", 16_384, 0, 1_000_000),
        session_cache_entries=integer("SESSION_CACHE_ENTRIES", 10_000, 0, 1_000_000),
        database_pool_size=integer("DATABASE_POOL_SIZE", 20, 1, 1000),
        database_pool_warm=boolean("DATABASE_POOL_WARM", True),
        s3_bucket=get("S3_BUCKET"),
        s3_endpoint=get("S3_ENDPOINT"),
        s3_region=get("S3_REGION") or "us-east-1",
        s3_access_key=get("S3_ACCESS_KEY"),
        s3_secret_key=get("S3_SECRET_KEY"),
        smtp_url=smtp_url,
        mail_from=mail_from or DEFAULT_MAIL_FROM,
        outbox_in_process=in_process,
        reset_client_limit=integer("RESET_CLIENT_LIMIT", 5, 1, 100_000),
        signup_client_limit=integer("SIGNUP_CLIENT_LIMIT", 10, 1, 100_000),
        comment_client_limit=integer("COMMENT_CLIENT_LIMIT", 10, 1, 100_000),
        ticket_client_limit=integer("TICKET_CLIENT_LIMIT", 5, 1, 100_000),
        order_client_limit=integer("ORDER_CLIENT_LIMIT", 10, 1, 100_000),
        support=support,
        public_url=_public_url(get("PUBLIC_URL"), problems),
        trusted_proxies=proxies,
    )
    if problems:
        raise SettingsError("Invalid configuration:\n  - " + "\n  - ".join(problems))
    if not settings.secret_key:
        settings = _with_development_secret(settings)
    return settings


def _support(get: Callable[[str], str | None], problems: list[str]) -> SupportIdentity:
    """The identity ticket answers show customers (`ALLORA_SUPPORT_NAME`, `_PHONE`, `_EMAIL`)."""
    name, phone, email = (
        get(f"SUPPORT_{key}") or default
        for key, default in zip(("NAME", "PHONE", "EMAIL"), DEFAULT_SUPPORT, strict=True)
    )
    try:
        return SupportIdentity.parse(name, phone, email)
    except InvalidInput as error:
        details = "; ".join(f"{e.field}: {e.message}" for e in error.errors) or error.message
        problems.append(f"ALLORA_SUPPORT_NAME, _PHONE and _EMAIL must be valid ({details})")
        return SupportIdentity.parse(*DEFAULT_SUPPORT)


def _public_url(raw: str | None, problems: list[str]) -> str | None:
    """Where clients reach the shop when image URLs must be absolute (a storefront on another
    origin): an http(s) URL, perhaps with a path, never a query or fragment (the media path is
    appended to it); its trailing slash is dropped."""
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or "?" in raw or "#" in raw:
        problems.append(
            "ALLORA_PUBLIC_URL must be an http(s) URL without a query or fragment, "
            f"like https://shop.example, not {raw!r}"
        )
        return None
    return raw.rstrip("/")


def _networks(raw: str | None, problems: list[str]) -> tuple[IPv4Network | IPv6Network, ...]:
    """ALLORA_TRUSTED_PROXIES: comma-separated addresses or CIDR blocks, none by default."""
    networks = []
    for entry in filter(None, (part.strip() for part in (raw or "").split(","))):
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError:
            problems.append(f"ALLORA_TRUSTED_PROXIES entries must be addresses or CIDRs: {entry!r}")
    return tuple(networks)


def _mail_problems(
    env: str, smtp_url: str | None, mail_from: str | None, in_process: bool
) -> list[str]:
    """Production sends only through a real server, from an address of the shop's own (the
    composition root checks the URL and the address themselves: `wiring.load_settings`)."""
    problems = []
    if env == "production" and smtp_url is not None and mail_from is None:
        problems.append("ALLORA_MAIL_FROM must be set when ALLORA_ENV=production")
    if env == "production" and in_process and smtp_url is None:
        problems.append("ALLORA_OUTBOX_IN_PROCESS needs ALLORA_SMTP_URL when ALLORA_ENV=production")
    return problems


def _with_development_secret(settings: Settings) -> Settings:
    """Outside production a missing secret is generated once under `var/` and reused, so
    restarts keep sessions and several workers sign alike."""
    path = settings.var_dir / "secret_key"
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        candidate = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        candidate.write_text(secrets.token_urlsafe(48))
        candidate.chmod(0o600)
        try:
            os.link(candidate, path)  # atomic: the first writer wins, the others read its secret
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return replace(settings, secret_key=path.read_text().strip())
