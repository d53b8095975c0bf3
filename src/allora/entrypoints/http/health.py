"""Operations: liveness with a database round trip."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from allora.application.check_health import CheckHealth
from allora.entrypoints.http.replies import MessageOut


@get(
    "/health",
    tags=["Operations"],
    responses={
        503: ResponseSpec(
            data_container=MessageOut, description="Database unavailable", generate_examples=False
        )
    },
)
async def health(check_health: NamedDependency[CheckHealth]) -> Response[MessageOut]:
    """200 when the app and its database answer, 503 otherwise."""
    if await check_health():
        return Response(MessageOut("ok"))
    return Response(MessageOut("database unavailable"), status_code=503)
