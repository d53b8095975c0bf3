"""The `allora` command: serve, migrate, create an admin."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
import uvicorn

from allora.adapters.sql.maintenance import refresh_statistics
from allora.adapters.sql.migrate import make_revision, upgrade
from allora.domain.errors import DomainError
from allora.entrypoints.demo_data import seed_demo_catalogue
from allora.entrypoints.settings import Settings, SettingsError
from allora.entrypoints.wiring import Container

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


def _run(work: Callable[[Container], Awaitable[T]]) -> T:
    """Runs one piece of async work against a fresh container, then closes its engine."""

    async def main() -> T:
        container = Container.build(_settings())
        try:
            return await work(container)
        finally:
            await container.engine.dispose()

    return asyncio.run(main())


@click.group()
def main() -> None:
    """Allora Shop backend."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API with uvicorn (several worker processes share the database)."""
    settings = _settings()  # fail here, once, with a clear message, before any worker starts
    if workers > 1 and settings.redis_url is None:
        click.echo(
            "warning: without ALLORA_REDIS_URL each worker keeps its own sign-in rate limits",
            err=True,
        )
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    uvicorn.run(
        "allora.entrypoints.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        proxy_headers=True,
        log_level="info",
    )


@main.group()
def db() -> None:
    """Database schema migrations."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION."""
    _settings().var_dir.mkdir(parents=True, exist_ok=True)
    _run(lambda container: upgrade(container.engine, revision))
    click.echo(f"database upgraded to {revision}")


@db.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Autogenerate a migration from the tables (for developers)."""
    _run(lambda container: make_revision(container.engine, message))


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin(email: str, name: str, phone: str, password_stdin: bool) -> None:
    """Create an ADMIN account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = _run(
            lambda container: container.use_cases.create_admin(
                name=name, email=email, phone=phone, password=password
            )
        )
    except DomainError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"created ADMIN {user.profile.email.value} ({user.id})")


@main.command("demo-data")
@click.option("--products", default=60, show_default=True, type=click.IntRange(1, 1_000_000))
def demo_data(products: int) -> None:
    """Fill the shop with a demo catalogue (idempotent: tops up to --products)."""

    async def seed(container: Container) -> int:
        added = await seed_demo_catalogue(container, products)
        if added:
            await refresh_statistics(container.engine)
        return added

    added = _run(seed)
    click.echo(f"demo catalogue ready: {added} products added")


if __name__ == "__main__":
    main()
