"""The Chroma store: chunks with their article's metadata, embedded or on a Chroma server.

Bookkeeping lives in the chunks themselves, so the embedded store and a server behave alike:
every chunk carries its article id, the article's content hash and the article's chunk count.
A version of an article is complete when all its chunks are present; ``broken_versions`` finds
incomplete and superseded versions to delete, which is what makes an interrupted ingest harmless.
The collection's ``generation`` is a fresh random token after every write (``bump``; a counter
could be bumped to the same value by two writers at once). This class knows nothing of the keyword
index: ``indexes.Indexes`` writes to both in order and uses the generation to notice writes made by
other processes.
Writers to an embedded store take a lock file, so two ingests into one folder run one after
the other instead of interleaving.
"""

from __future__ import annotations

import base64
import fcntl
import functools
import json
import logging
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from retrieval.errors import StoreError
from retrieval.models import Article, Chunk, Passage
from retrieval.text import site_of, title_for

log = logging.getLogger("newsbot.store")
PAGE = 2000  # chunks read per call when scanning the whole store
ID_PAGE = 20000  # chunk ids read per call when listing them all
ID_BATCH = 500  # article ids per ``$in`` filter
MAX_WRITE_BATCH = 5000  # chunks per upsert, below every Chroma's own cap
ERROR_CHARS = 200  # of a Chroma error message shown to the user
# How widely Chroma's HNSW graph is searched (Chroma's default is 100). At 100 the 100 nearest
# chunks of a year's store (136k chunks) were found 0.87 of the time, and which ones were missed
# changed from one process to the next: the same question retrieved different passages, and a
# training command learned a different model. At 1,000: 0.99, the same neighbours in every run,
# about 3 ms more a search.
EF_SEARCH = 1000
WIDEN_ATTEMPTS = 4  # tries at widening an older store's search while another write holds the database


