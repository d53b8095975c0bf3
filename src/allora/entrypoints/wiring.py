"""The composition root: the adapters built once from `Settings`, and every use case built on
ports by `wire`, the one function the app, the CLI and the unit tests (with fakes) all call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from limits import RateLimitItemPerMinute, parse
from limits.aio.storage import Storage
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from allora.adapters.clock import SystemClock, new_id
from allora.adapters.images import FileImageStore, PillowImageInspector
from allora.adapters.limiter import (
    FailOpenLimiter,
    RedisCheck,
    WindowAttemptLimiter,
    limit_storage,
    redis_pool,
)
from allora.adapters.log_mail import LogMailSender
from allora.adapters.object_store import S3ImageStore, S3Settings
from allora.adapters.passwords import Argon2PasswordHasher
from allora.adapters.secrets import AesGcmMailSealer, HmacKeyedHasher, random_code
from allora.adapters.session_cache import CachedSessionLookup, SessionCache
from allora.adapters.smtp import SmtpMailSender, SmtpServer, parse_sender
from allora.adapters.sql.catalogue_version import AnyCatalogueVersion, catalogue_version
from allora.adapters.sql.catalogue_views import PostgresCatalogueViews
from allora.adapters.sql.engine import create_engine, open_pool, reading_engine
from allora.adapters.sql.entity_views import EntityCatalogueViews
from allora.adapters.sql.outbox_wakeups import outbox_wakeups
from allora.adapters.sql.redemptions import PostgresCodeRedeemer
from allora.adapters.sql.session_notices import AnySessionVersion, session_version
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.adapters.tokens import JwtTokenIssuer
from allora.application.act_as import ActAs
from allora.application.add_comment import AddComment
from allora.application.add_to_wishlist import AddToWishlist
from allora.application.answer_ticket import AnswerTicket
from allora.application.approve_comment import ApproveComment
from allora.application.ban_user import BanUser
from allora.application.change_order_status import ChangeOrderStatus
from allora.application.check_health import CheckHealth
from allora.application.create_admin import CreateAdmin
from allora.application.create_discount import CreateDiscount
from allora.application.create_product import CreateProduct
from allora.application.current_user import CurrentUser
from allora.application.delete_comment import DeleteComment
from allora.application.delete_discount import DeleteDiscount
from allora.application.delete_product import DeleteProduct
from allora.application.export_catalogue import ExportCatalogue
from allora.application.get_billing_details import GetBillingDetails
from allora.application.get_order import GetOrder
from allora.application.get_product import GetProduct
from allora.application.import_catalogue import ImportCatalogue
from allora.application.list_all_comments import ListAllComments
from allora.application.list_comments import ListComments
from allora.application.list_discounts import ListDiscounts
from allora.application.list_orders import ListOrders
from allora.application.list_parked_mail import ListParkedMail
from allora.application.list_products import ListProducts
from allora.application.list_tickets import ListTickets
from allora.application.list_users import ListUsers
from allora.application.list_wishlist import ListWishlist
from allora.application.open_ticket import OpenTicket
from allora.application.outbox import Outbox
from allora.application.outbox_relay import OutboxRelay
from allora.application.place_order import PlaceOrder
from allora.application.ports import (
    AttemptLimiter,
    CatalogueViews,
    Clock,
    CodeGenerator,
    CodeRedeemer,
    DependencyCheck,
    IdGenerator,
    ImageInspector,
    ImageStore,
    KeyedHasher,
    MailSealer,
    MailSender,
    PasswordHasher,
    SessionLookup,
    TokenIssuer,
    UnitOfWork,
    UnitOfWorkFactory,
)
from allora.application.quote_cart import QuoteCart
from allora.application.redeem_discount import RedeemDiscount
from allora.application.redemption import RedemptionInTransaction
from allora.application.registration import Registrar
from allora.application.reject_comment import RejectComment
from allora.application.remove_from_wishlist import RemoveFromWishlist
from allora.application.request_password_reset import RequestPasswordReset
from allora.application.reset_password import ResetPassword
from allora.application.save_billing_details import SaveBillingDetails
from allora.application.sessions import SessionOpener
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignUp
from allora.application.sweep_orphan_images import SweepOrphanImages
from allora.application.toggle_role import ToggleRole
from allora.application.update_account import UpdateAccount
from allora.application.update_product import UpdateProduct
from allora.application.update_profile import UpdateProfile
from allora.domain.tickets import SupportIdentity
from allora.entrypoints.settings import Settings, SettingsError
from allora.entrypoints.worker import RelayLoop

# Where clients fetch product images: the image stores' URLs and the catalogue views' (which
# write the URLs themselves, in SQL) must agree, so both take it from here.
MEDIA_URL_PREFIX = "/media"


def media_url(settings: Settings) -> str:
    """The prefix of image URLs: absolute under `ALLORA_PUBLIC_URL` when it is set (for a
    storefront on another origin), else the path alone."""
    return (settings.public_url or "") + MEDIA_URL_PREFIX


@dataclass(frozen=True)
class Ports:
    """What the use cases are built on: the adapters in a process, fakes in the unit tests.

    `reader` opens units of work for use cases that only read (see `SqlUnitOfWork`);
    `sessions` finds the session of each signed-in request, from memory when it may;
    `views` answers the public catalogue's reads with their encoded bodies; `redeemer`, when
    the database can, redeems a code in one statement (else inside a unit of work); `checks`
    are the dependencies besides the database that `/health` reports (Redis, when used)."""

    uow: UnitOfWorkFactory
    reader: UnitOfWorkFactory
    sessions: SessionLookup
    views: CatalogueViews
    redeemer: CodeRedeemer | None
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher
    tokens: TokenIssuer
    images: ImageStore
    inspector: ImageInspector
    signin_per_client: AttemptLimiter
    signin_failures_per_email: AttemptLimiter
    reset_requests_per_client: AttemptLimiter
    reset_requests_per_email: AttemptLimiter
    reset_codes_per_client: AttemptLimiter
    signup_per_client: AttemptLimiter
    comment_per_client: AttemptLimiter
    ticket_per_client: AttemptLimiter
    order_per_client: AttemptLimiter
    mail: MailSender
    sealer: MailSealer
    keyed: KeyedHasher
    codes: CodeGenerator
    session_lifetime: timedelta
    support: SupportIdentity
    checks: tuple[DependencyCheck, ...] = ()


@dataclass(frozen=True)
class UseCases:
    """Every use case of the shop, each built once per process."""

    sign_up: SignUp
    sign_in: SignIn
    sign_out: SignOut
    current_user: CurrentUser
    act_as: ActAs
    update_profile: UpdateProfile
    list_users: ListUsers
    ban_user: BanUser
    toggle_role: ToggleRole
    create_admin: CreateAdmin
    check_health: CheckHealth
    create_product: CreateProduct
    list_products: ListProducts
    get_product: GetProduct
    update_product: UpdateProduct
    delete_product: DeleteProduct
    import_catalogue: ImportCatalogue
    export_catalogue: ExportCatalogue
    add_comment: AddComment
    list_comments: ListComments
    list_all_comments: ListAllComments
    approve_comment: ApproveComment
    reject_comment: RejectComment
    delete_comment: DeleteComment
    add_to_wishlist: AddToWishlist
    list_wishlist: ListWishlist
    remove_from_wishlist: RemoveFromWishlist
    create_discount: CreateDiscount
    list_discounts: ListDiscounts
    delete_discount: DeleteDiscount
    redeem_discount: RedeemDiscount
    open_ticket: OpenTicket
    list_tickets: ListTickets
    answer_ticket: AnswerTicket
    update_account: UpdateAccount
    save_billing_details: SaveBillingDetails
    get_billing_details: GetBillingDetails
    request_password_reset: RequestPasswordReset
    reset_password: ResetPassword
    outbox_relay: OutboxRelay
    list_parked_mail: ListParkedMail
    quote_cart: QuoteCart
    place_order: PlaceOrder
    list_orders: ListOrders
    get_order: GetOrder
    change_order_status: ChangeOrderStatus
    sweep_orphan_images: SweepOrphanImages


def wire(ports: Ports) -> UseCases:
    """Every use case on `ports`: production and the unit tests cannot wire differently."""
    uow, read, clock, ids = ports.uow, ports.reader, ports.clock, ports.ids
    sessions = SessionOpener(ports.tokens, clock, ids, ports.session_lifetime)
    registrar = Registrar(ports.hasher, clock, ids)
    outbox = Outbox(clock, ids, ports.sealer)
    signin_limits = (ports.signin_per_client, ports.signin_failures_per_email)
    return UseCases(
        sign_up=SignUp(uow, registrar, sessions, ports.signup_per_client),
        sign_in=SignIn(uow, ports.hasher, sessions, *signin_limits),
        sign_out=SignOut(uow, ports.tokens),
        current_user=CurrentUser(ports.sessions, ports.tokens, clock),
        act_as=ActAs(read),
        update_profile=UpdateProfile(uow),
        list_users=ListUsers(read),
        ban_user=BanUser(uow),
        toggle_role=ToggleRole(uow),
        create_admin=CreateAdmin(uow, registrar),
        check_health=CheckHealth(read, ports.checks),
        create_product=CreateProduct(uow, ports.images, ports.inspector, clock, ids),
        list_products=ListProducts(ports.views),
        get_product=GetProduct(ports.views),
        update_product=UpdateProduct(uow, clock, ids),
        delete_product=DeleteProduct(uow, ports.images),
        import_catalogue=ImportCatalogue(uow),
        export_catalogue=ExportCatalogue(read, ports.images),
        add_comment=AddComment(uow, clock, ids, ports.comment_per_client),
        list_comments=ListComments(ports.views),
        list_all_comments=ListAllComments(read),
        approve_comment=ApproveComment(uow),
        reject_comment=RejectComment(uow),
        delete_comment=DeleteComment(uow),
        add_to_wishlist=AddToWishlist(uow, clock),
        list_wishlist=ListWishlist(read),
        remove_from_wishlist=RemoveFromWishlist(uow),
        create_discount=CreateDiscount(uow, clock, ids),
        list_discounts=ListDiscounts(read),
        delete_discount=DeleteDiscount(uow),
        redeem_discount=RedeemDiscount(ports.redeemer or RedemptionInTransaction(uow), clock),
        open_ticket=OpenTicket(uow, clock, ids, ports.ticket_per_client),
        list_tickets=ListTickets(read, ports.support),
        answer_ticket=AnswerTicket(uow, clock, ids, outbox),
        update_account=UpdateAccount(uow, ports.hasher, ports.tokens, *signin_limits),
        save_billing_details=SaveBillingDetails(uow, clock),
        get_billing_details=GetBillingDetails(read),
        request_password_reset=RequestPasswordReset(
            uow,
            ports.codes,
            ports.keyed,
            outbox,
            clock,
            ports.reset_requests_per_client,
            ports.reset_requests_per_email,
        ),
        reset_password=ResetPassword(
            uow, ports.hasher, ports.keyed, sessions, clock, ports.reset_codes_per_client
        ),
        outbox_relay=OutboxRelay(uow, read, ports.mail, outbox, clock, ids),
        list_parked_mail=ListParkedMail(read),
        quote_cart=QuoteCart(read, clock),
        place_order=PlaceOrder(uow, clock, ids, outbox, ports.order_per_client),
        list_orders=ListOrders(read),
        get_order=GetOrder(read),
        change_order_status=ChangeOrderStatus(uow, clock, outbox),
        sweep_orphan_images=SweepOrphanImages(read, ports.images, clock),
    )


def image_store(settings: Settings) -> ImageStore:
    """An S3-compatible bucket when ALLORA_S3_BUCKET is set, else the media directory."""
    if settings.s3_bucket is None:
        return FileImageStore(settings.media_dir, media_url(settings))
    return S3ImageStore(
        S3Settings(
            bucket=settings.s3_bucket,
            endpoint=settings.s3_endpoint,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key,
            secret_access_key=settings.s3_secret_key,
        ),
        media_url(settings),
    )


def catalogue_views(
    reading: AsyncEngine, image_urls: str, version: AnyCatalogueVersion
) -> CatalogueViews:
    """One statement per read on PostgreSQL (filtered totals counted once per catalogue
    `version`); entities encoded in Python on SQLite. Both write image URLs under `image_urls`
    (see `media_url`), as the image store does."""
    if reading.dialect.name == "postgresql":
        return PostgresCatalogueViews(reading, image_urls, version)
    sessions = async_sessionmaker(reading, expire_on_commit=False)
    return EntityCatalogueViews(sessions, image_urls)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """`Settings.from_env`, plus the values only an adapter can read: the SMTP server's URL and
    the sender's address, each parsed the one way the mail adapter parses it."""
    settings = Settings.from_env(environ)
    problems = []
    if settings.smtp_url is not None:
        try:
            SmtpServer.parse(settings.smtp_url)
        except ValueError as error:
            problems.append(f"ALLORA_SMTP_URL {error} (smtp://user:pass@host:port)")
    try:
        parse_sender(settings.mail_from)
    except ValueError as error:
        problems.append(f"ALLORA_MAIL_FROM {error}")
    if problems:
        raise SettingsError("Invalid configuration:\n  - " + "\n  - ".join(problems))
    return settings


