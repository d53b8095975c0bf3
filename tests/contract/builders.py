"""Small builders of valid entities for the contract cases: every field has a plain default,
ids are random unless a case needs their order, times count minutes from `T0`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from allora.domain.bans import Ban
from allora.domain.comments import Comment, CommentDraft, CommentId, CommentStatus
from allora.domain.discounts import Discount, DiscountId, DiscountTerms
from allora.domain.products import (
    ColorName,
    Product,
    ProductDetails,
    ProductId,
    Size,
    Variant,
    VariantDetails,
    VariantId,
)
from allora.domain.sessions import Session, SessionId
from allora.domain.tickets import Ticket, TicketId, TicketMessage
from allora.domain.users import Email, Phone, Profile, Role, User, UserId, UserName

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def at(minutes: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes)


def uid(n: int | None = None) -> UUID:
    """`UUID(int=n)` when the order of ids matters to a case, else a random one."""
    return uuid4() if n is None else UUID(int=n)


def profile(n: int) -> Profile:
    return Profile(UserName(f"user{n}"), Email(f"user{n}@example.com"), Phone(f"555{n:07d}"))


def user(
    n: int, *, role: Role = Role.USER, banned: bool = False, created: float | None = None
) -> User:
    return User(
        id=UserId(uid()),
        profile=profile(n),
        role=role,
        password_hash=f"hashed:{n}",
        created_at=at(n if created is None else created),
        banned=banned,
    )


def ban(email: Email | None = None, phone: Phone | None = None) -> Ban:
    return Ban(email, phone)


def session(of: User, *, created: float = 0, hours: int = 1) -> Session:
    start = at(created) + timedelta(microseconds=123456)  # sub-second times must survive
    return Session(SessionId(uid()), of.id, start, start + timedelta(hours=hours))


VARIANTS = (
    Variant(
        VariantId(uid()), VariantDetails(ColorName.BLUE, "#0000ff", Size.M, 3, Decimal("12.50"))
    ),
    Variant(VariantId(uid()), VariantDetails(color_name=ColorName.RED, stock=0)),
    Variant(VariantId(uid()), VariantDetails(size=Size.XXL, price=Decimal("0.00"))),
)


def product(
    n: int = 0,
    *,
    name: str = "Linen shirt",
    description: str = "A light shirt for summer",
    category: str = "tops",
    price: str = "19.99",
    score: str = "0.00",
    created: float = 0,
    id: int | None = None,
    variants: tuple[Variant, ...] = (),
    images: tuple[str, ...] = (),
) -> Product:
    details = ProductDetails(name, Decimal(price), description, category, 10 + n, n % 100)
    return Product(
        id=ProductId(uid(id)),
        details=details,
        variants=tuple(Variant(VariantId(uid()), v.details) for v in variants),  # ids are unique
        images=images,
        score=Decimal(score),
        created_at=at(created),
        updated_at=at(created),
    )


def comment(
    on: Product,
    *,
    author: User | None = None,
    score: int = 4,
    status: CommentStatus = CommentStatus.PENDING,
    created: float = 0,
    id: int | None = None,
) -> Comment:
    draft = CommentDraft("ann", Email("ann@example.com"), f"Scored {score}", score)
    author_id = None if author is None else author.id
    return Comment(CommentId(uid(id)), on.id, author_id, draft, status, at(created))


def discount(
    code: str = "SAVE10",
    *,
    max_use: int = 5,
    uses: int = 0,
    percent: int = 10,
    window: tuple[datetime, datetime] | None = None,
    created: float = 0,
    id: int | None = None,
) -> Discount:
    starts, ends = window if window is not None else (None, None)
    terms = DiscountTerms(code, percent, max_use, starts, ends)
    return Discount(DiscountId(uid(id)), terms, uses, at(created), at(created))


def ticket(
    *,
    by: User | None = None,
    main: Ticket | None = None,
    created: float = 0,
    id: int | None = None,
) -> Ticket:
    content = TicketMessage("Ann", "Where is my parcel?", Phone("5551234567"), Email("a@ex.com"))
    return Ticket(
        id=TicketId(uid(id)),
        content=content,
        user_id=None if by is None else by.id,
        has_answer=False,
        main_ticket=None if main is None else main.id,
        created_at=at(created),
    )
