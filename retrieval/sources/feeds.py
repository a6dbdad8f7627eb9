"""Feed subscriptions: RSS/Atom feeds polled on a schedule so the store stays current.

Subscriptions live in ``<home>/feeds.json`` (written whole to a temporary file and renamed, under
a lock, so a crash or two processes never leave half a file). A poll is a conditional GET with
the feed's last ETag and Last-Modified: a 304 costs nothing. Entries already seen (by link, else
id) are skipped; new ones are fetched and cleaned as URL ingest does. A failing feed waits
longer after each failure (doubling, up to ``MAX_BACKOFF``) and never stops the others.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.errors import InputError, StoreError
from retrieval.index.ingest import IngestReport
from retrieval.locks import exclusive
from retrieval.models import Article
from retrieval.sources.articles import LoadFailure

if TYPE_CHECKING:  # the web stack loads only when a feed is polled
    from retrieval.sources.fetch import Fetcher

DEFAULT_EVERY = 30 * 60.0  # seconds between polls of a feed
MIN_EVERY = 60.0
MAX_BACKOFF = 24 * 3600.0  # longest wait after repeated failures
MAX_SEEN = 2000  # entry keys remembered per feed (a feed lists far fewer)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day)?s?\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400}


def parse_every(text: str) -> float:
    """A poll interval such as "30m", "2h", "1d" or "90s" (bare numbers are minutes), in seconds."""
    match = _DURATION.match(text or "")
    if not match:
        raise InputError(f"cannot read {text!r} as an interval: use e.g. 30m, 2h or 1d")
    seconds = float(match[1]) * _UNIT[(match[2] or "m").lower()]
    if seconds < MIN_EVERY:
        raise InputError(f"{text!r} is too often: poll a feed at most once a minute (e.g. 5m)")
    return seconds


def spoken(seconds: float) -> str:
    """30 min, 2 h, 1 d: an interval as a person says it."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    return f"{seconds:.0f} s"


@dataclass
class Feed:
    """One subscription and what its last polls left behind."""

    url: str
    every: float = DEFAULT_EVERY
    etag: str = ""
    last_modified: str = ""
    seen: list[str] = field(default_factory=list)
    failures: int = 0
    next_poll: float = 0.0  # epoch seconds
    last_poll: float = 0.0
    last_status: str = "never polled"
    articles: int = 0  # articles this feed has added so far

    @property
    def interval(self) -> str:
        return spoken(self.every)

    def due(self, now: float) -> bool:
        return now >= self.next_poll

    def public(self) -> dict[str, object]:
        """What ``feeds list --json`` shows (not the seen-entry keys)."""
        out = asdict(self)
        out.pop("seen")
        return out


@dataclass
class NewArticle:
    """An article a poll added: what a notice says about it."""

    id: str
    title: str
    outlet: str
    published: str
    url: str


@dataclass
class PollResult:
    """One feed's poll: what happened, in one line."""

    url: str
    status: str  # "new", "not modified", "no new entries", "failed"
    added: list[NewArticle] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    retry_in: float = 0.0

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.url}: failed ({self.error}); retrying in {spoken(self.retry_in)}"
        line = f"{self.url}: {self.status}"
        if self.added:
            line += f", {len(self.added)} article(s) added"
        if self.failed:
            line += f", {len(self.failed)} entry(ies) could not be read"
        return line

    def as_dict(self) -> dict[str, object]:
        return {"url": self.url, "status": self.status, "added": [asdict(a) for a in self.added],
                "failed": [{"item": i, "error": e} for i, e in self.failed], "error": self.error}


