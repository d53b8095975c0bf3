"""Use cases wired on the fakes, as `entrypoints/container.py` wires them on the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from allora.application.ban_user import BanUser
from allora.application.browse_products import GetProduct, ListProducts
from allora.application.check_health import CheckHealth
from allora.application.comment_on_product import AddComment, ListAllComments, ListComments
from allora.application.create_admin import CreateAdmin
from allora.application.create_product import CreateProduct
from allora.application.current_user import CurrentUser
from allora.application.discounts import CreateDiscount, DeleteDiscount, ListDiscounts
from allora.application.get_billing_details import GetBillingDetails
from allora.application.list_parked_mail import ListParkedMail
from allora.application.list_users import ListUsers
from allora.application.moderate_comment import ApproveComment, DeleteComment, RejectComment
from allora.application.outbox import Outbox
from allora.application.outbox_relay import OutboxRelay
from allora.application.redeem_discount import RedeemDiscount
from allora.application.registration import Registrar
from allora.application.request_password_reset import RequestPasswordReset
from allora.application.reset_password import ResetPassword
from allora.application.save_billing_details import SaveBillingDetails
from allora.application.sessions import SessionOpener
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignedIn, SignUp
from allora.application.tickets import AnswerTicket, ListTickets, OpenTicket
from allora.application.toggle_role import ToggleRole
from allora.application.update_account import UpdateAccount
from allora.application.update_product import DeleteProduct, UpdateProduct
from allora.application.update_profile import UpdateProfile
from allora.application.wishlist import AddToWishlist, ListWishlist, RemoveFromWishlist
from tests.unit.fake_images import FakeImageInspector, FakeImageStore
from tests.unit.fake_mail import FakeCodes, FakeKeyedHasher, FakeMailSealer, FakeMailSender
from tests.unit.fakes import (
    FakeAttemptLimiter,
    FakeClock,
    FakeDatabase,
    FakePasswordHasher,
    FakeTokenIssuer,
    FakeUnitOfWorkFactory,
    SequentialIds,
)
from tests.unit.shop import Shop

SESSION_LIFETIME = timedelta(days=7)
CLIENT_LIMIT = 20
EMAIL_FAILURES = 10
RESET_CLIENT_LIMIT = 5
RESET_EMAIL_LIMIT = 3
PASSWORD = "Secret1!"


@dataclass(frozen=True)
class Details:
    """Valid sign-up fields."""

    name: str
    email: str
    phone: str
    password: str = PASSWORD


def details(n: int) -> Details:
    """The n-th distinct valid account: no field collides with another n's."""
    return Details(f"user{n}", f"user{n}@example.com", f"5550000{n:03d}")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def uow(database: FakeDatabase) -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(database)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ids() -> SequentialIds:
    return SequentialIds()


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


@pytest.fixture
def tokens() -> FakeTokenIssuer:
    return FakeTokenIssuer()


@pytest.fixture
def per_client() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(CLIENT_LIMIT)


@pytest.fixture
def failures_per_email() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(EMAIL_FAILURES)


@pytest.fixture
def registrar(hasher: FakePasswordHasher, clock: FakeClock, ids: SequentialIds) -> Registrar:
    return Registrar(hasher, clock, ids)


@pytest.fixture
def session_opener(tokens: FakeTokenIssuer, clock: FakeClock, ids: SequentialIds) -> SessionOpener:
    return SessionOpener(tokens, clock, ids, SESSION_LIFETIME)


@pytest.fixture
def sign_up(
    uow: FakeUnitOfWorkFactory, registrar: Registrar, session_opener: SessionOpener
) -> SignUp:
    return SignUp(uow, registrar, session_opener)


@pytest.fixture
def sign_in(
    uow: FakeUnitOfWorkFactory,
    hasher: FakePasswordHasher,
    session_opener: SessionOpener,
    per_client: FakeAttemptLimiter,
    failures_per_email: FakeAttemptLimiter,
) -> SignIn:
    return SignIn(uow, hasher, session_opener, per_client, failures_per_email)


