"""`allora demo-data`: a realistic demo catalogue, made through the same use cases as the API."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from uuid import UUID

from PIL import Image, ImageDraw
from rich.progress import Progress

from allora.application.create_product import Upload
from allora.domain.paging import Page
from allora.domain.products import ColorName, ProductQuery, Size
from allora.domain.users import Email, Phone, Profile, Role, User, UserId, UserName
from allora.entrypoints.container import Container

MARKER = "(demo catalogue)"
_CATEGORIES = {
    "tops": ["Linen Shirt", "Cotton Tee", "Wool Sweater", "Silk Blouse", "Hoodie"],
    "bottoms": ["Denim Jeans", "Chino Trousers", "Pleated Skirt", "Cargo Shorts"],
    "shoes": ["Leather Boots", "Canvas Sneakers", "Suede Loafers", "Running Shoes"],
    "accessories": ["Wool Scarf", "Leather Belt", "Canvas Tote", "Knit Beanie"],
}
_ADJECTIVES = ["Classic", "Everyday", "Organic", "Vintage", "Slim", "Relaxed", "Premium"]
_REVIEWS = [
    (5, "Excellent quality, fits perfectly."),
    (4, "Very nice, runs slightly large."),
    (3, "Decent for the price."),
    (5, "My new favourite, ordering another colour."),
    (2, "Colour was not as pictured."),
    (4, "Good fabric, quick delivery."),
]
_HEX = {
    "black": "#000000",
    "white": "#ffffff",
    "blue": "#1e40af",
    "red": "#b91c1c",
    "green": "#15803d",
    "yellow": "#facc15",
}

# The operator running the command acts as an ADMIN without an account of its own.
OPERATOR = User(
    id=UserId(UUID(int=0)),
    profile=Profile(
        UserName("operator"), Email("operator@localhost.localdomain"), Phone("0000000000")
    ),
    role=Role.ADMIN,
    password_hash="",
    created_at=datetime(2000, 1, 1, tzinfo=UTC),
)


def demo_image(rng: random.Random, label: str) -> bytes:
    """A small generated product picture: a gradient with a shape and the product's initials."""
    top, bottom = (tuple(rng.randrange(256) for _ in range(3)) for _ in range(2))
    image = Image.new("RGB", (240, 240))
    draw = ImageDraw.Draw(image)
    for y in range(240):
        t = y / 239
        draw.line(
            [(0, y), (239, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    draw.ellipse([60, 60, 180, 180], outline=(255, 255, 255), width=6)
    draw.text((100, 112), label[:2].upper(), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "WEBP" if rng.random() < 0.5 else "PNG")
    return buffer.getvalue()


async def seed_demo_catalogue(container: Container, products: int, seed: int = 7) -> int:
    """Tops the demo catalogue up to `products` products; returns how many were added."""
    existing = await container.list_products(ProductQuery(text=MARKER), Page(limit=1))
    missing = max(0, products - existing.total)
    rng = random.Random(seed + existing.total)
    with Progress() as progress:
        task = progress.add_task("demo products", total=missing)
        for _ in range(missing):
            await _add_one(container, rng)
            progress.advance(task)
    return missing


async def _add_one(container: Container, rng: random.Random) -> None:
    category = rng.choice(list(_CATEGORIES))
    name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_CATEGORIES[category])}"
    price = f"{rng.randrange(9, 250)}.{rng.choice(['00', '50', '99'])}"
    colours = rng.sample(list(ColorName), k=rng.randint(1, 3))
    sizes = rng.sample(list(Size), k=rng.randint(1, 3))
    variants = [
        {
            "colorName": c.value,
            "colorHex": _HEX[c.value],
            "size": s.value,
            "stock": rng.randrange(0, 40),
            "price": price,
        }
        for c in colours
        for s in sizes
    ]
    fields = {
        "name": name,
        "price": price,
        "category": category,
        "description": f"{name} in {', '.join(c.value for c in colours)}. {MARKER}",
        "stock": str(rng.randrange(0, 200)),
        "discount": str(rng.choice([0, 0, 10, 20, 30])),
    }
    images = [Upload(demo_image(rng, name)) for _ in range(rng.randint(1, 3))]
    product = await container.create_product(OPERATOR, fields, variants, images)
    for _ in range(rng.randint(0, 4)):
        score, body = rng.choice(_REVIEWS)
        who = rng.choice(["ana", "ben", "chloe", "dev", "eli", "fatima", "gus"])
        comment = await container.add_comment(
            None, who, f"{who}@example.com", body, score, str(product.id)
        )
        if rng.random() < 0.8:
            await container.approve_comment(OPERATOR, str(comment.id))
