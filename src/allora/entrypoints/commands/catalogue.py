"""`allora catalogue`: export the products to a JSON or CSV file with their images, and
import such a file (see `catalogue_files` for the format)."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click
import msgspec

from allora.application.create_product import Upload
from allora.domain.errors import DomainError, Forbidden, InvalidInput
from allora.domain.paging import MAX_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.commands import catalogue_files
from allora.entrypoints.commands._common import acting, progress, run_as
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
        products, seen, read = [], set(), 0
        with progress(paged.total, "exporting") as bar:
            while paged.items:
                read += len(paged.items)
                for item in paged.items:
                    if item.product.id in seen:  # a product created meanwhile shifted the pages
                        continue
                    seen.add(item.product.id)
                    paths = []
                    for image in item.images:
                        (images / Path(image.key).name).write_bytes(image.data)
                        paths.append(f"{images.name}/{Path(image.key).name}")
                    products.append(catalogue_files.exported(item.product, paths))
                bar.update(len(paged.items))
                page = Page(limit=MAX_LIMIT, offset=read)
                paged = await cases.export_catalogue(actor=actor, page=page)
        catalogue_files.write(path, chosen, products[::-1])
        return len(products)

    count = run_as(acting, work)
    if as_json:
        summary = {"products": count, "file": str(path), "images": str(images)}
        click.echo(msgspec.json.format(msgspec.json.encode(summary), indent=2))
    else:
        click.echo(f"exported {count} products to {path} (images in {images})")


@dataclass(frozen=True)
class Refusal:
    row: int
    name: str
    message: str


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


@catalogue.command("import")
@acting
@FORMAT
@click.argument("path", type=FILE)
def import_(acting: str, as_json: bool, kind: str | None, path: Path) -> None:
    """Create the products of PATH with their variants and images, each all or nothing; the
    rows refused are reported with why, and make the exit status 1."""

    async def work(cases: UseCases, actor: User) -> Report:
        entries = catalogue_files.read(path, catalogue_files.format_of(path, kind))
        report = Report()
        with progress(len(entries), "importing") as bar:
            for entry in entries:
                try:
                    fields = entry.fields()
                    uploads = [Upload(_image(path.parent, image)) for image in entry.images]
                    product = await cases.create_product(
                        actor=actor, fields=fields, uploads=uploads
                    )
                except Forbidden:
                    raise  # the actor may create nothing: one refusal, not one per row
                except DomainError as error:
                    report.refused.append(Refusal(entry.row, entry.name, error.message))
                else:
                    report.created.append(str(product.id))
                bar.update(1)
        return report

    report = run_as(acting, work)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(asdict(report)), indent=2))
    else:
        total = len(report.created) + len(report.refused)
        click.echo(f"imported {len(report.created)} of {total} products from {path}")
    for refusal in report.refused:
        name = f" ({refusal.name})" if refusal.name else ""
        click.echo(f"refused row {refusal.row}{name}: {refusal.message}", err=True)
    if report.refused:
        sys.exit(1)


def _image(base: Path, name: str) -> bytes:
    """An image file named in a catalogue, relative to the catalogue's folder."""
    try:
        return (base / name).read_bytes()
    except OSError as error:
        raise InvalidInput.for_field("images", f"cannot read {name}: {error.strerror}") from None
