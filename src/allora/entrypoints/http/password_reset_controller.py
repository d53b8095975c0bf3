"""Password reset by a mailed code (contract section "Password reset")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from allora.application.request_password_reset import RequestPasswordReset
from allora.application.reset_password import ResetPassword
from allora.entrypoints.http.account_bodies import ForgotPasswordBody, ResetPasswordBody
from allora.entrypoints.http.clients import client_address
from allora.entrypoints.http.cookies import CookiePolicy
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON

# One answer whether or not an account has the address: no account enumeration.
ASKED = "If an account has this email, a reset code is on its way"


class PasswordResetController(Controller):
    path = "/api/auth/password"
    tags = ["Auth"]

    @post(
        "/forgot",
        dto=StrictJSON[ForgotPasswordBody],
        return_dto=None,
        status_code=200,
        responses=documented(400, 413, 429),
    )
    async def forgot(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ForgotPasswordBody],
        request_password_reset: NamedDependency[RequestPasswordReset],
    ) -> MessageOut:
        """Mails a 6-digit reset code, valid 15 minutes, to the account with this email."""
        await request_password_reset(email=data.email, client=client_address(request))
        return MessageOut(ASKED)

    @post(
        "/reset",
        dto=StrictJSON[ResetPasswordBody],
        return_dto=None,
        status_code=200,
        responses=documented(400, 401, 403, 413, 429),
    )
    async def reset(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ResetPasswordBody],
        reset_password: NamedDependency[ResetPassword],
        cookie_policy: NamedDependency[CookiePolicy],
    ) -> Response[MessageOut]:
        """Sets a new password with the mailed code, ends every session of the account and
        signs this request in (the `token` cookie)."""
        signed_in = await reset_password(
            email=data.email,
            code=data.code,
            new_password=data.newPassword,
            client=client_address(request),
        )
        response = Response(MessageOut("Password changed"))
        cookie_policy.grant(response, signed_in.token)
        return response
