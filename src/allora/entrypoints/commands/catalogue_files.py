"""The catalogue files `allora catalogue export` writes and `import` reads, as JSON or CSV.

A product is its fields as the admin panel sends them, and `images`: paths of image files,
relative to the catalogue file's directory (or absolute). JSON holds an array of products,
numbers exact (`19.99` stays 19.99), `variants` as in a JSON body. CSV has one product a row
under a header naming `FIELDS`, read as the multipart form is: `variants` is the form's JSON
text and `images` the paths joined by `|`. Export writes exactly what import reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import msgspec

from allora.domain.errors import InvalidInput
from allora.domain.products import Product, ProductFields
from allora.entrypoints.http.product_fields import changed_fields, form_fields
from allora.entrypoints.http.products_bodies import ProductForm, UpdateProductBody
from allora.entrypoints.http.strict_json import decode_strict

FIELDS = ("name", "price", "description", "category", "stock", "discount", "variants", "images")
IMAGE_SEPARATOR = "|"
FORMATS = ("json", "csv")
_ENCODER = msgspec.json.Encoder(decimal_format="number")


class ProductEntry(UpdateProductBody, forbid_unknown_fields=True):
    """One product of a JSON catalogue: the product's JSON fields and its image paths."""

    images: list[str] = []


@dataclass(frozen=True)
class Entry:
    """One product read from a file: its place (1 for the first), a name for the report, its
    fields (read when called, raising `InvalidInput` as a request would) and image paths."""

    row: int
    name: str
    fields: Callable[[], ProductFields]
    images: tuple[str, ...]


def format_of(path: Path, given: str | None) -> str:
    kind = given or path.suffix.lstrip(".").lower()
    if kind not in FORMATS:
        raise InvalidInput("give --format json or csv, or a file named .json or .csv")
    return kind


def exported(product: Product, images: Sequence[str]) -> dict[str, Any]:
    """A product as a file holds it, its images at the paths `images`."""
    variants = [
        {
            "colorName": v.details.color_name.value if v.details.color_name else None,
            "colorHex": v.details.color_hex,
            "size": v.details.size.value if v.details.size else None,
            "stock": v.details.stock,
            "price": v.details.price,
        }
        for v in product.variants
    ]
    return {**asdict(product.details), "variants": variants, "images": list(images)}


def write(path: Path, kind: str, products: Sequence[dict[str, Any]]) -> None:
    if kind == "json":
        path.write_bytes(msgspec.json.format(_ENCODER.encode(products), indent=2) + b"\n")
        return
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, FIELDS)
        writer.writeheader()
        for product in products:
            writer.writerow(
                {
                    **product,
                    "price": str(product["price"]),
                    "variants": _ENCODER.encode(product["variants"]).decode(),
                    "images": IMAGE_SEPARATOR.join(product["images"]),
                }
            )


def read(path: Path, kind: str) -> list[Entry]:
    """The file's products; `InvalidInput` when the file as a whole cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    return _json_entries(data) if kind == "json" else _csv_entries(data)


def _json_entries(data: bytes) -> list[Entry]:
    try:
        raws = msgspec.json.decode(data, type=list[msgspec.Raw])
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise InvalidInput("a JSON catalogue must be an array of products") from None
    return [_json_entry(row, bytes(raw)) for row, raw in enumerate(raws, 1)]


def _json_entry(row: int, raw: bytes) -> Entry:
    try:
        entry = decode_strict(raw, ProductEntry)
    except InvalidInput as error:
        return Entry(row, _name_in(raw), partial(_raise, error), ())
    name = entry.name if isinstance(entry.name, str) else ""
    return Entry(row, name, partial(changed_fields, entry), tuple(entry.images))


def _csv_entries(data: bytes) -> list[Entry]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("a CSV catalogue must be UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not set(FIELDS) <= set(reader.fieldnames or ()):
        raise InvalidInput(f"a CSV catalogue's header must name {', '.join(FIELDS)}")
    entries = []
    for row, cells in enumerate(reader, 1):
        form = ProductForm(
            name=cells["name"],
            price=cells["price"],
            description=cells["description"],
            category=cells["category"],
            stock=cells["stock"],
            discount=cells["discount"],
            variants=cells["variants"],
        )
        paths = tuple(p.strip() for p in (cells["images"] or "").split(IMAGE_SEPARATOR))
        name = cells["name"] or ""
        entries.append(Entry(row, name, partial(form_fields, form), tuple(p for p in paths if p)))
    return entries


def _name_in(raw: bytes) -> str:
    """The name of a product refused as a whole, to say which one it was."""
    named = msgspec.json.decode(raw)
    name = named.get("name") if isinstance(named, dict) else None
    return name if isinstance(name, str) else ""


def _raise(error: InvalidInput) -> ProductFields:
    raise error
