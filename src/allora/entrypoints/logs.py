"""Structured logs: one JSON object per line, with the request id when there is one."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
REPEAT_WINDOW_SECONDS = 10.0

# logger, level, message, and for an exception its type and where it was raised
_Key = tuple[str, int, str, str, str]


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...extra fields, "exception"?}`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


@dataclass
class _Window:
    started: float
    first: logging.LogRecord
    repeats: int = 0


class RepeatCollapsingHandler(logging.Handler):
    """Hands records to `target`, except a warning or error identical to one handed on less
    than `window` seconds ago (same logger, level and message; for an exception, the same type
    raised at the same place): that one is only counted. The count, `... (repeated N times)`,
    is written with the first record after the window (or at `flush`, which `logging.shutdown`
    calls). An outage fails every request alike; without this, each failure wrote its own
    traceback (34 MB of log in 12 s)."""

    def __init__(
        self,
        target: logging.Handler,
        window: float = REPEAT_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.target, self.window, self._clock = target, window, clock
        self._open: dict[_Key, _Window] = {}

    def emit(self, record: logging.LogRecord) -> None:
        now = self._clock()
        self._close_windows(lambda window: now - window.started >= self.window)
        if record.levelno < logging.WARNING:
            self.target.handle(record)
            return
        key = _key(record)
        window = self._open.get(key)
        if window is not None:
            window.repeats += 1
            return
        self._open[key] = _Window(now, record)
        self.target.handle(record)

    def flush(self) -> None:
        """Says how many repeats every open window holds (at exit, too: `logging.shutdown`)."""
        self.acquire()
        try:
            self._close_windows(lambda _: True)
        finally:
            self.release()
        self.target.flush()

    def close(self) -> None:
        self.flush()
        self.target.close()
        super().close()

    def _close_windows(self, ended: Callable[[_Window], bool]) -> None:
        for key, window in list(self._open.items()):
            if ended(window):
                del self._open[key]
                if window.repeats:
                    self.target.handle(_repeated(window))


def _key(record: logging.LogRecord) -> _Key:
    kind = place = ""
    if record.exc_info and record.exc_info[0] is not None:
        kind = record.exc_info[0].__qualname__
        tb = record.exc_info[2]
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            place = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
    return record.name, record.levelno, record.getMessage(), kind, place


def _repeated(window: _Window) -> logging.LogRecord:
    first = window.first
    return logging.makeLogRecord(
        {
            "name": first.name,
            "levelno": first.levelno,
            "levelname": first.levelname,
            "msg": f"{first.getMessage()} (repeated {window.repeats} times)",
            "repeated": window.repeats,
        }
    )


def configure_logging(level: int) -> None:
    """Idempotent: the `allora` logger writes JSON lines to stderr, identical warnings and
    errors collapsed (`RepeatCollapsingHandler`), and does not propagate."""
    logger = logging.getLogger("allora")
    if not logger.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(JsonFormatter())
        logger.addHandler(RepeatCollapsingHandler(stream))
    logger.propagate = False
    logger.setLevel(level)
