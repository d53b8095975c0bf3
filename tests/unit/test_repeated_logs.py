"""The log collapses identical warnings and errors: an outage writes a line and a count, not a
traceback per request."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator

import pytest

from allora.entrypoints.logs import JsonFormatter, RepeatCollapsingHandler


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def handler(out: io.StringIO, clock: Clock) -> RepeatCollapsingHandler:
    stream = logging.StreamHandler(out)
    stream.setFormatter(JsonFormatter())
    return RepeatCollapsingHandler(stream, window=10.0, clock=clock)


@pytest.fixture
def log(handler: RepeatCollapsingHandler) -> Iterator[logging.Logger]:
    logger = logging.getLogger(f"allora.test.{uuid.uuid4().hex}")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger
    logger.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def fail(log: logging.Logger, what: str = "connection refused") -> None:
    try:
        raise ConnectionRefusedError(111, what)
    except ConnectionRefusedError:
        log.exception("unhandled error")


def test_a_thousand_identical_failures_are_one_line_and_a_count(
    log: logging.Logger, handler: RepeatCollapsingHandler, out: io.StringIO
) -> None:
    for _ in range(1000):
        fail(log)
    handler.flush()
    first, count = lines(out)
    assert first["message"] == "unhandled error"
    assert "ConnectionRefusedError" in str(first["exception"])
    assert count["message"] == "unhandled error (repeated 999 times)"
    assert count["repeated"] == 999
    assert "exception" not in count


def test_the_count_comes_when_the_window_is_over_and_the_next_one_is_written_again(
    log: logging.Logger, out: io.StringIO, clock: Clock
) -> None:
    for _ in range(3):
        fail(log)
    clock.now = 10.0
    fail(log)
    assert [line["message"] for line in lines(out)] == [
        "unhandled error",
        "unhandled error (repeated 2 times)",
        "unhandled error",
    ]


def test_different_messages_levels_and_failures_are_each_written(
    log: logging.Logger, out: io.StringIO
) -> None:
    log.warning("database unavailable")
    log.error("database unavailable")
    log.warning("redis unavailable")
    fail(log)
    empty: dict[str, str] = {}
    try:
        empty["missing"]  # another exception, raised elsewhere
    except KeyError:
        log.exception("unhandled error")
    assert len(lines(out)) == 5


def test_information_is_never_collapsed(
    log: logging.Logger, handler: RepeatCollapsingHandler, out: io.StringIO
) -> None:
    for _ in range(5):
        log.info("request")
    handler.flush()
    assert [line["message"] for line in lines(out)] == ["request"] * 5


def test_a_single_failure_gets_no_count(
    log: logging.Logger, handler: RepeatCollapsingHandler, out: io.StringIO
) -> None:
    fail(log)
    handler.flush()
    assert len(lines(out)) == 1
