"""Operations: is this process able to serve, and which dependency is down if not."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from allora.application.check_health import CheckHealth
from allora.entrypoints.http.errors import RETRY_AFTER_SECONDS

State = Literal["ok", "down"]


class HealthOut(msgspec.Struct, omit_defaults=True):
    """`message` "ok" or "unavailable", then the state of each dependency the configuration
    needs (`redis` only when ALLORA_REDIS_URL is set)."""

    message: Literal["ok", "unavailable"]
    database: State
    redis: State | None = None


@get(
    "/health",
    tags=["Operations"],
    responses={
        503: ResponseSpec(
            data_container=HealthOut, description="A dependency is down", generate_examples=False
        ),
    },
)
async def health(check_health: NamedDependency[CheckHealth]) -> Response[HealthOut]:
    """200 when the app and every dependency its configuration needs answer, 503 otherwise."""
    result = await check_health()
    states: dict[str, State] = {
        name: "ok" if up else "down" for name, up in result.answering.items()
    }
    body = HealthOut(
        message="ok" if result.healthy else "unavailable",
        database=states["database"],
        redis=states.get("redis"),
    )
    if result.healthy:
        return Response(body)
    return Response(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
