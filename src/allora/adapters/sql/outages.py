"""The database going away, told apart from bugs: a refused or lost connection, a server
shutting down or starting up, one with no connection slot left, or every pooled connection busy
past the pool's timeout becomes `ServiceUnavailable` (a 503 the client may retry); every other
database error stays what it is (a 500)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.pool.base import ConnectionPoolEntry

from allora.domain.errors import ServiceUnavailable

# SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01-57P03 (admin
# shutdown, crash shutdown, cannot connect now) and 53300 (too many connections).
_OUTAGE_STATES = ("08", "57P01", "57P02", "57P03", "53300")


def is_outage(error: BaseException) -> bool:
    """Refused, reset or timed-out sockets (OSError) and the SQLSTATEs above, whether the
    error is asyncpg's own or SQLAlchemy's adaptation of it (the original is its cause)."""
    cause = error.__cause__ or error
    if isinstance(error, OSError) or isinstance(cause, OSError):
        return True
    state = getattr(cause, "sqlstate", None) or getattr(error, "pgcode", None) or ""
    return str(state).startswith(_OUTAGE_STATES)


def unavailable_on_outage(engine: AsyncEngine) -> None:
    """Hooks `engine` so that an outage raises `ServiceUnavailable("database")`.

    A failed connect never reaches SQLAlchemy's error events (asyncpg raises a plain OSError),
    hence `do_connect`. A connection lost mid-statement is marked a disconnect, so the pool
    drops every connection opened before it and the next request connects afresh: the shop
    heals when the server is back, without a restart and without a ping per checkout."""

    @event.listens_for(engine.sync_engine, "do_connect")
    def _connect(dialect: Dialect, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as error:
            if is_outage(error):
                raise ServiceUnavailable("database") from error
            raise

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        if is_outage(context.original_exception):
            context.is_disconnect = True
        return ServiceUnavailable("database") if context.is_disconnect else None


class OutageAwarePool(AsyncAdaptedQueuePool):
    """The engine's pool: a request that waited the pool's whole timeout for a connection (every
    one busy, e.g. on a database that stopped answering) is a 503, like any other outage."""

    def _do_get(self) -> ConnectionPoolEntry:
        try:
            return super()._do_get()
        except PoolTimeout as error:
            raise ServiceUnavailable("database") from error
