"""Wire types of the users area: profiles, bans, roles and the User JSON."""

from __future__ import annotations

from datetime import datetime

import msgspec

from allora.domain.users import User


class UpdateProfileBody(msgspec.Struct):
    name: str
    email: str
    phone: str


class BanUserBody(msgspec.Struct):
    email: str | None = None
    phone: str | None = None


class ToggleRoleBody(msgspec.Struct):
    id: str


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
