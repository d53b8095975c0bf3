"""Products (contract section "Products")."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, route
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody

from allora.application.create_product import MAX_IMAGE_BYTES, CreateProduct, Upload
from allora.application.delete_product import DeleteProduct
from allora.application.get_product import GetProduct
from allora.application.list_products import ListProducts
from allora.application.ports import ImageStore
from allora.application.update_product import UpdateProduct
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.product_query import ProductQuery
from allora.domain.products import MAX_IMAGES
from allora.domain.users import User
from allora.entrypoints.http.access import ADMIN
from allora.entrypoints.http.catalogue_cache import CHANGES_CATALOGUE, SHARED
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.paging import encoded_page
from allora.entrypoints.http.product_fields import changed_fields, form_fields
from allora.entrypoints.http.products_bodies import (
    ProductCreated,
    ProductForm,
    ProductOut,
    ProductWithComments,
    UpdateProductBody,
)
from allora.entrypoints.http.replies import MessageOut, encoded
from allora.entrypoints.http.strict_json import StrictJSON

MAX_PRODUCT_FORM = MAX_IMAGES * MAX_IMAGE_BYTES + 1024 * 1024


class ProductsController(Controller):
    path = "/api/products"
    tags = ["Products"]

    @get("/", opt=SHARED, responses=documented(400), response_headers=TOTAL_COUNT)
    async def list_products(
        self,
        list_products: NamedDependency[ListProducts],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
        category: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        min_price: FromQuery[str | None] = None,
        max_price: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
    ) -> Response[list[ProductOut]]:
        """Products, filtered and sorted (`newest`, `price`, `-price`, `score`); total in
        `X-Total-Count`."""
        query = ProductQuery.parse(category, q, min_price, max_price, sort)
        return encoded_page(await list_products(query=query, page=Page.parse(limit, offset)))

    @post(
        "/",
        opt=ADMIN | CHANGES_CATALOGUE,
        request_max_body_size=MAX_PRODUCT_FORM,
        status_code=201,
        responses=documented(400, 401, 403, 413),
    )
    async def create_product(
        self,
        data: Annotated[ProductForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        actor: NamedDependency[User],
        create_product: NamedDependency[CreateProduct],
        image_store: NamedDependency[ImageStore],
    ) -> ProductCreated:
        """Adds a product (ADMIN): multipart fields, `variants` as a JSON string, `img` files."""
        fields = form_fields(data)
        uploads = [Upload(await file.read()) for file in data.img]
        product = await create_product(actor=actor, fields=fields, uploads=uploads)
        return ProductCreated("Product created", ProductOut.of(product, image_store))

    @get("/{product_id:str}", opt=SHARED, responses=documented(400, 404))
    async def get_product(
        self,
        product_id: FromPath[str],
        get_product: NamedDependency[GetProduct],
    ) -> Response[ProductWithComments]:
        """One product with its 50 newest accepted comments (all of them, paged, at
        `GET /api/comments/?productID=`)."""
        return encoded(await get_product(product_id=product_id))

    @route(
        "/{product_id:str}",
        http_method=["PUT", "PATCH"],
        dto=StrictJSON[UpdateProductBody],
        return_dto=None,
        opt=ADMIN | CHANGES_CATALOGUE,
        responses=documented(400, 401, 403, 404, 413),
    )
    async def update_product(
        self,
        product_id: FromPath[str],
        data: JSONBody[UpdateProductBody],
        actor: NamedDependency[User],
        update_product: NamedDependency[UpdateProduct],
        image_store: NamedDependency[ImageStore],
    ) -> ProductOut:
        """Changes the given fields of a product (ADMIN)."""
        changes = changed_fields(data)
        product = await update_product(actor=actor, product_id=product_id, changes=changes)
        return ProductOut.of(product, image_store)

    @delete(
        "/{product_id:str}",
        status_code=200,
        opt=ADMIN | CHANGES_CATALOGUE,
        responses=documented(400, 401, 403, 404),
    )
    async def delete_product(
        self,
        product_id: FromPath[str],
        actor: NamedDependency[User],
        delete_product: NamedDependency[DeleteProduct],
    ) -> MessageOut:
        """Removes a product with its images and comments (ADMIN)."""
        await delete_product(actor=actor, product_id=product_id)
        return MessageOut("Product deleted")
