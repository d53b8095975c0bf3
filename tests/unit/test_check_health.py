from __future__ import annotations

import asyncio
import logging

import pytest

from allora.application import check_health as module
from allora.application.check_health import CheckHealth
from tests.unit.fakes import FakeDatabase, FakeUnitOfWorkFactory

pytestmark = pytest.mark.anyio


class FakeCheck:
    """A dependency besides the database: answering, refusing, or never answering."""

    def __init__(self, name: str, state: str = "up") -> None:
        self.name, self.state = name, state
        self.calls = 0
        self.released = asyncio.Event()  # a silent check answers once released

    async def check(self) -> None:
        self.calls += 1
        if self.state == "down":
            raise ConnectionRefusedError(111, "Connection refused")
        if self.state == "silent":
            await self.released.wait()


async def test_the_shop_is_healthy_when_its_database_answers(check_health: CheckHealth) -> None:
    health = await check_health()
    assert health.answering == {"database": True}
    assert health.healthy


async def test_the_shop_is_unhealthy_when_no_transaction_opens(
    check_health: CheckHealth, database: FakeDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    database.reachable = False
    with caplog.at_level(logging.WARNING):
        health = await check_health()
    assert health.answering == {"database": False}
    assert not health.healthy
    assert "health check failed: database is down" in caplog.text


async def test_the_shop_is_unhealthy_when_the_query_fails(
    check_health: CheckHealth, database: FakeDatabase
) -> None:
    database.answering = False
    assert (await check_health()).answering == {"database": False}


async def test_a_health_check_changes_nothing(
    check_health: CheckHealth, database: FakeDatabase
) -> None:
    await check_health()
    assert database.commits == 0


async def test_each_dependency_is_reported_and_one_down_makes_the_shop_unhealthy(
    uow: FakeUnitOfWorkFactory,
) -> None:
    check = CheckHealth(uow, [FakeCheck("redis", "down")])
    health = await check()
    assert health.answering == {"database": True, "redis": False}
    assert not health.healthy


async def test_a_dependency_that_does_not_answer_in_time_is_down_and_not_asked_twice(
    uow: FakeUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(module, "CHECK_SECONDS", 0.05)
    silent = FakeCheck("redis", "silent")
    check = CheckHealth(uow, [silent])
    with caplog.at_level(logging.WARNING):
        assert (await check()).answering == {"database": True, "redis": False}
        assert (await check()).answering == {"database": True, "redis": False}
    assert "redis is down (no answer within 0.05 s)" in caplog.text
    assert silent.calls == 1  # the second /health waited on the first check, still running

    silent.state = "up"
    silent.released.set()
    assert (await check()).healthy
