"""BM25 over the chunks the store holds: tantivy's full-text index beside a SQLite copy of each
chunk, both updated by every write.

Local Chroma cannot hold sparse vectors, so the keyword index is derived from the store: one
SQLite file with a copy of each chunk (text, metadata, day, outlet, its sentences' vectors: so
answering needs nothing else from the store), and a tantivy index (a maintained Rust engine:
block-max WAND over compressed postings, ~2 ms a question on 136,000 chunks where SQLite's FTS5
took ~100) of each chunk's stemmed words under its row number. Every write through
``indexes.Indexes`` adds or removes the chunks it touched, in one SQLite transaction around one
tantivy commit, so nothing rebuilds or re-reads the whole store after a write. Writes by a
process that does not share this folder (another machine on the same Chroma server) change the
store's generation; ``Indexes`` then feeds the index what it lacks, by chunk id.

The words are the project's own tokens (``retrieval.text.tokenize``: lower-cased, stop words
dropped, Snowball-stemmed), joined by spaces and split again by tantivy's whitespace tokenizer,
so question and chunk are read alike; tantivy scores them with BM25 (k1 1.2, b 0.75).

SQLite is the record of which chunks exist; tantivy follows it. Row numbers are never reused, and
a tantivy commit first deletes the numbers it is about to add, so a crash between the two
commits can leave only documents without a row (skipped when read) or rows without a document:
a count of both at open and after each catch-up finds those, and the missing documents are
added again from the rows.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy

from retrieval.index.store import SENTENCE_VECTORS, passage_from, unpack_vectors, without_vectors
from retrieval.models import Passage
from retrieval.text import tokenize

log = logging.getLogger("newsbot.lexical")
FORMAT = "4"  # of the SQLite file; another value is rebuilt (3: hand-written postings, its rows kept; 4: tantivy)
SQL_VARS = 500  # values per ``IN (...)``
WRITER_HEAP = 50_000_000  # bytes tantivy's writer buffers before it writes a segment
TOKENS = 2000  # chunks tokenised at a time when rows are indexed again

SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks(n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, article_id TEXT NOT NULL,
    content_hash TEXT NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, day INTEGER NOT NULL,
    outlet TEXT NOT NULL, vectors BLOB);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id, content_hash);
CREATE INDEX IF NOT EXISTS chunks_day ON chunks(day);
CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def lexical_text(title: str, text: str) -> str:
    return f"{title}\n{text}" if title else text


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _each(db: sqlite3.Connection, sql: str, values: list[Any], params: Iterable[Any] = ()) -> Iterator[Any]:
    """The rows of ``sql``, whose ``{}`` is an ``IN`` list of ``values`` (and ``params`` follow),
    run in parts below SQLite's limit on variables."""
    tail = list(params)
    for i in range(0, len(values), SQL_VARS):
        part = values[i : i + SQL_VARS]
        yield from db.execute(sql.format(_marks(len(part))), [*part, *tail])


def _raw(packed: Any) -> bytes | None:
    """Sentence vectors as the store packs them (base64 text), as bytes: a quarter smaller."""
    try:
        return base64.b64decode(str(packed)) if packed else None
    except ValueError:
        return None


def _words(titled: list[tuple[str, str]]) -> list[str]:
    """What tantivy indexes for each (title, text): the project's stemmed tokens, space-joined."""
    return [" ".join(tokens) for tokens in tokenize([lexical_text(title, text) for title, text in titled])]


def _passage(cid: str, text: str, meta: str, vectors: bytes | None) -> Passage:
    """A passage from this index's copy, with its sentences' vectors when the store has them."""
    passage = passage_from(cid, text, json.loads(meta))
    if vectors:
        passage.sentence_vectors = unpack_vectors(vectors, len(passage.sentences))
    return passage


def _schema() -> tantivy.Schema:
    """A chunk's row number and its words (term frequencies kept, positions not: BM25 needs no more)."""
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("n", stored=False, indexed=True, fast=True)
    builder.add_text_field("words", stored=False, tokenizer_name="whitespace", index_option="freq")
    return builder.build()


SCHEMA_TEXT = _schema()


