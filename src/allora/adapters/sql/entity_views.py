"""The public catalogue's reads encoded in Python from the repositories' entities: SQLite's
path (the embedded default, where nothing has to be fast), and the same bytes PostgreSQL's
one-statement path writes (`catalogue_views`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from allora.adapters.sql.comments import SqlCommentRepository
from allora.adapters.sql.products import SqlProductRepository
from allora.application.ports import EncodedPage
from allora.domain.comments import Comment, CommentStatus
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery
from allora.domain.products import Product, ProductId, Variant


class _Color(msgspec.Struct):
    name: str | None
    hex: str | None


class _Variant(msgspec.Struct):
    id: UUID
    color: _Color
    size: str | None
    stock: int | None
    price: float | None


class _Comment(msgspec.Struct):
    id: UUID
    username: str
    body: str
    score: int
    isAccept: bool
    product: UUID
    created_at: datetime


class _Product(msgspec.Struct):
    id: UUID
    name: str
    price: float
    description: str
    category: str
    stock: int
    discount: int
    score: float
    images: list[str]
    variants: list[_Variant]
    created_at: datetime
    updated_at: datetime
    comments: list[_Comment] | msgspec.UnsetType = msgspec.UNSET  # only on a product's page


def _variant(variant: Variant) -> _Variant:
    details = variant.details
    return _Variant(
        variant.id,
        _Color(details.color_name.value if details.color_name else None, details.color_hex),
        details.size.value if details.size else None,
        details.stock,
        None if details.price is None else float(details.price),
    )


def _comment(comment: Comment) -> _Comment:
    draft = comment.draft
    return _Comment(
        comment.id,
        draft.username,
        draft.body,
        draft.score,
        comment.is_accepted,
        comment.product_id,
        comment.created_at,
    )


class EntityCatalogueViews:
    """`CatalogueViews` from `SqlProductRepository` and `SqlCommentRepository`, each call in
    one read transaction of `sessions` (on the reading engine)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], image_url_prefix: str) -> None:
        self._sessions = sessions
        self._media = image_url_prefix.rstrip("/") + "/"

    def _product(self, product: Product) -> _Product:
        details = product.details
        return _Product(
            id=product.id,
            name=details.name,
            price=float(details.price),
            description=details.description,
            category=details.category,
            stock=details.stock,
            discount=details.discount,
            score=float(product.score),
            images=[self._media + key for key in product.images],
            variants=[_variant(variant) for variant in product.variants],
            created_at=product.created_at,
            updated_at=product.updated_at,
        )

    async def product(
        self, product_id: ProductId, statuses: frozenset[CommentStatus], comments: Page
    ) -> bytes | None:
        async with self._sessions() as session:
            product = await SqlProductRepository(session).get(product_id)
            if product is None:
                return None
            shown = await SqlCommentRepository(session).listing(product_id, statuses, comments)
        body = self._product(product)
        body.comments = [_comment(comment) for comment in shown.items]
        return msgspec.json.encode(body)

    async def products(self, query: ProductQuery, page: Page) -> EncodedPage:
        async with self._sessions() as session:
            found = await SqlProductRepository(session).search(query, page)
        items = [self._product(product) for product in found.items]
        return EncodedPage(msgspec.json.encode(items), found.total)

    async def comments(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> EncodedPage:
        async with self._sessions() as session:
            found = await SqlCommentRepository(session).listing(product_id, statuses, page)
        items = [_comment(comment) for comment in found.items]
        return EncodedPage(msgspec.json.encode(items), found.total)
