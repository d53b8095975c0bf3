"""`allora catalogue import`: products from a JSON or CSV file, each all or nothing, the rows
refused reported with why; an export imported again gives the same products (round trip)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.catalogue_helpers import (
    PRODUCTS,
    image_bytes,
    media_files,
    offers,
    png_bytes,
)
from tests.integration.cli_helpers import ADMIN_EMAIL, Cli
from tests.integration.conftest import Shop
from tests.integration.test_cli_catalogue_export import image_bytes_of, two_products

pytestmark = pytest.mark.anyio

CONTENT = ("name", "price", "description", "category", "stock", "discount")


async def products(cli: Cli) -> list[dict[str, Any]]:
    response = await cli.admin.get(PRODUCTS, params={"limit": 200})
    assert response.status_code == 200, response.text
    return list(response.json())


def content(shop: Shop, product: dict[str, Any]) -> dict[str, Any]:
    """What a product is, ids and times aside: fields, variants and image bytes."""
    return {
        **{key: product[key] for key in CONTENT},
        "variants": offers(product["variants"]),
        "images": [image_bytes_of(shop, url) for url in product["images"]],
    }


def good(name: str, images: list[str], **overrides: object) -> dict[str, object]:
    product: dict[str, object] = {
        "name": name,
        "price": 12.5,
        "description": "A product imported from a file.",
        "category": "imports",
        "stock": 4,
        "discount": 0,
        "variants": [{"colorName": "green", "colorHex": "#00ff00", "size": "L", "stock": 2}],
        "images": images,
    }
    product.update(overrides)
    return product


@pytest.mark.parametrize("kind", ["json", "csv"])
async def test_an_export_imported_again_gives_the_same_products(
    shop: Shop, tmp_path: Path, kind: str
) -> None:
    cli = await Cli.on(shop)
    originals = await two_products(cli)
    target = tmp_path / "out" / f"catalogue.{kind}"
    target.parent.mkdir()
    assert (await cli.admin_run("catalogue", "export", str(target))).code == 0
    done = await cli.admin_run("catalogue", "import", str(target), "--json")
    report = done.json()
    assert report["refused"] == []
    assert len(report["created"]) == 2
    by_id = {p["id"]: p for p in await products(cli)}
    imported = [content(shop, by_id[i]) for i in report["created"]]
    assert imported == [content(shop, p) for p in originals]
    again = tmp_path / "out" / f"again.{kind}"
    assert (await cli.admin_run("catalogue", "export", str(again))).code == 0
    first, second = file_content(target, kind), file_content(again, kind)
    assert second == first + first  # the originals, then their imported copies


def file_content(path: Path, kind: str) -> list[dict[str, Any]]:
    """A catalogue file's products, each image path replaced by the file's bytes."""
    if kind == "json":
        rows = json.loads(path.read_text())
    else:
        with path.open(newline="") as file:
            rows = list(csv.DictReader(file))
        for row in rows:
            row["images"] = row["images"].split("|")
    for row in rows:
        row["images"] = [(path.parent / image).read_bytes() for image in row["images"]]
    return list(rows)


async def test_refused_rows_are_reported_and_each_product_is_all_or_nothing(
    shop: Shop, tmp_path: Path
) -> None:
    cli = await Cli.on(shop)
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(png_bytes())
    (tmp_path / "pics" / "b.gif").write_bytes(image_bytes("GIF"))
    (tmp_path / "pics" / "fake.png").write_bytes(b"not an image at all")
    catalogue = [
        good("Good one", ["pics/a.png", str(tmp_path / "pics" / "b.gif")]),
        good("Bad price", ["pics/a.png"], price="cheap"),
        good("Lost image", ["pics/a.png", "pics/missing.png"]),
        good("Second image fake", ["pics/a.png", "pics/fake.png"]),
        good("Bad variant", ["pics/a.png"], variants=[{"colorName": "mauve", "stock": -1}]),
        good("x", ["pics/a.png"], stock=-3),
        {"name": "Unknown field", "colour": "red"},
        good("Good two", ["pics/b.gif"]),
    ]
    source = tmp_path / "catalogue.json"
    source.write_text(json.dumps(catalogue))
    before = set(media_files(shop))
    done = await cli.admin_run("catalogue", "import", str(source))
    assert done.code == 1
    assert done.stdout.splitlines() == [f"imported 2 of 8 products from {source}"]
    refused = done.stderr.splitlines()[-6:]
    assert [line.split(":")[0] for line in refused] == [
        "refused row 2 (Bad price)",
        "refused row 3 (Lost image)",
        "refused row 4 (Second image fake)",
        "refused row 5 (Bad variant)",
        "refused row 6 (x)",
        "refused row 7 (Unknown field)",
    ]
    assert "cannot read pics/missing.png" in refused[1]
    assert "colour" in refused[5]
    listed = await products(cli)
    assert sorted(p["name"] for p in listed) == ["Good one", "Good two"]
    assert len(set(media_files(shop)) - before) == 3  # the refused left no file behind


async def test_csv_rows_are_read_as_the_form_is(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    (tmp_path / "a.png").write_bytes(png_bytes())
    variants = json.dumps([{"colorName": "blue", "size": "S", "stock": 1, "price": 9.99}])
    header = "name,price,description,category,stock,discount,variants,images\n"
    rows = [
        f'Scarf, 12.50 ,A warm scarf.,winter,3,,"{variants.replace(chr(34), chr(34) * 2)}",a.png\n',
        "Gloves,ten,Warm gloves.,winter,3,0,[],a.png\n",
        "Hat,5,A hat.,winter,3,0,,\n",
    ]
    source = tmp_path / "catalogue.csv"
    source.write_text(header + "".join(rows))
    done = await cli.admin_run("catalogue", "import", str(source))
    assert done.code == 1
    assert done.stderr.splitlines()[-2].startswith("refused row 2 (Gloves): price must be")
    assert done.stderr.splitlines()[-1].startswith("refused row 3 (Hat): ")
    [scarf] = await products(cli)
    assert (scarf["name"], scarf["price"], scarf["discount"]) == ("Scarf", 12.5, 0)
    assert offers(scarf["variants"])[0]["price"] == 9.99


async def test_a_user_acting_is_refused_and_nothing_is_created(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    (tmp_path / "a.png").write_bytes(png_bytes())
    source = tmp_path / "catalogue.json"
    source.write_text(json.dumps([good("One", ["a.png"]), good("Two", ["a.png"])]))
    before = set(media_files(shop))
    refused = await cli.member_run("catalogue", "import", str(source))
    assert refused.refused() == "error: Only an ADMIN may do this"
    assert await products(cli) == []
    assert set(media_files(shop)) == before


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("catalogue.json", '{"name": "not an array"}', "a JSON catalogue must be an array"),
        ("catalogue.json", "[{", "a JSON catalogue must be an array"),
        ("catalogue.csv", "name,price\nA,1\n", "a CSV catalogue's header must name"),
        ("catalogue.txt", "[]", "give --format json or csv"),
    ],
)
async def test_an_unreadable_file_is_one_line(
    shop: Shop, tmp_path: Path, name: str, text: str, message: str
) -> None:
    cli = await Cli.on(shop)
    source = tmp_path / name
    source.write_text(text)
    assert (
        (await cli.admin_run("catalogue", "import", str(source)))
        .refused()
        .startswith(f"error: {message}")
    )
    missing = await cli.admin_run("catalogue", "import", str(tmp_path / "none.json"))
    assert missing.refused().startswith("error: cannot read")


async def test_a_real_process_imports(shop: Shop, tmp_path: Path) -> None:
    cli = await Cli.on(shop)
    (tmp_path / "a.png").write_bytes(png_bytes())
    source = tmp_path / "catalogue.json"
    source.write_text(json.dumps([good("One", ["a.png"])]))
    done = await cli.subprocess("catalogue", "import", str(source), "--as", ADMIN_EMAIL)
    assert done.code == 0, done.stderr
    assert [p["name"] for p in await products(cli)] == ["One"]
