"""ExportCatalogue: every product with its image bytes, for an ADMIN only."""

from __future__ import annotations

import pytest

from allora.application.create_product import CreateProduct, Upload
from allora.application.sessions import SignedIn
from allora.domain.errors import Forbidden
from allora.domain.paging import Page
from allora.entrypoints.wiring import UseCases
from tests.unit.fake_images import FakeImageStore, image
from tests.unit.shop import product_fields

pytestmark = pytest.mark.anyio


async def test_every_product_newest_first_with_its_stored_image_bytes(
    use_cases: UseCases, create_product: CreateProduct, admin: SignedIn, images: FakeImageStore
) -> None:
    first_images = [Upload(image("png", fill=b"\x01")), Upload(image("gif", fill=b"\x02"))]
    first = await create_product(actor=admin.user, fields=product_fields(), uploads=first_images)
    second = await create_product(
        actor=admin.user, fields=product_fields(), uploads=[Upload(image("jpg"))]
    )
    await images.delete(first.images[1])  # a store that lost one: the export carries the rest
    paged = await use_cases.export_catalogue(actor=admin.user, page=Page(limit=1))
    assert (paged.total, [e.product for e in paged.items]) == (2, [second])
    [older] = (await use_cases.export_catalogue(actor=admin.user, page=Page(offset=1))).items
    assert older.product == first
    assert [(i.key, i.data) for i in older.images] == [(first.images[0], first_images[0].data)]


async def test_only_an_admin_may_export(
    use_cases: UseCases, create_product: CreateProduct, admin: SignedIn, member: SignedIn
) -> None:
    await create_product(actor=admin.user, fields=product_fields(), uploads=[Upload(image())])
    with pytest.raises(Forbidden):
        await use_cases.export_catalogue(actor=member.user, page=Page())
