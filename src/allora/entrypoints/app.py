"""The HTTP app: `create_app(settings)` serves the use cases the composition root
(`wiring.py`) builds; nothing is read at import time, so tests build as many apps as they like."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware

from allora.entrypoints.http.access import SessionGuard, provide_actor, provide_author
from allora.entrypoints.http.account_controller import AccountController
from allora.entrypoints.http.auth_controller import AuthController
from allora.entrypoints.http.catalogue_cache import CatalogueCacheMiddleware, ResponseCache
from allora.entrypoints.http.clients import TrustedProxies
from allora.entrypoints.http.comments_controller import CommentsController
from allora.entrypoints.http.cookies import CookiePolicy
from allora.entrypoints.http.discounts_controller import DiscountsController
from allora.entrypoints.http.errors import EXCEPTION_HANDLERS
from allora.entrypoints.http.health import health
from allora.entrypoints.http.media import media
from allora.entrypoints.http.middleware import OriginCheckMiddleware, RequestLogMiddleware
from allora.entrypoints.http.openapi import DescribeRoutes, openapi_config
from allora.entrypoints.http.orders_controller import OrdersController
from allora.entrypoints.http.paging import strict_paging
from allora.entrypoints.http.password_reset_controller import PasswordResetController
from allora.entrypoints.http.products_controller import ProductsController
from allora.entrypoints.http.security_headers import security_headers
from allora.entrypoints.http.tickets_controller import TicketsController
from allora.entrypoints.http.users_controller import UsersController
from allora.entrypoints.http.wishlist_controller import WishlistController
from allora.entrypoints.logs import configure_logging
from allora.entrypoints.media_sweep import StartupSweep
from allora.entrypoints.settings import Settings
from allora.entrypoints.startup_task import StartupTask
from allora.entrypoints.wiring import Container, UseCases, load_settings
from allora.entrypoints.worker import BackgroundRelay

MAX_JSON_BODY = 1024 * 1024
CATALOGUE_CACHE_BYTES = 64 * 1024 * 1024
# A safety net only: changes are seen at once; this bounds how long a lost notice could matter.
CATALOGUE_CACHE_SECONDS = 60.0


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    settings = settings or load_settings()
    container = container or Container.build(settings)
    configure_logging(logging.WARNING if settings.env == "test" else logging.INFO)
    cookies = CookiePolicy(settings.cookie_secure, settings.session_lifetime)
    cors = (
        CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type", "Idempotency-Key"],
            expose_headers=["X-Total-Count", "X-Request-ID"],
        )
        if settings.cors_origins
        else None
    )
    on_startup: list[Callable[[], object]] = [
        container.catalogue_version.start,
        container.session_version.start,
        container.password_hasher.warm_up,
    ]
    on_shutdown: list[Callable[[], object]] = [gc.unfreeze, container.close]
    sweep = StartupSweep(container.use_cases.sweep_orphan_images)  # files a crash left behind
    on_startup.append(sweep.start)
    on_shutdown.insert(0, sweep.stop)
    if settings.database_pool_warm:  # the first burst after a start finds connections open
        pool = StartupTask(container.open_pool)
        on_startup.append(pool.start)
        on_shutdown.insert(0, pool.stop)
    if settings.outbox_in_process:  # one-process deployments: no `allora worker` needed
        relay = BackgroundRelay(container.relay_loop())
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
            OrdersController,
            media,
            health,
        ],
        dependencies=providers(container, cookies),
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
            DefineMiddleware(SessionGuard, current_user=container.use_cases.current_user),
        ],
        cors_config=cors,
        request_max_body_size=MAX_JSON_BODY,
        openapi_config=openapi_config(),
        plugins=[DescribeRoutes()],
        before_request=strict_paging,
        before_send=[security_headers],
        on_startup=[*on_startup, _freeze_startup_objects],
        on_shutdown=on_shutdown,
        state=State({"media_sweep": sweep, **TrustedProxies(settings.trusted_proxies).state()}),
        debug=False,
    )


def _freeze_startup_objects() -> None:
    """Everything built at start-up (modules, tables, routes, compiled schemas) lives as long as
    the process. Left to the cyclic garbage collector, each full collection walked them all,
    about 190,000 objects and up to 100 ms with the event loop stopped: the products page's p99
    under mixed load. Frozen, they are no longer walked."""
    gc.collect()
    gc.freeze()


def providers(container: Container, cookies: CookiePolicy) -> dict[str, Provide]:
    """What handlers may ask for by name: each use case, the signed-in user, and the few
    adapters a response needs (image URLs, the cookie)."""
    cases: UseCases = container.use_cases
    table: dict[str, object] = {
        "sign_up": cases.sign_up,
        "sign_in": cases.sign_in,
        "sign_out": cases.sign_out,
        "current_user": cases.current_user,
        "update_profile": cases.update_profile,
        "list_users": cases.list_users,
        "ban_user": cases.ban_user,
        "toggle_role": cases.toggle_role,
        "check_health": cases.check_health,
        "create_product": cases.create_product,
        "list_products": cases.list_products,
        "get_product": cases.get_product,
        "update_product": cases.update_product,
        "delete_product": cases.delete_product,
        "add_comment": cases.add_comment,
        "list_comments": cases.list_comments,
        "list_all_comments": cases.list_all_comments,
        "approve_comment": cases.approve_comment,
        "reject_comment": cases.reject_comment,
        "delete_comment": cases.delete_comment,
        "add_to_wishlist": cases.add_to_wishlist,
        "list_wishlist": cases.list_wishlist,
        "remove_from_wishlist": cases.remove_from_wishlist,
        "create_discount": cases.create_discount,
        "list_discounts": cases.list_discounts,
        "delete_discount": cases.delete_discount,
        "redeem_discount": cases.redeem_discount,
        "open_ticket": cases.open_ticket,
        "list_tickets": cases.list_tickets,
        "answer_ticket": cases.answer_ticket,
        "update_account": cases.update_account,
        "save_billing_details": cases.save_billing_details,
        "get_billing_details": cases.get_billing_details,
        "request_password_reset": cases.request_password_reset,
        "reset_password": cases.reset_password,
        "quote_cart": cases.quote_cart,
        "place_order": cases.place_order,
        "list_orders": cases.list_orders,
        "get_order": cases.get_order,
        "change_order_status": cases.change_order_status,
        "image_store": container.ports.images,
        "cookie_policy": cookies,
    }
    constants = {
        name: Provide(_constant(value), use_cache=True, sync_to_thread=False)
        for name, value in table.items()
    }
    return {
        **constants,
        "actor": Provide(provide_actor, sync_to_thread=False),
        "author": Provide(provide_author, sync_to_thread=False),
    }


def _constant(value: object) -> Callable[[], object]:
    """A provider handing out one object built at start-up."""

    def provide() -> object:
        return value

    return provide
