"""What the `allora` commands share: settings and a container per run, acting as a named
account (`--as EMAIL`), output as a table or `--json`, and a refusal as one line
(`error: <message>`) with a non-zero exit, whatever the use case refused."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, NoReturn, Protocol, TypeVar

import click
import msgspec

from allora.domain.errors import DomainError
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.settings import Settings, SettingsError
from allora.entrypoints.wiring import Container, UseCases, load_settings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


def run(work: Callable[[Container], Awaitable[T]]) -> T:
    """Runs one piece of async work against a fresh container, then closes its engine."""

    async def main() -> T:
        container = Container.build(settings())
        try:
            return await work(container)
        finally:
            await container.engine.dispose()

    return asyncio.run(main())


def fail(message: str) -> NoReturn:
    """The one-line refusal every command gives, on standard error, exit status 1."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(1)


def run_as(email: str, work: Callable[[UseCases, User], Awaitable[T]]) -> T:
    """Runs `work` as the account holding `email`, which must be an ADMIN (the command line is
    the admin panel's: a USER is refused even what the HTTP API would let it do for itself);
    the use cases then apply their own rules as over HTTP."""

    async def act(container: Container) -> T:
        actor = await container.use_cases.act_as(email=email)
        actor.require_admin()
        return await work(container.use_cases, actor)

    try:
        return run(act)
    except DomainError as error:
        fail(error.message)


def acting(command: F) -> F:
    """`--as EMAIL` (passed as `acting`) and `--json` (passed as `as_json`)."""
    command = click.option(
        "--json", "as_json", is_flag=True, help="JSON (as the HTTP API answers) instead of text."
    )(command)
    return click.option(
        "--as",
        "acting",
        required=True,
        metavar="EMAIL",
        help="The account to act as; its role decides what is allowed, as over HTTP.",
    )(command)


def paging(command: F) -> F:
    """`--limit` and `--offset`, checked by `Page.parse` as the HTTP query is."""
    command = click.option("--offset", default=0, show_default=True, type=int)(command)
    return click.option("--limit", default=DEFAULT_LIMIT, show_default=True, type=int)(command)


def page(limit: int, offset: int) -> Page:
    try:
        return Page.parse(limit, offset)
    except DomainError as error:
        fail(error.message)


def show(
    items: Sequence[msgspec.Struct], columns: Sequence[str], as_json: bool, total: int
) -> None:
    """A listing: the JSON array the HTTP API answers, or `columns` as an aligned table
    under a count of all matching."""
    rows: list[Mapping[str, Any]] = msgspec.to_builtins(list(items))
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(rows), indent=2))
        return
    click.echo(f"{total} in all, {len(rows)} shown")
    if rows:
        click.echo(table(rows, columns))


def show_one(item: msgspec.Struct | str, as_json: bool) -> None:
    """One answer: a message (JSON `{"message": ...}`) or an object."""
    value = {"message": item} if isinstance(item, str) else msgspec.to_builtins(item)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(value), indent=2))
    elif isinstance(item, str):
        click.echo(item)
    else:
        click.echo("\n".join(f"{key}: {_cell(cell)}" for key, cell in value.items()))


class Progress(Protocol):
    def update(self, n_steps: int) -> None: ...


class _Quiet:
    def update(self, n_steps: int) -> None:
        """Nobody watches a pipe or a file: no bar."""


def progress(length: int, label: str) -> AbstractContextManager[Progress]:
    """A progress bar on a terminal's standard error; nothing when it is a pipe or a file,
    so what a script reads stays the answer alone."""
    if sys.stderr.isatty():
        return click.progressbar(length=length, label=label, file=sys.stderr)
    return nullcontext(_Quiet())


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max(len(c) for c in [name, *col]) for name, *col in zip(columns, *cells, strict=True)]
    lines = [columns, *cells]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _cell(value: object) -> str:
    """One line per cell: nested lists show their length, newlines become spaces."""
    if value is None:
        return "-"
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, dict):
        return " ".join(_cell(v) for v in value.values())
    return " ".join(str(value).split())
