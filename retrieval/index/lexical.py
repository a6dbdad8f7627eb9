"""BM25 over the chunks the store holds, kept in SQLite and updated by every write.

Local Chroma cannot hold sparse vectors, so the keyword index is derived from the store: one
SQLite file with a copy of each chunk (text, metadata, day, outlet) and an inverted index of its
stemmed terms, and each chunk's sentence vectors (so answering needs nothing else from the
store). Every write through ``indexes.Indexes`` adds or removes the chunks it touched, in one
transaction, so nothing rebuilds or re-reads the whole store after a write, and a question reads
only its own terms' postings. Writes by a process that does not share this file (another machine
on the same Chroma server) change the store's generation; ``Indexes`` then feeds the index what
it lacks, by chunk id.

Scores are bm25s's "lucene" BM25 (k1 1.5, b 0.75), the ranking the project measured before this
index existed, computed at question time from stored term frequencies so that adding a document
never rescores the others. Postings are appended as rows per write and merged when a term has
too many; a deleted chunk is remembered as dead until a compaction drops it from the postings.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.index.store import SENTENCE_VECTORS, passage_from, unpack_vectors, without_vectors
from retrieval.models import Passage
from retrieval.text import tokenize

log = logging.getLogger("newsbot.lexical")
FORMAT = "3"  # of the SQLite file; another value is rebuilt (2: sentence vectors kept; 3: row numbers never reused)
K1, B = 1.5, 0.75
MAX_ROWS = 8  # posting rows a term may have before the smaller ones are merged
DEAD_SHARE = 0.1  # dead chunks (of all) that trigger a compaction of the postings
MIN_DEAD = 2000  # ... but never for fewer than this many
SQL_VARS = 500  # values per ``IN (...)``
DOCS, TFS, LENS = np.dtype("<i8"), np.dtype("<u2"), np.dtype("<u2")

SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks(n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, article_id TEXT NOT NULL,
    content_hash TEXT NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, day INTEGER NOT NULL,
    outlet TEXT NOT NULL, length INTEGER NOT NULL, vectors BLOB);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id, content_hash);
CREATE INDEX IF NOT EXISTS chunks_day ON chunks(day);
CREATE TABLE IF NOT EXISTS postings(seq INTEGER PRIMARY KEY, term TEXT NOT NULL, docs BLOB NOT NULL,
    tfs BLOB NOT NULL, lens BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS postings_term ON postings(term);
CREATE TABLE IF NOT EXISTS dead(n INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def lexical_text(title: str, text: str) -> str:
    return f"{title}\n{text}" if title else text


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _parts(items: list[Any], size: int = SQL_VARS) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _each(db: sqlite3.Connection, sql: str, values: list[Any], params: Iterable[Any] = ()) -> Iterator[Any]:
    """The rows of ``sql``, whose ``{}`` is an ``IN`` list of ``values`` (and ``params`` follow),
    run in parts below SQLite's limit on variables."""
    tail = list(params)
    for part in _parts(values):
        yield from db.execute(sql.format(_marks(len(part))), [*part, *tail])


def _raw(packed: Any) -> bytes | None:
    """Sentence vectors as the store packs them (base64 text), as bytes: a quarter smaller."""
    try:
        return base64.b64decode(str(packed)) if packed else None
    except ValueError:
        return None


def _passage(cid: str, text: str, meta: str, vectors: bytes | None) -> Passage:
    """A passage from this index's copy, with its sentences' vectors when the store has them."""
    passage = passage_from(cid, text, json.loads(meta))
    if vectors:
        passage.sentence_vectors = unpack_vectors(vectors, len(passage.sentences))
    return passage