class LexicalIndex:
    """A BM25 index of one store's chunks (tantivy, with a SQLite copy of the chunks); safe to
    share between threads, and between processes that share its folder.

    It never reads the store: ``indexes.Indexes`` tells it of every write (``begin``, ``stored``,
    ``dropped``, ``done``) and feeds it what it lacks when it falls behind. It lives in the SQLite
    file ``path`` (``indexes.index_file`` names one per store) and the folder beside it with the
    same name ending ``.tantivy``, or in memory when None.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = self._open()
        self._text = self._open_text()
        self._clean_write = False  # the write under way began from an index in step with the store
        self._in_step_with_rows()

    # -- the files -------------------------------------------------------------------------
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
        held = self._get(db, "format") if db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'state'").fetchone() else None
        if held == "3":  # the hand-written postings go; the chunks' copy stays and is indexed anew
            log.info("the keyword index at %s moves to tantivy; its copy of the chunks is kept", target)
            db.executescript("DROP TABLE IF EXISTS postings; DROP TABLE IF EXISTS dead; "
                             "ALTER TABLE chunks DROP COLUMN length;")
        elif held not in (None, FORMAT):  # an older layout: made anew, then filled from the store
            log.info("the keyword index at %s has an older layout; rebuilding it from the store", target)
            db.executescript("DROP TABLE IF EXISTS chunks; DROP TABLE IF EXISTS postings; DROP TABLE IF EXISTS dead; "
                             "DROP TABLE IF EXISTS state;")
        db.executescript(SCHEMA)
        if held != FORMAT:
            self._put(db, "format", FORMAT)
        return db

    def _text_folder(self) -> Path | None:
        return None if self.path is None else Path(str(self.path) + ".tantivy")

    def _open_text(self, fresh: bool = False) -> tantivy.Index:
        """The full-text index; a damaged one (or any, when ``fresh``) is made anew, to be filled
        from the rows."""
        folder = self._text_folder()
        if folder is None:
            return tantivy.Index(SCHEMA_TEXT)
        if not fresh:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                index = tantivy.Index(SCHEMA_TEXT, path=str(folder), reuse=True)
                index.searcher()
                return index
            except ValueError:
                log.warning("the full-text index at %s is damaged; indexing the chunks again", folder)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return tantivy.Index(SCHEMA_TEXT, path=str(folder), reuse=False)

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
        self._in_step_with_rows()

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
        if not records:
            return
        words = _words([(str(m.get("title", "")), d) for _, d, m in records])
        with self._transaction() as db:
            held = [int(n) for (n,) in _each(db, "SELECT n FROM chunks WHERE id IN ({})", [c for c, _, _ in records])]
            self._delete_rows(db, held)
            added = []
            for (cid, doc, meta), text_words in zip(records, words):
                cur = db.execute(
                    "INSERT INTO chunks(id, article_id, content_hash, text, meta, day, outlet, vectors) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (cid, str(meta.get("article_id", "")), str(meta.get("content_hash", "")), doc,
                     json.dumps(without_vectors(meta), ensure_ascii=False), int(meta.get("published_day", 0) or 0),
                     str(meta.get("outlet", "")), _raw(meta.get(SENTENCE_VECTORS))))
                added.append((int(cur.lastrowid or 0), text_words))
            self._commit_text(held, added)

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

    # -- writing the index -------------------------------------------------------------------
    @staticmethod
    def _delete_rows(db: sqlite3.Connection, ns: list[int]) -> None:
        for i in range(0, len(ns), SQL_VARS):
            part = ns[i : i + SQL_VARS]
            db.execute(f"DELETE FROM chunks WHERE n IN ({_marks(len(part))})", part)

    def _kill(self, db: sqlite3.Connection, ns: list[int]) -> None:
        """Chunks ``ns`` are gone: their rows and their documents (inside the caller's transaction)."""
        if ns:
            self._delete_rows(db, ns)
            self._commit_text(ns, [])

    @contextmanager
    def _text_writer(self) -> Iterator[tantivy.IndexWriter]:
        """A tantivy writer whose changes are one commit (rolled back if the block fails); its
        merges finish and its lock is let go before the block's caller goes on."""
        writer = self._text.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self._text.reload()

    def _commit_text(self, gone: list[int], added: list[tuple[int, str]]) -> None:
        """One tantivy commit: the documents of rows ``gone`` and of the rows about to be added
        deleted (a number a rolled-back write handed out is handed out again), ``added`` indexed."""
        with self._text_writer() as writer:
            for n in [*gone, *(n for n, _ in added)]:
                writer.delete_documents_by_term("n", n)
            for n, words in added:
                writer.add_document(tantivy.Document(n=n, words=words))

    def _differences(self) -> tuple[list[int], list[int]]:
        """(rows the full-text index has no document for, documents for no row), row numbers."""
        with self._lock:
            self._text.reload()
            searcher = self._text.searcher()
            hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False).hits if \
                searcher.num_docs else []
            held = {int(n) for n in searcher.fast_field_values("n", [address for _, address in hits]) if n is not None}
            rows = {int(n) for (n,) in self._db.execute("SELECT n FROM chunks")}
        return sorted(rows - held), sorted(held - rows)

    def _in_step_with_rows(self) -> None:
        """Index the rows the full-text index lacks and drop its documents without a row, when the
        counts differ (a crash between the two commits, a damaged or new full-text folder). The
        counts are compared again inside a write transaction: another process's write under way
        shows its documents before its rows, and must be let finish, not mended."""
        if self._counts_agree():
            return
        with self._transaction() as db:
            if self._counts_agree():
                return
            started = time.perf_counter()
            missing, extra = self._differences()
            if extra:
                self._commit_text(extra, [])
            for i in range(0, len(missing), TOKENS):
                part = list(_each(db, "SELECT n, text, meta FROM chunks WHERE n IN ({})", missing[i : i + TOKENS]))
                words = _words([(str(json.loads(meta).get("title", "")), text) for _, text, meta in part])
                self._commit_text([], [(int(n), w) for (n, _, _), w in zip(part, words)])
            log.info("full-text index: %d chunks indexed again, %d stale documents dropped in %.1f s",
                     len(missing), len(extra), time.perf_counter() - started)

    def _counts_agree(self) -> bool:
        with self._lock:
            rows = int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])
            self._text.reload()
            return bool(self._text.searcher().num_docs == rows)

    # -- reading -----------------------------------------------------------------------------
    def search(self, question: str, n: int, where: tuple[str, list[Any]] | None = None) -> list[Passage]:
        """Top ``n`` chunks by BM25 with ``lexical`` scores; ``where`` is an SQL condition on the
        chunks' ``day`` and ``outlet`` columns, with its parameters."""
        tokens = tokenize([question])[0]
        if not tokens or n <= 0:
            return []
        query = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA_TEXT, "words", term) if times == 1 else
             tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA_TEXT, "words", term), float(times)))
            for term, times in Counter(tokens).items()])
        try:
            ranked, scores, found = self._ranked(query, n, where)
        except ValueError:  # the folder was damaged since it was opened: made anew from the rows
            log.warning("the full-text index at %s is damaged; indexing the chunks again", self._text_folder())
            with self._lock:
                self._text = self._open_text(fresh=True)
                self._in_step_with_rows()
            ranked, scores, found = self._ranked(query, n, where)
        out = []
        for number in ranked[:n]:
            passage = found[number]
            passage.lexical = scores[number]
            out.append(passage)
        return out

    def _ranked(self, query: tantivy.Query, n: int, where: tuple[str, list[Any]] | None
                ) -> tuple[list[int], dict[int, float], dict[int, Passage]]:
        """Row numbers best first (at least ``n`` of them meet ``where`` when that many match),
        their scores, and the passages of those that meet it."""
        self._text.reload()  # another process's commit (a few microseconds when there is none)
        searcher = self._text.searcher()
        limit = n if where is None else max(n * 4, 200)
        while True:
            hits = searcher.search(query, limit, count=False).hits
            numbers = searcher.fast_field_values("n", [address for _, address in hits])
            scores: dict[int, float] = {}
            for (score, _), number in zip(hits, numbers):
                if number is not None:
                    scores.setdefault(int(number), float(score))
            found = self._rows(list(scores), where)
            ranked = [number for number in scores if number in found]
            if len(ranked) >= n or len(hits) < limit:
                return ranked, scores, found
            limit *= 4

    def _rows(self, ns: list[int], where: tuple[str, list[Any]] | None = None) -> dict[int, Passage]:
        """Passages of rows ``ns`` that exist (and meet ``where``)."""
        sql, params = where if where is not None else ("1", [])
        with self._lock:
            rows = list(_each(self._db, f"SELECT n, id, text, meta, vectors FROM chunks WHERE n IN ({{}}) AND ({sql})",
                              ns, params))
        return {int(n): _passage(cid, text, meta, vectors) for n, cid, text, meta, vectors in rows}

    def newest_day(self, until: int = 99999999) -> int:
        """The latest publication day stored (YYYYMMDD) on or before ``until``, 0 when nothing is dated."""
        with self._lock:
            return int(self._db.execute("SELECT coalesce(max(day), 0) FROM chunks WHERE day <= ?", (until,)).fetchone()[0])

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

    def opening(self, chunk_id: str, n: int) -> list[Passage]:
        """The first ``n`` chunks, in article order, of the article version ``chunk_id`` is from."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, c.text, c.meta, c.vectors FROM chunks o JOIN chunks c "
                "ON c.article_id = o.article_id AND c.content_hash = o.content_hash "
                "WHERE o.id = ? ORDER BY c.n LIMIT ?", (chunk_id, n)).fetchall()
        return sorted((_passage(cid, text, meta, vectors) for cid, text, meta, vectors in rows), key=lambda p: p.position)

    def passing(self, ids: list[str], where: tuple[str, list[Any]]) -> set[str]:
        """Which of ``ids`` meet ``where`` (as in ``search``)."""
        sql, params = where
        with self._lock:
            return {str(cid) for (cid,) in _each(self._db, f"SELECT id FROM chunks WHERE id IN ({{}}) AND ({sql})", ids,
                                                 params)}

    def unsearchable(self) -> list[str]:
        """Chunks held whose words the full-text index lacks (damage: search would never find them)."""
        missing, _ = self._differences()
        with self._lock:
            return [str(cid) for (cid,) in _each(self._db, "SELECT id FROM chunks WHERE n IN ({})", missing)]

    def clear(self) -> None:
        """Empty the index (to be filled again from the store)."""
        with self._transaction() as db:
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM state WHERE key != 'format'")
            with self._text_writer() as writer:
                writer.delete_all_documents()

    def ids(self) -> list[str]:
        """Every chunk id the index holds."""
        with self._lock:
            return [str(cid) for (cid,) in self._db.execute("SELECT id FROM chunks")]
