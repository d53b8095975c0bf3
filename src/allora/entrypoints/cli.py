"""The `allora` command: serve, migrate, create an admin, deliver mail."""

from __future__ import annotations

import json
import logging
import os
import sys

import click
import uvicorn

from allora.adapters.sql.maintenance import refresh_statistics
from allora.adapters.sql.migrate import make_revision, upgrade
from allora.domain.errors import DomainError
from allora.domain.paging import Page
from allora.entrypoints.commands._common import acting, run_as
from allora.entrypoints.commands._common import run as _run
from allora.entrypoints.commands._common import settings as _settings
from allora.entrypoints.commands.catalogue import catalogue
from allora.entrypoints.commands.comments import comments
from allora.entrypoints.commands.discounts import discounts
from allora.entrypoints.commands.media import media
from allora.entrypoints.commands.orders import orders
from allora.entrypoints.commands.tickets import tickets
from allora.entrypoints.commands.users import users
from allora.entrypoints.demo_data import seed_demo_catalogue
from allora.entrypoints.http_protocol import BoundedHttpToolsProtocol
from allora.entrypoints.logs import configure_logging
from allora.entrypoints.served import MASTER_ENV
from allora.entrypoints.wiring import Container
from allora.entrypoints.worker import run_until_signalled


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
    if workers > 1:  # each worker stops when this process, its master, is gone (served.py)
        os.environ[MASTER_ENV] = str(os.getpid())
    uvicorn.run(
        "allora.entrypoints.served:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http=BoundedHttpToolsProtocol,  # httptools, with request heads bounded
        access_log=False,
        proxy_headers=False,  # the app reads X-Forwarded-For itself (ALLORA_TRUSTED_PROXIES)
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


@main.command()
def worker() -> None:
    """Deliver the mail outbox until SIGTERM (which waits for the message in flight)."""
    settings = _settings()
    if settings.env == "production" and settings.smtp_url is None:
        click.echo(
            "ALLORA_SMTP_URL must be set for the worker when ALLORA_ENV=production", err=True
        )
        sys.exit(2)
    configure_logging(logging.INFO)

    async def deliver(container: Container) -> None:
        await run_until_signalled(container.relay_loop())

    _run(deliver)


@main.group()
def outbox() -> None:
    """The mail outbox."""


@outbox.command("parked")
@acting
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 200))
def outbox_parked(acting: str, as_json: bool, limit: int) -> None:
    """Mail the worker gave up on, newest first, with the last error (bodies stay sealed)."""
    paged = run_as(
        acting, lambda cases, actor: cases.list_parked_mail(actor=actor, page=Page(limit=limit))
    )
    rows = [
        {
            "id": str(m.id),
            "to": m.recipient.value,
            "subject": m.subject,
            "attempts": m.attempts,
            "created_at": m.created_at.isoformat(),
            "last_error": m.last_error,
        }
        for m in paged.items
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{paged.total} parked message(s)")
    for row in rows:
        click.echo(
            f"{row['id']}  {row['created_at']}  to {row['to']}  {row['subject']!r}  "
            f"after {row['attempts']} tries: {row['last_error']}"
        )


main.add_command(users)
main.add_command(comments)
main.add_command(discounts)
main.add_command(tickets)
main.add_command(orders)
main.add_command(catalogue)
main.add_command(media)

if __name__ == "__main__":
    main()
