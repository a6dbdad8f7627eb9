"""Hostile URLs: internal addresses, redirects and feeds that point inside, huge and slow downloads.

Every server here is on the loopback range: 127.0.0.1 plays the internal service an attacker
wants to reach, 127.0.0.2 plays a site the settings allow (as an intranet would be allowed).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.engine import Engine
from bot.frontends import cli
from bot.settings import Settings
from retrieval.index.embeddings import Embedder
from retrieval.sources.fetch import FetchPolicy, is_public
from tests.conftest import FIXTURES
from tests.httpserver import QuietHandler, running, serve

SECRET_PAGE = (b"<html><head><title>Internal wiki</title></head><body><article><p>"
               + b"The internal database password is hunter2, said the administrator on Monday. " * 5
               + b"</p></article></body></html>")
ARTICLE = (FIXTURES / "article.html").read_bytes()


def engine_with(home: Path, embedder: Embedder, **settings: object) -> Engine:
    return Engine(Settings(home=home, **settings), embedder=embedder)  # type: ignore[arg-type]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.251", "240.0.0.1", "255.255.255.255",
                                     "::1", "fe80::1", "fc00::5", "::ffff:127.0.0.1", "ff02::1", "::"])
def test_non_public_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert not FetchPolicy.parse("", 1, 1).allows(ip)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.67", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_allowed_network_opens_only_itself() -> None:
    policy = FetchPolicy.parse("10.0.0.0/8, 127.0.0.2/32", 1, 1)
    assert policy.allows(ipaddress.ip_address("10.9.9.9")) and policy.allows(ipaddress.ip_address("127.0.0.2"))
    assert not policy.allows(ipaddress.ip_address("127.0.0.1"))
    with pytest.raises(ValueError, match="not a network"):
        FetchPolicy.parse("intranet", 1, 1)


def test_cli_refuses_an_internal_url_with_one_line_and_stores_nothing(home: Path, embedder: Embedder,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))
    with serve({"/internal": (200, "text/html", SECRET_PAGE)}) as base:
        result = CliRunner().invoke(cli.app, ["ingest", f"{base}/internal"])
        assert result.exit_code == 1
        failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
        assert len(failed) == 1 and "not a public address" in failed[0] and "NEWSBOT_ALLOW_NETWORKS" in failed[0]
        assert "Traceback" not in result.output
        assert engine_with(home, embedder).sources() == []

        monkeypatch.setenv("NEWSBOT_ALLOW_NETWORKS", "127.0.0.1/32")
        allowed = CliRunner().invoke(cli.app, ["ingest", f"{base}/internal"])
        assert allowed.exit_code == 0, allowed.output
        assert [a.title for a in engine_with(home, embedder).sources()] == ["Internal wiki"]


def test_redirect_into_the_network_is_refused(home: Path, embedder: Embedder) -> None:
    with serve({"/internal": (200, "text/html", SECRET_PAGE)}) as internal:

        class Redirector(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(302)
                self.send_header("Location", f"{internal}/internal")
                self.end_headers()

        with running(Redirector, "127.0.0.2") as outside:
            engine = engine_with(home, embedder, allow_networks="127.0.0.2/32")
            report = engine.ingest([f"{outside}/story"])
    assert not report.added and len(report.failed) == 1
    assert "127.0.0.1" in report.failed[0][1] and "not a public address" in report.failed[0][1]
    assert engine.sources() == []


def test_feed_entries_pointing_inside_are_refused(home: Path, embedder: Embedder) -> None:
    with serve({"/news/library": (200, "text/html", SECRET_PAGE)}) as internal:
        feed = (FIXTURES / "feed.xml").read_text().replace("http://HOST", internal).encode()
        with serve({"/feed.xml": (200, "application/rss+xml", feed)}, host="127.0.0.2") as outside:
            engine = engine_with(home, embedder, allow_networks="127.0.0.2/32")
            report = engine.ingest([f"{outside}/feed.xml"])
    refused = [item for item, why in report.failed if "not a public address" in why]
    assert f"{internal}/news/library" in refused
    assert all("hunter2" not in a.title for a in engine.sources())
    assert not any("hunter2" in p.text for p in engine.search("internal database password", 10))


@contextmanager
def endless(chunked: bool) -> Iterator[str]:
    """A server answering an endless body, with or without a (false) Content-Length."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if not chunked:
                self.send_header("Content-Length", str(200_000_000))
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"x" * 1_000_000 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass

    with running(Handler) as base:
        yield base


@pytest.mark.parametrize("declared", [True, False])
def test_download_is_capped(home: Path, embedder: Embedder, declared: bool) -> None:
    with endless(chunked=not declared) as base:
        engine = engine_with(home, embedder, allow_networks="127.0.0.0/8", max_source_mb=2)
        report = engine.ingest([f"{base}/huge"])
    assert len(report.failed) == 1 and "size limit of 2 MB" in report.failed[0][1]


class Trickle(BaseHTTPRequestHandler):
    """Sends a byte every 0.2 s: each read is quick, the whole takes forever."""

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
@pytest.mark.serial
def test_slow_download_hits_the_total_deadline(home: Path, embedder: Embedder) -> None:
    with running(Trickle) as base:
        engine = engine_with(home, embedder, allow_networks="127.0.0.0/8", fetch_timeout=2)
        started = time.monotonic()
        report = engine.ingest([f"{base}/slow"])
        took = time.monotonic() - started
    assert len(report.failed) == 1 and "longer than 2 s" in report.failed[0][1]
    assert took < 6
