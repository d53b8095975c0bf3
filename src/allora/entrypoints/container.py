"""The composition root's wiring: adapters built from settings, use cases built on them."""

from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItemPerMinute, parse
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from allora.adapters.clock import SystemClock, new_id
from allora.adapters.images import FileImageStore, PillowImageInspector
from allora.adapters.limiter import WindowAttemptLimiter, limit_storage
from allora.adapters.object_store import S3ImageStore, S3Settings
from allora.adapters.passwords import Argon2PasswordHasher
from allora.adapters.sql.engine import create_engine
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.adapters.tokens import JwtTokenIssuer
from allora.application.ban_user import BanUser
from allora.application.browse_products import GetProduct, ListProducts
from allora.application.check_health import CheckHealth
from allora.application.comment_on_product import AddComment, ListAllComments, ListComments
from allora.application.create_admin import CreateAdmin
from allora.application.create_product import CreateProduct
from allora.application.current_user import CurrentUser
from allora.application.discounts import CreateDiscount, DeleteDiscount, ListDiscounts
from allora.application.import_catalogue import ImportCatalogue
from allora.application.list_users import ListUsers
from allora.application.moderate_comment import ApproveComment, DeleteComment, RejectComment
from allora.application.ports import ImageStore, UnitOfWork
from allora.application.redeem_discount import RedeemDiscount
from allora.application.registration import Registrar
from allora.application.sessions import SessionOpener
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignUp
from allora.application.tickets import AnswerTicket, ListTickets, OpenTicket
from allora.application.toggle_role import ToggleRole
from allora.application.update_product import DeleteProduct, UpdateProduct
from allora.application.update_profile import UpdateProfile
from allora.application.wishlist import AddToWishlist, ListWishlist, RemoveFromWishlist
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


@dataclass(frozen=True)
class Container:
    """Everything the HTTP app and the CLI call, built once per process."""

    engine: AsyncEngine
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
    create_product: CreateProduct
    list_products: ListProducts
    get_product: GetProduct
    update_product: UpdateProduct
    delete_product: DeleteProduct
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
    import_catalogue: ImportCatalogue

    @classmethod
    def build(cls, settings: Settings) -> Container:
        engine = create_engine(settings.database_url)
        session_factory = async_sessionmaker(engine, expire_on_commit=False)

        def uow() -> UnitOfWork:
            return SqlUnitOfWork(session_factory)

        clock = SystemClock()
        tokens = JwtTokenIssuer(settings.secret_key)
        hasher = Argon2PasswordHasher(max_threads=settings.hasher_threads)
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
        return cls(
            engine=engine,
            sign_up=SignUp(uow, registrar, sessions),
            sign_in=SignIn(uow, hasher, sessions, per_client, failures_per_email),
            sign_out=SignOut(uow, tokens),
            current_user=CurrentUser(uow, tokens, clock),
            update_profile=UpdateProfile(uow),
            list_users=ListUsers(uow),
            ban_user=BanUser(uow),
            toggle_role=ToggleRole(uow),
            create_admin=CreateAdmin(uow, registrar),
            check_health=CheckHealth(uow),
            image_store=images,
            create_product=CreateProduct(uow, images, PillowImageInspector(), clock, new_id),
            list_products=ListProducts(uow),
            get_product=GetProduct(uow),
            update_product=UpdateProduct(uow, clock),
            delete_product=DeleteProduct(uow, images),
            add_comment=AddComment(uow, clock, new_id),
            list_comments=ListComments(uow),
            list_all_comments=ListAllComments(uow),
            approve_comment=ApproveComment(uow),
            reject_comment=RejectComment(uow),
            delete_comment=DeleteComment(uow),
            add_to_wishlist=AddToWishlist(uow, clock),
            list_wishlist=ListWishlist(uow),
            remove_from_wishlist=RemoveFromWishlist(uow),
            create_discount=CreateDiscount(uow, clock, new_id),
            list_discounts=ListDiscounts(uow),
            delete_discount=DeleteDiscount(uow),
            redeem_discount=RedeemDiscount(uow, clock),
            open_ticket=OpenTicket(uow, clock, new_id),
            list_tickets=ListTickets(uow),
            answer_ticket=AnswerTicket(uow, clock, new_id),
            import_catalogue=ImportCatalogue(uow),
        )