@pytest.fixture
def sign_out(uow: FakeUnitOfWorkFactory, tokens: FakeTokenIssuer) -> SignOut:
    return SignOut(uow, tokens)


@pytest.fixture
def current_user(
    uow: FakeUnitOfWorkFactory, tokens: FakeTokenIssuer, clock: FakeClock
) -> CurrentUser:
    return CurrentUser(uow, tokens, clock)


@pytest.fixture
def update_profile(uow: FakeUnitOfWorkFactory) -> UpdateProfile:
    return UpdateProfile(uow)


@pytest.fixture
def list_users(uow: FakeUnitOfWorkFactory) -> ListUsers:
    return ListUsers(uow)


@pytest.fixture
def ban_user(uow: FakeUnitOfWorkFactory) -> BanUser:
    return BanUser(uow)


@pytest.fixture
def toggle_role(uow: FakeUnitOfWorkFactory) -> ToggleRole:
    return ToggleRole(uow)


@pytest.fixture
def create_admin(uow: FakeUnitOfWorkFactory, registrar: Registrar) -> CreateAdmin:
    return CreateAdmin(uow, registrar)


@pytest.fixture
def check_health(uow: FakeUnitOfWorkFactory) -> CheckHealth:
    return CheckHealth(uow)


@pytest.fixture
async def admin(sign_up: SignUp) -> SignedIn:
    """The first account, so the founding ADMIN, signed in."""
    first = details(1)
    return await sign_up(first.name, first.email, first.phone, first.password)


@pytest.fixture
async def member(admin: SignedIn, sign_up: SignUp) -> SignedIn:
    """A second account, so a USER, signed in."""
    second = details(2)
    return await sign_up(second.name, second.email, second.phone, second.password)


# --- the catalogue and the shop ---------------------------------------------------------------


@pytest.fixture
def images() -> FakeImageStore:
    return FakeImageStore()


@pytest.fixture
def inspector() -> FakeImageInspector:
    return FakeImageInspector()


@pytest.fixture
def shop(
    uow: FakeUnitOfWorkFactory,
    images: FakeImageStore,
    inspector: FakeImageInspector,
    clock: FakeClock,
    ids: SequentialIds,
    outbox: Outbox,
) -> Shop:
    return Shop.wire(uow, images, inspector, clock, ids, outbox=outbox)


@pytest.fixture
def create_product(shop: Shop) -> CreateProduct:
    return shop.create_product


@pytest.fixture
def list_products(shop: Shop) -> ListProducts:
    return shop.list_products


@pytest.fixture
def get_product(shop: Shop) -> GetProduct:
    return shop.get_product


@pytest.fixture
def update_product(shop: Shop) -> UpdateProduct:
    return shop.update_product


@pytest.fixture
def delete_product(shop: Shop) -> DeleteProduct:
    return shop.delete_product


@pytest.fixture
def add_comment(shop: Shop) -> AddComment:
    return shop.add_comment


@pytest.fixture
def list_comments(shop: Shop) -> ListComments:
    return shop.list_comments


@pytest.fixture
def list_all_comments(shop: Shop) -> ListAllComments:
    return shop.list_all_comments


@pytest.fixture
def approve_comment(shop: Shop) -> ApproveComment:
    return shop.approve_comment


@pytest.fixture
def reject_comment(shop: Shop) -> RejectComment:
    return shop.reject_comment


@pytest.fixture
def delete_comment(shop: Shop) -> DeleteComment:
    return shop.delete_comment


@pytest.fixture
def add_to_wishlist(shop: Shop) -> AddToWishlist:
    return shop.add_to_wishlist


@pytest.fixture
def list_wishlist(shop: Shop) -> ListWishlist:
    return shop.list_wishlist


