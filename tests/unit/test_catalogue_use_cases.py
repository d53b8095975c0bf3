"""The catalogue use cases (API.md, "Products" and "Comments") on fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from allora.application.add_comment import AddComment
from allora.application.add_to_wishlist import AddToWishlist
from allora.application.approve_comment import ApproveComment
from allora.application.create_product import MAX_IMAGE_BYTES, CreateProduct, Upload
from allora.application.delete_comment import DeleteComment
from allora.application.delete_product import DeleteProduct
from allora.application.get_product import GetProduct
from allora.application.list_all_comments import ListAllComments
from allora.application.list_comments import ListComments
from allora.application.list_products import ListProducts
from allora.application.moderation import CommentModeration
from allora.application.reject_comment import RejectComment
from allora.application.sessions import SignedIn
from allora.application.update_product import UpdateProduct
from allora.domain.comments import Comment, CommentStatus
from allora.domain.errors import Forbidden, InvalidInput, NotFound, TooLarge
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import (
    ColorName,
    Product,
    ProductDetails,
    ProductFields,
    Size,
    VariantDetails,
)
from allora.domain.users import User
from tests.unit.fake_images import MAGIC, FakeImageInspector, FakeImageStore, ImageStoreDown, image
from tests.unit.fakes import DatabaseDown, FakeClock, FakeDatabase
from tests.unit.shop import changes, product_fields, read_json, with_variants

pytestmark = pytest.mark.anyio

UNKNOWN = str(UUID(int=999_999))
SHIRT_DETAILS = ProductDetails(
    "Linen shirt", Decimal("19.99"), "A light linen shirt for summer", "tops", 5, 0
)


def ids_in(body: bytes) -> list[str]:
    """The ids of the items of an encoded listing, in order."""
    return [item["id"] for item in read_json(body)]


def uploads(*extensions: str, size: int = 64) -> list[Upload]:
    return [
        Upload(image(extension, size, fill=bytes([n]))) for n, extension in enumerate(extensions)
    ]


@pytest.fixture
async def shirt(create_product: CreateProduct, admin: SignedIn) -> Product:
    variants = [{"colorName": "blue", "size": "M", "stock": 2}]
    return await create_product(
        actor=admin.user,
        fields=with_variants(product_fields(), variants),
        uploads=uploads("png", "jpg"),
    )


async def comment_on(
    add_comment: AddComment, product: Product, score: int = 4, author: User | None = None
) -> Comment:
    return await add_comment(
        client="192.0.2.1",
        author=author,
        username="ann",
        email="Ann@Example.com",
        body=" Lovely ",
        score=score,
        product_id=str(product.id),
    )


def nothing_stored(database: FakeDatabase, images: FakeImageStore) -> bool:
    return database.products == {} and images.images == {}


# --- CreateProduct ------------------------------------------------------------------------------


async def test_an_admin_creates_a_product_with_its_variants_and_images(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    clock: FakeClock,
) -> None:
    variant = {"colorName": "blue", "colorHex": "#00F", "size": "M", "stock": "2", "price": "21.5"}
    files = uploads("png", "jpg", "webp", "gif")
    product = await create_product(
        actor=admin.user, fields=with_variants(product_fields(), [variant, {}]), uploads=files
    )
    assert database.products == {product.id: product}
    assert product.details == SHIRT_DETAILS
    assert [v.details for v in product.variants] == [
        VariantDetails(ColorName.BLUE, "#00f", Size.M, 2, Decimal("21.50"))
    ]
    assert product.variants[0].id != product.id
    assert [images.images[key] for key in product.images] == [f.data for f in files]
    assert [key.rsplit(".", 1)[1] for key in product.images] == ["png", "jpg", "webp", "gif"]
    assert (product.score, product.created_at, product.updated_at) == (
        Decimal(0),
        clock.now(),
        clock.now(),
    )


async def test_each_product_gets_fresh_image_keys(
    create_product: CreateProduct, admin: SignedIn, images: FakeImageStore
) -> None:
    first = await create_product(
        actor=admin.user, fields=with_variants(product_fields(), []), uploads=uploads("png")
    )
    second = await create_product(
        actor=admin.user, fields=with_variants(product_fields(), []), uploads=uploads("png")
    )
    assert len(set(first.images + second.images)) == 2 == len(images.images)


@pytest.mark.parametrize("as_member", [True, False])
async def test_only_an_active_admin_may_create_a_product(
    create_product: CreateProduct,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    as_member: bool,
) -> None:
    actor = member.user if as_member else admin.user.as_banned()
    with pytest.raises(Forbidden):
        await create_product(
            actor=actor, fields=with_variants(product_fields(), []), uploads=uploads("png")
        )
    assert nothing_stored(database, images)
    assert images.puts == 0


@pytest.mark.parametrize("count", [0, 11])
async def test_a_product_needs_one_to_ten_images(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    count: int,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await create_product(
            actor=admin.user,
            fields=with_variants(product_fields(), []),
            uploads=uploads(*["png"] * count),
        )
    assert [error.field for error in raised.value.errors] == ["img"]
    assert nothing_stored(database, images)


async def test_ten_images_are_fine(
    create_product: CreateProduct, admin: SignedIn, images: FakeImageStore
) -> None:
    product = await create_product(
        actor=admin.user, fields=with_variants(product_fields(), []), uploads=uploads(*["gif"] * 10)
    )
    assert len(product.images) == len(images.images) == 10


async def test_an_image_may_weigh_five_mib_but_not_a_byte_more(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
) -> None:
    with pytest.raises(TooLarge):
        await create_product(
            actor=admin.user,
            fields=with_variants(product_fields(), []),
            uploads=[*uploads("png"), *uploads("jpg", size=MAX_IMAGE_BYTES + 1)],
        )
    assert nothing_stored(database, images)
    product = await create_product(
        actor=admin.user,
        fields=with_variants(product_fields(), []),
        uploads=uploads("jpg", size=MAX_IMAGE_BYTES),
    )
    assert len(images.images[product.images[0]]) == MAX_IMAGE_BYTES


@pytest.mark.parametrize(
    "data", [b"", b"hello, world", b"GIF87", b"%PDF-1.7", MAGIC["png"][1:], b" " + MAGIC["jpg"]]
)
async def test_anything_but_an_image_is_refused_by_its_content(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    data: bytes,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await create_product(
            actor=admin.user,
            fields=with_variants(product_fields(), []),
            uploads=[*uploads("png"), Upload(data)],
        )
    assert [error.field for error in raised.value.errors] == ["img"]
    assert nothing_stored(database, images)


async def test_bad_fields_are_named_together_before_any_image_is_looked_at(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    inspector: FakeImageInspector,
) -> None:
    fields = product_fields(name="ab", price="19.999", stock="-1")
    with pytest.raises(InvalidInput) as raised:
        await create_product(
            actor=admin.user,
            fields=with_variants(fields, [{"size": "XXXL"}]),
            uploads=uploads("png"),
        )
    assert [error.field for error in raised.value.errors] == [
        "name",
        "price",
        "stock",
        "variants[0].size",
    ]
    assert nothing_stored(database, images)
    assert inspector.inspected == 0


@pytest.mark.parametrize("failing_put", [1, 2, 3])
async def test_a_failing_image_store_leaves_no_product_and_no_image(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    failing_put: int,
) -> None:
    images.fail_on_put = failing_put
    with pytest.raises(ImageStoreDown):
        await create_product(
            actor=admin.user,
            fields=with_variants(product_fields(), []),
            uploads=uploads("png", "jpg", "gif"),
        )
    assert nothing_stored(database, images)
    assert images.puts == failing_put


@pytest.mark.parametrize("switch", ["committing", "reachable"])
async def test_a_failing_database_leaves_no_product_and_no_image(
    create_product: CreateProduct,
    admin: SignedIn,
    database: FakeDatabase,
    images: FakeImageStore,
    switch: str,
) -> None:
    setattr(database, switch, False)
    with pytest.raises(DatabaseDown):
        await create_product(
            actor=admin.user,
            fields=with_variants(product_fields(), []),
            uploads=uploads("png", "jpg"),
        )
    assert nothing_stored(database, images)
    assert images.puts == 2


# --- UpdateProduct ------------------------------------------------------------------------------


async def test_an_update_changes_the_given_fields_and_keeps_the_others(
    update_product: UpdateProduct,
    admin: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    clock.advance(timedelta(hours=1))
    updated = await update_product(
        actor=admin.user, product_id=str(shirt.id), changes=changes({"price": 25.5, "stock": "7"})
    )
    assert updated == replace(
        shirt,
        details=replace(shirt.details, price=Decimal("25.50"), stock=7),
        updated_at=clock.now(),
    )
    assert database.products[shirt.id] == updated


@pytest.mark.parametrize(
    ("variants", "expected"),
    [([{"size": "L"}, {"size": ""}], (VariantDetails(size=Size.L),)), ([], ())],
)
async def test_an_update_may_replace_the_variants_alone(
    update_product: UpdateProduct,
    admin: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    variants: list[dict[str, object]],
    expected: tuple[VariantDetails, ...],
) -> None:
    updated = await update_product(
        actor=admin.user, product_id=str(shirt.id), changes=changes({"variants": variants})
    )
    assert (tuple(v.details for v in updated.variants), updated.details) == (
        expected,
        shirt.details,
    )
    assert database.products[shirt.id].variants == updated.variants
    assert not {v.id for v in updated.variants} & {v.id for v in shirt.variants}


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"name": "ab"}, ["name"]),
        ({"price": "19.999"}, ["price"]),
        ({"price": 0}, ["price"]),
        ({"price": True}, ["price"]),
        ({"stock": -1}, ["stock"]),
        ({"discount": 101}, ["discount"]),
        ({"description": "too short"}, ["description"]),
        ({"category": " "}, ["category"]),
        ({"variants": [{"size": "XXXL"}]}, ["variants[0].size"]),
        ({"name": "ab", "stock": -5}, ["name", "stock"]),
    ],
)
async def test_a_bad_change_is_refused_and_changes_nothing(
    update_product: UpdateProduct,
    admin: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    given: dict[str, object],
    fields: list[str],
) -> None:
    before = database.contents()
    with pytest.raises(InvalidInput) as raised:
        await update_product(actor=admin.user, product_id=str(shirt.id), changes=changes(given))
    assert [error.field for error in raised.value.errors] == fields
    assert database.contents() == before


async def test_an_update_needs_a_field_to_change(
    update_product: UpdateProduct, admin: SignedIn, shirt: Product, database: FakeDatabase
) -> None:
    """Unknown fields are the HTTP edge's to refuse (test_products' INVALID_CHANGES)."""
    with database.unchanged(), pytest.raises(InvalidInput):
        await update_product(actor=admin.user, product_id=str(shirt.id), changes=ProductFields())


@pytest.mark.parametrize("product_id", [UNKNOWN, "not-a-uuid", ""])
async def test_updating_an_unknown_product_is_not_found(
    update_product: UpdateProduct, admin: SignedIn, shirt: Product, product_id: str
) -> None:
    with pytest.raises(NotFound):
        await update_product(actor=admin.user, product_id=product_id, changes=changes({"price": 5}))


async def test_only_an_admin_may_update_a_product(
    update_product: UpdateProduct, member: SignedIn, shirt: Product, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(Forbidden):
        await update_product(
            actor=member.user, product_id=str(shirt.id), changes=changes({"price": 5})
        )


# --- DeleteProduct ------------------------------------------------------------------------------


async def test_deleting_a_product_takes_its_comments_wishes_and_images(
    delete_product: DeleteProduct,
    create_product: CreateProduct,
    add_comment: AddComment,
    add_to_wishlist: AddToWishlist,
    admin: SignedIn,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    images: FakeImageStore,
) -> None:
    coat = await create_product(
        actor=admin.user,
        fields=with_variants(product_fields(name="Wool coat"), []),
        uploads=uploads("gif"),
    )
    kept = await comment_on(add_comment, coat)
    await comment_on(add_comment, shirt, author=member.user)
    await add_to_wishlist(actor=member.user, product_id=str(shirt.id))
    await add_to_wishlist(actor=member.user, product_id=str(coat.id))
    await delete_product(actor=admin.user, product_id=str(shirt.id))
    assert list(database.products) == [coat.id]
    assert list(database.comments) == [kept.id]
    assert list(database.wishlists) == [(member.user.id, coat.id)]
    assert list(images.images) == list(coat.images)


async def test_images_are_removed_only_once_the_deletion_is_committed(
    delete_product: DeleteProduct,
    admin: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    images: FakeImageStore,
) -> None:
    database.committing = False
    with pytest.raises(DatabaseDown):
        await delete_product(actor=admin.user, product_id=str(shirt.id))
    assert database.products == {shirt.id: shirt}
    assert list(images.images) == list(shirt.images)


@pytest.mark.parametrize("product_id", [UNKNOWN, "not-a-uuid"])
async def test_deleting_an_unknown_product_is_not_found(
    delete_product: DeleteProduct,
    admin: SignedIn,
    shirt: Product,
    images: FakeImageStore,
    product_id: str,
) -> None:
    with pytest.raises(NotFound):
        await delete_product(actor=admin.user, product_id=product_id)
    assert list(images.images) == list(shirt.images)


async def test_only_an_admin_may_delete_a_product(
    delete_product: DeleteProduct,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    images: FakeImageStore,
) -> None:
    with database.unchanged(), pytest.raises(Forbidden):
        await delete_product(actor=member.user, product_id=str(shirt.id))
    assert list(images.images) == list(shirt.images)


# --- GetProduct and ListProducts ----------------------------------------------------------------


async def test_a_product_shows_only_its_accepted_comments(
    get_product: GetProduct,
    add_comment: AddComment,
    approve_comment: ApproveComment,
    reject_comment: RejectComment,
    admin: SignedIn,
    shirt: Product,
) -> None:
    accepted, rejected, _ = [await comment_on(add_comment, shirt, score) for score in (5, 1, 2)]
    await approve_comment(actor=admin.user, comment_id=str(accepted.id))
    await reject_comment(actor=admin.user, comment_id=str(rejected.id))
    page = read_json(await get_product(product_id=str(shirt.id)))
    assert (page["id"], page["name"], page["score"]) == (str(shirt.id), "Linen shirt", 5)
    assert [(c["id"], c["isAccept"]) for c in page["comments"]] == [(str(accepted.id), True)]


async def test_a_product_shows_its_fifty_newest_accepted_comments(
    get_product: GetProduct,
    add_comment: AddComment,
    approve_comment: ApproveComment,
    admin: SignedIn,
    shirt: Product,
    clock: FakeClock,
) -> None:
    comments = []
    for _ in range(55):
        clock.advance(timedelta(seconds=1))
        comments.append(await comment_on(add_comment, shirt))
        await approve_comment(actor=admin.user, comment_id=str(comments[-1].id))
    page = read_json(await get_product(product_id=str(shirt.id)))
    assert [c["id"] for c in page["comments"]] == [str(c.id) for c in reversed(comments)][:50]


@pytest.mark.parametrize("product_id", [UNKNOWN, "not-a-uuid"])
async def test_an_unknown_product_is_not_found(
    get_product: GetProduct, shirt: Product, product_id: str
) -> None:
    with pytest.raises(NotFound):
        await get_product(product_id=product_id)


@pytest.fixture
async def catalogue(
    create_product: CreateProduct,
    add_comment: AddComment,
    approve_comment: ApproveComment,
    admin: SignedIn,
    clock: FakeClock,
) -> dict[str, Product]:
    """A cap, a coat and a shirt, created in that order, with different prices and scores."""
    made = {}
    for name, category, price, score in [
        ("Sun cap", "hats", "9.50", 3),
        ("Wool coat", "coats", "120", 5),
        ("Linen shirt", "tops", "19.99", None),
    ]:
        clock.advance(timedelta(minutes=1))
        about = f"All about the {name.lower()}"
        fields = product_fields(name=name, category=category, price=price, description=about)
        product = await create_product(
            actor=admin.user, fields=with_variants(fields, []), uploads=uploads("png")
        )
        if score is not None:
            comment = await comment_on(add_comment, product, score)
            await approve_comment(actor=admin.user, comment_id=str(comment.id))
        made[name.split()[1]] = product
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ProductQuery(), ["shirt", "coat", "cap"]),
        (ProductQuery(sort=ProductSort.PRICE), ["cap", "shirt", "coat"]),
        (ProductQuery(sort=ProductSort.PRICE_DESC), ["coat", "shirt", "cap"]),
        (ProductQuery(sort=ProductSort.SCORE), ["coat", "cap", "shirt"]),
        (ProductQuery(category="coats"), ["coat"]),
        (ProductQuery(category="Coats"), []),
        (ProductQuery(text="WOOL"), ["coat"]),
        (ProductQuery(text="about THE linen"), ["shirt"]),
        (ProductQuery(text="about the"), ["shirt", "coat", "cap"]),
        (ProductQuery(min_price=Decimal("9.51")), ["shirt", "coat"]),
        (ProductQuery(min_price=Decimal("9.50"), max_price=Decimal("19.99")), ["shirt", "cap"]),
    ],
)
async def test_the_listing_filters_and_sorts(
    list_products: ListProducts,
    catalogue: dict[str, Product],
    query: ProductQuery,
    expected: list[str],
) -> None:
    paged = await list_products(query=query, page=Page())
    assert ids_in(paged.body) == [str(catalogue[name].id) for name in expected]
    assert paged.total == len(expected)


async def test_the_listing_is_paged_with_its_total(
    list_products: ListProducts, catalogue: dict[str, Product]
) -> None:
    paged = await list_products(
        query=ProductQuery(sort=ProductSort.PRICE), page=Page(limit=1, offset=1)
    )
    assert (ids_in(paged.body), paged.total) == ([str(catalogue["shirt"].id)], 3)


# --- AddComment and the comment listings --------------------------------------------------------


@pytest.mark.parametrize("signed_in", [True, False])
async def test_a_new_comment_waits_for_moderation(
    add_comment: AddComment,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    clock: FakeClock,
    signed_in: bool,
) -> None:
    author = member.user if signed_in else None
    comment = await comment_on(add_comment, shirt, 3, author)
    assert database.comments == {comment.id: comment}
    assert comment.status is CommentStatus.PENDING
    assert comment.author_id == (member.user.id if signed_in else None)
    assert (comment.product_id, comment.created_at) == (shirt.id, clock.now())
    assert (comment.draft.email.value, comment.draft.body, comment.draft.score) == (
        "ann@example.com",
        "Lovely",
        3,
    )
    assert database.products[shirt.id].score == 0


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
async def test_every_score_from_one_to_five_is_taken(
    add_comment: AddComment, shirt: Product, score: int
) -> None:
    assert (await comment_on(add_comment, shirt, score)).draft.score == score


@pytest.mark.parametrize("score", [True, False, 0, 6, -1])
async def test_a_score_must_be_an_integer_from_one_to_five(
    add_comment: AddComment, shirt: Product, database: FakeDatabase, score: int
) -> None:
    """Text, fractions and null are the HTTP edge's to refuse (test_typed_bodies)."""
    with pytest.raises(InvalidInput) as raised:
        await add_comment(
            client="192.0.2.1",
            author=None,
            username="ann",
            email="ann@example.com",
            body="Nice",
            score=score,
            product_id=str(shirt.id),
        )
    assert [error.field for error in raised.value.errors] == ["score"]
    assert database.comments == {}


