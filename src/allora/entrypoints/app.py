"""The composition root of the HTTP app: `create_app(settings)` wires everything, reads nothing
at import time, so tests build as many apps as they like."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import fields

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from allora.adapters.clock import SystemClock
from allora.adapters.sql.outbox_wakeups import outbox_wakeups
from allora.entrypoints.container import Container
from allora.entrypoints.http.account_controller import AccountController
from allora.entrypoints.http.auth import CookiePolicy
from allora.entrypoints.http.auth_controller import AuthController
from allora.entrypoints.http.catalogue_cache import CatalogueCacheMiddleware, ResponseCache
from allora.entrypoints.http.comments_controller import CommentsController
from allora.entrypoints.http.errors import EXCEPTION_HANDLERS
from allora.entrypoints.http.health import health
from allora.entrypoints.http.media import media
from allora.entrypoints.http.middleware import OriginCheckMiddleware, RequestLogMiddleware
from allora.entrypoints.http.paging import strict_paging
from allora.entrypoints.http.password_reset_controller import PasswordResetController
from allora.entrypoints.http.products_controller import ProductsController
from allora.entrypoints.http.shop_controllers import (
    DiscountsController,
    TicketsController,
    WishlistController,
)
from allora.entrypoints.http.users_controller import UsersController
from allora.entrypoints.logs import configure_logging
from allora.entrypoints.settings import Settings
from allora.entrypoints.worker import BackgroundRelay, RelayLoop

MAX_JSON_BODY = 1024 * 1024
CATALOGUE_CACHE_BYTES = 64 * 1024 * 1024
# A safety net only: changes are seen at once; this bounds how long a lost notice could matter.
CATALOGUE_CACHE_SECONDS = 10.0


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    container = container or Container.build(settings)
    configure_logging(logging.WARNING if settings.env == "test" else logging.INFO)
    cookies = CookiePolicy(settings.cookie_secure, settings.session_lifetime)
    use_cases = {f.name: getattr(container, f.name) for f in fields(container)}
    use_cases.update({f.name: getattr(container.shop, f.name) for f in fields(container.shop)})
    dependencies = {
        name: Provide(_constant(value), use_cache=True, sync_to_thread=False)
        for name, value in use_cases.items()
        if name not in {"engine", "catalogue_version", "password_hasher", "shop"}
    }
    dependencies["cookie_policy"] = Provide(
        _constant(cookies), use_cache=True, sync_to_thread=False
    )
    cors = (
        CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type"],
            expose_headers=["X-Total-Count", "X-Request-ID"],
        )
        if settings.cors_origins
        else None
    )
    on_startup: list[Callable[[], object]] = [
        container.catalogue_version.start,
        container.password_hasher.warm_up,
    ]
    on_shutdown: list[Callable[[], object]] = [
        gc.unfreeze,
        container.catalogue_version.close,
        container.engine.dispose,
    ]
    if settings.outbox_in_process:  # one-process deployments: no `allora worker` needed
        wakeups = outbox_wakeups(settings.database_url)
        relay = BackgroundRelay(RelayLoop(container.outbox_relay, wakeups, SystemClock()))
        on_startup.append(relay.start)
        on_shutdown.insert(0, relay.stop)
    return Litestar(
        route_handlers=[
            AuthController,
            UsersController,
            ProductsController,
            CommentsController,
            WishlistController,
            DiscountsController,
            TicketsController,
            AccountController,
            PasswordResetController,
            media,
            health,
        ],
        dependencies=dependencies,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[
            RequestLogMiddleware,
            DefineMiddleware(OriginCheckMiddleware, allowed=settings.cors_origins),
            DefineMiddleware(
                CatalogueCacheMiddleware,
                version=container.catalogue_version,
                cache=ResponseCache(settings.catalogue_cache_entries, CATALOGUE_CACHE_BYTES),
                max_age=CATALOGUE_CACHE_SECONDS,
            ),
        ],
        cors_config=cors,
        request_max_body_size=MAX_JSON_BODY,
        openapi_config=OpenAPIConfig(
            title="Allora Shop API",
            version="1.0.0",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(path="/")],
        ),
        before_request=strict_paging,
        on_startup=[*on_startup, _freeze_startup_objects],
        on_shutdown=on_shutdown,
        state=State({"current_user": container.current_user}),
        debug=False,
    )


def _freeze_startup_objects() -> None:
    """Everything built at start-up (modules, tables, routes, compiled schemas) lives as long as
    the process. Left to the cyclic garbage collector, each full collection walked them all,
    about 190,000 objects and up to 100 ms with the event loop stopped: the products page's p99
    under mixed load. Frozen, they are no longer walked."""
    gc.collect()
    gc.freeze()


def _constant(value: object) -> Callable[[], object]:
    """A provider handing out one object built at start-up."""

    def provide() -> object:
        return value

    return provide
