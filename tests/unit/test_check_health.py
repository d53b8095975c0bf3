from __future__ import annotations

import logging

import pytest

from allora.application.check_health import CheckHealth
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio


async def test_the_shop_is_healthy_when_its_database_answers(check_health: CheckHealth) -> None:
    assert await check_health() is True


async def test_the_shop_is_unhealthy_when_no_transaction_opens(
    check_health: CheckHealth, database: FakeDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    database.reachable = False
    with caplog.at_level(logging.ERROR):
        assert await check_health() is False
    assert "health check failed" in caplog.text


async def test_the_shop_is_unhealthy_when_the_query_fails(
    check_health: CheckHealth, database: FakeDatabase
) -> None:
    database.answering = False
    assert await check_health() is False


async def test_a_health_check_changes_nothing(
    check_health: CheckHealth, database: FakeDatabase
) -> None:
    await check_health()
    assert database.commits == 0
