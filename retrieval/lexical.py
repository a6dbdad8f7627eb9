"""BM25 over the chunks the store holds, rebuilt whenever the store's generation changes.

Local Chroma cannot hold sparse vectors, so the lexical index is derived: built from the store's
documents (title + text, stemmed), kept in memory with each chunk's metadata, and saved under
the cache folder keyed by collection and generation so a fresh process does not rebuild it.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from retrieval.models import Passage
from retrieval.store import Store, passage_from
from retrieval.text import tokenize


def lexical_text(title: str, text: str) -> str:
    return f"{title}\n{text}" if title else text


@dataclass
class _Index:
    generation: int
    retriever: bm25s.BM25 | None
    ids: list[str]
    documents: list[str]
    metadatas: list[dict[str, Any]]


class LexicalIndex:
    """Keeps a BM25 index in step with one store."""

    def __init__(self, store: Store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self._index: _Index | None = None

    def _folder(self, generation: int) -> Path | None:
        if self.cache_dir is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", self.store.location)[-80:]
        return self.cache_dir / "bm25" / f"{safe}-{self.store.collection.name}-{generation}"

    def current(self) -> _Index:
        generation = self.store.generation
        if self._index is None or self._index.generation != generation:
            self._index = self._load(generation) or self._build(generation)
        return self._index

    def _build(self, generation: int) -> _Index:
        ids, docs, metas = [], [], []
        for cid, doc, meta in self.store.iter_chunks():
            ids.append(cid)
            docs.append(doc)
            metas.append(meta)
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            corpus = tokenize([lexical_text(str(m.get("title", "")), d) for d, m in zip(docs, metas)])
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
        with open(tmp / "index.pkl", "wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        (tmp / "meta.json").write_text(json.dumps({"generation": index.generation}))
        tmp.rename(folder)

    def _load(self, generation: int) -> _Index | None:
        folder = self._folder(generation)
        if folder is None or not (folder / "index.pkl").is_file():
            return None
        try:
            with open(folder / "index.pkl", "rb") as fh:
                index = pickle.load(fh)
        except Exception:  # a damaged cache is rebuilt, never trusted
            return None
        return index if isinstance(index, _Index) and index.ids else None

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
            passage = passage_from(index.ids[i], index.documents[i], index.metadatas[i])
            passage.lexical = float(scores[i])
            out.append(passage)
        return out

    def mask(self, predicate: Any) -> np.ndarray:
        """A boolean array over the index's chunks: which metadata pass ``predicate``."""
        index = self.current()
        return np.array([bool(predicate(m)) for m in index.metadatas], dtype=bool)
