"""In-memory products and comments, mirroring the SQL adapters' filters, orders and cascades."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from allora.domain.cart import StockUnits
from allora.domain.comments import Comment, CommentId, CommentStatus
from allora.domain.paging import Page, Paged
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import Product, ProductId, ProductNotFound
from tests.unit.fake_constraints import (
    check_comment,
    check_product,
    check_variant_ids,
    require_new,
)
from tests.unit.fake_orders import restocked

if TYPE_CHECKING:
    from tests.unit.fakes import FakeDatabase

# Sort key and direction of each listing order, ties broken by id as in SQL.
_ORDER: dict[ProductSort, tuple[Callable[[Product], Any], bool]] = {
    ProductSort.NEWEST: (lambda p: (p.created_at, p.id), True),
    ProductSort.PRICE: (lambda p: (p.details.price, p.id), False),
    ProductSort.PRICE_DESC: (lambda p: (p.details.price, p.id), True),
    ProductSort.SCORE: (lambda p: (p.score, p.id), True),
}


def _matches(product: Product, query: ProductQuery) -> bool:
    details = product.details
    text = None if query.text is None else query.text.lower()
    return (
        (query.category is None or details.category == query.category)
        and (text is None or text in details.name.lower() or text in details.description.lower())
        and (query.min_price is None or details.price >= query.min_price)
        and (query.max_price is None or details.price <= query.max_price)
    )


def _summed(units: Sequence[StockUnits]) -> dict[tuple[ProductId, object], StockUnits]:
    """One entry per stock, its quantity the sum of the entries naming it."""
    total: dict[tuple[ProductId, object], StockUnits] = {}
    for entry in units:
        key = (entry.product, entry.variant)
        found = total.get(key)
        total[key] = (
            entry if found is None else replace(found, quantity=found.quantity + entry.quantity)
        )
    return total


def _page(items: list[Any], page: Page) -> list[Any]:
    return items[page.offset : page.offset + page.limit]


class FakeProductRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, product: Product) -> None:
        await self.add_many([product])

    async def add_many(self, products: Sequence[Product]) -> None:
        """One `INSERT` in SQL: a bad row fails the whole batch, so all are checked first."""
        batch: dict[ProductId, Product] = {}
        for product in products:
            require_new(product.id, self._db.products, "products")
            require_new(product.id, batch, "products")
            check_product(product)
            check_variant_ids(product, [*self._db.products.values(), *batch.values()])
            batch[product.id] = product
        self._db.products.update(batch)

    async def get(self, product_id: ProductId) -> Product | None:
        return self._db.products.get(product_id)

    async def lock(self, product_id: ProductId) -> Product | None:
        return self._db.products.get(product_id)

    async def save(self, product: Product) -> None:
        """Like the SQL `UPDATE`: a missing row changes nothing; images are kept."""
        current = self._db.products.get(product.id)
        if current is not None:
            check_product(product)
            check_variant_ids(product, self._db.products.values())
            self._db.products[product.id] = replace(
                product, images=current.images, created_at=current.created_at
            )

    async def referenced_images(self, keys: Sequence[str]) -> set[str]:
        named = {key for product in self._db.products.values() for key in product.images}
        return named.intersection(keys)

    async def remove(self, product_id: ProductId) -> None:
        self._db.products.pop(product_id, None)
        self._db.comments = {
            cid: comment
            for cid, comment in self._db.comments.items()
            if comment.product_id != product_id
        }
        self._db.wishlists = {
            key: added for key, added in self._db.wishlists.items() if key[1] != product_id
        }

    async def search(self, query: ProductQuery, page: Page) -> Paged[Product]:
        key, descending = _ORDER[query.sort]
        found = [p for p in self._db.products.values() if _matches(p, query)]
        ordered = sorted(found, key=key, reverse=descending)
        return Paged(_page(ordered, page), len(ordered))

    async def get_many(self, product_ids: Sequence[ProductId]) -> list[Product]:
        return [
            self._db.products[pid] for pid in sorted(set(product_ids)) if pid in self._db.products
        ]

    async def take_stock(self, units: Sequence[StockUnits]) -> list[StockUnits]:
        """Like the SQL: each stock gives the units of all its entries or none; the entries of
        the stocks that could not are reported (the caller then rolls everything back)."""
        short = {key for key, entry in _summed(units).items() if not self._change(entry, -1)}
        return [entry for entry in units if (entry.product, entry.variant) in short]

    async def return_stock(self, units: Sequence[StockUnits]) -> None:
        for entry in _summed(units).values():
            self._change(entry, 1)

    def _change(self, entry: StockUnits, sign: int) -> bool:
        product = self._db.products.get(entry.product)
        changed = None if product is None else restocked(product, entry, sign * entry.quantity)
        if changed is not None:
            self._db.products[entry.product] = changed
        return changed is not None


class FakeCommentRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, comment: Comment) -> None:
        await self.add_many([comment])

    async def add_many(self, comments: Sequence[Comment]) -> None:
        """One `INSERT` in SQL: a bad row fails the whole batch, so all are checked first."""
        batch: dict[CommentId, Comment] = {}
        for comment in comments:
            require_new(comment.id, self._db.comments, "comments")
            require_new(comment.id, batch, "comments")
            if comment.product_id not in self._db.products or (
                comment.author_id is not None and comment.author_id not in self._db.users
            ):
                raise ProductNotFound()  # the adapter's reading of a foreign key
            check_comment(comment)
            batch[comment.id] = comment
        self._db.comments.update(batch)

    async def get(self, comment_id: CommentId) -> Comment | None:
        return self._db.comments.get(comment_id)

    async def set_status(self, comment_id: CommentId, status: CommentStatus) -> None:
        comment = self._db.comments.get(comment_id)
        if comment is not None:
            self._db.comments[comment_id] = replace(comment, status=status)

    async def remove(self, comment_id: CommentId) -> None:
        self._db.comments.pop(comment_id, None)

    async def accepted_totals(self, product_id: ProductId) -> tuple[int, int]:
        scores = [
            c.draft.score
            for c in self._db.comments.values()
            if c.product_id == product_id and c.status is CommentStatus.ACCEPTED
        ]
        return sum(scores), len(scores)

    async def listing(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> Paged[Comment]:
        found = [
            c
            for c in self._db.comments.values()
            if c.status in statuses and (product_id is None or c.product_id == product_id)
        ]
        ordered = sorted(found, key=lambda c: (c.created_at, c.id), reverse=True)
        return Paged(_page(ordered, page), len(ordered))
