"""A small real HTTP server on 127.0.0.1 for URL and feed ingestion tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, str, bytes]  # status, content type, body


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that answers whole bodies and logs nothing."""

    def send_body(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(routes: dict[str, Route], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``routes`` (path -> response); yields the base URL ``http://HOST:PORT``."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self.send_body(*routes.get(self.path, (404, "text/plain", b"not found")))

    with running(Handler, host) as base:
        yield base


@contextmanager
def running(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``handler`` on a free port of ``host`` (a loopback address) in a thread; yields its base URL."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    # serve_forever looks for a shutdown request every poll interval; 0.5 s (the default) would
    # be paid by every test that stops a server
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/article"
