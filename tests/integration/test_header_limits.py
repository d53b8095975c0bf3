"""Request heads are bounded (contract: request headers over the server's limit are 431) on a
real `allora serve`: a flood is refused at once and the worker goes on serving; bodies and
ordinary headers are untouched."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from allora.entrypoints.http_protocol import MAX_HEAD_BYTES, MAX_LINE_BYTES
from tests.integration.servers import migrated_sqlite, running_shop

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("header-limits")
    with running_shop(var_dir, {"database_url": migrated_sqlite(var_dir)}) as base:
        yield base


def exchange(base: str, head: bytes, body: bytes = b"") -> bytes:
    """Sends a raw request (from another thread, as a flood would keep sending) and returns
    what the server answered before closing or within 10 s."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:

        def send() -> None:
            with contextlib.suppress(OSError):  # the server closes on a flood: expected
                raw.sendall(head + body)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
                chunk = raw.recv(65536)
                if not chunk:
                    break
                answer += chunk
        sender.join(timeout=10)
        return answer


def request_head(*headers: bytes, target: bytes = b"/health", method: bytes = b"GET") -> bytes:
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: localhost", *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_one_mib_header_is_431_and_the_server_answers_at_once(server: str) -> None:
    answer = exchange(server, request_head(b"X-Flood: " + b"a" * MIB))
    assert status_of(answer) == 431, answer[:200]
    assert answer.endswith(b'{"message":"Request headers are too large"}')
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert b"x-content-type-options: nosniff" in head
    assert b"x-frame-options: deny" in head
    assert httpx.get(f"{server}/health", timeout=30).status_code == 200  # the worker serves on


@pytest.mark.parametrize(
    "head",
    [
        request_head(b"X-Long: " + b"b" * (MAX_LINE_BYTES + 1)),  # one line over its limit
        request_head(target=b"/health?" + b"q" * (MAX_LINE_BYTES + 1)),  # the request line
        request_head(*(b"X-Many-%d: %s" % (i, b"c" * 1000) for i in range(MAX_HEAD_BYTES // 1000))),
    ],
    ids=["one long header", "long request line", "many headers"],
)
def test_heads_over_the_limits_are_431(server: str, head: bytes) -> None:
    assert status_of(exchange(server, head)) == 431


def test_ordinary_headers_and_large_bodies_are_served(server: str) -> None:
    headers = {f"X-Ordinary-{i}": "d" * 500 for i in range(20)}  # 10 KiB of headers
    with httpx.Client(base_url=server, timeout=30) as client:
        assert client.get("/health", headers=headers).status_code == 200
        assert client.get("/health", headers={"X-One": "e" * 8000}).status_code == 200
        body = b'{"email": "' + b"f" * (512 * 1024) + b'", "password": "x"}'
        response = client.post(
            "/api/auth/signin/", content=body, headers={"Content-Type": "application/json"}
        )
        # the app read the whole body (and found the address too long): a body is not a head
        assert response.json()["message"] == "email must be a valid email address"
        assert client.get("/health").status_code == 200  # the same connection goes on
