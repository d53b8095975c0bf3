"""Web servers the browser tests run beside the API: static pages on an origin of their own,
and a reverse proxy that serves pages and forwards `/api` and `/media` (the storefront's
same-origin setup, as a Next.js rewrite does it)."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that belong to one hop and are not forwarded (RFC 9110, 7.6.1).
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
FORWARDED_PREFIXES = ("/api/", "/media/")


class Site(ThreadingHTTPServer):
    """Serves fixed pages (path -> (content type, text)) on 127.0.0.1; `origin` is what a
    browser that loads them from `localhost` calls this site."""

    daemon_threads = True

    def __init__(self, pages: Mapping[str, tuple[str, str]], upstream: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = dict(pages)
        self.upstream = upstream
        self.forwarded_origins: list[str | None] = []

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Site
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def do_OPTIONS(self) -> None:
        self._answer()

    def _answer(self) -> None:
        path = urlsplit(self.path).path
        if self.server.upstream and path.startswith(FORWARDED_PREFIXES):
            self._forward(self.server.upstream)
        elif self.command == "GET" and path in self.server.pages:
            content_type, text = self.server.pages[path]
            self._send(200, [("Content-Type", content_type)], text.encode())
        else:
            self._send(404, [("Content-Type", "text/plain")], b"not found")

    def _forward(self, upstream: str) -> None:
        """Passes the request on as it came (its `Origin` and cookies included), with `Host`
        set to the API's, as Next.js rewrites do; the answer comes back as it is."""
        target = urlsplit(upstream)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = target.netloc
        self.server.forwarded_origins.append(self.headers.get("Origin"))
        connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=30)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
            kept = [(k, v) for k, v in kept if k.lower() != "content-length"]
            self._send(answer.status, kept, content)
        finally:
            connection.close()

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read results, not logs."""


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    """Runs `site` on a thread until the block ends."""
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
        thread.join(timeout=10)