class Subscriptions:
    """The feeds file: read, changed and written whole under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def all(self) -> list[Feed]:
        with self._locked():
            return self._read()

    def add(self, url: str, every: float = DEFAULT_EVERY) -> tuple[Feed, bool]:
        """Subscribe (or change an existing subscription's interval); True when it is new."""
        if not url.startswith(("http://", "https://")):
            raise InputError(f"{url!r} is not a feed URL: give an http:// or https:// address")
        from retrieval.sources.web import canonical

        url = canonical(url)
        with self._locked():
            feeds = self._read()
            for feed in feeds:
                if feed.url == url:
                    feed.every = every
                    self._write(feeds)
                    return feed, False
            feed = Feed(url=url, every=every)
            self._write([*feeds, feed])
            return feed, True

    def remove(self, url: str) -> bool:
        from retrieval.sources.web import canonical

        url = canonical(url)
        with self._locked():
            feeds = self._read()
            kept = [f for f in feeds if f.url != url]
            self._write(kept)
            return len(kept) < len(feeds)

    def update(self, feed: Feed) -> None:
        """Store one feed's poll state, unless it was unsubscribed meanwhile."""
        with self._locked():
            feeds = self._read()
            self._write([feed if f.url == feed.url else f for f in feeds])

    def _locked(self) -> AbstractContextManager[None]:
        return exclusive(self.path.with_suffix(".lock"))

    def _read(self) -> list[Feed]:
        if not self.path.is_file():
            return []
        try:
            records = json.loads(self.path.read_text(encoding="utf-8"))
            return [Feed(**r) for r in records]
        except (ValueError, TypeError) as exc:
            raise StoreError(f"{self.path} is not a feeds file ({type(exc).__name__}); "
                             "fix or delete it and add the feeds again") from None

    def _write(self, feeds: list[Feed]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(f) for f in feeds], indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


Ingest = Callable[[Iterable[Article | LoadFailure]], IngestReport]


class Poller:
    """Polls due feeds and hands their new entries to ``ingest``."""

    def __init__(self, subscriptions: Subscriptions, fetcher: Fetcher, ingest: Ingest,
                 clock: Callable[[], float] = time.time) -> None:
        self.subscriptions = subscriptions
        self.fetcher = fetcher
        self.ingest = ingest
        self.clock = clock

    def poll_due(self, everything: bool = False) -> list[PollResult]:
        """Poll every feed that is due (``everything``: all of them now), one after another."""
        now = self.clock()
        return [self.poll(feed) for feed in self.subscriptions.all() if everything or feed.due(now)]

    def poll(self, feed: Feed) -> PollResult:
        now = self.clock()
        feed.last_poll = now
        try:
            result = self._fetch_and_ingest(feed)
            feed.failures = 0
            feed.next_poll = now + feed.every
        except ValueError as exc:
            feed.failures += 1
            wait = min(feed.every * 2 ** feed.failures, MAX_BACKOFF)
            feed.next_poll = now + wait
            result = PollResult(feed.url, "failed", error=str(exc), retry_in=wait)
        feed.last_status = result.line().removeprefix(f"{feed.url}: ")
        self.subscriptions.update(feed)
        return result

    def _fetch_and_ingest(self, feed: Feed) -> PollResult:
        from retrieval.sources import web

        page = self.fetcher.get(feed.url, feed.etag, feed.last_modified)
        if page.not_modified:
            return PollResult(feed.url, "not modified")
        keys = web.entry_keys(page.content)
        if not keys:
            raise ValueError("is not an RSS or Atom feed, or lists no entries")
        seen = set(feed.seen)
        fresh = [k for k in keys if k not in seen]
        feed.etag, feed.last_modified = page.etag, page.last_modified
        if not fresh:
            return PollResult(feed.url, "no new entries")
        loaded: dict[str, Article] = {}

        def articles() -> Iterator[Article | LoadFailure]:
            for item in web.load_feed(page.content, feed.url, self.fetcher, skip=seen.__contains__):
                if isinstance(item, Article):
                    loaded[item.id] = item
                yield item

        report = self.ingest(articles())
        failed_items = {item for item, _ in report.failed}
        # An entry whose page could not be read is tried again at the next change of the feed.
        feed.seen = [k for k in [*feed.seen, *fresh] if k not in failed_items][-MAX_SEEN:]
        added = [NewArticle(a.id, a.title, a.outlet, a.published, a.url)
                 for aid in report.added if (a := loaded.get(aid)) is not None]
        feed.articles += len(added)
        return PollResult(feed.url, "new" if added else "no new entries", added=added, failed=report.failed)
