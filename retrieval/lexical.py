"""BM25 over the chunks the store holds, rebuilt whenever the store's generation changes.

Local Chroma cannot hold sparse vectors, so the lexical index is derived: built from the store's
documents (title + text, stemmed), kept in memory with each chunk's metadata, and saved under
the cache folder keyed by collection and generation so a fresh process does not rebuild it.
The saved form is plain arrays and JSON (bm25s's own format plus a JSONL of the chunks), never
a pickle: loading it cannot run code, whoever wrote the folder.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from retrieval.models import Passage
from retrieval.store import Store, passage_from
from retrieval.text import tokenize

CHUNKS_FILE = "chunks.json"  # columns of the chunks (ids, texts, metadata as JSON text, days, outlets)
RECHECK_SECONDS = 1.0  # how stale another process's writes may look (this process's own: never)
FOLDER_NAME_CHARS = 80  # of the store's location in a cache folder's name


def lexical_text(title: str, text: str) -> str:
    return f"{title}\n{text}" if title else text


@dataclass
class _Index:
    """The BM25 index and its copy of the chunks. A loaded copy keeps each chunk's metadata as
    its JSON text, read only when that chunk is retrieved (45k of them take 1 s to read all)."""

    generation: str
    retriever: bm25s.BM25 | None
    ids: list[str]
    documents: list[str]
    metadatas: list[dict[str, Any] | str]
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    outlets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))

    def __post_init__(self) -> None:
        # per-chunk columns for filters and lookups, so no query loops over every chunk in Python
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        if len(self.days) != len(self.ids):
            metas = [self.meta(i) for i in range(len(self.ids))]
            self.days = np.array([int(m.get("published_day", 0) or 0) for m in metas], dtype=np.int64)
            self.outlets = np.array([str(m.get("outlet", "")) for m in metas], dtype=object)
        self.newest = int(self.days.max()) if len(self.days) else 0

    def meta(self, i: int) -> dict[str, Any]:
        held = self.metadatas[i]
        return json.loads(held) if isinstance(held, str) else held

    def passage(self, i: int) -> Passage:
        return passage_from(self.ids[i], self.documents[i], self.meta(i))


class LexicalIndex:
    """Keeps a BM25 index in step with one store; safe to share between threads."""

    def __init__(self, store: Store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self._index: _Index | None = None
        self._lock = threading.Lock()
        self._checked = (float("-inf"), -1)  # (monotonic time, store.writes) of the last generation check

    def _folder(self, generation: str) -> Path | None:
        if self.cache_dir is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", self.store.location)[-FOLDER_NAME_CHARS:]
        return self.cache_dir / "bm25" / f"{safe}-{self.store.collection.name}-{generation}"

    def current(self) -> _Index:
        """The index for the store as it is now (read the generation first, then the chunks,
        so an index is never older than the generation it is filed under)."""
        with self._lock:
            now = time.monotonic()
            if (self._index is not None and self._checked[1] == self.store.writes
                    and now - self._checked[0] < RECHECK_SECONDS):
                return self._index
            writes = self.store.writes
            generation = self.store.generation
            if self._index is None or self._index.generation != generation:
                self._index = self._load(generation) or self._build(generation)
            self._checked = (now, writes)
            return self._index

    def _build(self, generation: str) -> _Index:
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any] | str] = []
        titles: list[str] = []
        for cid, doc, meta in self.store.iter_chunks():
            ids.append(cid)
            docs.append(doc)
            metas.append(meta)
            titles.append(str(meta.get("title", "")))
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            corpus = tokenize([lexical_text(t, d) for t, d in zip(titles, docs)])
            retriever.index(corpus, show_progress=False)
        index = _Index(generation, retriever, ids, docs, metas)
        self._save(index)
        return index

    def _save(self, index: _Index) -> None:
        folder = self._folder(index.generation)
        if folder is None or index.retriever is None:
            return
        parent = folder.parent
        if parent.exists():  # older generations of this store are stale now
            prefix = folder.name.rsplit("-", 1)[0] + "-"
            for old in parent.glob(prefix + "*"):
                shutil.rmtree(old, ignore_errors=True)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        index.retriever.save(str(tmp), show_progress=False)
        columns = {"ids": index.ids, "documents": index.documents,
                   "metadatas": [m if isinstance(m, str) else json.dumps(m, ensure_ascii=False)
                                 for m in index.metadatas],
                   "days": index.days.tolist(), "outlets": index.outlets.tolist()}
        with open(tmp / CHUNKS_FILE, "w", encoding="utf-8") as fh:
            json.dump(columns, fh, ensure_ascii=False)
        tmp.rename(folder)

    def _load(self, generation: str) -> _Index | None:
        folder = self._folder(generation)
        if folder is None or not (folder / CHUNKS_FILE).is_file():
            return None
        try:
            retriever = bm25s.BM25.load(str(folder), allow_pickle=False, show_progress=False)
            with open(folder / CHUNKS_FILE, encoding="utf-8") as fh:
                columns = json.load(fh)  # one document: far faster than a line each
            ids = [str(c) for c in columns["ids"]]
            metas: list[dict[str, Any] | str] = [str(m) for m in columns["metadatas"]]
            days = np.array(columns["days"], dtype=np.int64)
            outlets = np.array(columns["outlets"], dtype=object)
            if not (len(ids) == len(columns["documents"]) == len(metas) == len(days) == len(outlets)):
                return None
            return _Index(generation, retriever, ids, list(columns["documents"]), metas, days, outlets) if ids else None
        except Exception:  # a damaged cache is rebuilt, never trusted
            return None

    def search(self, question: str, n: int, allowed: np.ndarray | None = None) -> list[Passage]:
        """Top ``n`` chunks by BM25 (only where ``allowed`` is true), with ``lexical`` scores."""
        index = self.current()
        if index.retriever is None:
            return []
        tokens = tokenize([question])[0]
        if not tokens:
            return []
        scores = np.asarray(index.retriever.get_scores(tokens), dtype=np.float32)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        out = []
        for i in top:
            if scores[i] <= 0:
                break
            passage = index.passage(int(i))
            passage.lexical = float(scores[i])
            out.append(passage)
        return out

    def mask(self, select: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """``select`` applied to every chunk's publication day and outlet (a boolean array)."""
        index = self.current()
        return select(index.days, index.outlets)

    def newest_day(self) -> int:
        """The latest publication day stored (YYYYMMDD), 0 when nothing is dated."""
        return self.current().newest

    def known(self, ids: list[str]) -> dict[str, Passage]:
        """Passages for the ids this index holds (fresh objects: scores are set per question)."""
        index = self.current()
        return {cid: index.passage(index.position[cid]) for cid in ids if cid in index.position}
