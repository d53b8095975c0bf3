"""Auth: sign-up, sign-in, sign-out and the current user (contract section "Auth")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from allora.application.current_user import CurrentUser
from allora.application.sign_in import SignIn
from allora.application.sign_out import SignOut
from allora.application.sign_up import SignUp
from allora.domain.errors import NotAuthenticated
from allora.entrypoints.http.access import session_token
from allora.entrypoints.http.auth_bodies import NoSessionOut, SignInBody, SignUpBody
from allora.entrypoints.http.clients import client_address
from allora.entrypoints.http.cookies import CookiePolicy
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import OPTIONAL_SESSION, SIGNED_IN_ONLY
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON
from allora.entrypoints.http.users_bodies import UserOut


class AuthController(Controller):
    path = "/api/auth"
    tags = ["Auth"]

    @post(
        "/signup",
        dto=StrictJSON[SignUpBody],
        return_dto=None,
        status_code=201,
        responses=documented(400, 403, 413, 422, 429),
    )
    async def sign_up(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SignUpBody],
        sign_up: NamedDependency[SignUp],
        cookie_policy: NamedDependency[CookiePolicy],
    ) -> Response[MessageOut]:
        """Creates an account and signs it in; the first account ever is ADMIN."""
        signed_in = await sign_up(
            name=data.name,
            email=data.email,
            phone=data.phone,
            password=data.password,
            client=client_address(request),
        )
        response = Response(MessageOut("Account created"), status_code=201)
        cookie_policy.grant(response, signed_in.token)
        return response

    @post(
        "/signin",
        dto=StrictJSON[SignInBody],
        return_dto=None,
        status_code=200,
        responses=documented(400, 401, 403, 413, 429),
    )
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SignInBody],
        sign_in: NamedDependency[SignIn],
        cookie_policy: NamedDependency[CookiePolicy],
    ) -> Response[MessageOut]:
        """Signs in with email and password; the session travels in the `token` cookie."""
        signed_in = await sign_in(
            email=data.email, password=data.password, client=client_address(request)
        )
        response = Response(MessageOut("Signed in"))
        cookie_policy.grant(response, signed_in.token)
        return response

    @post("/signout", status_code=200, security=OPTIONAL_SESSION)
    async def sign_out(
        self,
        request: Request[Any, Any, Any],
        sign_out: NamedDependency[SignOut],
        cookie_policy: NamedDependency[CookiePolicy],
    ) -> Response[MessageOut]:
        """Ends the session on the server and clears the cookie; fine without a session."""
        await sign_out(token=session_token(request))
        response = Response(MessageOut("Signed out"))
        cookie_policy.clear(response)
        return response

    @get(
        "/me",
        responses={
            401: ResponseSpec(
                data_container=NoSessionOut, description="No valid session", generate_examples=False
            )
        },
        security=SIGNED_IN_ONLY,
    )
    async def me(
        self, request: Request[Any, Any, Any], current_user: NamedDependency[CurrentUser]
    ) -> Response[UserOut]:
        """The signed-in user; 401 with `{"data": null}` when there is no valid session."""
        try:
            user = await current_user(token=session_token(request))
        except NotAuthenticated as error:
            return _no_session(error.message)
        return Response(UserOut.of(user))


def _no_session(message: str) -> Response[Any]:
    """The 401 body of `/me` (documented apart, so the 200 body is the user alone)."""
    return Response(NoSessionOut(None, message), status_code=401)
