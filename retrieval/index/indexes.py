"""The one writer of both indexes, and what keeps the keyword index in step with the store.

Every write goes through ``Indexes``: the keyword index hears that a write begins, Chroma is
written, the keyword index gets the same chunks, and the store's generation is bumped; the index
then records that generation, if no other process wrote meanwhile. A crash between the steps
leaves the index marked as possibly behind. Neither index calls the other.

Writes made elsewhere (another process on the same embedded store, which shares the index file,
or another machine on the same Chroma server, which does not) show as a generation the index does
not hold; ``current`` then brings it in step by chunk id, fetching only what it lacks, under the
store's write lock so no writer changes the store meanwhile.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.index.lexical import LexicalIndex
from retrieval.index.store import Store, StoredArticle
from retrieval.index.stories import StoryIndex
from retrieval.models import Article, Chunk

log = logging.getLogger("newsbot.lexical")
RECHECK_SECONDS = 1.0  # how stale another process's writes may look (this process's own: never)
FETCH = 2000  # chunks fetched from the store per call while catching up
FOLDER_NAME_CHARS = 80  # of the store's location in the index file's name

Versions = dict[str, dict[str, tuple[int, int]]]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def index_file(store: Store, cache_dir: Path | None) -> Path | None:
    """The keyword index file of ``store`` in ``cache_dir``, named by the store's location and
    collection (None: no folder, so the index lives in memory)."""
    if cache_dir is None:
        return None
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", store.location)[-FOLDER_NAME_CHARS:]
    return cache_dir / "lexical" / f"{safe}-{store.collection.name}.sqlite3"


class Recheck:
    """When something kept beside the store (the keyword index, a measure of the store) looks at
    the store's generation again: at most once every ``RECHECK_SECONDS`` for other processes'
    writes, at once after this process's own (``Store.writes``) or after ``again``. On a Chroma
    server a look is a round trip."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._last = (float("-inf"), -1)  # (monotonic time, store.writes) of the last look

    def due(self) -> tuple[float, int] | None:
        """None while the last look holds; else the moment and this process's writes, which the
        caller hands to ``looked`` once it has looked."""
        now, writes = time.monotonic(), self.store.writes
        if writes == self._last[1] and now - self._last[0] < RECHECK_SECONDS:
            return None
        return now, writes

    def looked(self, due: tuple[float, int]) -> None:
        self._last = due

    def again(self) -> None:
        """The next ``due`` is due, however recently the last look was."""
        self._last = (float("-inf"), -1)