def mail_sender(settings: Settings) -> MailSender:
    """SMTP when ALLORA_SMTP_URL is set; otherwise mail goes to the log (development)."""
    if settings.smtp_url is None:
        return LogMailSender()
    return SmtpMailSender(SmtpServer.parse(settings.smtp_url), parse_sender(settings.mail_from))


def per_client_limits(storage: Storage, settings: Settings) -> dict[str, AttemptLimiter]:
    """The abuse limits a minute per client address of the routes anyone can call; with Redis,
    counted in this process while it is down (`FailOpenLimiter`)."""
    limits = {
        "signup": settings.signup_client_limit,
        "comment": settings.comment_client_limit,
        "ticket": settings.ticket_client_limit,
        "order": settings.order_client_limit,
    }
    local = limit_storage(None) if settings.redis_url else None

    def limiter(limit: int, namespace: str) -> AttemptLimiter:
        shared = WindowAttemptLimiter(storage, RateLimitItemPerMinute(limit), namespace)
        if local is None:
            return shared
        return FailOpenLimiter(
            shared, WindowAttemptLimiter(local, RateLimitItemPerMinute(limit), namespace)
        )

    return {
        f"{name}_per_client": limiter(limit, f"{name}-client") for name, limit in limits.items()
    }


@dataclass(frozen=True)
class Container:
    """One process's adapters (those with a lifecycle kept by name) and its use cases."""

    settings: Settings
    engine: AsyncEngine
    catalogue_version: AnyCatalogueVersion
    session_version: AnySessionVersion
    password_hasher: Argon2PasswordHasher
    ports: Ports
    use_cases: UseCases

    @classmethod
    def build(cls, settings: Settings) -> Container:
        """The adapters `settings` ask for; nothing connects until first used or started."""
        engine = create_engine(settings.database_url, settings.database_pool_size)
        writing = async_sessionmaker(engine, expire_on_commit=False)
        reads = reading_engine(engine)
        postgres = engine.dialect.name == "postgresql"
        reading = async_sessionmaker(reads, expire_on_commit=False)
        session_cache = SessionCache(settings.session_cache_entries)
        watcher = session_version(settings.database_url, session_cache)
        catalogue = catalogue_version(settings.database_url)

        def uow() -> UnitOfWork:
            return SqlUnitOfWork(writing, changes=session_cache, catalogue=catalogue)

        def reader() -> UnitOfWork:
            return SqlUnitOfWork(reading, read_only=True)

        hasher = Argon2PasswordHasher(
            processes=settings.hasher_processes, niceness=settings.hasher_niceness
        )
        pool = redis_pool(settings.redis_url) if settings.redis_url else None
        storage = limit_storage(settings.redis_url, pool)
        reset_limit = RateLimitItemPerMinute(settings.reset_client_limit)
        ports = Ports(
            uow=uow,
            reader=reader,
            sessions=CachedSessionLookup(reader, session_cache, watcher),
            views=catalogue_views(reads, media_url(settings), catalogue),
            redeemer=PostgresCodeRedeemer(reads, new_id) if postgres else None,
            clock=SystemClock(),
            ids=new_id,
            hasher=hasher,
            tokens=JwtTokenIssuer(settings.secret_key),
            images=image_store(settings),
            inspector=PillowImageInspector(),
            signin_per_client=WindowAttemptLimiter(
                storage, RateLimitItemPerMinute(settings.signin_client_limit), "signin-client"
            ),
            signin_failures_per_email=WindowAttemptLimiter(
                storage, parse(f"{settings.signin_email_failures}/15 minutes"), "signin-email"
            ),
            reset_requests_per_client=WindowAttemptLimiter(
                storage, reset_limit, "reset-request-client"
            ),
            reset_requests_per_email=WindowAttemptLimiter(storage, parse("3/hour"), "reset-email"),
            reset_codes_per_client=WindowAttemptLimiter(storage, reset_limit, "reset-code-client"),
            **per_client_limits(storage, settings),
            mail=mail_sender(settings),
            sealer=AesGcmMailSealer(settings.secret_key),
            keyed=HmacKeyedHasher(settings.secret_key),
            codes=random_code,
            session_lifetime=settings.session_lifetime,
            support=settings.support,
            checks=(RedisCheck(pool),) if pool is not None else (),
        )
        return cls(
            settings=settings,
            engine=engine,
            catalogue_version=catalogue,
            session_version=watcher,
            password_hasher=hasher,
            ports=ports,
            use_cases=wire(ports),
        )

    def relay_loop(self) -> RelayLoop:
        """The outbox relay run until stopped, woken by the database when mail is queued."""
        wakeups = outbox_wakeups(self.settings.database_url)
        return RelayLoop(self.use_cases.outbox_relay, wakeups, self.ports.clock)

    async def open_pool(self) -> int:
        """Opens the database pool's connections ahead of the first requests (PostgreSQL)."""
        return await open_pool(self.engine)

    async def close(self) -> None:
        await self.catalogue_version.close()
        await self.session_version.close()
        await self.engine.dispose()
