"""`allora demo-data`: a realistic demo catalogue, loaded in batches through `ImportCatalogue`.

Products get 1-3 of a pool of generated pictures (stored once through the `ImageStore`),
colour/size variants and accepted or pending comments. It tops the catalogue up to the asked
size, so running it again adds nothing.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw
from rich.progress import Progress

from allora.application.ports import IdGenerator
from allora.domain.comments import Comment, CommentDraft, CommentId, CommentStatus
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery
from allora.domain.products import (
    ColorName,
    Product,
    ProductDetails,
    ProductFields,
    ProductId,
    Size,
    Variant,
    VariantId,
    VariantInput,
    parse_variants,
)
from allora.domain.users import Operator
from allora.entrypoints.wiring import Container

MARKER = "(demo catalogue)"
BATCH = 500
PICTURES = 12
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
_REVIEWERS = ["ana", "ben", "chloe", "dev", "eli", "fatima", "gus"]
_HEX = {
    "black": "#000000",
    "white": "#ffffff",
    "blue": "#1e40af",
    "red": "#b91c1c",
    "green": "#15803d",
    "yellow": "#facc15",
}


def demo_image(rng: random.Random) -> tuple[bytes, str]:
    """A generated product picture: a vertical gradient with a ring."""
    top, bottom = (tuple(rng.randrange(256) for _ in range(3)) for _ in range(2))
    image = Image.new("RGB", (240, 240))
    draw = ImageDraw.Draw(image)
    for y in range(240):
        t = y / 239
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (239, y)], fill=colour)
    draw.ellipse([60, 60, 180, 180], outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    kind = rng.choice(["WEBP", "PNG"])
    image.save(buffer, kind)
    return buffer.getvalue(), kind.lower()


async def seed_demo_catalogue(container: Container, products: int, seed: int = 7) -> int:
    """Tops the demo catalogue up to `products` products; returns how many were added."""
    use_cases, ids, images = container.use_cases, container.ports.ids, container.ports.images
    existing = await use_cases.list_products(query=ProductQuery(text=MARKER), page=Page(limit=1))
    missing = max(0, products - existing.total)
    if missing == 0:
        return 0
    rng = random.Random(seed + existing.total)
    pictures = [await images.put(*demo_image(rng)) for _ in range(PICTURES)]
    start = datetime.now(UTC) - timedelta(seconds=missing)
    with Progress() as progress:
        task = progress.add_task("demo products", total=missing)
        for first in range(0, missing, BATCH):
            count = min(BATCH, missing - first)
            batch = [
                _entry(rng, ids, pictures, start + timedelta(seconds=first + i))
                for i in range(count)
            ]
            await use_cases.import_catalogue(actor=Operator(), batch=batch)
            progress.advance(task, count)
    return missing


def _entry(
    rng: random.Random, ids: IdGenerator, pictures: list[str], created: datetime
) -> tuple[Product, list[Comment]]:
    category = rng.choice(list(_CATEGORIES))
    name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_CATEGORIES[category])}"
    price = Decimal(f"{rng.randrange(9, 250)}.{rng.choice(['00', '50', '99'])}")
    colours = rng.sample(list(ColorName), k=rng.randint(1, 3))
    sizes = rng.sample(list(Size), k=rng.randint(1, 2))
    details = ProductDetails.parse(
        ProductFields(
            name=name,
            price=price,
            category=category,
            description=f"{name} in {', '.join(c.value for c in colours)}. {MARKER}",
            stock=rng.randrange(0, 200),
            discount=rng.choice([0, 0, 10, 20, 30]),
        )
    )
    variants = parse_variants(
        [
            VariantInput(color_name=c.value, color_hex=_HEX[c.value], size=s.value, stock=5)
            for c in colours
            for s in sizes
        ]
    )
    product = Product(
        id=ProductId(ids()),
        details=details,
        variants=tuple(Variant(VariantId(ids()), v) for v in variants),
        images=tuple(rng.sample(pictures, k=rng.randint(1, 3))),
        score=Decimal("0.00"),
        created_at=created,
        updated_at=created,
    )
    comments = []
    for _ in range(rng.randint(0, 4)):
        score, body = rng.choice(_REVIEWS)
        who = rng.choice(_REVIEWERS)
        comments.append(
            Comment(
                id=CommentId(ids()),
                product_id=product.id,
                author_id=None,
                draft=CommentDraft.parse(who, f"{who}@example.com", body, score),
                status=CommentStatus.ACCEPTED if rng.random() < 0.8 else CommentStatus.PENDING,
                created_at=created,
            )
        )
    return product, comments