WIDE = {"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}  # how a collection is made


def search_widely(collection: Any) -> None:
    """A collection made before ``EF_SEARCH`` searched Chroma's default breadth: it is widened
    once (a setting of the collection, no record is touched). A write under way elsewhere can hold
    Chroma's database for a moment, so it is tried a few times; failing that, it is searched as it
    is and widened on a later open."""
    try:
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search", EF_SEARCH) >= EF_SEARCH:
            return
    except Exception:  # an older server that reports no configuration: searched as it is
        return
    for attempt in range(WIDEN_ATTEMPTS):
        try:
            collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
            return
        except Exception as exc:  # "database is locked", a read-only folder: searching still works
            if attempt == WIDEN_ATTEMPTS - 1:
                log.info("could not widen the search of %s (ef_search): %s", collection.name, _first_line(exc))
            else:
                time.sleep(0.2 * (attempt + 1))


@dataclass
class StoredArticle:
    """What ``newsbot sources`` shows for one article."""

    id: str
    title: str
    outlet: str
    published: str
    url: str
    source: str
    chunks: int
    content_hash: str
    aliases: list[str] = field(default_factory=list)  # other places the same text was found

    @property
    def shown_title(self) -> str:
        """The title, or for an untitled article the words of its link ("(untitled)" without one)."""
        return self.title or (title_for(self.url, "") if self.url else "") or "(untitled)"

    @property
    def shown_outlet(self) -> str:
        """The outlet, or the site its link is on."""
        return self.outlet or site_of(self.url)

    @property
    def locations(self) -> list[str]:
        return [self.source, *self.aliases] if self.source else list(self.aliases)


T = TypeVar("T")
DAMAGED_HINT = ("check free disk space and that NEWSBOT_HOME is a writable folder; if the store is damaged, "
                "move its folder away and ingest again")


def translated(action: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Turn Chroma and file-system failures inside a Store method into one-line StoreErrors.

    Chroma writes each call in one transaction, so a failed write leaves what was stored before.
    """

    def wrap(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def call(self: Store, *args: Any, **kwargs: Any) -> T:
            import httpx
            from chromadb.errors import ChromaError

            try:
                return method(self, *args, **kwargs)
            except httpx.TransportError as exc:  # the server went away or stopped answering
                raise StoreError(f"lost the Chroma server at {self.location} ({_first_line(exc)}); start it again "
                                 "(chroma run) and retry: what was being written is not kept half-done") from None
            except (ChromaError, OSError, httpx.HTTPError) as exc:
                raise StoreError(f"cannot {action} the Chroma store at {self.location}: {_first_line(exc)}; "
                                 f"{DAMAGED_HINT if self.lock_path else 'check the Chroma server'}") from None

        return call

    return wrap


def private_folder(path: Path) -> Path:
    """``path`` created if needed, readable by its owner only (articles and keys may be private);
    a folder that already exists keeps the mode its owner gave it."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask
    return path


def day_number(iso: str) -> int:
    """YYYY-MM-DD as the integer YYYYMMDD (0 when unknown), so Chroma can range-filter it."""
    return int(iso.replace("-", "")) if len(iso) == 10 else 0


def chunk_id(article_id: str, content_hash: str, position: int) -> str:
    return f"{article_id}#{content_hash}#{position}"


def chunk_metadata(article: Article, chunk: Chunk, n_chunks: int) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "content_hash": article.content_hash,
        "n_chunks": n_chunks,
        "position": chunk.position,
        "start": chunk.start,
        "end": chunk.end,
        "sentences": json.dumps(chunk.sentences),
        "speakers": json.dumps(chunk.speakers, ensure_ascii=False),
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "published": article.published,
        "published_day": day_number(article.published),
        "source": article.source,
        "text_hash": article.text_hash,
        "stored_at": time.time(),
    }


SENTENCE_VECTORS = "sentence_vectors"  # chunk metadata: its sentences' vectors, float16, base64


JOURNAL = "pending"  # collection metadata: {writer: [article ids]} being written right now
JOURNALED = "journaled"  # collection metadata: every write since the store began is journalled


def _pending(meta: dict[str, Any]) -> dict[str, list[str]]:
    try:
        value = json.loads(str(meta.get(JOURNAL) or "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _broken_versions(metas: list[Any]) -> list[tuple[str, str]]:
    """(article, version) pairs to delete: incomplete versions, and complete ones superseded by a
    newer complete version."""
    versions: dict[str, dict[str, list[float]]] = defaultdict(dict)
    for meta in metas:
        entry = versions[str(meta["article_id"])].setdefault(
            str(meta["content_hash"]), [0, float(meta["n_chunks"]), 0.0]
        )
        entry[0] += 1
        entry[2] = max(entry[2], float(meta.get("stored_at", 0.0)))
    bad: list[tuple[str, str]] = []
    for article_id, by_hash in versions.items():
        complete = {h: v for h, v in by_hash.items() if v[0] >= v[1]}
        keep = max(complete, key=lambda h: complete[h][2]) if complete else None
        bad += [(article_id, h) for h in by_hash if h != keep]
    return bad


def pack_vectors(vectors: np.ndarray) -> str:
    """Sentence vectors as a compact string (float16: 768 bytes a sentence before base64)."""
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def without_vectors(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A chunk's metadata without its sentence vectors (they are kept apart, or not needed)."""
    return {k: v for k, v in meta.items() if k != SENTENCE_VECTORS}


def stored_vectors(meta: dict[str, Any]) -> np.ndarray | None:
    """A chunk's sentence vectors as ``pack_vectors`` wrote them into its metadata, one row per
    sentence; None when it has none, or they do not fit its sentences."""
    if not meta.get(SENTENCE_VECTORS):
        return None
    try:
        raw = base64.b64decode(str(meta[SENTENCE_VECTORS]))
    except (ValueError, TypeError):
        return None
    return unpack_vectors(raw, len(json.loads(str(meta["sentences"]))))


def unpack_vectors(raw: bytes, rows: int) -> np.ndarray | None:
    """``rows`` sentence vectors from their float16 bytes; None when they do not fit."""
    flat = np.frombuffer(raw, dtype=np.float16).astype(np.float32)
    if rows == 0 or flat.size % rows:
        return None
    return flat.reshape(rows, -1)


def passage_from(chunk_id_: str, document: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        chunk_id=chunk_id_,
        article_id=str(meta["article_id"]),
        text=document,
        start=int(meta["start"]),
        end=int(meta["end"]),
        position=int(meta["position"]),
        sentences=[tuple(s) for s in json.loads(str(meta["sentences"]))],  # type: ignore[misc]
        speakers=json.loads(str(meta.get("speakers") or "[]")),
        title=str(meta.get("title", "")),
        url=str(meta.get("url", "")),
        outlet=str(meta.get("outlet", "")),
        published=str(meta.get("published", "")),
        authors=json.loads(str(meta.get("authors") or "[]")),
        source=str(meta.get("source", "")),
        sentence_vectors=stored_vectors(meta),
    )


class Store:
    """One Chroma collection of chunks; opened once and passed to whoever needs it."""

    def __init__(self, path: Path | None, url: str | None, collection: str, exact: bool = False):
        """``exact``: dense search compares the question with every stored vector (see ``nearest``)."""
        self.location = url or str(path)
        self.exact = exact
        self._vectors: tuple[str, list[str], np.ndarray] | None = None  # (generation, ids in order, rows)
        try:
            if url:
                parsed = urlparse(url)
                if not parsed.hostname:
                    raise StoreError(f"bad Chroma server address {url!r}: use http://HOST:PORT")
                self.client = _server_client(parsed.hostname, parsed.port or 8000, parsed.scheme == "https")
                self.client.heartbeat()
            else:
                assert path is not None
                private_folder(path.parent)
                private_folder(path)
                self.client = _local_client(str(path), path.stat().st_ino)
            self.collection = self.client.get_or_create_collection(
                collection,
                embedding_function=None,
                configuration=WIDE,
                metadata={"generation": "0"},
            )
            search_widely(self.collection)
        except StoreError:
            raise
        except Exception as exc:  # chromadb raises many kinds; all mean "no store"
            hint = (
                "start it with `chroma run --path DIR --port PORT` or unset NEWSBOT_CHROMA_URL"
                if url
                else DAMAGED_HINT
            )
            raise StoreError(f"cannot open the Chroma store at {self.location}: {_first_line(exc)}; {hint}") from None
        self.max_batch = max(1, min(self.client.get_max_batch_size(), MAX_WRITE_BATCH))
        self.lock_path = None if url else path.parent / "write.lock"  # type: ignore[union-attr]
        # An embedded store's generation is also written to a file beside it, so a reader learns of
        # other processes' writes from one small file instead of a Chroma call per check.
        self.stamp_path = None if url else path.parent / "chroma.generation"  # type: ignore[union-attr]
        self.writes = 0  # by this process: derived indexes look again at once after one
        self.writer = uuid.uuid4().hex  # this process's entry in the write journal

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock (embedded stores; a server orders writes itself)."""
        held = self.try_writing()
        if held is None:
            log.warning("another newsbot process is writing to %s; waiting for it", self.location)
            held = self._write_lock(wait=True)
        assert held is not None
        with held:
            yield

    def try_writing(self) -> AbstractContextManager[None] | None:
        """The write lock if it is free right now, else ``None`` (a server needs none)."""
        return self._write_lock(wait=False)

    def _write_lock(self, wait: bool) -> AbstractContextManager[None] | None:
        """The lock file taken (waiting for it, or ``None`` if it is held and ``wait`` is false)."""
        if self.lock_path is None:
            return nullcontext()
        fh = open(self.lock_path, "a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return None

        @contextmanager
        def held() -> Iterator[None]:
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
                fh.close()

        return held()

    # -- bookkeeping -------------------------------------------------------------------------
    @property
    @translated("read")
    def generation(self) -> str:
        """A token that changes with every write, by this process or another."""
        if self.stamp_path is not None:
            try:
                stamped = self.stamp_path.read_text(encoding="ascii").strip()
            except OSError:
                stamped = ""
            if stamped:
                return stamped
        self.collection = self.client.get_collection(self.collection.name)
        return str((self.collection.metadata or {}).get("generation", "0"))

    def _metadata(self) -> dict[str, Any]:
        """The collection's metadata as stored now (another process may have changed it)."""
        self.collection = self.client.get_collection(self.collection.name)
        return dict(self.collection.metadata or {})

    @translated("write to")
    def bump(self, settle: bool = False) -> tuple[str, str]:
        """A new generation; returns (the one it replaced, the new one). ``settle``: in the same
        metadata write, this writer's journalled articles are whole (one Chroma call, not two)."""
        meta = self._metadata()
        replaced = str(meta.get("generation", "0"))
        meta["generation"] = uuid.uuid4().hex
        if settle:
            pending = _pending(meta)
            if pending.pop(self.writer, None) is not None:
                meta[JOURNAL] = json.dumps(pending)
        if self.stamp_path is not None:  # first: a crash between the two costs a needless catch-up, never a missed one
            tmp = self.stamp_path.with_suffix(".tmp")
            tmp.write_text(meta["generation"], encoding="ascii")
            os.replace(tmp, self.stamp_path)
        self.collection.modify(metadata=meta)
        self.writes += 1
        return replaced, str(meta["generation"])

    @translated("read")
    def count(self) -> int:
        return self.collection.count()

    @translated("read")
    def versions(self, article_ids: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
        """For each id: content hash -> (chunks present, chunks expected)."""
        out: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for i in range(0, len(article_ids), ID_BATCH):
            part = article_ids[i : i + ID_BATCH]
            where: Any = {"article_id": {"$in": part}}  # chromadb's Where typing is narrower than its API
            got = self.collection.get(where=where, include=["metadatas"])
            for meta in got["metadatas"] or []:
                entry = out[str(meta["article_id"])].setdefault(str(meta["content_hash"]), [0, 0])
                entry[0] += 1
                entry[1] = metadata_int(meta["n_chunks"])
        return {a: {h: (c, n) for h, (c, n) in v.items()} for a, v in out.items()}

    @translated("write to")
    def add(self, items: list[tuple[Article, list[Chunk]]], embeddings: np.ndarray,
            sentence_vectors: list[np.ndarray] | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """Store whole articles' chunks (with their sentences' vectors, when given); one Chroma
        call per batch keeps each article atomic. Returns the records written (id, text, metadata)."""
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        for article, chunks in items:
            for chunk in chunks:
                ids.append(chunk_id(article.id, article.content_hash, chunk.position))
                docs.append(chunk.text)
                meta = chunk_metadata(article, chunk, len(chunks))
                if sentence_vectors is not None:
                    meta[SENTENCE_VECTORS] = pack_vectors(sentence_vectors[len(ids) - 1])
                metas.append(meta)
        for i in range(0, len(ids), self.max_batch):
            j = i + self.max_batch
            self.collection.upsert(
                ids=ids[i:j], documents=docs[i:j], metadatas=metas[i:j],  # type: ignore[arg-type]
                embeddings=embeddings[i:j],
            )
        return list(zip(ids, docs, metas))

    @translated("write to")
    def drop_other_versions(self, article_id: str, keep_hash: str) -> None:
        """Delete an article's chunks of any version but ``keep_hash`` (after the new is stored)."""
        where: Any = {"$and": [{"article_id": article_id}, {"content_hash": {"$ne": keep_hash}}]}
        self.collection.delete(where=where)

    @translated("write to")
    def remove(self, article_ids: list[str]) -> int:
        """Delete articles with all their chunks; returns how many chunks went."""
        before = self.count()
        for i in range(0, len(article_ids), ID_BATCH):
            where: Any = {"article_id": {"$in": article_ids[i : i + ID_BATCH]}}
            self.collection.delete(where=where)
        return before - self.count()

    @translated("write to")
    def journal(self, article_ids: list[str]) -> None:
        """Note the articles this writer is about to store, so a crash leaves a trail: ``repair``
        then looks at them only, never the whole store."""
        meta = self._metadata()
        pending = _pending(meta)
        pending[self.writer] = article_ids
        meta[JOURNAL] = json.dumps(pending)
        self.collection.modify(metadata=meta)

    @translated("read")
    def broken_versions(self) -> tuple[list[tuple[str, str]], dict[str, list[str]] | None]:
        """Incomplete and superseded versions (article, content hash) left by an interrupted run,
        and the journal entries that were looked at (None: nothing was).

        Only the articles in the journal are looked at; a store written before the journal
        existed is scanned whole once.
        """
        meta = self._metadata()
        pending = _pending(meta)
        if not meta.get(JOURNALED):
            return self.all_broken_versions(), pending
        ids = sorted({a for written in pending.values() for a in written})
        if not ids:
            return [], None
        metas: list[Any] = []
        for i in range(0, len(ids), ID_BATCH):
            where: Any = {"article_id": {"$in": ids[i : i + ID_BATCH]}}
            metas += self.collection.get(where=where, include=["metadatas"])["metadatas"] or []
        return _broken_versions(metas), pending

    @translated("read")
    def all_broken_versions(self) -> list[tuple[str, str]]:
        """Incomplete and superseded versions anywhere in the store (a whole scan: for a check)."""
        return _broken_versions([m for _, _, m in self.iter_chunks(documents=False)])

    @translated("write to")
    def delete_version(self, article_id: str, content_hash: str) -> None:
        self.collection.delete(where={"$and": [{"article_id": article_id}, {"content_hash": content_hash}]})

    @translated("write to")
    def close_journal(self, looked_at: dict[str, list[str]]) -> None:
        """The journal entries ``broken_versions`` looked at are settled; every write is journalled from now on."""
        meta = self._metadata()
        meta[JOURNALED] = 1
        meta[JOURNAL] = json.dumps({w: a for w, a in _pending(meta).items() if w not in looked_at})
        self.collection.modify(metadata=meta)

    def preload(self, dimension: int) -> None:
        """Read the vector index into memory in a background thread (Chroma loads it at the
        first query, which would otherwise wait for it)."""
        def load() -> None:
            try:
                if self.collection.count():
                    probe: list[float] = [dimension ** -0.5] * dimension  # any unit vector
                    self.collection.query(query_embeddings=probe, n_results=1, include=[])
            except Exception:  # a warm-up only: the real query reports any problem
                log.debug("vector index preload failed", exc_info=True)

        threading.Thread(target=load, name="newsbot-index-load", daemon=True).start()

    # -- reading ---------------------------------------------------------------------------
    def iter_chunks(self, documents: bool = True) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every chunk as (id, document, metadata), paged so memory stays flat."""
        include: list[Any] = ["metadatas", "documents"] if documents else ["metadatas"]
        for got in self._pages(include):
            docs = got.get("documents") or [""] * len(got["ids"])
            for cid, doc, meta in zip(got["ids"], docs, got["metadatas"] or []):
                yield cid, doc or "", without_vectors(meta)

    def ids(self) -> Iterator[str]:
        """Every chunk id, paged (the cheapest whole-store read: no documents, no metadata)."""
        for got in self._pages([], ID_PAGE):
            yield from got["ids"]

    @translated("read")
    def records(self, ids: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
        """The chunks ``ids`` as (id, document, metadata with the sentence vectors)."""
        out = []
        for i in range(0, len(ids), PAGE):
            got = self.collection.get(ids=ids[i : i + PAGE], include=["documents", "metadatas"])
            docs = got.get("documents") or [""] * len(got["ids"])
            for cid, doc, meta in zip(got["ids"], docs, got["metadatas"] or []):
                out.append((cid, doc or "", dict(meta)))
        return out

    def _pages(self, include: list[Any], limit: int = PAGE) -> Iterator[Any]:
        """The whole collection, one ``get`` result of up to ``limit`` chunks at a time."""
        offset = 0
        while True:
            got = self._page(include, offset, limit)
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    @translated("read")
    def _page(self, include: list[Any], offset: int, limit: int = PAGE) -> Any:
        return self.collection.get(include=include, limit=limit, offset=offset)

    @translated("read")
    def articles(self) -> list[StoredArticle]:
        got = self.collection.get(where={"position": 0}, include=["metadatas"])
        out = [_stored_article(m) for m in got["metadatas"] or []]
        return sorted(out, key=lambda a: (a.published, a.title), reverse=True)

    def leads(self, article_ids: list[str]) -> dict[str, Passage]:
        """Each article's first chunk, as a passage (articles no longer stored are left out)."""
        return {article: chunks[0] for article, chunks in self.chunks_of(article_ids, lead_only=True).items()}

    @translated("read")
    def chunks_of(self, article_ids: list[str], lead_only: bool = False) -> dict[str, list[Passage]]:
        """Every chunk of each article (only the first with ``lead_only``), in position order."""
        out: dict[str, list[Passage]] = {}
        for i in range(0, len(article_ids), ID_BATCH):
            where: Any = {"article_id": {"$in": article_ids[i : i + ID_BATCH]}}
            if lead_only:
                where = {"$and": [where, {"position": 0}]}
            got = self.collection.get(where=where, include=["documents", "metadatas"])
            for cid, doc, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or []):
                out.setdefault(str(meta["article_id"]), []).append(passage_from(cid, doc or "", dict(meta)))
        for passages in out.values():
            passages.sort(key=lambda p: p.position)
        return out

    @translated("read")
    def same_text(self, text_hashes: list[str]) -> dict[str, StoredArticle]:
        """The stored article holding each text (by ``Article.text_hash``), where one does."""
        out: dict[str, StoredArticle] = {}
        for i in range(0, len(text_hashes), ID_BATCH):
            where: Any = {"$and": [{"position": 0}, {"text_hash": {"$in": text_hashes[i : i + ID_BATCH]}}]}
            for m in self.collection.get(where=where, include=["metadatas"])["metadatas"] or []:
                out.setdefault(str(m["text_hash"]), _stored_article(m))
        return out

    @translated("write to")
    def relocate(self, article: StoredArticle, source: str, aliases: list[str]) -> None:
        """Record where an article's text is found: its source and the other locations (kept on its
        first chunk, which is what ``articles`` lists)."""
        self.collection.update(ids=[chunk_id(article.id, article.content_hash, 0)],
                               metadatas=[{"source": source, ALIASES: json.dumps(aliases, ensure_ascii=False)}])

    @translated("read")
    def nearest(self, embedding: np.ndarray, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """The ``n`` nearest chunks as (id, cosine similarity): ids and distances only, the cheap
        part of a query (the text and metadata of the few that matter are fetched afterwards).
        In exact mode (no ``where``) every stored vector is compared, ties broken by id."""
        if self.exact and where is None:
            return self._exactly_nearest(embedding, n)
        got = self.collection.query(query_embeddings=[embedding.tolist()], n_results=n, where=where or None,
                                    include=["distances"])  # type: ignore[list-item]
        ids, distances = got["ids"][0], (got["distances"] or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances)]

    def _exactly_nearest(self, embedding: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Chroma's graph search (HNSW) is approximate, and a graph built twice from the same
        articles is not the same graph, so the neighbours it misses differ from store to store.
        Comparing every vector gives the same neighbours for the same articles on any machine:
        what the training commands need to reproduce their weights (about 0.3 ms a question per
        10,000 chunks, after reading every vector once)."""
        ids, rows = self._all_vectors()
        if not ids or n < 1:
            return []
        sims = rows @ np.asarray(embedding, np.float32)
        n = min(n, len(ids))
        cut = np.partition(sims, len(sims) - n)[len(sims) - n]
        near = np.flatnonzero(sims >= cut)
        near = near[np.lexsort((near, -sims[near]))][:n]  # rows are in id order: ties go by id
        return [(ids[i], float(sims[i])) for i in near]

    def _all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every stored vector with its id, sorted by id; read again after any write."""
        generation = self.generation
        if self._vectors is None or self._vectors[0] != generation:
            ids: list[str] = []
            parts: list[np.ndarray] = []
            for got in self._pages(["embeddings"]):
                ids.extend(got["ids"])
                parts.append(np.asarray(got["embeddings"], np.float32))
            order = sorted(range(len(ids)), key=ids.__getitem__)
            rows = np.vstack(parts)[order] if parts else np.zeros((0, 0), np.float32)
            self._vectors = (generation, [ids[i] for i in order], rows)
        return self._vectors[1], self._vectors[2]

    @translated("read")
    def passages(self, ids: list[str]) -> dict[str, Passage]:
        """The stored chunks ``ids`` as passages (ids no longer stored are left out)."""
        if not ids:
            return {}
        got = self.collection.get(ids=ids, include=["documents", "metadatas"])
        docs = got.get("documents") or [""] * len(got["ids"])
        return {cid: passage_from(cid, doc or "", dict(meta))
                for cid, doc, meta in zip(got["ids"], docs, got["metadatas"] or [])}


@functools.lru_cache(maxsize=16)
def _server_client(host: str, port: int, ssl: bool) -> Any:
    """One client per Chroma server in a process (making one takes ~150 ms; it is thread-safe):
    the stores of several libraries on one server share it."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=ChromaSettings(anonymized_telemetry=False))


@functools.lru_cache(maxsize=16)
def _local_client(path: str, inode: int) -> Any:
    """One client per store folder in a process (~50 ms to make), as Chroma advises; a folder
    made anew at the same path (another inode) gets a new one."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=path, settings=ChromaSettings(anonymized_telemetry=False))


ALIASES = "aliases"  # first-chunk metadata: the article's other locations, a JSON list


def _stored_article(m: Mapping[str, Any]) -> StoredArticle:
    try:
        aliases = [str(a) for a in json.loads(str(m.get(ALIASES) or "[]"))]
    except ValueError:
        aliases = []
    return StoredArticle(
        id=str(m["article_id"]),
        title=str(m.get("title", "")),
        outlet=str(m.get("outlet", "")),
        published=str(m.get("published", "")),
        url=str(m.get("url", "")),
        source=str(m.get("source", "")),
        chunks=metadata_int(m["n_chunks"]),
        content_hash=str(m["content_hash"]),
        aliases=aliases,
    )


def metadata_int(value: Any) -> int:
    """A whole number stored in a chunk's metadata (Chroma types every metadata value as a union
    of scalars, vectors and None; the ones read here were written as ints)."""
    return int(value)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:ERROR_CHARS] if text else type(exc).__name__
