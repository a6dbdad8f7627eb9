"""Hostile servers: a compressed bomb, a trickle, a feed body that names a local file, and
httpx used through its public API only."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.sources.fetch import Fetcher, FetchPolicy
from retrieval.sources.loaders import load
from tests.conftest import ROOT
from tests.httpserver import running
from tests.security.hostile import Trickle, body_handler, bomb_handler, stacked_gzip

LOOPBACK = "127.0.0.0/8"
PEAK_MB = 400

FETCH_ONE = """
import json, sys
from retrieval.sources.fetch import Fetcher, FetchPolicy
fetcher = Fetcher(FetchPolicy.parse("127.0.0.0/8", 10_000_000, 30))
try:
    fetcher.get(sys.argv[1])
    outcome = "fetched"
except ValueError as exc:
    outcome = str(exc)
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))  # this process's own peak
print(json.dumps({"outcome": outcome, "peak_mb": int(peak.split()[1]) / 1024}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("layers", [1, 2, 3])
def test_a_stacked_gzip_bomb_is_refused_within_bounded_memory(layers: int) -> None:
    payload = stacked_gzip(600 if layers > 1 else 200, layers)  # 600 MB of zeros, a few KB sent
    with running(bomb_handler(payload, layers)) as base:
        done = subprocess.run([sys.executable, "-c", FETCH_ONE, f"{base}/bomb"], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
    result = json.loads(done.stdout)
    assert "larger than the source size limit" in result["outcome"]
    assert result["peak_mb"] < PEAK_MB, result


@pytest.mark.parametrize("encoding", ["gzip, gzip", "deflate", "identity"])
def test_a_page_inside_the_limit_still_decompresses(encoding: str) -> None:
    import gzip
    import zlib

    from tests.httpserver import QuietHandler

    page = b"<html><body>" + b"<p>The council met on Monday.</p>" * 1000 + b"</body></html>"
    payload = {"gzip, gzip": lambda b: gzip.compress(gzip.compress(b)), "deflate": zlib.compress,
               "identity": lambda b: b}[encoding](page)

    class Encoded(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    with running(Encoded) as base:
        got = Fetcher(FetchPolicy.parse(LOOPBACK, 10_000_000, 10)).get(f"{base}/p")
    assert got.content == page


@pytest.mark.slow
@pytest.mark.serial
def test_a_trickling_server_is_given_up_at_the_deadline() -> None:
    fetcher = Fetcher(FetchPolicy.parse(LOOPBACK, 10_000_000, 2.0))
    with running(Trickle) as base:
        started = time.monotonic()
        with pytest.raises(ValueError, match="took longer than 2 s"):
            fetcher.get(f"{base}/slow")
        took = time.monotonic() - started
    assert took < 3.5, took


def test_a_feed_body_naming_a_local_file_is_not_read(tmp_path: Path) -> None:
    local = tmp_path / "private.xml"
    local.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Private</title>"
                     "<item><title>Secret memo</title><link>https://example.org/memo</link>"
                     "<description>The password is swordfish.</description></item></channel></rss>")
    with running(body_handler(str(local).encode())) as base:
        items = list(load([f"{base}/feed.xml"], Fetcher(FetchPolicy.parse(LOOPBACK, 10_000_000, 10))))
    assert len(items) == 1 and "is not an RSS or Atom feed" in items[0].reason  # type: ignore[union-attr]
    assert "Secret memo" not in repr(items)


def test_the_fetcher_uses_no_private_httpx_or_httpcore_attribute() -> None:
    """httpx's ``transport._pool`` changed shape between releases; the fetcher builds its own."""
    tree = ast.parse((ROOT / "retrieval" / "sources" / "fetch.py").read_text())
    private = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
               and node.attr.startswith("_") and not node.attr.startswith("__")
               and not (isinstance(node.value, ast.Name) and node.value.id == "self")}
    assert not private, private
