"""Users: profile, admin listing, bans and roles (contract section "Users")."""

from __future__ import annotations

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from allora.application.ban_user import BanUser
from allora.application.list_users import ListUsers
from allora.application.toggle_role import ToggleRole
from allora.application.update_profile import UpdateProfile
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import ADMIN, SIGNED_IN
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.paging import page_response
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON
from allora.entrypoints.http.users_bodies import (
    BanUserBody,
    RoleOut,
    ToggleRoleBody,
    UpdateProfileBody,
    UserOut,
)


class UsersController(Controller):
    path = "/api"
    tags = ["Users"]

    @post(
        "/user",
        opt=SIGNED_IN,
        dto=StrictJSON[UpdateProfileBody],
        return_dto=None,
        status_code=200,
        responses=documented(400, 401, 403, 413, 422),
    )
    async def update_profile(
        self,
        data: JSONBody[UpdateProfileBody],
        actor: NamedDependency[User],
        update_profile: NamedDependency[UpdateProfile],
    ) -> MessageOut:
        """Changes the signed-in user's name, email and phone."""
        await update_profile(actor=actor, name=data.name, email=data.email, phone=data.phone)
        return MessageOut("Profile updated")

    @get("/users", opt=ADMIN, responses=documented(400, 401, 403), response_headers=TOTAL_COUNT)
    async def list_users(
        self,
        actor: NamedDependency[User],
        list_users: NamedDependency[ListUsers],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[UserOut]]:
        """Every account, oldest first (ADMIN). The total is in `X-Total-Count`."""
        paged = await list_users(actor=actor, page=Page.parse(limit, offset))
        return page_response([UserOut.of(user) for user in paged.items], paged.total)

    @post(
        "/user/ban",
        opt=ADMIN,
        dto=StrictJSON[BanUserBody],
        return_dto=None,
        status_code=200,
        responses=documented(400, 401, 403, 409, 413),
    )
    async def ban(
        self,
        data: JSONBody[BanUserBody],
        actor: NamedDependency[User],
        ban_user: NamedDependency[BanUser],
    ) -> MessageOut:
        """Bans an email and a phone (ADMIN): no sign-up or sign-in, sessions end at once."""
        await ban_user(actor=actor, email=data.email, phone=data.phone)
        return MessageOut("User banned")

    @put(
        "/user/role",
        opt=ADMIN,
        dto=StrictJSON[ToggleRoleBody],
        return_dto=None,
        responses=documented(400, 401, 403, 404, 409, 413),
    )
    async def toggle_role(
        self,
        data: JSONBody[ToggleRoleBody],
        actor: NamedDependency[User],
        toggle_role: NamedDependency[ToggleRole],
    ) -> RoleOut:
        """Switches a user between USER and ADMIN (ADMIN); the last ADMIN cannot be demoted."""
        new_role = await toggle_role(actor=actor, user_id=data.id)
        return RoleOut(message=f"Role changed to {new_role.value}", newRole=new_role.value)
