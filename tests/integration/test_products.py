"""Products and their images (contract section "Products"), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.integration.catalogue_helpers import (
    COMMENT_KEYS,
    PRODUCT_KEYS,
    PRODUCTS,
    REJECT,
    VARIANT_KEYS,
    ImageFile,
    accepted_comment,
    add_comment,
    assert_error,
    assert_nothing_created,
    create_product,
    get_product,
    image_file,
    list_products,
    media_files,
    moderate,
    offers,
    png_bytes,
    png_file,
    post_product,
    product_form,
    product_total,
)
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp|gif)")
MIB = 1024 * 1024


# --- helpers ---------------------------------------------------------------------------------


def assert_utc_timestamp(value: object) -> None:
    assert isinstance(value, str), value
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() == timedelta(0), value


def big_png(width: int, height: int) -> bytes:
    """An uncompressed PNG of about width * height * 3 bytes."""
    buffer = BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def raw_multipart(
    form: dict[str, str], files: list[tuple[bytes, bytes]]
) -> tuple[bytes, dict[str, str]]:
    """A multipart body written by hand, so file names reach the server byte for byte (httpx
    escapes some) and a form without files is still multipart (httpx would urlencode it)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in form.items()
    ]
    parts.extend(
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="img"; filename="'
        + file_name
        + b'"\r\nContent-Type: image/png\r\n\r\n'
        + data
        + b"\r\n"
        for file_name, data in files
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def tree(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


async def names(client: httpx.AsyncClient, **params: str | int) -> list[str]:
    """Product names of one listing page, in order."""
    products, _ = await list_products(client, **params)
    return [product["name"] for product in products]


# --- POST /api/products/ ---------------------------------------------------------------------


async def test_admin_creates_a_product_in_the_contract_shape(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    response = await post_product(admin)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"message", "data"}
    assert isinstance(body["message"], str)
    assert body["message"]
    product = body["data"]
    assert set(product) == PRODUCT_KEYS
    assert isinstance(product["id"], str)
    assert product["name"] == "Linen shirt"
    assert product["price"] == 19.99
    assert isinstance(product["price"], float | int)
    assert product["description"] == "A light shirt for warm summer days."
    assert product["category"] == "shirts"
    assert product["stock"] == 12
    assert product["discount"] == 10
    assert product["score"] == 0
    assert offers(product["variants"]) == [
        {"color": {"name": "blue", "hex": "#0000ff"}, "size": "M", "stock": 3, "price": 21.5}
    ]
    assert len(product["images"]) == 1
    assert_utc_timestamp(product["created_at"])
    assert_utc_timestamp(product["updated_at"])
    assert await get_product(admin, product["id"]) == {**product, "comments": []}


async def test_variants_keep_the_contract_shape_and_empty_entries_are_dropped(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    variants = [
        {"colorName": "red", "colorHex": "#f00", "size": "XS", "stock": 0, "price": 0},
        {"colorName": "", "colorHex": "", "size": "", "stock": None, "price": None},
        {},
        {"size": "XXL"},
        {"colorHex": "#00ff00", "price": 25.99},
    ]
    product = await create_product(admin, variants=json.dumps(variants))
    assert offers(product["variants"]) == [
        {"color": {"name": "red", "hex": "#f00"}, "size": "XS", "stock": 0, "price": 0},
        {"color": {"name": None, "hex": None}, "size": "XXL", "stock": None, "price": None},
        {"color": {"name": None, "hex": "#00ff00"}, "size": None, "stock": None, "price": 25.99},
    ]
    for variant in product["variants"]:
        assert set(variant) == VARIANT_KEYS
        assert set(variant["color"]) == {"name", "hex"}
    assert (await get_product(admin, product["id"]))["variants"] == product["variants"]


async def test_each_uploaded_image_is_served_back_with_its_type_and_bytes(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    uploads = [image_file(kind) for kind in ("PNG", "JPEG", "WEBP", "GIF")]
    product = await create_product(admin, images=uploads)
    assert len(product["images"]) == 4
    visitor = await shop.client()
    for url, (_, data, content_type) in zip(product["images"], uploads, strict=True):
        response = await visitor.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].split(";")[0] == content_type
        assert response.content == data
    stored = media_files(shop)
    assert len(stored) == 4
    assert all(STORED_NAME.fullmatch(path.name) for path in stored), stored


async def test_image_type_is_decided_by_content_not_by_file_name(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    jpeg = image_file("JPEG")[1]
    product = await create_product(admin, images=[("photo.png", jpeg, "image/png")])
    response = await admin.get(product["images"][0])
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "image/jpeg"
    assert response.content == jpeg


async def test_only_an_admin_can_create_a_product(shop: Shop) -> None:
    await shop.signed_up("admin")
    user = await shop.signed_up("bob")
    visitor = await shop.client()
    assert_error(await post_product(visitor), 401)
    await assert_nothing_created(shop, visitor)
    assert_error(await post_product(user), 403)
    await assert_nothing_created(shop, user)


INVALID_FIELDS: list[tuple[str, dict[str, str]]] = [
    ("name too short", {"name": "ab"}),
    ("name blank", {"name": "   "}),
    ("price zero", {"price": "0"}),
    ("price negative", {"price": "-1"}),
    ("price with 3 decimals", {"price": "19.999"}),
    ("price not a number", {"price": "abc"}),
    ("description too short", {"description": "too short"}),
    ("category empty", {"category": ""}),
    ("stock negative", {"stock": "-1"}),
    ("stock not whole", {"stock": "1.5"}),
    ("stock not a number", {"stock": "many"}),
    ("discount over 100", {"discount": "101"}),
    ("discount negative", {"discount": "-1"}),
    ("variants not JSON", {"variants": "[{colorName: red"}),
    ("variants not a list", {"variants": '{"colorName": "red"}'}),
    ("variant colour name", {"variants": '[{"colorName": "purple"}]'}),
    ("variant colour hex", {"variants": '[{"colorHex": "#12"}]'}),
    ("variant size", {"variants": '[{"size": "XXXL"}]'}),
    ("variant stock negative", {"variants": '[{"stock": -1}]'}),
    ("variant price negative", {"variants": '[{"price": -1}]'}),
]


async def test_create_rejects_each_invalid_field_and_stores_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    wrong: list[str] = []
    for case, overrides in INVALID_FIELDS:
        response = await post_product(admin, product_form(**overrides))
        if response.status_code != 400 or "message" not in response.json():
            wrong.append(f"{case}: {response.status_code} {response.text}")
        if await product_total(admin) != 0 or media_files(shop):
            wrong.append(f"{case}: left a product or an image file behind")
    assert wrong == []


async def test_create_rejects_missing_fields(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for field in ("name", "price", "description", "category", "stock"):
        form = product_form()
        del form[field]
        assert_error(await post_product(admin, form), 400)
        await assert_nothing_created(shop, admin)


async def test_create_rejects_bad_images_and_leaves_no_file(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    whole = png_bytes()
    for case, files in (("no img part", []), ("an empty img part", [(b"", b"")])):
        body, headers = raw_multipart(product_form(), files)
        response = await admin.post(PRODUCTS, content=body, headers=headers)
        assert response.status_code == 400, f"{case}: {response.text}"
        await assert_nothing_created(shop, admin)
    cases: list[tuple[str, list[ImageFile]]] = [
        ("a text file named .png", [png_file("notes.png", b"just some text, not an image")]),
        ("a truncated PNG", [png_file("cut.png", whole[: len(whole) // 2])]),
        ("a good image then a bad one", [png_file(), png_file("bad.png", b"GIF89a nope")]),
    ]
    for case, images in cases:
        response = await post_product(admin, images=images)
        assert response.status_code == 400, f"{case}: {response.text}"
        await assert_nothing_created(shop, admin)


async def test_more_than_ten_images_are_refused(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    response = await post_product(admin, images=[png_file(f"p{i}.png") for i in range(11)])
    assert response.status_code in {400, 413}, response.text
    await assert_nothing_created(shop, admin)
    product = await create_product(admin, images=[png_file(f"p{i}.png") for i in range(10)])
    assert len(product["images"]) == 10


async def test_images_over_5_mib_are_413_and_up_to_5_mib_are_accepted(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    too_big = big_png(1400, 1300)
    assert 5 * MIB < len(too_big) < 6 * MIB
    assert_error(await post_product(admin, images=[png_file("huge.png", too_big)]), 413)
    await assert_nothing_created(shop, admin)
    just_fits = big_png(1300, 1300)
    assert 4 * MIB < len(just_fits) <= 5 * MIB
    product = await create_product(admin, images=[png_file("big.png", just_fits)])
    assert (await admin.get(product["images"][0])).content == just_fits


HOSTILE_NAMES = [
    b"../../etc/passwd.png",
    b"a/b.png",
    b"/tmp/absolute.png",
    b"..",
    b"..png",
    b"..\\..\\windows.png",
    b"evil\x00.png",
    b"%2e%2e%2fescaped.png",
]


async def test_hostile_file_names_never_reach_a_path(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    var_dir = shop.settings.var_dir
    before = tree(var_dir)
    data = png_bytes()
    for file_name in HOSTILE_NAMES:
        body, headers = raw_multipart(product_form(), [(file_name, data)])
        response = await admin.post(PRODUCTS, content=body, headers=headers)
        assert response.status_code == 201, f"{file_name!r}: {response.text}"
        [url] = response.json()["data"]["images"]
        assert STORED_NAME.fullmatch(url.rsplit("/", 1)[-1]), url
        assert (await admin.get(url)).content == data
    new_files = tree(var_dir) - before
    assert len(new_files) == len(HOSTILE_NAMES)
    for path in new_files:
        assert path.parent == shop.settings.media_dir, path
        assert STORED_NAME.fullmatch(path.name), path
    media = shop.settings.media_dir
    for escaped in ("../../etc/passwd.png", "../etc/passwd.png", "a/b.png", "a"):
        assert not (media / escaped).exists(), escaped


# --- GET /api/products/ ----------------------------------------------------------------------


async def test_listing_pages_with_limit_offset_and_total(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for i in range(5):
        await create_product(admin, name=f"Product {i}")
    visitor = await shop.client()
    everything, total = await list_products(visitor)
    assert total == 5
    assert [p["name"] for p in everything] == [f"Product {i}" for i in reversed(range(5))]
    assert all(set(product) == PRODUCT_KEYS for product in everything)
    pages = []
    for offset in (0, 2, 4):
        page, total = await list_products(visitor, limit=2, offset=offset)
        assert total == 5
        pages.extend(page)
    assert [p["id"] for p in pages] == [p["id"] for p in everything]
    assert await list_products(visitor, limit=2, offset=5) == ([], 5)
    assert len((await list_products(visitor, limit=1))[0]) == 1
    assert len((await list_products(visitor, limit=200))[0]) == 5


BAD_QUERIES: list[dict[str, str]] = [
    {"limit": "0"},
    {"limit": "201"},
    {"limit": "-1"},
    {"limit": "ten"},
    {"offset": "-1"},
    {"offset": "first"},
    {"min_price": "abc"},
    {"max_price": "abc"},
    {"min_price": "-1"},
    {"max_price": "-5"},
    {"min_price": "NaN"},
    {"max_price": "Infinity"},
    {"sort": "cheapest"},
    {"sort": "-score"},
    {"sort": "PRICE"},
    {"sort": "name"},
]


async def test_listing_rejects_a_bad_query(shop: Shop) -> None:
    visitor = await shop.client()
    wrong = []
    for params in BAD_QUERIES:
        response = await visitor.get(PRODUCTS, params=params)
        if response.status_code != 400 or "message" not in response.json():
            wrong.append(f"{params}: {response.status_code} {response.text}")
    assert wrong == []


async def test_listing_filters_by_category(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await create_product(admin, name="Linen shirt", category="shirts")
    await create_product(admin, name="Trail shoes", category="shoes")
    await create_product(admin, name="Oxford shirt", category="shirts")
    products, total = await list_products(admin, category="shirts")
    assert total == 2
    assert [p["name"] for p in products] == ["Oxford shirt", "Linen shirt"]
    assert await list_products(admin, category="hats") == ([], 0)


async def test_text_search_matches_name_or_description_case_insensitively(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await create_product(admin, name="Rain jacket", description="Waterproof shell for walks.")
    await create_product(admin, name="Summer tee", description="Soft cotton for hot days.")
    assert await names(admin, q="JACKET") == ["Rain jacket"]
    assert await names(admin, q="wAtErPrOoF") == ["Rain jacket"]
    assert await names(admin, q="cotton") == ["Summer tee"]
    assert await names(admin, q="o") == ["Summer tee", "Rain jacket"]
    assert await list_products(admin, q="velvet") == ([], 0)


async def test_text_search_ignores_the_case_of_accented_letters(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await create_product(admin, name="Crème mug", description="Hand made ceramic mug.")
    await create_product(admin, name="Summer tee", description="Collezione ÉTÉ in cotone.")
    assert await names(admin, q="CRÈME") == ["Crème mug"]
    assert await names(admin, q="crème") == ["Crème mug"]
    assert await names(admin, q="été") == ["Summer tee"]


async def test_text_search_treats_percent_and_underscore_literally(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await create_product(admin, name="Organic tee", description="Made of 100% organic cotton.")
    await create_product(admin, name="Sock_pack", description="Three pairs of warm socks.")
    await create_product(admin, name="Linen shirt", description="Light and airy for summer.")
    assert await names(admin, q="%") == ["Organic tee"]
    assert await names(admin, q="100%") == ["Organic tee"]
    assert await names(admin, q="_") == ["Sock_pack"]
    assert await names(admin, q="%shirt") == []
    assert await names(admin, q="l_nen") == []
    assert await names(admin, q="sock_") == ["Sock_pack"]


async def test_listing_filters_by_price_range(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for name, price in (("Cheap", "5"), ("Middle", "19.99"), ("Upper", "20.5"), ("Dear", "100")):
        await create_product(admin, name=name, price=price)
    assert await names(admin, min_price="10", sort="price") == ["Middle", "Upper", "Dear"]
    assert await names(admin, max_price="50", sort="price") == ["Cheap", "Middle", "Upper"]
    assert await names(admin, min_price="10", max_price="50", sort="price") == ["Middle", "Upper"]
    assert (await list_products(admin, min_price="10.5", max_price="50.25"))[1] == 2
    assert await names(admin, min_price="19.99", max_price="20.50", sort="price") == [
        "Middle",
        "Upper",
    ]


async def test_listing_sorts_newest_first_and_by_price(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for name, price in (("First", "30"), ("Second", "5"), ("Third", "12.5")):
        await create_product(admin, name=name, price=price)
    newest = ["Third", "Second", "First"]
    assert await names(admin) == newest
    assert await names(admin, sort="newest") == newest
    assert await names(admin, sort="price") == ["Second", "Third", "First"]
    assert await names(admin, sort="-price") == ["First", "Third", "Second"]
    prices, _ = await list_products(admin, sort="price")
    assert [p["price"] for p in prices] == [5, 12.5, 30]


async def test_listing_sorts_by_score_best_first(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    scores: dict[str, list[int]] = {"Unrated": [], "Good": [4, 5], "Poor": [2], "Best": [5, 5]}
    for name, given in scores.items():
        product = await create_product(admin, name=name)
        for score in given:
            await accepted_comment(visitor, admin, product["id"], score)
    products, _ = await list_products(visitor, sort="score")
    assert [(p["name"], p["score"]) for p in products] == [
        ("Best", 5),
        ("Good", 4.5),
        ("Poor", 2),
        ("Unrated", 0),
    ]


# --- GET /api/products/{id}/ -----------------------------------------------------------------


async def test_product_page_shows_only_accepted_comments_without_email(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    product = await create_product(admin)
    accepted = await accepted_comment(visitor, admin, product["id"], 5)
    await add_comment(visitor, product["id"], 1, body="Still waiting for moderation.")
    rejected = await add_comment(visitor, product["id"], 2, body="Rejected by the admin.")
    await moderate(admin, REJECT, rejected["id"])
    page = await get_product(visitor, product["id"])
    assert set(page) == PRODUCT_KEYS | {"comments"}
    [comment] = page["comments"]
    assert set(comment) == COMMENT_KEYS
    assert comment["id"] == accepted["id"]
    assert comment["isAccept"] is True
    assert "email" not in json.dumps(page)
    assert page["score"] == 5


async def test_unknown_or_malformed_product_id_is_404(shop: Shop) -> None:
    visitor = await shop.client()
    for product_id in (str(uuid.uuid4()), "not-a-uuid", "12345"):
        assert_error(await visitor.get(f"{PRODUCTS}{product_id}/"), 404)


# --- PUT / PATCH /api/products/{id}/ ---------------------------------------------------------


UPDATES: dict[str, dict[str, object]] = {
    "PUT": {"name": "Linen shirt II", "price": 25.5, "stock": 0, "discount": 0},
    "PATCH": {"description": "Now in a heavier linen.", "category": "summer", "price": 30},
}


async def test_update_changes_the_given_fields_only(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for method, changes in UPDATES.items():
        product = await create_product(admin)
        response = await admin.request(method, f"{PRODUCTS}{product['id']}/", json=changes)
        assert response.status_code == 200, f"{method}: {response.text}"
        updated = response.json()
        assert set(updated) == PRODUCT_KEYS
        assert {key: updated[key] for key in changes} == changes
        untouched = PRODUCT_KEYS - set(changes) - {"updated_at"}
        assert {key: updated[key] for key in untouched} == {key: product[key] for key in untouched}
        assert updated["updated_at"] >= product["updated_at"]
        assert await get_product(admin, product["id"]) == {**updated, "comments": []}


async def test_update_replaces_the_variants(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    variants = [{"colorName": "black", "size": "L", "stock": 2}, {}]
    response = await admin.patch(f"{PRODUCTS}{product['id']}/", json={"variants": variants})
    assert response.status_code == 200, response.text
    assert offers(response.json()["variants"]) == [
        {"color": {"name": "black", "hex": None}, "size": "L", "stock": 2, "price": None}
    ]
    assert response.json()["name"] == product["name"]
    replaced = {variant["id"] for variant in response.json()["variants"]}
    assert not replaced & {variant["id"] for variant in product["variants"]}


async def test_variants_keep_their_ids_when_an_update_leaves_them_alone(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    response = await admin.patch(f"{PRODUCTS}{product['id']}/", json={"price": 31})
    assert response.status_code == 200, response.text
    assert response.json()["variants"] == product["variants"]
    assert offers(product["variants"])  # the helper's product has variants to keep


INVALID_CHANGES: list[tuple[str, object]] = [
    ("price as a string", {"price": "25"}),
    ("price zero", {"price": 0}),
    ("price negative", {"price": -1}),
    ("price with 3 decimals", {"price": 19.999}),
    ("name too short", {"name": "ab"}),
    ("name null", {"name": None}),
    ("name a number", {"name": 12345}),
    ("description too short", {"description": "short"}),
    ("category empty", {"category": ""}),
    ("stock negative", {"stock": -1}),
    ("stock not whole", {"stock": 1.5}),
    ("stock a whole float", {"stock": 3.0}),
    ("stock as a string", {"stock": "3"}),
    ("discount over 100", {"discount": 101}),
    ("discount true", {"discount": True}),
    ("variants a string", {"variants": "[]"}),
    ("variant size", {"variants": [{"size": "XXXL"}]}),
    ("variant colour name", {"variants": [{"colorName": "purple"}]}),
    ("variant colour hex", {"variants": [{"colorHex": "#12"}]}),
    ("variant stock negative", {"variants": [{"stock": -1}]}),
    ("unknown field", {"colour": "red"}),
    ("a valid field with an invalid one", {"name": "Quite valid", "price": 0}),
    ("not an object", ["name", "Quite valid"]),
]


async def test_update_rejects_invalid_values_and_changes_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    path = f"{PRODUCTS}{product['id']}/"
    before = await get_product(admin, product["id"])
    wrong: list[str] = []
    for method in ("PUT", "PATCH"):
        for case, body in INVALID_CHANGES:
            response = await admin.request(method, path, json=body)
            if response.status_code != 400 or "message" not in response.json():
                wrong.append(f"{method} {case}: {response.status_code} {response.text}")
        malformed = await admin.request(
            method, path, content=b'{"name": ', headers={"Content-Type": "application/json"}
        )
        if malformed.status_code != 400:
            wrong.append(f"{method} malformed JSON: {malformed.status_code} {malformed.text}")
    assert wrong == []
    assert await get_product(admin, product["id"]) == before


async def test_update_body_over_1_mib_is_413_and_changes_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    huge = {"description": "y" * (1024 * 1024 + 1)}
    assert_error(await admin.patch(f"{PRODUCTS}{product['id']}/", json=huge), 413)
    assert (await get_product(admin, product["id"]))["description"] == product["description"]


async def test_update_needs_an_admin_and_a_known_product(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    user = await shop.signed_up("bob")
    visitor = await shop.client()
    product = await create_product(admin)
    path = f"{PRODUCTS}{product['id']}/"
    for method in ("PUT", "PATCH"):
        assert_error(await visitor.request(method, path, json={"name": "Hacked"}), 401)
        assert_error(await user.request(method, path, json={"name": "Hacked"}), 403)
        for unknown in (str(uuid.uuid4()), "not-a-uuid"):
            response = await admin.request(method, f"{PRODUCTS}{unknown}/", json={"name": "Nope"})
            assert_error(response, 404)
    assert await get_product(admin, product["id"]) == {**product, "comments": []}


# --- DELETE /api/products/{id}/ --------------------------------------------------------------


async def test_delete_removes_the_product_its_images_and_comments(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    kept = await create_product(admin, name="Kept product")
    product = await create_product(admin, images=[image_file("PNG"), image_file("GIF")])
    await accepted_comment(visitor, admin, product["id"], 4)
    assert len(media_files(shop)) == 3
    response = await admin.delete(f"{PRODUCTS}{product['id']}/")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"message"}
    assert_error(await visitor.get(f"{PRODUCTS}{product['id']}/"), 404)
    for url in product["images"]:
        assert_error(await visitor.get(url), 404)
    assert [path.name for path in media_files(shop)] == [kept["images"][0].rsplit("/", 1)[-1]]
    assert (await visitor.get(kept["images"][0])).status_code == 200
    comments = await visitor.get("/api/comments/", params={"productID": product["id"]})
    assert comments.json() == []
    assert await names(visitor) == ["Kept product"]


async def test_delete_needs_an_admin_and_a_known_product(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    user = await shop.signed_up("bob")
    visitor = await shop.client()
    product = await create_product(admin)
    path = f"{PRODUCTS}{product['id']}/"
    assert_error(await visitor.delete(path), 401)
    assert_error(await user.delete(path), 403)
    for unknown in (str(uuid.uuid4()), "not-a-uuid"):
        assert_error(await admin.delete(f"{PRODUCTS}{unknown}/"), 404)
    await get_product(visitor, product["id"])
    assert (await visitor.get(product["images"][0])).status_code == 200
    assert (await admin.delete(path)).status_code == 200
    assert_error(await admin.delete(path), 404)


# --- /media ----------------------------------------------------------------------------------


async def test_media_serves_stored_images_and_nothing_else(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    stored = product["images"][0].rsplit("/", 1)[-1]
    var_dir = shop.settings.var_dir
    secret = b"SENTINEL-must-never-be-served"
    (var_dir / "secret_key").write_bytes(secret)
    (var_dir / "allora.db").write_bytes(secret)
    shop.settings.media_dir.joinpath("notes.txt").write_bytes(secret)
    probes = [
        f"/media/{uuid.uuid4().hex}.png",
        "/media/nothing",
        "/media/notes.txt",
        "/media/secret_key",
        "/media/..%2f..%2fallora.db",
        "/media/..%2fallora.db",
        "/media/%2e%2e/secret_key",
        "/media/%2e%2e%2fsecret_key",
        "/media/%2E%2E%2Fsecret_key",
        "/media/..%5csecret_key",
        f"/media/{stored}%2f..%2f..%2fsecret_key",
        f"/media/{stored}/../../secret_key",
        "/media/%2fetc%2fpasswd",
        f"/media/{var_dir}/secret_key",
    ]
    visitor = await shop.client()
    for probe in probes:
        response = await visitor.get(probe)
        assert response.status_code == 404, f"{probe}: {response.status_code}"
        assert secret not in response.content, probe
        assert b"root:" not in response.content, probe


# --- trailing slashes ------------------------------------------------------------------------


async def test_every_product_route_answers_with_and_without_trailing_slash(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    created = await post_product(admin, path="/api/products")
    assert created.status_code == 201, created.text
    product: dict[str, Any] = created.json()["data"]
    other = await create_product(admin, name="Another one")
    bare, slashed = f"/api/products/{product['id']}", f"/api/products/{product['id']}/"
    for path in ("/api/products", "/api/products/", bare, slashed):
        assert (await admin.get(path)).status_code == 200, path
    for path in (bare, slashed):
        for method in ("PUT", "PATCH"):
            response = await admin.request(method, path, json={"stock": 7})
            assert response.status_code == 200, f"{method} {path}: {response.status_code}"
    assert (await admin.get(f"{product['images'][0]}/")).status_code == 200
    assert (await admin.delete(bare)).status_code == 200
    assert (await admin.delete(f"/api/products/{other['id']}/")).status_code == 200
    assert await product_total(admin) == 0
