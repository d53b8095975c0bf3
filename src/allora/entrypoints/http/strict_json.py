"""Strict JSON request bodies: Litestar coerces `"3"` to 3; the contract says that is a 400."""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

import msgspec
from litestar.dto import MsgspecDTO

from allora.domain.errors import FieldError, InvalidInput

T = TypeVar("T", bound=msgspec.Struct)
_AT_PATH = re.compile(r" - at `\$\.?([^`]*)`$")


class StrictJSON(MsgspecDTO[T], Generic[T]):
    """Decodes the body with msgspec in strict mode; the schema still comes from the Struct."""

    def decode_bytes(self, value: bytes) -> Any:
        try:
            return msgspec.json.decode(value, type=self.model_type, strict=True)
        except msgspec.ValidationError as error:
            raise _invalid(str(error)) from None
        except msgspec.DecodeError:
            raise InvalidInput("Request body must be valid JSON") from None


def _invalid(text: str) -> InvalidInput:
    """msgspec says `Expected `int`, got `str` - at `$.score``: name the field for the client."""
    match = _AT_PATH.search(text)
    field = match.group(1) if match else ""
    message = _AT_PATH.sub("", text)
    if not field and (missing := re.search(r"missing required field `([^`]+)`", text)):
        field = missing.group(1)
    if field:
        message = f"{field}: {message}"
    return InvalidInput(message, (FieldError(field or "body", message),))