class LexicalIndex:
    """A BM25 index of one store's chunks, in SQLite; safe to share between threads.

    It never reads the store: ``indexes.Indexes`` tells it of every write (``begin``, ``stored``,
    ``dropped``, ``done``) and feeds it what it lacks when it falls behind. It lives in the SQLite
    file ``path`` (``indexes.index_file`` names one per store), or in memory when None.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = self._open()
        self._clean_write = False  # the write under way began from an index in step with the store

    # -- the file --------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        target = ":memory:"
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            target = str(self.path)
        try:
            db = self._connect(target)
        except sqlite3.DatabaseError:  # a damaged file is rebuilt from the store, never trusted
            assert self.path is not None
            log.warning("the keyword index at %s is damaged; rebuilding it from the store", self.path)
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            db = self._connect(target)
        return db

    def _connect(self, target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=60, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        held = self._get(db, "format")
        if held not in (None, FORMAT):  # an older layout: made anew, then filled from the store
            log.info("the keyword index at %s has an older layout; rebuilding it from the store", target)
            db.executescript("DROP TABLE chunks; DROP TABLE postings; DROP TABLE dead; DROP TABLE state;")
            db.executescript(SCHEMA)
        if held != FORMAT:
            self._put(db, "format", FORMAT)
        return db

    @staticmethod
    def _get(db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @staticmethod
    def _put(db: sqlite3.Connection, key: str, value: str | None) -> None:
        if value is None:
            db.execute("DELETE FROM state WHERE key = ?", (key,))
        else:
            db.execute("INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                       (key, value, value))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- the state that says whether it is in step with the store ------------------------------
    def state(self) -> tuple[str | None, str | None]:
        """(the store generation it holds, the pid of a writer that began and did not finish)."""
        with self._lock:
            return self._get(self._db, "generation"), self._get(self._db, "writer")

    def start_from(self, generation: str) -> None:
        """An empty index of an empty store: in step from the start (nothing to catch up)."""
        with self._transaction() as db:
            if self._get(db, "generation") is None and not db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone():
                self._put(db, "generation", generation)

    def forget(self, ids: set[str]) -> None:
        """Chunks the store no longer holds."""
        with self._transaction() as db:
            self._kill(db, [int(n) for (n,) in _each(db, "SELECT n FROM chunks WHERE id IN ({})", sorted(ids))])

    def caught_up(self, generation: str) -> None:
        """It holds exactly the store's chunks as of ``generation``."""
        with self._transaction() as db:
            self._put(db, "generation", generation)
            self._put(db, "writer", None)
            self._put(db, "interrupted", None)
        self._compact_if_needed()

    # -- following the store's writes ---------------------------------------------------------
    def begin(self, generation: str) -> None:
        with self._transaction() as db:
            self._clean_write = self._get(db, "generation") == generation and self._get(db, "writer") is None
            self._put(db, "writer", str(os.getpid()))

    def interrupted(self) -> None:
        """The write under way failed: in step with no generation, so the next check catches up
        (and clears what the write left, see ``interrupted_write``)."""
        with self._transaction() as db:
            self._put(db, "generation", None)
            self._put(db, "writer", None)
            self._put(db, "interrupted", "1")
            self._clean_write = False

    def interrupted_write(self) -> bool:
        """Did a write fail half-way since the index was last caught up?"""
        with self._lock:
            return self._get(self._db, "interrupted") is not None

    def stored(self, records: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Chunks written (id, text, metadata with sentence vectors), replacing any of the same id."""
        self._insert(records)

    def dropped(self, article_ids: list[str], content_hash: str | None = None, keep_hash: str | None = None) -> None:
        with self._transaction() as db:
            sql, params = "SELECT n FROM chunks WHERE article_id IN ({})", []
            if content_hash is not None:
                sql, params = sql + " AND content_hash = ?", [content_hash]
            if keep_hash is not None:
                sql, params = sql + " AND content_hash != ?", [keep_hash]
            self._kill(db, [int(n) for (n,) in _each(db, sql, article_ids, params)])

    def done(self, after: str, alone: bool) -> None:
        with self._transaction() as db:
            if self._clean_write and alone:
                self._put(db, "generation", after)
            self._put(db, "writer", None)
            self._clean_write = False
        self._compact_if_needed()

    # -- writing the index -------------------------------------------------------------------
    def _insert(self, records: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Index chunks (replacing any held under the same id)."""
        if not records:
            return
        token_lists = tokenize([lexical_text(str(m.get("title", "")), d) for _, d, m in records])
        with self._transaction() as db:
            held = [int(n) for (n,) in _each(db, "SELECT n FROM chunks WHERE id IN ({})", [c for c, _, _ in records])]
            self._kill(db, held)
            postings: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
            total = 0
            for (cid, doc, meta), tokens in zip(records, token_lists):
                length = min(len(tokens), 65535)
                cur = db.execute(
                    "INSERT INTO chunks(id, article_id, content_hash, text, meta, day, outlet, length, vectors) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (cid, str(meta.get("article_id", "")), str(meta.get("content_hash", "")), doc,
                     json.dumps(without_vectors(meta), ensure_ascii=False), int(meta.get("published_day", 0) or 0),
                     str(meta.get("outlet", "")), length, _raw(meta.get(SENTENCE_VECTORS))))
                n = int(cur.lastrowid or 0)
                total += length
                for term, tf in Counter(tokens).items():
                    postings[term].append((n, min(tf, 65535), length))
            db.executemany("INSERT INTO postings(term, docs, tfs, lens) VALUES (?, ?, ?, ?)", [
                (term, np.array([p[0] for p in rows], DOCS).tobytes(), np.array([p[1] for p in rows], TFS).tobytes(),
                 np.array([p[2] for p in rows], LENS).tobytes()) for term, rows in postings.items()])
            self._count(db, len(records), total)
            self._merge(db, list(postings))

    def _count(self, db: sqlite3.Connection, docs: int, length: int) -> None:
        self._put(db, "docs", str(int(self._get(db, "docs") or 0) + docs))
        self._put(db, "length", str(int(self._get(db, "length") or 0) + length))

    def _kill(self, db: sqlite3.Connection, ns: list[int]) -> None:
        """Chunks ``ns`` are gone: their rows go, their postings stay until a compaction."""
        if not ns:
            return
        length = 0
        for part in _parts(ns):
            marks = _marks(len(part))
            length += int(db.execute(f"SELECT coalesce(sum(length), 0) FROM chunks WHERE n IN ({marks})", part)
                          .fetchone()[0])
            db.execute(f"DELETE FROM chunks WHERE n IN ({marks})", part)
        db.executemany("INSERT OR IGNORE INTO dead(n) VALUES (?)", [(n,) for n in ns])
        self._count(db, -len(ns), -length)

    def _merge(self, db: sqlite3.Connection, terms: list[str]) -> None:
        """Terms with more than ``MAX_ROWS`` posting rows get all but their largest merged into one
        (so a row is rewritten about log(writes) times, and a question reads few rows per term)."""
        crowded = [t for (t,) in _each(
            db, "SELECT term FROM postings WHERE term IN ({}) GROUP BY term HAVING count(*) > ?", terms, [MAX_ROWS])]
        for term in crowded:
            rows = db.execute("SELECT seq, docs, tfs, lens FROM postings WHERE term = ? ORDER BY length(docs) DESC",
                              (term,)).fetchall()
            small = rows[1:]
            db.execute(f"DELETE FROM postings WHERE seq IN ({_marks(len(small))})", [r[0] for r in small])
            db.execute("INSERT INTO postings(term, docs, tfs, lens) VALUES (?, ?, ?, ?)",
                       (term, b"".join(r[1] for r in small), b"".join(r[2] for r in small),
                        b"".join(r[3] for r in small)))

    def _compact_if_needed(self) -> None:
        """Drop dead chunks from every posting once they are a tenth of the index."""
        with self._lock:
            dead = int(self._db.execute("SELECT count(*) FROM dead").fetchone()[0])
            live = int(self._get(self._db, "docs") or 0)
            if dead < max(MIN_DEAD, DEAD_SHARE * (dead + live)):
                return
            started = time.perf_counter()
            with self._transaction() as db:
                gone = np.array([n for (n,) in db.execute("SELECT n FROM dead")], DOCS)
                for term in [t for (t,) in db.execute("SELECT DISTINCT term FROM postings")]:
                    rows = db.execute("SELECT docs, tfs, lens FROM postings WHERE term = ?", (term,)).fetchall()
                    docs, tfs, lens = self._arrays(rows)
                    keep = ~np.isin(docs, gone)
                    db.execute("DELETE FROM postings WHERE term = ?", (term,))
                    if keep.any():
                        db.execute("INSERT INTO postings(term, docs, tfs, lens) VALUES (?, ?, ?, ?)",
                                   (term, docs[keep].tobytes(), tfs[keep].tobytes(), lens[keep].tobytes()))
                db.execute("DELETE FROM dead")
            log.info("keyword index: %d deleted chunks compacted away in %.1f s", len(gone),
                     time.perf_counter() - started)

    @staticmethod
    def _arrays(rows: Iterable[tuple[bytes, bytes, bytes]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = list(rows)
        return (np.frombuffer(b"".join(r[0] for r in rows), DOCS), np.frombuffer(b"".join(r[1] for r in rows), TFS),
                np.frombuffer(b"".join(r[2] for r in rows), LENS))

    # -- reading -----------------------------------------------------------------------------
    def search(self, question: str, n: int, where: tuple[str, list[Any]] | None = None) -> list[Passage]:
        """Top ``n`` chunks by BM25 with ``lexical`` scores; ``where`` is an SQL condition on the
        chunks' ``day`` and ``outlet`` columns, with its parameters."""
        tokens = tokenize([question])[0]
        if not tokens or n <= 0:
            return []
        wanted = Counter(tokens)
        with self._lock:
            rows = list(_each(self._db, "SELECT term, docs, tfs, lens FROM postings WHERE term IN ({})", list(wanted)))
            docs_total = int(self._get(self._db, "docs") or 0)
            length_total = int(self._get(self._db, "length") or 0)
            gone = np.array([n for (n,) in self._db.execute("SELECT n FROM dead")], DOCS)
        if not rows or docs_total <= 0:
            return []
        by_term: dict[str, list[tuple[bytes, bytes, bytes]]] = defaultdict(list)
        for term, *blobs in rows:
            by_term[term].append((blobs[0], blobs[1], blobs[2]))
        average = length_total / docs_total
        all_docs, all_scores = [], []
        for term, blobs in by_term.items():
            docs, tfs, lens = self._arrays(blobs)
            if gone.size:
                keep = ~np.isin(docs, gone)
                docs, tfs, lens = docs[keep], tfs[keep], lens[keep]
            if not docs.size:
                continue
            df = docs.size
            idf = math.log(1 + (docs_total - df + 0.5) / (df + 0.5))
            tf = tfs.astype(np.float32)
            all_docs.append(docs)
            all_scores.append(wanted[term] * idf * tf / (K1 * ((1 - B) + B * lens / average) + tf))
        if not all_docs:
            return []
        scores = np.bincount(np.concatenate(all_docs), weights=np.concatenate(all_scores))
        hits = np.flatnonzero(scores)
        if where is None:
            k = min(n, hits.size)
            top = hits[np.argpartition(-scores[hits], k - 1)[:k]]
            ranked = top[np.argsort(-scores[top], kind="stable")].tolist()
        else:
            ranked = self._passing(hits[np.argsort(-scores[hits], kind="stable")].tolist(), n, where)[:n]
        found = self._rows(ranked)
        out = []
        for i in ranked:
            if i in found:
                passage = found[i]
                passage.lexical = float(scores[i])
                out.append(passage)
        return out

    def _passing(self, ranked: list[int], n: int, where: tuple[str, list[Any]]) -> list[int]:
        """The first ``n`` of ``ranked`` whose chunks meet ``where``."""
        sql, params = where
        out: list[int] = []
        step = max(n * 4, 200)
        with self._lock:
            for start in range(0, len(ranked), step):
                part = ranked[start : start + step]
                ok = {int(i) for (i,) in _each(self._db, f"SELECT n FROM chunks WHERE n IN ({{}}) AND ({sql})", part,
                                               params)}
                out += [i for i in part if i in ok]
                if len(out) >= n:
                    break
                step *= 2
        return out

    def _rows(self, ns: list[int]) -> dict[int, Passage]:
        with self._lock:
            rows = list(_each(self._db, "SELECT n, id, text, meta, vectors FROM chunks WHERE n IN ({})", ns))
        return {int(n): _passage(cid, text, meta, vectors) for n, cid, text, meta, vectors in rows}

    def newest_day(self) -> int:
        """The latest publication day stored (YYYYMMDD), 0 when nothing is dated."""
        with self._lock:
            return int(self._db.execute("SELECT coalesce(max(day), 0) FROM chunks").fetchone()[0])

    def versions(self, article_ids: list[str], generation: str) -> dict[str, dict[str, tuple[int, int]]] | None:
        """``Store.versions`` from this index's copy, if it is in step with ``generation``: for
        each id, content hash -> (chunks present, chunks expected). None when it is not."""
        with self._lock:
            in_step = self._get(self._db, "generation") == generation and self._get(self._db, "writer") is None
            if not in_step:
                return None
            rows = list(_each(self._db, "SELECT article_id, content_hash, count(*), max(json_extract(meta, '$.n_chunks')) "
                                        "FROM chunks WHERE article_id IN ({}) GROUP BY article_id, content_hash",
                              article_ids))
        out: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for article_id, content_hash, present, expected in rows:
            out[str(article_id)][str(content_hash)] = (int(present), int(expected or 0))
        return dict(out)

    def article_ids(self, generation: str) -> set[str] | None:
        """The ids of the articles held, if this index is in step with ``generation`` (else None)."""
        with self._lock:
            in_step = self._get(self._db, "generation") == generation and self._get(self._db, "writer") is None
            if not in_step:
                return None
            return {str(row[0]) for row in self._db.execute("SELECT DISTINCT article_id FROM chunks")}

    def known(self, ids: list[str]) -> dict[str, Passage]:
        """Passages for the ids this index holds (fresh objects: scores are set per question)."""
        with self._lock:
            rows = list(_each(self._db, "SELECT id, text, meta, vectors FROM chunks WHERE id IN ({})", ids))
        return {cid: _passage(cid, text, meta, vectors) for cid, text, meta, vectors in rows}

    def passing(self, ids: list[str], where: tuple[str, list[Any]]) -> set[str]:
        """Which of ``ids`` meet ``where`` (as in ``search``)."""
        sql, params = where
        with self._lock:
            return {str(cid) for (cid,) in _each(self._db, f"SELECT id FROM chunks WHERE id IN ({{}}) AND ({sql})", ids,
                                                 params)}

    def marked_dead(self) -> list[str]:
        """Chunks held as live that are also marked deleted (damage: search would skip them)."""
        with self._lock:
            return [str(cid) for (cid,) in self._db.execute("SELECT id FROM chunks WHERE n IN (SELECT n FROM dead)")]

    def clear(self) -> None:
        """Empty the index (to be filled again from the store)."""
        with self._transaction() as db:
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM postings")
            db.execute("DELETE FROM dead")
            db.execute("DELETE FROM state WHERE key != 'format'")

    def ids(self) -> list[str]:
        """Every chunk id the index holds."""
        with self._lock:
            return [str(cid) for (cid,) in self._db.execute("SELECT id FROM chunks")]
