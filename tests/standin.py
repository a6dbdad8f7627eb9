"""Embedders for tests: the real model remembering what it embedded, and a stand-in with no model.

``RememberingEmbedder`` is the real model (its vectors are the model's, bit for bit); a chunk it
has embedded once, in any test of the session, is not embedded again, so tests that ingest the
same small articles over and over pay for the model once.

``StandInEmbedder`` is for tests of pure logic (scoring rules, timelines, guards) that need a
vector but are not about the model: a deterministic bag-of-words vector (hashed stemmed words,
unit length), so texts sharing words are close and the same text always gives the same vector.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from retrieval.index.embeddings import Closeness, Embedder
from retrieval.text import hashed_vectors

Spans = list[tuple[int, int]]


class RememberingEmbedder(Embedder):
    """The real model; chunk vectors (and their sentences' pooled vectors) remembered by text."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__(cache_dir=cache_dir)
        self._remembered: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._remember_lock = threading.Lock()

    def embed_with_spans(self, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
        keys = [(t, tuple(s)) for t, s in zip(texts, spans)]
        with self._remember_lock:
            missing = [i for i, k in enumerate(keys) if k not in self._remembered]
        if missing:
            vectors, pooled = super().embed_with_spans([texts[i] for i in missing], [spans[i] for i in missing])
            with self._remember_lock:
                for row, i in enumerate(missing):
                    self._remembered[keys[i]] = (vectors[row], pooled[row])
        with self._remember_lock:
            found = [self._remembered[k] for k in keys]
        out = np.stack([v for v, _ in found]) if found else np.zeros((0, self.dimension), dtype=np.float32)
        return out, [p for _, p in found]


class StandInEmbedder:
    """A deterministic vector per text from its stemmed words; no model, no files."""

    name = "stand-in"
    identity = "stand-in"
    backend = "stand-in"
    model_path = Path("stand-in")
    dimension = 64
    closeness = Closeness()

    def embed(self, texts: list[str]) -> np.ndarray:
        return hashed_vectors(texts, self.dimension)

    def embed_cached(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts)

    def embed_with_spans(self, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Chunk vectors and, for each chunk, its sentences' vectors (each sentence alone)."""
        sentences = [self.embed([text[s:e] for s, e in chunk]) if chunk else np.zeros((0, self.dimension), np.float32)
                     for text, chunk in zip(texts, spans)]
        return self.embed(texts), sentences

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