class Indexes:
    """The Chroma store and its keyword index, written together and read in step."""

    def __init__(self, store: Store, lexical: LexicalIndex, stories: StoryIndex | None = None) -> None:
        self.store = store
        self.lexical = lexical
        self.stories = stories or StoryIndex(store)  # each stored article placed in a story as it is written
        self._lock = threading.Lock()
        self._recheck = Recheck(store)  # when the keyword index looks at the store's generation again
        if lexical.state()[0] is None and store.count() == 0:
            lexical.start_from(store.generation)  # a new store: in step from the start

    # -- writing ---------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock, after catching the keyword index up (a writer reads what
        is stored from it)."""
        self.current()
        with self.store.writing():
            yield

    @contextmanager
    def _write(self, settle: bool = False) -> Iterator[None]:
        before = self.store.generation
        self.lexical.begin(before)
        try:
            yield
            seen, after = self.store.bump(settle)
        except BaseException:
            self._interrupted()
            raise
        self.lexical.done(after, alone=seen == before)

    def _interrupted(self) -> None:
        """A write failed half-way in this process (the server went away, the disk filled): the
        keyword index no longer claims to be in step, and the next read or write clears what the
        write left half-done and catches the index up. Not now: after some failures (a full
        disk) the embedded Chroma answers nothing more in this process."""
        try:
            self.lexical.interrupted()
        except Exception:  # the keyword index's disk is full too: it is caught up by chunk id later
            log.info("could not mark the keyword index out of step", exc_info=True)
        self._look_again()

    def _look_again(self) -> None:
        """The next ``current`` looks at the store at once, however recently it last did."""
        with self._lock:
            self._recheck.again()

    def store_batch(self, items: list[tuple[Article, list[Chunk]]], embeddings: np.ndarray,
                    sentence_vectors: list[np.ndarray] | None, replacing: set[str]) -> None:
        """Whole articles written in one go: journalled, stored in both indexes, the older versions
        of the ``replacing`` ones dropped, then settled with the generation (four Chroma metadata
        calls a batch, whatever it holds). A crash before the end leaves the journal for ``repair``."""
        self.store.journal([article.id for article, _ in items])
        with self._write(settle=True):
            self.lexical.stored(self.store.add(items, embeddings, sentence_vectors))
            for article, _ in items:
                if article.id in replacing:
                    self.store.drop_other_versions(article.id, article.content_hash)
                    self.lexical.dropped([article.id], keep_hash=article.content_hash)
            self.stories.stored(items, embeddings)

    def relocate(self, article: StoredArticle, source: str, aliases: list[str]) -> None:
        """Record where an article's text is found (its source, and the other places)."""
        with self._write():
            self.store.relocate(article, source, aliases)

    def remove(self, article_ids: list[str]) -> int:
        """Delete articles with all their chunks; returns how many chunks went."""
        with self._write():
            gone = self.store.remove(article_ids)
            self.lexical.dropped(article_ids)
            self.stories.forget(article_ids)
        return gone

    def repair(self) -> int:
        """Delete the incomplete and superseded versions an interrupted run left; how many (the
        caller holds the write lock, or is the writer)."""
        bad, looked_at = self.store.broken_versions()
        self._delete_versions(bad)
        if looked_at is not None:
            self.store.close_journal(looked_at)
        return len(bad)

    def _delete_versions(self, versions: list[tuple[str, str]]) -> None:
        """Delete these (article, content hash) versions from both indexes."""
        if versions:
            with self._write():
                for article_id, content_hash in versions:
                    self.store.delete_version(article_id, content_hash)
                    self.lexical.dropped([article_id], content_hash=content_hash)

    # -- checking ------------------------------------------------------------------------------
    def audit(self) -> Audit:
        """Compare the keyword index and every article's versions with the store's chunks (a
        whole read of both; under the write lock, so no write is half-seen)."""
        with self.store.writing():
            stored = set(self.store.ids())
            held = set(self.lexical.ids())
            return Audit(chunks=len(stored), articles=len(self.store.articles()), missing=sorted(stored - held),
                         extra=sorted(held - stored), unsearchable=sorted(self.lexical.unsearchable()),
                         broken=self.store.all_broken_versions(),
                         behind=self.lexical.state() != (self.store.generation, None))

    def rebuild(self) -> Audit:
        """Fix what ``audit`` finds, from the store: half-written versions go, and the keyword
        index is emptied and filled again from the store's chunks. Returns the audit after."""
        with self.store.writing():
            self._delete_versions(self.store.all_broken_versions())
            self.lexical.clear()
        self._look_again()
        self._catch_up()
        return self.audit()

    # -- reading in step -----------------------------------------------------------------------
    def versions(self, article_ids: list[str]) -> Versions:
        """What is stored of each article (content hash -> chunks present, expected), from the
        keyword index's copy when it is in step (an indexed lookup, where Chroma's metadata
        query on a cold 450k-chunk store took 3.5 s), else from the store."""
        self.current()
        found = self.lexical.versions(article_ids, self.store.generation)
        return found if found is not None else self.store.versions(article_ids)

    def article_ids(self) -> set[str]:
        """The ids of every stored article: from the keyword index's copy when it is in step (a
        query on its table, where listing them from Chroma's metadata took 4 s on 140,000 chunks)."""
        self.current()
        held = self.lexical.article_ids(self.store.generation)
        return held if held is not None else {a.id for a in self.store.articles()}

    def current(self) -> None:
        """Bring the keyword index in step with the store if another process wrote to it (checked
        at most once a second, and at once after this process's own writes)."""
        with self._lock:
            due = self._recheck.due()
            if due is None:
                return
            generation = self.store.generation
            held, writer = self.lexical.state()
            live_writer = writer is not None and _alive(int(writer))
            if (writer is not None and not live_writer) or self.lexical.interrupted_write():
                # a writer died or failed mid-write: clear what it left first
                lock = self.store.try_writing()
                if lock is not None:
                    with lock:
                        self.repair()
            if not live_writer and (held != generation or writer is not None):
                self._catch_up()
            self._recheck.looked(due)

    def _catch_up(self) -> None:
        """Make the index hold exactly the store's chunks, fetching only the ones it lacks. If a
        writer holds the store's lock, the index serves what it has and tries again later."""
        lock = self.store.try_writing()
        if lock is None:
            return
        with lock:
            generation = self.store.generation
            started = time.perf_counter()
            stored = set(self.store.ids())
            held = set(self.lexical.ids())
            gone = held - stored
            if gone:
                self.lexical.forget(gone)
            missing = sorted(stored - held)
            for i in range(0, len(missing), FETCH):
                self.lexical.stored(self.store.records(missing[i : i + FETCH]))
            self.lexical.caught_up(generation)
            if gone or missing:
                log.info("keyword index caught up with the store: %d chunks added, %d removed in %.1f s",
                         len(missing), len(gone), time.perf_counter() - started)


@dataclass
class Audit:
    """How the keyword index and the store's articles differ from the store's chunks."""

    chunks: int  # chunks in the store
    articles: int  # articles in the store
    missing: list[str] = field(default_factory=list)  # stored chunks the keyword index lacks
    extra: list[str] = field(default_factory=list)  # keyword rows for chunks the store no longer has
    unsearchable: list[str] = field(default_factory=list)  # keyword rows whose words the full-text index lacks
    broken: list[tuple[str, str]] = field(default_factory=list)  # article versions half-written or superseded
    behind: bool = False  # the keyword index says it is not in step with the store

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.unsearchable or self.broken)

    def lines(self) -> list[str]:
        """What differs, one line each (nothing when all agree)."""
        out = []
        if self.missing:
            out.append(f"keyword index lacks {len(self.missing)} stored chunk(s), e.g. {self.missing[0]}")
        if self.extra:
            out.append(f"keyword index holds {len(self.extra)} chunk(s) the store no longer has, e.g. {self.extra[0]}")
        if self.unsearchable:
            out.append(f"keyword index cannot find {len(self.unsearchable)} chunk(s) by their words, "
                       f"e.g. {self.unsearchable[0]}")
        if self.broken:
            article, version = self.broken[0]
            out.append(f"store holds {len(self.broken)} half-written or superseded article version(s), "
                       f"e.g. {article} version {version}")
        return out

    def as_dict(self) -> dict[str, object]:
        return {"clean": self.clean, "chunks": self.chunks, "articles": self.articles, "missing": self.missing,
                "extra": self.extra, "unsearchable": self.unsearchable, "broken": [list(b) for b in self.broken],
                "behind": self.behind}


def open_indexes(store: Store, cache_dir: Path | None) -> Indexes:
    """The store with its keyword index in ``cache_dir`` (in memory when None)."""
    return Indexes(store, LexicalIndex(index_file(store, cache_dir)))
