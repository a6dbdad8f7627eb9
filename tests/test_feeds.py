"""Feed subscriptions against a real feed server on 127.0.0.1: conditional GET, new entries,
back-off, deduplication, and the `feeds` / `watch` commands."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.engine import Engine, InputError
from bot.frontends import cli
from retrieval.index.embeddings import Embedder
from tests.conftest import make_engine
from tests.httpserver import QuietHandler, running

LAST_MODIFIED = "Wed, 16 Mar 2022 10:00:00 GMT"


def page(n: int) -> bytes:
    body = " ".join(f"The harbour council of Port Ellis met for session {n} and voted on plan {n}." for _ in range(8))
    return (f"<html><head><title>Port Ellis session {n}</title>"
            f'<meta property="article:published_time" content="2022-03-{10 + n:02d}"></head>'
            f"<body><article><h1>Port Ellis session {n}</h1><p>{body}</p></article></body></html>").encode()


@dataclass
class Site:
    """A news site with a feed whose ETag changes with its entries; it records every request."""

    entries: list[int] = field(default_factory=lambda: [1, 2])
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def feed(self, name: str) -> bytes:
        items = "".join(f"<item><title>Port Ellis session {n}</title><link>{self.base}/a/{n}</link>"
                        f"<guid>{self.base}/a/{n}</guid><pubDate>{10 + n} Mar 2022 09:00:00 GMT</pubDate></item>"
                        for n in self.entries)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
                f"<link>{self.base}/</link>{items}</channel></rss>").encode()

    def etag(self) -> str:
        return '"v' + "-".join(map(str, self.entries)) + '"'

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p == path]


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            with state.lock:
                state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if self.path in ("/feed.xml", "/other.xml"):
                if self.headers.get("If-None-Match") == state.etag():
                    self.send_response(304)
                    self.end_headers()
                    return
                body = state.feed("Port Ellis Gazette" if self.path == "/feed.xml" else "Ellis Mirror")
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", state.etag())
                self.send_header("Last-Modified", LAST_MODIFIED)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path.startswith("/a/"):
                self.send_body(200, "text/html", page(int(self.path.rsplit("/", 1)[1])))
            else:
                self.send_body(500, "text/plain", b"broken")

    with running(Handler) as base:
        state.base = base
        yield state


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def engine(home: Path, embedder: Embedder) -> Engine:
    return make_engine(home, embedder, allow_networks="127.0.0.0/8")  # the feed server is on loopback


def titles(engine: Engine) -> list[str]:
    return sorted(a.title for a in engine.sources())


def test_first_poll_ingests_then_the_validators_get_a_304(engine: Engine, site: Site) -> None:
    engine.add_feed(f"{site.base}/feed.xml", "30m")
    [first] = engine.poll_feeds(everything=True)
    assert first.status == "new" and len(first.added) == 2
    assert titles(engine) == ["Port Ellis session 1", "Port Ellis session 2"]
    assert first.added[0].published == "2022-03-11" and first.added[0].outlet == "Port Ellis Gazette"
    assert "2 article(s) added" in first.line()

    [second] = engine.poll_feeds(everything=True)
    asked = site.hits("/feed.xml")[-1]
    assert asked.get("if-none-match") == site.etag() and asked.get("if-modified-since") == LAST_MODIFIED
    assert second.status == "not modified" and not second.added
    assert len(site.hits("/a/1")) == 1  # the article pages were not fetched again
    assert titles(engine) == ["Port Ellis session 1", "Port Ellis session 2"]


def test_a_new_entry_is_picked_up_alone(engine: Engine, site: Site) -> None:
    engine.add_feed(f"{site.base}/feed.xml")
    engine.poll_feeds(everything=True)
    site.entries.append(3)
    [result] = engine.poll_feeds(everything=True)
    assert [a.title for a in result.added] == ["Port Ellis session 3"]
    assert len(site.hits("/a/1")) == 1 and len(site.hits("/a/3")) == 1
    assert len(engine.sources()) == 3


def test_a_failing_feed_backs_off_and_does_not_stop_the_others(engine: Engine, site: Site) -> None:
    clock = Clock()
    engine.add_feed(f"{site.base}/broken.xml", "10m", probe=False)
    engine.add_feed(f"{site.base}/feed.xml", "10m")
    broken, good = engine.poll_feeds(clock=clock)  # both are due at first
    assert broken.status == "failed" and "HTTP 500" in broken.error and broken.retry_in == 20 * 60
    assert "retrying in 20 min" in broken.line()
    assert good.status == "new" and len(good.added) == 2

    clock.now += 11 * 60  # the good feed is due again, the broken one still waits
    assert [r.url for r in engine.poll_feeds(clock=clock)] == [f"{site.base}/feed.xml"]
    clock.now += 10 * 60
    [again, _] = engine.poll_feeds(clock=clock)
    assert again.status == "failed" and again.retry_in == 40 * 60  # doubled
    state = {f.url: f for f in engine.feeds()}
    assert state[f"{site.base}/broken.xml"].failures == 2 and state[f"{site.base}/feed.xml"].failures == 0


def test_one_article_in_two_feeds_is_stored_once(engine: Engine, site: Site) -> None:
    engine.add_feed(f"{site.base}/feed.xml")
    engine.add_feed(f"{site.base}/other.xml")
    first, second = engine.poll_feeds(everything=True)
    assert len(first.added) == 2 and not second.added
    assert len(engine.sources()) == 2


def test_subscriptions_survive_a_restart(engine: Engine, site: Site, home: Path, embedder: Embedder) -> None:
    engine.add_feed(f"{site.base}/feed.xml", "2h")
    engine.poll_feeds(everything=True)
    again = make_engine(home, embedder, allow_networks="127.0.0.0/8")
    [feed] = again.feeds()
    assert feed.every == 7200 and feed.etag == site.etag() and feed.articles == 2
    [result] = again.poll_feeds(everything=True)
    assert result.status == "not modified"


def test_feed_urls_and_intervals_are_checked(engine: Engine) -> None:
    with pytest.raises(InputError, match="not a feed URL"):
        engine.add_feed("ftp://example.org/feed")
    with pytest.raises(InputError, match="30m, 2h or 1d"):
        engine.add_feed("https://example.org/feed", "often")
    with pytest.raises(InputError, match="at most once a minute"):
        engine.add_feed("https://example.org/feed", "10s")
    assert engine.feeds() == []


def test_refused_addresses_stay_refused_for_feeds(home: Path, embedder: Embedder, site: Site) -> None:
    strict = make_engine(home, embedder)  # no allowed networks: loopback is internal
    strict.add_feed(f"{site.base}/feed.xml", probe=False)
    [result] = strict.poll_feeds(everything=True)
    assert result.status == "failed" and "not a public address" in result.error
    assert site.requests == []


def test_feeds_and_watch_commands(home: Path, embedder: Embedder, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))
    run = CliRunner().invoke
    url = f"{site.base}/feed.xml"
    assert "no feeds to watch" in run(cli.app, ["watch", "--once"]).output
    result = run(cli.app, ["feeds", "add", url, "--every", "2h"])
    assert result.exit_code == 0 and "every 2 h" in result.output
    result = run(cli.app, ["watch", "--once", "--json"])
    assert result.exit_code == 0, result.output
    polled = json.loads(result.output.strip().splitlines()[-1])
    assert polled["status"] == "new" and len(polled["added"]) == 2
    listed = json.loads(run(cli.app, ["feeds", "--json"]).output)
    assert listed[0]["url"] == url and listed[0]["articles"] == 2 and "seen" not in listed[0]
    bad = run(cli.app, ["feeds", "add", url, "--every", "soon"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert run(cli.app, ["feeds", "remove", url]).exit_code == 0
    gone = run(cli.app, ["feeds", "remove", url])
    assert gone.exit_code == 1 and "not subscribed" in gone.output


def test_adding_something_that_is_not_a_feed_is_refused_in_one_line(home: Path, embedder: Embedder, site: Site,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A 404, a server error, an HTML page and a refused address are said when subscribing, and
    nothing is subscribed; a real feed is."""
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))
    run = CliRunner().invoke
    refused = run(cli.app, ["feeds", "add", f"{site.base}/feed.xml"])  # loopback, not allowed by default
    assert refused.exit_code == 1 and "not a public address" in refused.output
    monkeypatch.setenv("NEWSBOT_ALLOW_NETWORKS", "127.0.0.0/8")
    for path, why in (("/missing.xml", "HTTP 500"), ("/a/1", "not an RSS or Atom feed")):
        result = run(cli.app, ["feeds", "add", site.base + path])
        assert result.exit_code == 1 and why in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert json.loads(run(cli.app, ["feeds", "--json"]).output) == []
    assert run(cli.app, ["feeds", "add", f"{site.base}/feed.xml"]).exit_code == 0
    assert len(json.loads(run(cli.app, ["feeds", "--json"]).output)) == 1


def test_one_poller_per_home_at_a_time(home: Path, embedder: Embedder, site: Site,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """While one process (a bot, say) polls a home's feeds, `watch --once` on the same home says
    so and fetches nothing; once it is done, the next poll goes ahead."""
    from bot.engine import poll_lease

    monkeypatch.setenv("NEWSBOT_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))
    run = CliRunner().invoke
    assert run(cli.app, ["feeds", "add", f"{site.base}/feed.xml"]).exit_code == 0
    checked = len(site.requests)
    with poll_lease(home / "feeds.json.poll.lock"):
        busy = run(cli.app, ["watch", "--once"])
    assert busy.exit_code == 1 and "another newsbot process" in busy.output
    assert len(site.requests) == checked  # nothing fetched twice
    polled = run(cli.app, ["watch", "--once", "--json"])
    assert polled.exit_code == 0 and json.loads(polled.output.strip().splitlines()[-1])["status"] == "new"
