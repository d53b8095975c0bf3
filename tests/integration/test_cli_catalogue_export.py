"""`allora catalogue export`: every product with its variants and image files, JSON or CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.catalogue_helpers import create_product, image_file, png_file
from tests.integration.cli_helpers import ADMIN_EMAIL, Cli
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

SHIRT_VARIANTS = [
    {"colorName": "blue", "colorHex": "#0000ff", "size": "M", "stock": 3, "price": 21.5},
    {"colorName": "red", "colorHex": None, "size": None, "stock": None, "price": None},
]


async def two_products(cli: Cli) -> list[dict[str, Any]]:
    """An older shirt with two variants and two images, and a newer plain mug."""
    shirt = await create_product(
        cli.admin,
        [png_file(), image_file("JPEG", (1, 2, 3))],
        name="Linen shirt",
        price="19.99",
        variants=json.dumps(SHIRT_VARIANTS),
    )
    mug = await create_product(cli.admin, name="Tea mug", price="7", variants="[]", discount="")
    return [shirt, mug]


def image_bytes_of(shop: Shop, url: str) -> bytes:
    return (shop.settings.media_dir / url.rsplit("/", 1)[1]).read_bytes()


async def test_json_export_holds_every_field_and_image(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    shirt, mug = await two_products(cli)
    target = tmp_path / "out" / "catalogue.json"
    target.parent.mkdir()
    done = await cli.admin_run("catalogue", "export", str(target))
    assert done.code == 0, done.stderr
    assert done.stdout.startswith("exported 2 products to ")
    written = json.loads(target.read_text())
    assert [p["name"] for p in written] == ["Linen shirt", "Tea mug"]  # oldest first
    first = written[0]
    assert {k: first[k] for k in ("price", "description", "category", "stock", "discount")} == {
        k: shirt[k] for k in ("price", "description", "category", "stock", "discount")
    }
    assert '"price": 19.99,' in target.read_text()  # a number, exact
    assert first["variants"] == [
        {"colorName": "blue", "colorHex": "#0000ff", "size": "M", "stock": 3, "price": 21.5},
        {"colorName": "red", "colorHex": None, "size": None, "stock": None, "price": None},
    ]
    assert [(target.parent / p).read_bytes() for p in first["images"]] == [
        image_bytes_of(shop, url) for url in shirt["images"]
    ]
    assert all(p.startswith("catalogue-images/") for p in first["images"])
    assert (written[1]["price"], written[1]["discount"], written[1]["variants"]) == (7, 0, [])
    assert mug["name"] == "Tea mug"


async def test_csv_export_is_the_form_as_text(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    shirt, _ = await two_products(cli)
    target = tmp_path / "catalogue.csv"
    assert (await cli.admin_run("catalogue", "export", str(target), "--json")).json() == {
        "products": 2,
        "file": str(target),
        "images": str(tmp_path / "catalogue-images"),
    }
    with target.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["name"] for row in rows] == ["Linen shirt", "Tea mug"]
    assert (rows[0]["price"], rows[0]["stock"]) == ("19.99", str(shirt["stock"]))
    assert json.loads(rows[0]["variants"])[0]["price"] == 21.5
    paths = rows[0]["images"].split("|")
    assert [(tmp_path / p).read_bytes() for p in paths] == [
        image_bytes_of(shop, url) for url in shirt["images"]
    ]


async def test_a_user_acting_is_refused_and_nothing_is_written(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    await two_products(cli)
    out = tmp_path / "out"
    out.mkdir()
    refused = await cli.member_run("catalogue", "export", str(out / "catalogue.json"))
    assert refused.refused() == "error: Only an ADMIN may do this"
    assert list(out.iterdir()) == []
    unknown = await cli.admin_run("catalogue", "export", str(tmp_path / "catalogue.xml"))
    assert unknown.refused().startswith("error: give --format json or csv")


async def test_a_real_process_exports(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    await two_products(cli)
    target = tmp_path / "catalogue.csv"
    done = await cli.subprocess("catalogue", "export", str(target), "--as", ADMIN_EMAIL)
    assert done.code == 0, done.stderr
    assert len(target.read_text().splitlines()) == 3
