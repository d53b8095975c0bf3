"""Every error leaves as `{"message": ...}` with the contract's status; nothing internal leaks."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import HTTPResponseStartEvent, Send

from allora.domain.errors import (
    AlreadyTaken,
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidInput,
    LastAdmin,
    LimitReached,
    NotAuthenticated,
    NotFound,
    ServiceUnavailable,
    TooLarge,
    TooManyAttempts,
)

logger = logging.getLogger("allora.errors")
request_id: ContextVar[str] = ContextVar("request_id", default="-")
# How long a client is asked to wait before retrying while a dependency is down.
RETRY_AFTER_SECONDS = 5

STATUS_OF: dict[type[DomainError], int] = {
    InvalidInput: 400,
    NotAuthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    LastAdmin: 409,
    Conflict: 409,
    AlreadyTaken: 422,
    LimitReached: 422,
    TooLarge: 413,
    TooManyAttempts: 429,
    ServiceUnavailable: 503,
}


class ErrorDetail(msgspec.Struct):
    field: str
    message: str


class ErrorBody(msgspec.Struct, omit_defaults=True):
    """The one error shape of the API."""

    message: str
    errors: list[ErrorDetail] | None = None


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]
    return 400


def error_response(
    status: int, message: str, errors: tuple[FieldError, ...] = ()
) -> Response[ErrorBody]:
    details = [ErrorDetail(e.field, e.message) for e in errors] or None
    return Response(ErrorBody(message, details), status_code=status, media_type=MediaType.JSON)


async def send_error(
    send: Send, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    """An error answered by a middleware, before any handler runs: the same `{"message"}`."""
    body = msgspec.json.encode(ErrorBody(message))
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(body)),
            *headers,
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_domain_error(send: Send, error: DomainError) -> None:
    """What `on_domain_error` answers, sent by a middleware (outside the exception handlers)."""
    if isinstance(error, ServiceUnavailable):
        _log_unavailable(error)
        retry = (b"retry-after", str(RETRY_AFTER_SECONDS).encode())
        await send_error(send, 503, error.message, (retry,))
        return
    await send_error(send, status_of(error), error.message)


def on_domain_error(_: Request[Any, Any, Any], error: DomainError) -> Response[ErrorBody]:
    if isinstance(error, ServiceUnavailable):
        return on_unavailable(error)
    errors = error.errors if isinstance(error, InvalidInput | Conflict) else ()
    response = error_response(status_of(error), error.message, errors)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def on_unavailable(error: ServiceUnavailable) -> Response[ErrorBody]:
    """A dependency is down: a 503 the client may retry."""
    _log_unavailable(error)
    response = error_response(503, error.message)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _log_unavailable(error: ServiceUnavailable) -> None:
    """One warning line, no traceback: nothing in the shop is broken (and identical lines are
    collapsed by the log handler)."""
    cause = error.__cause__
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    logger.warning(
        "%s unavailable (%s)", error.dependency, detail, extra={"request_id": request_id.get()}
    )


def on_validation_error(
    _: Request[Any, Any, Any], error: ValidationException
) -> Response[ErrorBody]:
    extra = error.extra if isinstance(error.extra, list) else []
    errors = tuple(
        FieldError(str(item.get("key", "")), str(item.get("message", "")))
        for item in extra
        if isinstance(item, dict)
    )
    if any(e.field == "data" for e in errors):  # Litestar's word for a missing body
        return error_response(400, "Request body is required")
    message = "; ".join(f"{e.field}: {e.message}" for e in errors) or error.detail
    return error_response(400, message, errors)


def on_http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[ErrorBody]:
    response = error_response(error.status_code, error.detail)
    if error.headers:
        response.headers.update(error.headers)
    return response


def on_unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    logger.exception(
        "unhandled error", extra={"request_id": request_id.get(), "path": request.url.path}
    )
    return error_response(
        HTTP_500_INTERNAL_SERVER_ERROR, f"Internal server error (request id {request_id.get()})"
    )


def on_undecodable_text(
    request: Request[Any, Any, Any], error: LookupError | UnicodeDecodeError
) -> Response[ErrorBody]:
    """Litestar decodes each multipart text field in the charset its part declares and lets
    the codec's error escape: bytes that are not text in it, or a charset no codec has, are
    the client's mistake. A LookupError of another kind (KeyError, IndexError) is a bug."""
    multipart = request.headers.get("content-type", "").startswith("multipart/")
    if multipart and (isinstance(error, UnicodeDecodeError) or type(error) is LookupError):
        return error_response(400, "Form fields must be text in their declared charset (UTF-8)")
    return on_unexpected_error(request, error)


EXCEPTION_HANDLERS = {
    DomainError: on_domain_error,
    UnicodeDecodeError: on_undecodable_text,
    LookupError: on_undecodable_text,
    ValidationException: on_validation_error,
    HTTPException: on_http_error,
    Exception: on_unexpected_error,
}


_DESCRIPTIONS = {
    400: "Invalid input",
    401: "No valid session",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict with the current state (the last ADMIN, not enough stock, a status change)",
    413: "Body too large",
    415: "The body is not JSON (`Content-Type` must be `application/json`)",
    422: "Already taken or limit reached",
    429: "Too many attempts",
    503: "A service the shop needs is down; retry after `Retry-After` seconds",
}


def documented(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the `{"message"}` errors a route can answer."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody, description=_DESCRIPTIONS[status], generate_examples=False
        )
        for status in statuses
    }
