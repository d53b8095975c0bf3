"""Wire types of the account API: request bodies in, JSON out, named as the contract names them."""

from __future__ import annotations

from datetime import datetime

import msgspec

from allora.domain.users import User


class SignUpBody(msgspec.Struct):
    name: str
    phone: str
    email: str
    password: str


class SignInBody(msgspec.Struct):
    email: str
    password: str


class ProfileBody(msgspec.Struct):
    name: str
    email: str
    phone: str


class BanBody(msgspec.Struct):
    email: str | None = None
    phone: str | None = None


class RoleBody(msgspec.Struct):
    id: str


class MessageOut(msgspec.Struct):
    message: str


class UserOut(msgspec.Struct):
    id: str
    name: str
    phone: str
    email: str
    role: str
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=str(user.id),
            name=user.profile.name.value,
            phone=user.profile.phone.value,
            email=user.profile.email.value,
            role=user.role.value,
            created_at=user.created_at,
        )


class RoleOut(msgspec.Struct):
    message: str
    newRole: str


class NoSessionOut(msgspec.Struct):
    data: None
    message: str
