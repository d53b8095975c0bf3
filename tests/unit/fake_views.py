"""In-memory `CatalogueViews`: the fake repositories' entities encoded as the HTTP layer encodes
entities (`ProductOut`, `CommentOut`), so the bodies are those of the domain path."""

from __future__ import annotations

import msgspec

from allora.application.ports import EncodedPage
from allora.domain.comments import CommentStatus
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery
from allora.domain.products import ProductId
from allora.entrypoints.http.comments_bodies import CommentOut
from allora.entrypoints.http.products_bodies import ProductOut, ProductWithComments
from tests.unit.fake_images import FakeImageStore
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork


class FakeCatalogueViews:
    """Reads the committed state of `database`, each call in one fake transaction."""

    def __init__(self, database: FakeDatabase, images: FakeImageStore) -> None:
        self._database, self._images = database, images

    async def product(
        self, product_id: ProductId, statuses: frozenset[CommentStatus], comments: Page
    ) -> bytes | None:
        async with FakeUnitOfWork(self._database) as uow:
            product = await uow.products.get(product_id)
            if product is None:
                return None
            shown = await uow.comments.listing(product_id, statuses, comments)
        out = ProductOut.of(product, self._images)
        return msgspec.json.encode(
            ProductWithComments(
                **msgspec.structs.asdict(out), comments=[CommentOut.of(c) for c in shown.items]
            )
        )

    async def products(self, query: ProductQuery, page: Page) -> EncodedPage:
        async with FakeUnitOfWork(self._database) as uow:
            found = await uow.products.search(query, page)
        items = [ProductOut.of(product, self._images) for product in found.items]
        return EncodedPage(msgspec.json.encode(items), found.total)

    async def comments(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> EncodedPage:
        async with FakeUnitOfWork(self._database) as uow:
            found = await uow.comments.listing(product_id, statuses, page)
        items = [CommentOut.of(comment) for comment in found.items]
        return EncodedPage(msgspec.json.encode(items), found.total)
