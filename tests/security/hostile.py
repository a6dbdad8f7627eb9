"""Hostile HTTP servers on 127.0.0.1: what a page or feed on the open web may do to a fetcher."""

from __future__ import annotations

import gzip
import time
import zlib
from http.server import BaseHTTPRequestHandler

from tests.httpserver import QuietHandler


def stacked_gzip(megabytes: int, layers: int = 2) -> bytes:
    """``megabytes`` of zeros gzipped ``layers`` times: a few KB on the wire (built a megabyte at
    a time, so the test itself never holds the bomb)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * 1_000_000
    body = b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()
    for _ in range(layers - 1):
        body = gzip.compress(body, compresslevel=9)
    return body


def bomb_handler(payload: bytes, layers: int = 2) -> type[BaseHTTPRequestHandler]:
    class Bomb(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", ", ".join(["gzip"] * layers))
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Bomb


class Trickle(QuietHandler):
    """Sends its status line and headers one byte every ``gap`` seconds, never finishing in time."""

    gap = 0.5

    def do_GET(self) -> None:  # noqa: N802
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
        try:
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.gap)
        except OSError:
            pass  # the client gave up: what the test wants


def body_handler(body: bytes, ctype: str = "application/rss+xml") -> type[BaseHTTPRequestHandler]:
    class Body(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_body(200, ctype, body)

    return Body