async def test_every_bad_comment_field_is_named(
    add_comment: AddComment, shirt: Product, database: FakeDatabase
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await add_comment(
            client="192.0.2.1",
            author=None,
            username=" ",
            email="not-an-email",
            body="",
            score=0,
            product_id=str(shirt.id),
        )
    assert [e.field for e in raised.value.errors] == ["username", "email", "body", "score"]
    assert database.comments == {}


@pytest.mark.parametrize("product_id", [UNKNOWN, "not-a-uuid"])
async def test_a_comment_on_an_unknown_product_is_not_found(
    add_comment: AddComment, shirt: Product, database: FakeDatabase, product_id: str
) -> None:
    with pytest.raises(NotFound):
        await add_comment(
            client="192.0.2.1",
            author=None,
            username="ann",
            email="ann@example.com",
            body="Nice",
            score=4,
            product_id=product_id,
        )
    assert database.comments == {}


async def test_the_public_listing_shows_accepted_comments_only(
    list_comments: ListComments,
    list_all_comments: ListAllComments,
    add_comment: AddComment,
    approve_comment: ApproveComment,
    admin: SignedIn,
    shirt: Product,
) -> None:
    accepted, pending = [await comment_on(add_comment, shirt, score) for score in (4, 2)]
    await approve_comment(actor=admin.user, comment_id=str(accepted.id))
    shown = await list_comments(product_id=str(shirt.id), page=Page())
    assert (ids_in(shown.body), shown.total) == ([str(accepted.id)], 1)
    everyone = await list_comments(product_id=None, page=Page())
    assert (ids_in(everyone.body), everyone.total) == ([str(accepted.id)], 1)
    nothing = await list_comments(product_id="not-a-uuid", page=Page())
    assert (ids_in(nothing.body), nothing.total) == ([], 0)
    waiting = await list_all_comments(actor=admin.user, status="pending", page=Page())
    assert [c.id for c in waiting.items] == [pending.id]
    assert (await list_all_comments(actor=admin.user, status="all", page=Page())).total == 2


async def test_the_public_comments_of_a_product_are_paged_newest_first_with_their_total(
    list_comments: ListComments,
    get_product: GetProduct,
    add_comment: AddComment,
    approve_comment: ApproveComment,
    create_product: CreateProduct,
    admin: SignedIn,
    shirt: Product,
    clock: FakeClock,
) -> None:
    other = await create_product(
        actor=admin.user, fields=product_fields(name="Wool coat"), uploads=uploads("png")
    )
    accepted = []
    for product in (shirt, other, shirt, shirt, other, shirt):
        clock.advance(timedelta(seconds=1))
        comment = await comment_on(add_comment, product)
        await approve_comment(actor=admin.user, comment_id=str(comment.id))
        if product is shirt:
            accepted.append(str(comment.id))
    newest_first = accepted[::-1]
    second = await list_comments(product_id=str(shirt.id), page=Page(limit=2, offset=2))
    assert (ids_in(second.body), second.total) == (newest_first[2:4], 4)
    page = read_json(await get_product(product_id=str(shirt.id)))
    assert [c["id"] for c in page["comments"]] == newest_first


async def test_only_an_admin_lists_every_comment_by_a_known_status(
    list_all_comments: ListAllComments, admin: SignedIn, member: SignedIn
) -> None:
    with pytest.raises(Forbidden):
        await list_all_comments(actor=member.user, status="all", page=Page())
    with pytest.raises(InvalidInput):
        await list_all_comments(actor=admin.user, status="hidden", page=Page())


# --- moderation ---------------------------------------------------------------------------------


async def test_moderation_sets_the_status_and_the_score(
    approve_comment: ApproveComment,
    reject_comment: RejectComment,
    delete_comment: DeleteComment,
    add_comment: AddComment,
    admin: SignedIn,
    shirt: Product,
    database: FakeDatabase,
) -> None:
    five, four, two = [await comment_on(add_comment, shirt, score) for score in (5, 4, 2)]
    for comment in (five, four, two):
        await approve_comment(actor=admin.user, comment_id=str(comment.id))
    assert database.products[shirt.id].score == Decimal("3.67")
    await reject_comment(actor=admin.user, comment_id=str(two.id))
    assert database.comments[two.id].status is CommentStatus.REJECTED
    assert database.products[shirt.id].score == Decimal("4.50")
    await delete_comment(actor=admin.user, comment_id=str(five.id))
    assert five.id not in database.comments
    assert database.products[shirt.id].score == Decimal("4.00")
    await reject_comment(actor=admin.user, comment_id=str(four.id))
    assert database.products[shirt.id].score == 0


@pytest.mark.parametrize("action", ["approve", "reject", "delete"])
async def test_only_an_admin_may_moderate(
    approve_comment: ApproveComment,
    reject_comment: RejectComment,
    delete_comment: DeleteComment,
    add_comment: AddComment,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    action: str,
) -> None:
    comment = await comment_on(add_comment, shirt, author=member.user)
    moderate: dict[str, CommentModeration] = {
        "approve": approve_comment,
        "reject": reject_comment,
        "delete": delete_comment,
    }
    with database.unchanged(), pytest.raises(Forbidden):
        await moderate[action](actor=member.user, comment_id=str(comment.id))


@pytest.mark.parametrize("action", ["approve", "reject", "delete"])
@pytest.mark.parametrize(("comment_id", "error"), [(UNKNOWN, NotFound), ("x", NotFound)])
async def test_moderating_an_unknown_comment_is_not_found(
    approve_comment: ApproveComment,
    reject_comment: RejectComment,
    delete_comment: DeleteComment,
    add_comment: AddComment,
    admin: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    action: str,
    comment_id: str,
    error: type[Exception],
) -> None:
    await comment_on(add_comment, shirt)
    moderate: dict[str, CommentModeration] = {
        "approve": approve_comment,
        "reject": reject_comment,
        "delete": delete_comment,
    }
    with database.unchanged(), pytest.raises(error):
        await moderate[action](actor=admin.user, comment_id=comment_id)
