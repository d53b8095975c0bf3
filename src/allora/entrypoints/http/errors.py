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
    TooLarge,
    TooManyAttempts,
)

logger = logging.getLogger("allora.errors")
request_id: ContextVar[str] = ContextVar("request_id", default="-")

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


async def send_error(send: Send, status: int, message: str) -> None:
    """An error answered by a middleware, before any handler runs: the same `{"message"}`."""
    body = msgspec.json.encode(ErrorBody(message))
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


def on_domain_error(_: Request[Any, Any, Any], error: DomainError) -> Response[ErrorBody]:
    errors = error.errors if isinstance(error, InvalidInput | Conflict) else ()
    response = error_response(status_of(error), error.message, errors)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


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
    422: "Already taken or limit reached",
    429: "Too many attempts",
}


def documented(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the `{"message"}` errors a route can answer."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody, description=_DESCRIPTIONS[status], generate_examples=False
        )
        for status in statuses
    }
