"""`allora catalogue`: export the products to a JSON or CSV file with their images, and
import such a file (see `catalogue_files` for the format)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import msgspec

from allora.domain.paging import MAX_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.commands import catalogue_files
from allora.entrypoints.commands._common import acting, run_as
from allora.entrypoints.wiring import UseCases

FILE = click.Path(dir_okay=False, path_type=Path)
FORMAT = click.option(
    "--format", "kind", type=click.Choice(catalogue_files.FORMATS), help="Default: by extension."
)


@click.group()
def catalogue() -> None:
    """The product catalogue as files (ADMIN): export, import."""


@catalogue.command()
@acting
@FORMAT
@click.argument("path", type=FILE)
def export(acting: str, as_json: bool, kind: str | None, path: Path) -> None:
    """Write every product to PATH, oldest first, its images into PATH's folder under
    `<name>-images/`: what `allora catalogue import` reads back."""
    images = path.parent / f"{path.stem}-images"

    async def work(cases: UseCases, actor: User) -> int:
        chosen = catalogue_files.format_of(path, kind)
        paged = await cases.export_catalogue(actor=actor, page=Page(limit=MAX_LIMIT))
        images.mkdir(parents=True, exist_ok=True)
        products = []
        with click.progressbar(length=paged.total, label="exporting", file=sys.stderr) as bar:
            while paged.items:
                for item in paged.items:
                    paths = []
                    for image in item.images:
                        (images / Path(image.key).name).write_bytes(image.data)
                        paths.append(f"{images.name}/{Path(image.key).name}")
                    products.append(catalogue_files.exported(item.product, paths))
                bar.update(len(paged.items))
                page = Page(limit=MAX_LIMIT, offset=len(products))
                paged = await cases.export_catalogue(actor=actor, page=page)
        catalogue_files.write(path, chosen, products[::-1])
        return len(products)

    count = run_as(acting, work)
    if as_json:
        summary = {"products": count, "file": str(path), "images": str(images)}
        click.echo(msgspec.json.format(msgspec.json.encode(summary), indent=2))
    else:
        click.echo(f"exported {count} products to {path} (images in {images})")
