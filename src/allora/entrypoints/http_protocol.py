"""uvicorn's httptools protocol with a bound on the request line and headers.

httptools sets none and joins a header's pieces by bytes concatenation: a 64 MiB header was
accepted and stalled its worker for seconds. Here the bytes of a request's head are counted as
they arrive, before the parser sees them, and a head over `MAX_HEAD_BYTES` (or one line over
`MAX_LINE_BYTES`) is answered 431 and the connection closed. Bodies are not counted.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

MAX_LINE_BYTES = 16 * 1024  # the request line, or one header's name and value
MAX_HEAD_BYTES = 64 * 1024  # the request line and every header together
_BODY = b'{"message":"Request headers are too large"}'


class _HeadTooLarge(Exception):
    """Raised inside a parser callback to stop parsing a head over the limits."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """`HttpToolsProtocol`, refusing request heads over the limits with 431."""

    _head_bytes = 0
    _in_head = True
    _too_large = False

    def data_received(self, data: bytes) -> None:
        while data and self._in_head and not self.transport.is_closing():
            room = MAX_HEAD_BYTES - self._head_bytes
            if room <= 0:
                self._refuse()
                return
            piece, data = data[:room], data[room:]
            self._head_bytes += len(piece)
            super().data_received(piece)
        if data and not self.transport.is_closing():
            super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_LINE_BYTES:
            self._too_large = True
            raise _HeadTooLarge

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(name) + len(value) > MAX_LINE_BYTES:
            self._too_large = True
            raise _HeadTooLarge
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head, self._head_bytes = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True

    def send_400_response(self, msg: str) -> None:
        """uvicorn answers a failed parser callback with 400: ours means the head is too large."""
        if self._too_large:
            self._refuse()
        else:
            super().send_400_response(msg)

    def _refuse(self) -> None:
        defaults = [b"%s: %s\r\n" % header for header in self.server_state.default_headers]
        self.transport.write(
            b"".join(
                [
                    STATUS_LINE[431],
                    *defaults,
                    b"content-type: application/json\r\n",
                    b"x-content-type-options: nosniff\r\n",  # as every response carries
                    b"x-frame-options: DENY\r\n",
                    b"cache-control: no-store\r\n",
                    b"content-length: %d\r\n" % len(_BODY),
                    b"connection: close\r\n\r\n",
                    _BODY,
                ]
            )
        )
        self.transport.close()
