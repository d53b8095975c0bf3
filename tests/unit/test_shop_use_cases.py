"""The shop use cases (API.md, "Wishlist", "Discounts" and "Tickets") on fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allora.application.add_to_wishlist import AddToWishlist
from allora.application.answer_ticket import AnswerTicket
from allora.application.create_discount import CreateDiscount
from allora.application.create_product import CreateProduct, Upload
from allora.application.delete_discount import DeleteDiscount
from allora.application.list_discounts import ListDiscounts
from allora.application.list_tickets import ListTickets, Thread
from allora.application.list_wishlist import ListWishlist
from allora.application.open_ticket import OpenTicket
from allora.application.redeem_discount import RedeemDiscount
from allora.application.redemption import RedemptionInTransaction
from allora.application.remove_from_wishlist import RemoveFromWishlist
from allora.application.sessions import SignedIn
from allora.application.sign_up import SignUp
from allora.domain.discounts import Discount, DiscountTerms, DiscountUnavailable
from allora.domain.errors import AlreadyTaken, Forbidden, InvalidInput, NotFound
from allora.domain.paging import Page
from allora.domain.products import Product
from allora.domain.tickets import Ticket
from allora.domain.users import Role
from tests.unit.conftest import PASSWORD, details
from tests.unit.fake_images import image
from tests.unit.fakes import FakeClock, FakeDatabase, FakeDiscountRepository, FakeUnitOfWork
from tests.unit.shop import SUPPORT, World, product_fields

pytestmark = pytest.mark.anyio

UNKNOWN = str(UUID(int=999_999))
PHONE, EMAIL = "5551234567", "ann@example.com"


@pytest.fixture
async def shirt(create_product: CreateProduct, admin: SignedIn) -> Product:
    return await create_product(
        actor=admin.user, fields=product_fields(), uploads=[Upload(image())]
    )


@pytest.fixture
async def coat(create_product: CreateProduct, admin: SignedIn, clock: FakeClock) -> Product:
    clock.advance(timedelta(minutes=1))
    fields = product_fields(name="Wool coat", price="120")
    return await create_product(actor=admin.user, fields=fields, uploads=[Upload(image())])


@pytest.fixture
async def other(member: SignedIn, sign_up: SignUp) -> SignedIn:
    """A third account, another USER."""
    third = details(3)
    return await sign_up(
        client="192.0.2.1", name=third.name, email=third.email, phone=third.phone, password=PASSWORD
    )


# --- wishlist -----------------------------------------------------------------------------------


async def test_wishing_twice_for_a_product_keeps_one_entry(
    add_to_wishlist: AddToWishlist,
    list_wishlist: ListWishlist,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    first_time = clock.now()
    await add_to_wishlist(actor=member.user, product_id=str(shirt.id))
    clock.advance(timedelta(minutes=5))
    await add_to_wishlist(actor=member.user, product_id=str(shirt.id))
    assert database.wishlists == {(member.user.id, shirt.id): first_time}
    listed = await list_wishlist(actor=member.user, page=Page())
    assert (listed.items, listed.total) == ([shirt], 1)


async def test_a_wishlist_is_the_users_own_newest_first(
    add_to_wishlist: AddToWishlist,
    list_wishlist: ListWishlist,
    admin: SignedIn,
    member: SignedIn,
    shirt: Product,
    coat: Product,
    clock: FakeClock,
) -> None:
    await add_to_wishlist(actor=member.user, product_id=str(shirt.id))
    clock.advance(timedelta(seconds=1))
    await add_to_wishlist(actor=member.user, product_id=str(coat.id))
    await add_to_wishlist(actor=admin.user, product_id=str(coat.id))
    mine = await list_wishlist(actor=member.user, page=Page())
    assert (mine.items, mine.total) == ([coat, shirt], 2)
    assert (await list_wishlist(actor=admin.user, page=Page())).items == [coat]
    second = await list_wishlist(actor=member.user, page=Page(limit=1, offset=1))
    assert (second.items, second.total) == ([shirt], 2)


@pytest.mark.parametrize(("product_id", "error"), [(UNKNOWN, NotFound), ("x", NotFound)])
async def test_wishing_for_an_unknown_product_is_refused(
    add_to_wishlist: AddToWishlist,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
    product_id: str,
    error: type[Exception],
) -> None:
    with database.unchanged(), pytest.raises(error):
        await add_to_wishlist(actor=member.user, product_id=product_id)


async def test_removing_a_wish_leaves_other_lists_alone(
    add_to_wishlist: AddToWishlist,
    remove_from_wishlist: RemoveFromWishlist,
    list_wishlist: ListWishlist,
    admin: SignedIn,
    member: SignedIn,
    shirt: Product,
    database: FakeDatabase,
) -> None:
    await add_to_wishlist(actor=member.user, product_id=str(shirt.id))
    await add_to_wishlist(actor=admin.user, product_id=str(shirt.id))
    await remove_from_wishlist(actor=member.user, product_id=str(shirt.id))
    assert (await list_wishlist(actor=member.user, page=Page())).items == []
    assert list(database.wishlists) == [(admin.user.id, shirt.id)]
    before = database.contents()
    for absent in (str(shirt.id), UNKNOWN, "not-a-uuid"):
        await remove_from_wishlist(actor=member.user, product_id=absent)  # not on the list: fine
    assert database.contents() == before


# --- discounts ----------------------------------------------------------------------------------


async def test_a_code_is_stored_upper_case(
    create_discount: CreateDiscount, admin: SignedIn, database: FakeDatabase, clock: FakeClock
) -> None:
    discount = await create_discount(actor=admin.user, code="spring24", percent=15, max_use=10)
    assert discount.terms == DiscountTerms("SPRING24", 15, 10, None, None)
    assert (discount.uses, discount.created_at, discount.updated_at) == (
        0,
        clock.now(),
        clock.now(),
    )
    assert database.discounts == {discount.id: discount}


async def test_a_code_may_have_a_window(
    create_discount: CreateDiscount, admin: SignedIn, clock: FakeClock
) -> None:
    starts, ends = clock.now(), clock.now() + timedelta(days=1)
    discount = await create_discount(
        actor=admin.user, code="Summer", percent=0, max_use=1, starts_at=starts, ends_at=ends
    )
    assert discount.terms == DiscountTerms("SUMMER", 0, 1, starts, ends)


@pytest.mark.parametrize("again", ["SPRING", "spring", "Spring"])
async def test_a_code_is_unique_whatever_its_case(
    create_discount: CreateDiscount, admin: SignedIn, database: FakeDatabase, again: str
) -> None:
    await create_discount(actor=admin.user, code="spring", percent=10, max_use=5)
    with database.unchanged(), pytest.raises(AlreadyTaken):
        await create_discount(actor=admin.user, code=again, percent=20, max_use=1)


NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("terms", "fields"),
    [
        (("ab", 10, 1, None, None), ["code"]),
        (("a" * 21, 10, 1, None, None), ["code"]),
        (("spring 24", 10, 1, None, None), ["code"]),
        (("spr\u00e9ng", 10, 1, None, None), ["code"]),
        ((12345, 10, 1, None, None), ["code"]),
        (("SPRING", -1, 1, None, None), ["percent"]),
        (("SPRING", 101, 1, None, None), ["percent"]),
        (("SPRING", 10, 0, None, None), ["maxUse"]),
        (("SPRING", 10, 1, NOW, NOW), ["endsAt"]),
        (("SPRING", 10, 1, NOW, NOW - timedelta(seconds=1)), ["endsAt"]),
        (("SPRING", 10, 1, datetime(2024, 5, 1), None), ["startsAt"]),
        (("x", -1, 0, None, None), ["code", "percent", "maxUse"]),
    ],
)
async def test_bad_terms_are_named_and_nothing_is_stored(
    create_discount: CreateDiscount,
    admin: SignedIn,
    database: FakeDatabase,
    terms: tuple[str, int, int, datetime | None, datetime | None],
    fields: list[str],
) -> None:
    code, percent, max_use, starts_at, ends_at = terms
    with pytest.raises(InvalidInput) as raised:
        await create_discount(
            actor=admin.user,
            code=code,
            percent=percent,
            max_use=max_use,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    assert [error.field for error in raised.value.errors] == fields
    assert database.discounts == {}


async def test_only_an_admin_manages_codes(
    create_discount: CreateDiscount,
    list_discounts: ListDiscounts,
    delete_discount: DeleteDiscount,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    discount = await create_discount(actor=admin.user, code="SPRING", percent=10, max_use=5)
    before = database.contents()
    with pytest.raises(Forbidden):
        await create_discount(actor=member.user, code="AUTUMN", percent=10, max_use=5)
    with pytest.raises(Forbidden):
        await list_discounts(actor=member.user, page=Page())
    with pytest.raises(Forbidden):
        await delete_discount(actor=member.user, discount_id=str(discount.id))
    assert database.contents() == before


async def test_codes_are_listed_newest_first(
    create_discount: CreateDiscount,
    list_discounts: ListDiscounts,
    admin: SignedIn,
    clock: FakeClock,
) -> None:
    made = []
    for code in ("SPRING", "SUMMER", "AUTUMN"):
        clock.advance(timedelta(minutes=1))
        made.append(await create_discount(actor=admin.user, code=code, percent=10, max_use=5))
    listed = await list_discounts(actor=admin.user, page=Page(limit=2))
    assert (listed.items, listed.total) == ([made[2], made[1]], 3)


async def test_deleting_a_code_takes_its_redemptions(
    create_discount: CreateDiscount,
    delete_discount: DeleteDiscount,
    redeem_discount: RedeemDiscount,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    kept = await create_discount(actor=admin.user, code="SUMMER", percent=10, max_use=5)
    gone = await create_discount(actor=admin.user, code="SPRING", percent=10, max_use=5)
    await redeem_discount(actor=member.user, code="SPRING")
    await redeem_discount(actor=member.user, code="SUMMER")
    await delete_discount(actor=admin.user, discount_id=str(gone.id))
    assert list(database.discounts) == [kept.id]
    assert list(database.redemptions) == [(kept.id, member.user.id)]
    with pytest.raises(NotFound):
        await redeem_discount(actor=member.user, code="SPRING")


@pytest.mark.parametrize("discount_id", [UNKNOWN, "not-a-uuid"])
async def test_deleting_an_unknown_code_is_not_found(
    delete_discount: DeleteDiscount, admin: SignedIn, discount_id: str
) -> None:
    with pytest.raises(NotFound):
        await delete_discount(actor=admin.user, discount_id=discount_id)


# --- RedeemDiscount -----------------------------------------------------------------------------


@pytest.fixture
async def spring(create_discount: CreateDiscount, admin: SignedIn) -> Discount:
    return await create_discount(actor=admin.user, code="SPRING", percent=10, max_use=2)


async def test_a_redemption_uses_the_code_once_and_is_recorded(
    redeem_discount: RedeemDiscount,
    member: SignedIn,
    spring: Discount,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    clock.advance(timedelta(minutes=1))
    used = await redeem_discount(actor=member.user, code="spring")
    assert (used.id, used.uses, used.updated_at) == (spring.id, 1, clock.now())
    assert database.discounts[spring.id] == used
    assert database.redemptions == {(spring.id, member.user.id): clock.now()}


async def test_a_user_redeems_a_code_only_once(
    redeem_discount: RedeemDiscount, member: SignedIn, spring: Discount, database: FakeDatabase
) -> None:
    await redeem_discount(actor=member.user, code="SPRING")
    with database.unchanged(), pytest.raises(DiscountUnavailable):
        await redeem_discount(actor=member.user, code="Spring")
    assert database.discounts[spring.id].uses == 1


async def test_no_redemption_past_the_limit(
    redeem_discount: RedeemDiscount,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    spring: Discount,
    database: FakeDatabase,
) -> None:
    await redeem_discount(actor=member.user, code="SPRING")
    await redeem_discount(actor=other.user, code="SPRING")
    with database.unchanged(), pytest.raises(DiscountUnavailable):
        await redeem_discount(actor=admin.user, code="SPRING")
    assert database.discounts[spring.id].uses == 2


async def test_a_code_redeems_only_within_its_window(
    create_discount: CreateDiscount,
    redeem_discount: RedeemDiscount,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    starts, ends = clock.now() + timedelta(hours=1), clock.now() + timedelta(hours=2)
    await create_discount(
        actor=admin.user, code="SPRING", percent=10, max_use=5, starts_at=starts, ends_at=ends
    )
    moments = [
        (starts - timedelta(microseconds=1), member, False),
        (starts, member, True),
        (ends - timedelta(microseconds=1), other, True),
        (ends, admin, False),
        (ends + timedelta(days=1), admin, False),
    ]
    for moment, who, redeemable in moments:
        clock.set(moment)
        before = database.contents()
        if redeemable:
            await redeem_discount(actor=who.user, code="SPRING")
            continue
        with pytest.raises(DiscountUnavailable):
            await redeem_discount(actor=who.user, code="SPRING")
        assert database.contents() == before, moment


async def test_a_window_in_another_timezone_is_the_same_window(
    create_discount: CreateDiscount,
    redeem_discount: RedeemDiscount,
    admin: SignedIn,
    member: SignedIn,
    clock: FakeClock,
) -> None:
    paris = timezone(timedelta(hours=2))
    starts = (clock.now() + timedelta(hours=1)).astimezone(paris)
    await create_discount(
        actor=admin.user, code="SPRING", percent=10, max_use=5, starts_at=starts, ends_at=None
    )
    with pytest.raises(DiscountUnavailable):
        await redeem_discount(actor=member.user, code="SPRING")
    clock.advance(timedelta(hours=1))
    assert (await redeem_discount(actor=member.user, code="SPRING")).uses == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("AUTUMN", NotFound),
        ("ab", InvalidInput),
        ("", InvalidInput),
        ("spring!", InvalidInput),
    ],
)
async def test_an_unknown_or_malformed_code_changes_nothing(
    redeem_discount: RedeemDiscount,
    member: SignedIn,
    spring: Discount,
    database: FakeDatabase,
    code: str,
    error: type[Exception],
) -> None:
    with database.unchanged(), pytest.raises(error):
        await redeem_discount(actor=member.user, code=code)


class StaleDiscountRepository(FakeDiscountRepository):
    """Reads a code as it was just before a competing redemption committed its last use."""

    async def get_by_code(self, code: str) -> Discount | None:
        found = await super().get_by_code(code)
        return None if found is None else replace(found, uses=found.uses - 1)


class RacedUnitOfWork(FakeUnitOfWork):
    @property
    def discounts(self) -> FakeDiscountRepository:
        return StaleDiscountRepository(self._require_staged())


async def test_losing_the_race_for_the_last_use_records_nothing(
    redeem_discount: RedeemDiscount,
    create_discount: CreateDiscount,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    """The read said one use was left; the conditional update finds none: 422, nothing kept."""
    await create_discount(actor=admin.user, code="LAST", percent=10, max_use=1)
    await redeem_discount(actor=member.user, code="LAST")
    raced = RedeemDiscount(RedemptionInTransaction(lambda: RacedUnitOfWork(database)), clock)
    with database.unchanged(), pytest.raises(DiscountUnavailable):
        await raced(actor=other.user, code="LAST")


POOL = 25


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 20), st.lists(st.integers(0, POOL - 1), max_size=40))
def test_redemptions_never_pass_the_limit_nor_repeat_a_user(
    max_use: int, attempts: list[int]
) -> None:
    """Successes are min(distinct users, maxUse); every refusal leaves the database as it was."""
    world = World()
    try:
        admin = world.person(0, Role.ADMIN)
        people = [world.person(n) for n in range(1, POOL + 1)]
        discount = world.run(
            world.shop.create_discount(actor=admin, code="SPRING", percent=10, max_use=max_use)
        )
        winners: list[int] = []
        for who in attempts:
            before = world.database.contents()
            try:
                used = world.run(world.shop.redeem_discount(actor=people[who], code="spring"))
            except DiscountUnavailable:
                assert world.database.contents() == before
                assert who in winners or len(winners) == max_use
            else:
                assert who not in winners
                winners.append(who)
                assert used.uses == len(winners)
            assert world.database.discounts[discount.id].uses <= max_use
        assert len(winners) == min(len(set(attempts)), max_use)
        assert world.database.discounts[discount.id].uses == len(winners)
        assert set(world.database.redemptions) == {(discount.id, people[w].id) for w in winners}
    finally:
        world.close()


# --- tickets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [True, False])
async def test_a_ticket_is_linked_to_its_author_if_any(
    open_ticket: OpenTicket,
    member: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
    signed_in: bool,
) -> None:
    author = member.user if signed_in else None
    ticket = await open_ticket(
        client="192.0.2.1",
        author=author,
        name=" Ann ",
        message=" Where is my order? ",
        phone=PHONE,
        email="Ann@Example.com",
    )
    assert database.tickets == {ticket.id: ticket}
    assert ticket.user_id == (member.user.id if signed_in else None)
    assert (ticket.content.name, ticket.content.message) == ("Ann", "Where is my order?")
    assert (ticket.content.phone.value, ticket.content.email.value) == (PHONE, EMAIL)
    assert (ticket.has_answer, ticket.main_ticket, ticket.is_answer) == (False, None, False)
    assert ticket.created_at == clock.now()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        (("", "Help", PHONE, EMAIL), ["name"]),
        (("Ann", "   ", PHONE, EMAIL), ["message"]),
        (("Ann", "Help", "12345", EMAIL), ["phone"]),
        (("Ann", "Help", PHONE, "ann"), ["email"]),
        (("", "", "", ""), ["name", "message", "phone", "email"]),
    ],
)
async def test_a_ticket_with_bad_fields_is_refused(
    open_ticket: OpenTicket,
    member: SignedIn,
    database: FakeDatabase,
    fields: tuple[str, str, str, str],
    named: list[str],
) -> None:
    name, message, phone, email = fields
    with pytest.raises(InvalidInput) as raised:
        await open_ticket(
            client="192.0.2.1",
            author=member.user,
            name=name,
            message=message,
            phone=phone,
            email=email,
        )
    assert [error.field for error in raised.value.errors] == named
    assert database.tickets == {}


async def open_thread(open_ticket: OpenTicket, author: SignedIn | None, clock: FakeClock) -> Ticket:
    clock.advance(timedelta(minutes=1))
    return await open_ticket(
        client="192.0.2.1",
        author=author.user if author else None,
        name="Ann",
        message="Help",
        phone=PHONE,
        email=EMAIL,
    )


async def test_an_answer_is_a_ticket_by_the_admin_on_the_main_one(
    open_ticket: OpenTicket,
    answer_ticket: AnswerTicket,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    main = await open_thread(open_ticket, member, clock)
    clock.advance(timedelta(minutes=1))
    answer = await answer_ticket(actor=admin.user, ticket_id=str(main.id), message="  On its way  ")
    assert database.tickets[main.id].has_answer
    assert database.tickets[answer.id] == answer
    assert (answer.main_ticket, answer.is_answer, answer.user_id) == (main.id, True, admin.user.id)
    profile = admin.user.profile
    assert (answer.content.name, answer.content.phone, answer.content.email) == (
        profile.name.value,
        profile.phone,
        profile.email,
    )
    assert (answer.content.message, answer.created_at) == ("On its way", clock.now())


async def test_a_user_lists_their_own_tickets_an_admin_everyones(
    open_ticket: OpenTicket,
    answer_ticket: AnswerTicket,
    list_tickets: ListTickets,
    admin: SignedIn,
    member: SignedIn,
    other: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
) -> None:
    mine = await open_thread(open_ticket, member, clock)
    theirs = await open_thread(open_ticket, other, clock)
    anonymous = await open_thread(open_ticket, None, clock)
    first = await answer_ticket(actor=admin.user, ticket_id=str(mine.id), message="First")
    clock.advance(timedelta(minutes=1))
    second = await answer_ticket(actor=admin.user, ticket_id=str(mine.id), message="Second")
    answered = database.tickets[mine.id]
    own = await list_tickets(actor=member.user, page=Page())
    shown = [a.answer_as_shown(SUPPORT, to_admin=False) for a in (first, second)]
    assert (own.items, own.total) == ([Thread(answered, shown)], 1)
    assert {(a.content.email, a.content.phone, a.user_id) for a in shown} == {
        (SUPPORT.email, SUPPORT.phone, None)
    }
    everyone = await list_tickets(actor=admin.user, page=Page())
    to_admin = [a.answer_as_shown(SUPPORT, to_admin=True) for a in (first, second)]
    assert {a.user_id for a in to_admin} == {admin.user.id}
    assert everyone.items == [
        Thread(anonymous, []),
        Thread(theirs, []),
        Thread(answered, to_admin),
    ]
    assert everyone.total == 3
    paged = await list_tickets(actor=admin.user, page=Page(limit=1, offset=2))
    assert (paged.items, paged.total) == ([Thread(answered, to_admin)], 3)
    assert (await list_tickets(actor=admin.user.as_banned(), page=Page())).items == []


@pytest.mark.parametrize("target", ["unknown", "garbage", "answer"])
async def test_answering_an_unknown_ticket_or_an_answer_is_not_found(
    open_ticket: OpenTicket,
    answer_ticket: AnswerTicket,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
    target: str,
) -> None:
    main = await open_thread(open_ticket, member, clock)
    answer = await answer_ticket(actor=admin.user, ticket_id=str(main.id), message="Done")
    ticket_id = {"unknown": UNKNOWN, "garbage": "not-a-uuid", "answer": str(answer.id)}[target]
    with database.unchanged(), pytest.raises(NotFound):
        await answer_ticket(actor=admin.user, ticket_id=ticket_id, message="Again")


@pytest.mark.parametrize(
    ("actor", "ticket_id", "message", "error"),
    [
        ("member", "main", "Done", Forbidden),
        ("banned admin", "main", "Done", Forbidden),
        ("admin", "main", "   ", InvalidInput),
    ],
)
async def test_only_an_admin_answers_with_a_message(
    open_ticket: OpenTicket,
    answer_ticket: AnswerTicket,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
    clock: FakeClock,
    actor: str,
    ticket_id: str,
    message: str,
    error: type[Exception],
) -> None:
    main = await open_thread(open_ticket, member, clock)
    users = {"member": member.user, "banned admin": admin.user.as_banned(), "admin": admin.user}
    with database.unchanged(), pytest.raises(error):
        await answer_ticket(
            actor=users[actor],
            ticket_id=str(main.id) if ticket_id == "main" else ticket_id,
            message=message,
        )
