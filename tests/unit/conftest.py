"""Use cases wired on the fakes by the composition root's own `wire` (`entrypoints/wiring.py`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from allora.application.add_comment import AddComment
from allora.application.add_to_wishlist import AddToWishlist
from allora.application.answer_ticket import AnswerTicket
from allora.application.approve_comment import ApproveComment
from allora.application.ban_user import BanUser
from allora.application.check_health import CheckHealth
from allora.application.create_admin import CreateAdmin
from allora.application.create_discount import CreateDiscount
from allora.application.create_product import CreateProduct
from allora.application.current_user import CurrentUser
from allora.application.delete_comment import DeleteComment
from allora.application.delete_discount import DeleteDiscount
from allora.application.delete_product import DeleteProduct
from allora.application.get_billing_details import GetBillingDetails
from allora.application.get_product import GetProduct
from allora.application.list_all_comments import ListAllComments
from allora.application.list_comments import ListComments
from allora.application.list_discounts import ListDiscounts
from allora.application.list_parked_mail import ListParkedMail
from allora.application.list_products import ListProducts
from allora.application.list_tickets import ListTickets
from allora.application.list_users import ListUsers
from allora.application.list_wishlist import ListWishlist
from allora.application.open_ticket import OpenTicket
from allora.application.outbox import Outbox
from allora.application.outbox_relay import OutboxRelay
from allora.application.redeem_discount import RedeemDiscount
from allora.application.reject_comment import RejectComment
from allora.application.remove_from_wishlist import RemoveFromWishlist
from allora.application.request_password_reset import RequestPasswordReset
from allora.application.reset_password import ResetPassword
from allora.application.save_billing_details import SaveBillingDetails
from allora.application.sessions import SessionOpener, SignedIn
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignUp
from allora.application.toggle_role import ToggleRole
from allora.application.update_account import UpdateAccount
from allora.application.update_product import UpdateProduct
from allora.application.update_profile import UpdateProfile
from allora.entrypoints.wiring import Ports, UseCases, wire
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
from tests.unit.shop import (
    CLIENT_LIMIT,
    EMAIL_FAILURES,
    RESET_CLIENT_LIMIT,
    RESET_EMAIL_LIMIT,
    SESSION_LIFETIME,
    fake_ports,
)

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
def images() -> FakeImageStore:
    return FakeImageStore()


@pytest.fixture
def inspector() -> FakeImageInspector:
    return FakeImageInspector()


@pytest.fixture
def ports(
    uow: FakeUnitOfWorkFactory,
    clock: FakeClock,
    ids: SequentialIds,
    hasher: FakePasswordHasher,
    tokens: FakeTokenIssuer,
    images: FakeImageStore,
    inspector: FakeImageInspector,
    per_client: FakeAttemptLimiter,
    failures_per_email: FakeAttemptLimiter,
    reset_per_client: FakeAttemptLimiter,
    reset_per_email: FakeAttemptLimiter,
    mail_sender: FakeMailSender,
    sealer: FakeMailSealer,
    keyed_hasher: FakeKeyedHasher,
    codes: FakeCodes,
) -> Ports:
    return fake_ports(
        uow,
        clock,
        ids,
        hasher=hasher,
        tokens=tokens,
        images=images,
        inspector=inspector,
        signin_per_client=per_client,
        signin_failures_per_email=failures_per_email,
        reset_requests_per_client=reset_per_client,
        reset_requests_per_email=reset_per_email,
        reset_codes_per_client=reset_per_client,
        mail=mail_sender,
        sealer=sealer,
        keyed=keyed_hasher,
        codes=codes,
    )


@pytest.fixture
def use_cases(ports: Ports) -> UseCases:
    return wire(ports)


@pytest.fixture
def session_opener(tokens: FakeTokenIssuer, clock: FakeClock, ids: SequentialIds) -> SessionOpener:
    return SessionOpener(tokens, clock, ids, SESSION_LIFETIME)


@pytest.fixture
def sign_up(use_cases: UseCases) -> SignUp:
    return use_cases.sign_up


@pytest.fixture
def sign_in(use_cases: UseCases) -> SignIn:
    return use_cases.sign_in


@pytest.fixture
def sign_out(use_cases: UseCases) -> SignOut:
    return use_cases.sign_out


@pytest.fixture
def current_user(use_cases: UseCases) -> CurrentUser:
    return use_cases.current_user


@pytest.fixture
def update_profile(use_cases: UseCases) -> UpdateProfile:
    return use_cases.update_profile


@pytest.fixture
def list_users(use_cases: UseCases) -> ListUsers:
    return use_cases.list_users


@pytest.fixture
def ban_user(use_cases: UseCases) -> BanUser:
    return use_cases.ban_user


@pytest.fixture
def toggle_role(use_cases: UseCases) -> ToggleRole:
    return use_cases.toggle_role


@pytest.fixture
def create_admin(use_cases: UseCases) -> CreateAdmin:
    return use_cases.create_admin


@pytest.fixture
def check_health(use_cases: UseCases) -> CheckHealth:
    return use_cases.check_health


@pytest.fixture
async def admin(sign_up: SignUp) -> SignedIn:
    """The first account, so the founding ADMIN, signed in."""
    first = details(1)
    return await sign_up(
        client="192.0.2.1",
        name=first.name,
        email=first.email,
        phone=first.phone,
        password=first.password,
    )


@pytest.fixture
async def member(admin: SignedIn, sign_up: SignUp) -> SignedIn:
    """A second account, so a USER, signed in."""
    second = details(2)
    return await sign_up(
        client="192.0.2.1",
        name=second.name,
        email=second.email,
        phone=second.phone,
        password=second.password,
    )


# --- the catalogue and the shop ---------------------------------------------------------------


@pytest.fixture
def create_product(use_cases: UseCases) -> CreateProduct:
    return use_cases.create_product


@pytest.fixture
def list_products(use_cases: UseCases) -> ListProducts:
    return use_cases.list_products


@pytest.fixture
def get_product(use_cases: UseCases) -> GetProduct:
    return use_cases.get_product


@pytest.fixture
def update_product(use_cases: UseCases) -> UpdateProduct:
    return use_cases.update_product


@pytest.fixture
def delete_product(use_cases: UseCases) -> DeleteProduct:
    return use_cases.delete_product


@pytest.fixture
def add_comment(use_cases: UseCases) -> AddComment:
    return use_cases.add_comment


@pytest.fixture
def list_comments(use_cases: UseCases) -> ListComments:
    return use_cases.list_comments


@pytest.fixture
def list_all_comments(use_cases: UseCases) -> ListAllComments:
    return use_cases.list_all_comments


@pytest.fixture
def approve_comment(use_cases: UseCases) -> ApproveComment:
    return use_cases.approve_comment


@pytest.fixture
def reject_comment(use_cases: UseCases) -> RejectComment:
    return use_cases.reject_comment


@pytest.fixture
def delete_comment(use_cases: UseCases) -> DeleteComment:
    return use_cases.delete_comment


@pytest.fixture
def add_to_wishlist(use_cases: UseCases) -> AddToWishlist:
    return use_cases.add_to_wishlist


@pytest.fixture
def list_wishlist(use_cases: UseCases) -> ListWishlist:
    return use_cases.list_wishlist


@pytest.fixture
def remove_from_wishlist(use_cases: UseCases) -> RemoveFromWishlist:
    return use_cases.remove_from_wishlist


@pytest.fixture
def create_discount(use_cases: UseCases) -> CreateDiscount:
    return use_cases.create_discount


@pytest.fixture
def list_discounts(use_cases: UseCases) -> ListDiscounts:
    return use_cases.list_discounts


@pytest.fixture
def delete_discount(use_cases: UseCases) -> DeleteDiscount:
    return use_cases.delete_discount


@pytest.fixture
def redeem_discount(use_cases: UseCases) -> RedeemDiscount:
    return use_cases.redeem_discount


@pytest.fixture
def open_ticket(use_cases: UseCases) -> OpenTicket:
    return use_cases.open_ticket


@pytest.fixture
def list_tickets(use_cases: UseCases) -> ListTickets:
    return use_cases.list_tickets


@pytest.fixture
def answer_ticket(use_cases: UseCases) -> AnswerTicket:
    return use_cases.answer_ticket


# --- accounts and mail ------------------------------------------------------------------------


@pytest.fixture
def sealer() -> FakeMailSealer:
    return FakeMailSealer()


@pytest.fixture
def outbox(clock: FakeClock, ids: SequentialIds, sealer: FakeMailSealer) -> Outbox:
    """For tests that queue mail themselves: built like the one `wire` gives the use cases."""
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
def update_account(use_cases: UseCases) -> UpdateAccount:
    return use_cases.update_account


@pytest.fixture
def save_billing_details(use_cases: UseCases) -> SaveBillingDetails:
    return use_cases.save_billing_details


@pytest.fixture
def get_billing_details(use_cases: UseCases) -> GetBillingDetails:
    return use_cases.get_billing_details


@pytest.fixture
def request_password_reset(use_cases: UseCases) -> RequestPasswordReset:
    return use_cases.request_password_reset


@pytest.fixture
def reset_password(use_cases: UseCases) -> ResetPassword:
    return use_cases.reset_password


@pytest.fixture
def outbox_relay(use_cases: UseCases) -> OutboxRelay:
    return use_cases.outbox_relay


@pytest.fixture
def list_parked_mail(use_cases: UseCases) -> ListParkedMail:
    return use_cases.list_parked_mail
