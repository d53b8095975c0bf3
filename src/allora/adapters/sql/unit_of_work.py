"""The one place transactions begin, commit and roll back."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from allora.adapters.session_cache import SessionChanges, Touched
from allora.adapters.sql.bans import SqlBanRepository
from allora.adapters.sql.billing import SqlBillingRepository
from allora.adapters.sql.comments import SqlCommentRepository
from allora.adapters.sql.discounts import SqlDiscountRepository
from allora.adapters.sql.orders import SqlOrderRepository
from allora.adapters.sql.outbox import SqlOutboxRepository
from allora.adapters.sql.password_resets import SqlPasswordResetRepository
from allora.adapters.sql.products import SqlProductRepository
from allora.adapters.sql.sessions import SqlSessionRepository
from allora.adapters.sql.tickets import SqlTicketRepository
from allora.adapters.sql.users import SqlUserRepository
from allora.adapters.sql.wishlists import SqlWishlistRepository


class CatalogueChanges(Protocol):
    """Told when a committed transaction of this process wrote products' rows."""

    def touch(self) -> None: ...


class SqlUnitOfWork:
    """A transaction on one `AsyncSession`; leaving it without `commit()` rolls back.

    Built `read_only` on `reading_engine`, it serves use cases that never write, and refuses
    to commit: a use case wired to it by mistake fails at once instead of writing outside a
    transaction. Given `changes`, it reports there the sessions and users it changed as soon as
    its commit returns, before the use case answers: this process's session cache never
    outlives a sign-out, ban or role change made here. Given `catalogue`, it moves that version
    the same way when it wrote products' rows, whoever called it (a request, a command, the
    demo data): this process's catalogue caches never outlive its own product writes."""

    users: SqlUserRepository
    sessions: SqlSessionRepository
    bans: SqlBanRepository
    products: SqlProductRepository
    comments: SqlCommentRepository
    wishlists: SqlWishlistRepository
    discounts: SqlDiscountRepository
    tickets: SqlTicketRepository
    billing: SqlBillingRepository
    password_resets: SqlPasswordResetRepository
    outbox: SqlOutboxRepository
    orders: SqlOrderRepository

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        read_only: bool = False,
        changes: SessionChanges | None = None,
        catalogue: CatalogueChanges | None = None,
    ) -> None:
        self._session_factory, self._read_only = session_factory, read_only
        self._changes, self._catalogue = changes, catalogue

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self._touched = Touched()
        self.users = SqlUserRepository(self._session, self._touched)
        self.sessions = SqlSessionRepository(self._session, self._touched)
        self.bans = SqlBanRepository(self._session)
        self.products = SqlProductRepository(self._session, self._touched)
        self.comments = SqlCommentRepository(self._session)
        self.wishlists = SqlWishlistRepository(self._session, self.products)
        self.discounts = SqlDiscountRepository(self._session)
        self.tickets = SqlTicketRepository(self._session)
        self.billing = SqlBillingRepository(self._session)
        self.password_resets = SqlPasswordResetRepository(self._session)
        self.outbox = SqlOutboxRepository(self._session)
        self.orders = SqlOrderRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()  # rolls back whatever was not committed

    async def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        try:
            await self._session.commit()
        finally:  # a commit that failed may still have landed: forgetting is always safe
            if self._changes is not None:
                self._touched.report_to(self._changes)
            if self._catalogue is not None and self._touched.catalogue:
                self._catalogue.touch()
            self._touched.catalogue = False

    async def ping(self) -> None:
        await self._session.execute(text("SELECT 1"))
