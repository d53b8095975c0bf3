"""The composition root's wiring: adapters built from settings, use cases built on them."""

from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItemPerMinute, parse
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from allora.adapters.clock import SystemClock, new_id
from allora.adapters.images import FileImageStore, PillowImageInspector
from allora.adapters.limiter import WindowAttemptLimiter, limit_storage
from allora.adapters.log_mail import LogMailSender
from allora.adapters.object_store import S3ImageStore, S3Settings
from allora.adapters.passwords import Argon2PasswordHasher
from allora.adapters.secrets import AesGcmMailSealer, HmacKeyedHasher, random_code
from allora.adapters.smtp import SmtpMailSender, SmtpServer, parse_sender
from allora.adapters.sql.catalogue_version import AnyCatalogueVersion, catalogue_version
from allora.adapters.sql.engine import create_engine, reading_engine
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.adapters.tokens import JwtTokenIssuer
from allora.application.ban_user import BanUser
from allora.application.check_health import CheckHealth
from allora.application.create_admin import CreateAdmin
from allora.application.current_user import CurrentUser
from allora.application.get_billing_details import GetBillingDetails
from allora.application.list_parked_mail import ListParkedMail
from allora.application.list_users import ListUsers
from allora.application.outbox import Outbox
from allora.application.outbox_relay import OutboxRelay
from allora.application.ports import ImageStore, MailSender, UnitOfWork
from allora.application.registration import Registrar
from allora.application.request_password_reset import RequestPasswordReset
from allora.application.reset_password import ResetPassword
from allora.application.save_billing_details import SaveBillingDetails
from allora.application.sessions import SessionOpener
from allora.application.shop_use_cases import ShopUseCases
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignUp
from allora.application.toggle_role import ToggleRole
from allora.application.update_account import UpdateAccount
from allora.application.update_profile import UpdateProfile
from allora.entrypoints.settings import Settings


def image_store(settings: Settings) -> ImageStore:
    """An S3-compatible bucket when ALLORA_S3_BUCKET is set, else the media directory."""
    if settings.s3_bucket is None:
        return FileImageStore(settings.media_dir)
    return S3ImageStore(
        S3Settings(
            bucket=settings.s3_bucket,
            endpoint=settings.s3_endpoint,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key,
            secret_access_key=settings.s3_secret_key,
        )
    )


def mail_sender(settings: Settings) -> MailSender:
    """SMTP when ALLORA_SMTP_URL is set; otherwise mail goes to the log (development)."""
    if settings.smtp_url is None:
        return LogMailSender()
    return SmtpMailSender(SmtpServer.parse(settings.smtp_url), parse_sender(settings.mail_from))


@dataclass(frozen=True)
class Container:
    """Everything the HTTP app and the CLI call, built once per process."""

    engine: AsyncEngine
    catalogue_version: AnyCatalogueVersion
    password_hasher: Argon2PasswordHasher
    sign_up: SignUp
    sign_in: SignIn
    sign_out: SignOut
    current_user: CurrentUser
    update_profile: UpdateProfile
    list_users: ListUsers
    ban_user: BanUser
    toggle_role: ToggleRole
    create_admin: CreateAdmin
    check_health: CheckHealth
    image_store: ImageStore
    shop: ShopUseCases
    update_account: UpdateAccount
    save_billing_details: SaveBillingDetails
    get_billing_details: GetBillingDetails
    request_password_reset: RequestPasswordReset
    reset_password: ResetPassword
    outbox_relay: OutboxRelay
    list_parked_mail: ListParkedMail

    @classmethod
    def build(cls, settings: Settings) -> Container:
        engine = create_engine(settings.database_url, settings.database_pool_size)
        session_factory = async_sessionmaker(engine, expire_on_commit=False)

        def uow() -> UnitOfWork:
            return SqlUnitOfWork(session_factory)

        read_sessions = async_sessionmaker(reading_engine(engine), expire_on_commit=False)

        def reader() -> UnitOfWork:
            return SqlUnitOfWork(read_sessions, read_only=True)

        clock = SystemClock()
        tokens = JwtTokenIssuer(settings.secret_key)
        hasher = Argon2PasswordHasher(
            processes=settings.hasher_threads, niceness=settings.hasher_niceness
        )
        sessions = SessionOpener(tokens, clock, new_id, settings.session_lifetime)
        registrar = Registrar(hasher, clock, new_id)
        images = image_store(settings)
        storage = limit_storage(settings.redis_url)
        per_client = WindowAttemptLimiter(
            storage, RateLimitItemPerMinute(settings.signin_client_limit), "signin-client"
        )
        failures_per_email = WindowAttemptLimiter(
            storage, parse(f"{settings.signin_email_failures}/15 minutes"), "signin-email"
        )
        outbox = Outbox(clock, new_id, AesGcmMailSealer(settings.secret_key))
        keyed = HmacKeyedHasher(settings.secret_key)
        reset_limit = RateLimitItemPerMinute(settings.reset_client_limit)
        reset_requests = WindowAttemptLimiter(storage, reset_limit, "reset-request-client")
        reset_tries = WindowAttemptLimiter(storage, reset_limit, "reset-code-client")
        reset_per_email = WindowAttemptLimiter(storage, parse("3/hour"), "reset-email")
        return cls(
            engine=engine,
            catalogue_version=catalogue_version(settings.database_url),
            password_hasher=hasher,
            sign_up=SignUp(uow, registrar, sessions),
            sign_in=SignIn(uow, hasher, sessions, per_client, failures_per_email),
            sign_out=SignOut(uow, tokens),
            current_user=CurrentUser(reader, tokens, clock),
            update_profile=UpdateProfile(uow),
            list_users=ListUsers(reader),
            ban_user=BanUser(uow),
            toggle_role=ToggleRole(uow),
            create_admin=CreateAdmin(uow, registrar),
            check_health=CheckHealth(reader),
            image_store=images,
            shop=ShopUseCases.wire(
                uow, images, PillowImageInspector(), clock, new_id, reader=reader, outbox=outbox
            ),
            update_account=UpdateAccount(uow, hasher, tokens, per_client, failures_per_email),
            save_billing_details=SaveBillingDetails(uow, clock),
            get_billing_details=GetBillingDetails(reader),
            request_password_reset=RequestPasswordReset(
                uow, random_code, keyed, outbox, clock, reset_requests, reset_per_email
            ),
            reset_password=ResetPassword(uow, hasher, keyed, sessions, clock, reset_tries),
            outbox_relay=OutboxRelay(uow, reader, mail_sender(settings), outbox, clock, new_id),
            list_parked_mail=ListParkedMail(reader),
        )
