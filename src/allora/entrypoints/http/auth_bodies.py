"""Wire types of sign-up, sign-in and the current user."""

from __future__ import annotations

import msgspec


class SignUpBody(msgspec.Struct):
    name: str
    phone: str
    email: str
    password: str


class SignInBody(msgspec.Struct):
    email: str
    password: str


class NoSessionOut(msgspec.Struct):
    data: None
    message: str
