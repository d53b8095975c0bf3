"""`allora media`: the image files of the shop, for operators."""

from __future__ import annotations

import click

from allora.application.sweep_orphan_images import GRACE_PERIOD
from allora.entrypoints.commands._common import run


@click.group()
def media() -> None:
    """Product image files."""


@media.command("sweep")
@click.option("--dry-run", is_flag=True, help="Only print what would be removed.")
def sweep(dry_run: bool) -> None:
    """Remove image files no product references and unfinished uploads (.part), once older
    than an hour; the server also does this at start-up."""
    removed = run(lambda container: container.use_cases.sweep_orphan_images(dry_run=dry_run))
    verb = "would remove" if dry_run else "removed"
    for stored in removed:
        kind = "unfinished upload" if stored.partial else "unreferenced image"
        click.echo(f"{verb} {stored.name}  ({kind}, written {stored.modified.isoformat()})")
    minutes = int(GRACE_PERIOD.total_seconds() // 60)
    outcome = "would be removed (dry run: nothing was)" if dry_run else "removed"
    click.echo(f"{len(removed)} file(s) {outcome}; files younger than {minutes} minutes are kept")
