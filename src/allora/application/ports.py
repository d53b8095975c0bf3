"""The ports: what the use cases need from the outside world, shaped by their needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self, runtime_checkable
from uuid import UUID

from allora.domain.bans import Ban
from allora.domain.billing import BillingDetails
from allora.domain.cart import StockUnits
from allora.domain.comments import Comment, CommentId, CommentStatus
from allora.domain.discounts import Discount, DiscountId, Redemption
from allora.domain.mail import Mail, MessageId, OutboxMessage
from allora.domain.orders import IdempotencyKey, Order, OrderId, OrderStatus, PlacedRequest
from allora.domain.paging import Page, Paged
from allora.domain.password_reset import ResetCode
from allora.domain.product_query import ProductQuery
from allora.domain.products import Product, ProductId
from allora.domain.sessions import Session, SessionId
from allora.domain.tickets import Ticket, TicketId
from allora.domain.users import Email, Phone, Profile, User, UserId


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


@runtime_checkable
class IdGenerator(Protocol):
    def __call__(self) -> UUID:
        """A fresh, unguessable, preferably time-ordered id."""
        ...


@runtime_checkable
class PasswordHasher(Protocol):
    """Slow salted hashing; implementations must not block the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password; with no hash, spends the same time and says False."""
        ...


@runtime_checkable
class TokenIssuer(Protocol):
    def issue(self, session: Session) -> str: ...

    def read(self, token: str) -> SessionId:
        """The session a token names; raises `NotAuthenticated` if forged, bad or expired."""
        ...


@runtime_checkable
class DependencyCheck(Protocol):
    """A service besides the database that the configuration needs (Redis), for `/health`."""

    @property
    def name(self) -> str: ...

    async def check(self) -> None:
        """Returns when the service answers; raises when it does not."""
        ...


@runtime_checkable
class AttemptLimiter(Protocol):
    """A counter of attempts per key over a time window, shared by every server process."""

    @property
    def window_seconds(self) -> int:
        """How long an attempt counts: a refused client may try again after it."""
        ...

    async def hit(self, key: str) -> bool:
        """Counts one attempt; False when the limit was already reached; `ServiceUnavailable`
        when the shared counters cannot be reached."""
        ...

    async def forget(self, key: str) -> None:
        """Drops every attempt counted for the key."""
        ...


class UserRepository(Protocol):
    async def get(self, user_id: UserId) -> User | None: ...

    async def get_by_email(self, email: Email) -> User | None: ...

    async def taken_fields(self, profile: Profile, other_than: UserId | None) -> list[str]:
        """The fields of `profile` ("name", "email", "phone") another account already has."""
        ...

    async def add(self, user: User) -> None:
        """Raises `AlreadyTaken` when a unique field collides."""
        ...

    async def save(self, user: User) -> None:
        """Stores changes to an existing user; raises `AlreadyTaken` on a collision."""
        ...

    async def listing(self, page: Page) -> Paged[User]:
        """Oldest first (by creation time, ties by id)."""
        ...

    async def matching(self, ban: Ban) -> list[User]:
        """Users whose email or phone the ban names."""
        ...

    async def lock_active_admins(self) -> list[UserId]:
        """The active ADMINs, locked until commit so role changes are serialised."""
        ...

    async def claim_first_account(self) -> bool:
        """True for exactly one caller ever: the transaction creating the first account."""
        ...


class SessionRepository(Protocol):
    async def add(self, session: Session) -> None: ...

    async def get(self, session_id: SessionId) -> tuple[Session, User] | None:
        """The session with its user, in one round trip: it runs on every request."""
        ...

    async def remove(self, session_id: SessionId) -> None: ...

    async def remove_all_of(self, user_ids: list[UserId]) -> None: ...

    async def remove_all_but(self, user_id: UserId, keep: SessionId | None) -> None:
        """Ends every session of the user except `keep`."""
        ...


@runtime_checkable
class SessionLookup(Protocol):
    """How `CurrentUser` finds a session on every request: possibly from the process's memory,
    so that a signed-in request need not wait for the database."""

    async def find(self, session_id: SessionId) -> tuple[Session, User] | None:
        """The session with its user as committed: a change committed by this process is seen
        at once, one committed elsewhere as soon as the database announces it, and while
        announcements cannot be received every call reads the database."""
        ...


class BanRepository(Protocol):
    async def add(self, ban: Ban) -> None: ...

    async def hold(self) -> None:
        """Locks ban decisions until commit, so a ban and a sign-up or profile change naming
        the same email or phone cannot pass each other unseen."""
        ...

    async def is_banned(self, email: Email, phone: Phone) -> bool: ...


class ProductRepository(Protocol):
    async def add(self, product: Product) -> None: ...

    async def add_many(self, products: Sequence[Product]) -> None:
        """Inserts a batch with a fixed number of statements."""
        ...

    async def get(self, product_id: ProductId) -> Product | None: ...

    async def lock(self, product_id: ProductId) -> Product | None:
        """The product, its row locked until commit so score updates are serialised."""
        ...

    async def save(self, product: Product) -> None:
        """Stores details, variants, score and `updated_at` of an existing product; a product
        deleted meanwhile stays deleted (nothing is written)."""
        ...

    async def remove(self, product_id: ProductId) -> None:
        """Deletes the product with its variants, images, comments and wishlist entries."""
        ...

    async def search(self, query: ProductQuery, page: Page) -> Paged[Product]:
        """A fixed number of statements whatever the page size."""
        ...

    async def get_many(self, product_ids: Sequence[ProductId]) -> list[Product]:
        """The products that exist among `product_ids`, in a fixed number of statements."""
        ...

    async def referenced_images(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys` some product's images name, for any number of keys."""
        ...

    async def take_stock(self, units: Sequence[StockUnits]) -> list[StockUnits]:
        """Takes every entry's units from its stock where the stock covers them, in one
        conditional update per table (rows locked in id order, so two orders cannot deadlock);
        returns the entries it could not take (a missing row, or too few units). The caller
        rolls back when that is not empty."""
        ...

    async def return_stock(self, units: Sequence[StockUnits]) -> None:
        """Puts units back; entries whose product or variant no longer exists are skipped."""
        ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None:
        """Raises `ProductNotFound` when the product was deleted meanwhile."""
        ...

    async def add_many(self, comments: Sequence[Comment]) -> None: ...

    async def get(self, comment_id: CommentId) -> Comment | None: ...

    async def set_status(self, comment_id: CommentId, status: CommentStatus) -> None: ...

    async def remove(self, comment_id: CommentId) -> None: ...

    async def accepted_totals(self, product_id: ProductId) -> tuple[int, int]:
        """Sum and count of the scores of the product's accepted comments."""
        ...

    async def listing(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> Paged[Comment]:
        """Newest first."""
        ...


class WishlistRepository(Protocol):
    async def add(self, user_id: UserId, product_id: ProductId, now: datetime) -> None:
        """Idempotent: adding a product twice keeps one entry."""
        ...

    async def remove(self, user_id: UserId, product_id: ProductId) -> None: ...

    async def products_of(self, user_id: UserId, page: Page) -> Paged[Product]:
        """The user's wished products, most recently added first."""
        ...


@runtime_checkable
class CodeRedeemer(Protocol):
    """Redeems a discount code for a user in one step the database decides: under any number of
    concurrent redemptions on any number of processes, exactly `max_use` succeed, each user's
    once, and only inside the code's window."""

    async def redeem(self, code: str, user_id: UserId, now: datetime) -> Discount:
        """The code with this use counted and recorded; `DiscountNotFound` for an unknown code,
        `DiscountUnavailable` outside its window, used up or already used by this user, and
        then nothing changed."""
        ...


class DiscountRepository(Protocol):
    async def add(self, discount: Discount) -> None:
        """Raises `AlreadyTaken` when the code exists."""
        ...

    async def get(self, discount_id: DiscountId) -> Discount | None: ...

    async def get_by_code(self, code: str) -> Discount | None: ...

    async def listing(self, page: Page) -> Paged[Discount]: ...

    async def remove(self, discount_id: DiscountId) -> None: ...

    async def record_redemption(
        self,
        discount_id: DiscountId,
        user_id: UserId,
        now: datetime,
        order_id: OrderId | None = None,
    ) -> None:
        """Raises `DiscountUnavailable` if this user already redeemed the code."""
        ...

    async def redemption_of(self, discount_id: DiscountId, user_id: UserId) -> Redemption | None:
        """The user's redemption of the code, held by an order or not."""
        ...

    async def bind_redemption(
        self, discount_id: DiscountId, user_id: UserId, order_id: OrderId
    ) -> bool:
        """Hands the user's redemption that no order holds to `order_id`, atomically; False
        when there is none (another order took it meanwhile)."""
        ...

    async def release_redemption(self, order_id: OrderId, now: datetime) -> None:
        """Removes the redemption `order_id` holds and gives its code the use back; nothing
        when it holds none (or the code was deleted)."""
        ...

    async def use_one(self, discount_id: DiscountId, now: datetime) -> Discount | None:
        """Adds one use only while `uses < max_use`, atomically; None when none was left."""
        ...


class OrderRepository(Protocol):
    async def add(self, order: Order, request: PlacedRequest | None) -> None:
        """Stores the order and its lines, under `request`'s key when given; raises
        `KeyAlreadyPlaced` when the user has an order under that key already (the unique
        constraint decides between concurrent duplicates)."""
        ...

    async def get(self, order_id: OrderId) -> Order | None: ...

    async def lock(self, order_id: OrderId) -> Order | None:
        """The order, its row locked until commit so status changes are serialised."""
        ...

    async def placed_under(self, user_id: UserId, key: IdempotencyKey) -> tuple[Order, str] | None:
        """The order the user placed under `key`, with the digest of its request."""
        ...

    async def save_status(self, order: Order) -> None:
        """Stores `status` and `updated_at` of an existing order."""
        ...

    async def listing(
        self, user_id: UserId | None, status: OrderStatus | None, page: Page
    ) -> Paged[Order]:
        """Newest first; every user's when `user_id` is None; a fixed number of statements."""
        ...


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> None: ...

    async def get(self, ticket_id: TicketId) -> Ticket | None: ...

    async def mark_answered(self, ticket_id: TicketId) -> None: ...

    async def threads(
        self, user_id: UserId | None, page: Page
    ) -> Paged[tuple[Ticket, list[Ticket]]]:
        """Main tickets, newest first, each with its answers; all users' when `user_id` is None."""
        ...


@dataclass(frozen=True, slots=True)
class EncodedPage:
    """One page of a listing already written as its JSON array, with the listing's total."""

    body: bytes
    total: int


EMPTY_PAGE = EncodedPage(b"[]", 0)


@runtime_checkable
class CatalogueViews(Protocol):
    """The public catalogue as the bytes of its JSON responses (the contract's Product and
    Comment JSON): the read side of the catalogue, built by the database where it can, so a
    hot read costs no entity and no encoding in Python. Each call reads one consistent state."""

    async def product(
        self, product_id: ProductId, statuses: frozenset[CommentStatus], comments: Page
    ) -> bytes | None:
        """Product JSON with `comments`: that page of its comments of `statuses`, newest
        first; None when no such product exists."""
        ...

    async def products(self, query: ProductQuery, page: Page) -> EncodedPage:
        """A page of Product JSON as `ProductRepository.search` selects and orders it."""
        ...

    async def comments(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> EncodedPage:
        """A page of Comment JSON as `CommentRepository.listing` selects and orders it."""
        ...


class BillingRepository(Protocol):
    async def get(self, user_id: UserId) -> BillingDetails | None: ...

    async def save(self, user_id: UserId, details: BillingDetails, now: datetime) -> None:
        """Replaces the user's one saved set (an upsert: concurrent saves never collide)."""
        ...


class PasswordResetRepository(Protocol):
    async def replace(self, code: ResetCode) -> None:
        """Stores the user's live code, voiding any earlier one."""
        ...

    async def lock(self, user_id: UserId) -> ResetCode | None:
        """The user's code, locked until commit so guesses and uses are serialised."""
        ...

    async def save_failures(self, code: ResetCode) -> None: ...

    async def remove(self, user_id: UserId) -> None: ...


class OutboxRepository(Protocol):
    """Mail waiting to be sent. A relay claims a due message for a lease: it is not due again
    until the lease ends, so other relays leave it alone, and a crashed relay's message comes
    back. The other writes apply only while the caller's claim holds."""

    async def add(self, message: OutboxMessage) -> None: ...

    async def next_due(self) -> datetime | None:
        """When the earliest pending message is due (maybe in the past); None when none is."""
        ...

    async def claim(self, now: datetime, until: datetime, claim: UUID) -> OutboxMessage | None:
        """A pending message due at `now`, made due at `until` and marked with `claim`;
        concurrent claimers get different messages (`FOR UPDATE SKIP LOCKED`)."""
        ...

    async def mark_sent(self, message_id: MessageId, claim: UUID, now: datetime) -> bool:
        """Marks the claimed message sent, dropping its sealed body; False if the claim was lost."""
        ...

    async def record_failure(self, message: OutboxMessage, claim: UUID) -> bool:
        """Stores the attempts, error, due time and status of a failed try; False if the
        claim was lost."""
        ...

    async def parked(self, page: Page) -> Paged[OutboxMessage]:
        """Parked messages, most recently created first."""
        ...


@runtime_checkable
class MailSender(Protocol):
    async def send(self, mail: Mail, message_id: MessageId) -> None:
        """Returns once a mail server accepted the message; raises `DeliveryFailed` otherwise.
        `message_id` names the message across tries (its `Message-ID` header)."""
        ...


@runtime_checkable
class MailSealer(Protocol):
    """Authenticated encryption of outbox bodies at rest, with a key from the server secret."""

    def seal(self, text: str) -> str: ...

    def unseal(self, sealed: str) -> str:
        """The text; raises `ValueError` when it was sealed with another key or tampered with."""
        ...


@runtime_checkable
class KeyedHasher(Protocol):
    def digest(self, text: str) -> str:
        """A keyed hash (HMAC) of `text`: stored instead of a secret, compared in constant time."""
        ...


@runtime_checkable
class CodeGenerator(Protocol):
    def __call__(self) -> str:
        """A fresh random code of 6 decimal digits."""
        ...


@dataclass(frozen=True, slots=True)
class StoredImage:
    """A file in the image store: an image under its key, or the leftover of a write that never
    finished (`partial`: a crash mid-upload), which no product can name."""

    name: str
    modified: datetime
    partial: bool = False


@runtime_checkable
class ImageStore(Protocol):
    """Where product images live: a directory, or an S3-compatible bucket."""

    async def put(self, data: bytes, extension: str) -> str:
        """Stores the bytes under a fresh server-chosen key and returns the key."""
        ...

    async def delete(self, key: str) -> None:
        """Removes the image, or an unfinished write named by `stored`; a missing key is not
        an error."""
        ...

    async def stored(self) -> list[StoredImage]:
        """Every image and unfinished write the store holds (nothing else it may find there),
        with when each was last written: what a sweep of orphans looks at."""
        ...

    def url(self, key: str) -> str:
        """Where clients fetch the image with GET."""
        ...

    async def read(self, key: str) -> bytes | None:
        """The stored bytes; None for a key that names no stored image."""
        ...


@runtime_checkable
class ImageInspector(Protocol):
    async def extension_of(self, data: bytes) -> str:
        """`jpg`, `png`, `webp` or `gif` decided by decoding the bytes; `InvalidInput` otherwise."""
        ...


class UnitOfWork(Protocol):
    """One transaction: entered, it holds repositories; leaving without commit rolls back."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def bans(self) -> BanRepository: ...

    @property
    def products(self) -> ProductRepository: ...

    @property
    def comments(self) -> CommentRepository: ...

    @property
    def wishlists(self) -> WishlistRepository: ...

    @property
    def discounts(self) -> DiscountRepository: ...

    @property
    def tickets(self) -> TicketRepository: ...

    @property
    def billing(self) -> BillingRepository: ...

    @property
    def password_resets(self) -> PasswordResetRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def orders(self) -> OrderRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def ping(self) -> None:
        """A trivial round trip to the database; raises when it does not answer."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
