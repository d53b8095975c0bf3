"""The OpenAPI document, precise enough to generate a typed client from (clients/typescript).

Each route already says who may call it (`opt=ADMIN | SIGNED_IN | ANYONE`, see `access`) and
which errors it answers (`errors.documented`); here that becomes the document's security (the
`token` cookie), so no route has to say it twice; list routes name `TOTAL_COUNT`. The errors
every route of a kind can answer, whatever its handler does, are added here too: 403 from the
Origin check on writes, 415 for a JSON body that is not JSON, 503 when a dependency is down.
"""

from __future__ import annotations

from litestar.datastructures import ResponseHeader
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from allora.entrypoints.http.access import COOKIE_NAME, Access
from allora.entrypoints.http.errors import documented

SESSION = "session"
SIGNED_IN_ONLY: list[SecurityRequirement] = [{SESSION: []}]
OPTIONAL_SESSION: list[SecurityRequirement] = [
    {},
    {SESSION: []},
]  # a visitor, or the session's user

# Documentation only: `paging.page_response` / `paging.encoded_page` send it.
TOTAL_COUNT = [
    ResponseHeader(
        name="X-Total-Count",
        value="0",
        documentation_only=True,
        required=True,
        description="How many items the whole listing has, in decimal digits (the body "
        "holds one page of it: `limit` and `offset`)",
    )
]


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Allora Shop API",
        version="1.0.0",
        path="/schema",
        render_plugins=[SwaggerRenderPlugin(path="/")],
        components=Components(
            security_schemes={
                SESSION: SecurityScheme(
                    type="apiKey",
                    name=COOKIE_NAME,
                    security_scheme_in="cookie",
                    description="The HttpOnly session cookie set by sign-up, sign-in and "
                    'password reset; a browser sends it by itself (`credentials: "include"` '
                    "across origins)",
                )
            }
        ),
    )


class DescribeRoutes(ReceiveRoutePlugin):
    """Gives each route, as it is registered, the security its access means (a route without
    an access is public)."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.include_in_schema:
                _describe(handler)


_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _describe(handler: HTTPRouteHandler) -> None:
    statuses = [503]  # every route may meet a database or Redis outage
    if handler.http_methods & _WRITES:
        statuses.append(403)  # refused by the Origin check (CSRF)
    if _takes_json(handler):
        statuses.append(415)
    handler.responses = {**documented(*statuses), **(handler.responses or {})}
    access = handler.opt.get("access")
    if access in (Access.SIGNED_IN, Access.ADMIN):
        handler.security = SIGNED_IN_ONLY
    elif access is Access.ANYONE:
        handler.security = OPTIONAL_SESSION


def _takes_json(handler: HTTPRouteHandler) -> bool:
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    media_type = getattr(data.kwarg_definition, "media_type", None)
    return media_type in (None, RequestEncodingType.JSON)