@pytest.fixture
def remove_from_wishlist(shop: Shop) -> RemoveFromWishlist:
    return shop.remove_from_wishlist


@pytest.fixture
def create_discount(shop: Shop) -> CreateDiscount:
    return shop.create_discount


@pytest.fixture
def list_discounts(shop: Shop) -> ListDiscounts:
    return shop.list_discounts


@pytest.fixture
def delete_discount(shop: Shop) -> DeleteDiscount:
    return shop.delete_discount


@pytest.fixture
def redeem_discount(shop: Shop) -> RedeemDiscount:
    return shop.redeem_discount


@pytest.fixture
def open_ticket(shop: Shop) -> OpenTicket:
    return shop.open_ticket


@pytest.fixture
def list_tickets(shop: Shop) -> ListTickets:
    return shop.list_tickets


@pytest.fixture
def answer_ticket(shop: Shop) -> AnswerTicket:
    return shop.answer_ticket


# --- accounts and mail ------------------------------------------------------------------------


@pytest.fixture
def sealer() -> FakeMailSealer:
    return FakeMailSealer()


@pytest.fixture
def outbox(clock: FakeClock, ids: SequentialIds, sealer: FakeMailSealer) -> Outbox:
    return Outbox(clock, ids, sealer)


@pytest.fixture
def mail_sender() -> FakeMailSender:
    return FakeMailSender()


@pytest.fixture
def keyed_hasher() -> FakeKeyedHasher:
    return FakeKeyedHasher()


@pytest.fixture
def codes() -> FakeCodes:
    return FakeCodes("314159", "271828", "161803")


@pytest.fixture
def reset_per_client() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(RESET_CLIENT_LIMIT)


@pytest.fixture
def reset_per_email() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(RESET_EMAIL_LIMIT)


@pytest.fixture
def update_account(
    uow: FakeUnitOfWorkFactory,
    hasher: FakePasswordHasher,
    tokens: FakeTokenIssuer,
    per_client: FakeAttemptLimiter,
    failures_per_email: FakeAttemptLimiter,
) -> UpdateAccount:
    return UpdateAccount(uow, hasher, tokens, per_client, failures_per_email)


@pytest.fixture
def save_billing_details(uow: FakeUnitOfWorkFactory, clock: FakeClock) -> SaveBillingDetails:
    return SaveBillingDetails(uow, clock)


@pytest.fixture
def get_billing_details(uow: FakeUnitOfWorkFactory) -> GetBillingDetails:
    return GetBillingDetails(uow)


@pytest.fixture
def request_password_reset(
    uow: FakeUnitOfWorkFactory,
    codes: FakeCodes,
    keyed_hasher: FakeKeyedHasher,
    outbox: Outbox,
    clock: FakeClock,
    reset_per_client: FakeAttemptLimiter,
    reset_per_email: FakeAttemptLimiter,
) -> RequestPasswordReset:
    return RequestPasswordReset(
        uow, codes, keyed_hasher, outbox, clock, reset_per_client, reset_per_email
    )


@pytest.fixture
def reset_password(
    uow: FakeUnitOfWorkFactory,
    hasher: FakePasswordHasher,
    keyed_hasher: FakeKeyedHasher,
    session_opener: SessionOpener,
    clock: FakeClock,
    reset_per_client: FakeAttemptLimiter,
) -> ResetPassword:
    return ResetPassword(uow, hasher, keyed_hasher, session_opener, clock, reset_per_client)


@pytest.fixture
def outbox_relay(
    uow: FakeUnitOfWorkFactory,
    mail_sender: FakeMailSender,
    outbox: Outbox,
    clock: FakeClock,
    ids: SequentialIds,
) -> OutboxRelay:
    return OutboxRelay(uow, uow, mail_sender, outbox, clock, ids)


@pytest.fixture
def list_parked_mail(uow: FakeUnitOfWorkFactory) -> ListParkedMail:
    return ListParkedMail(uow)
