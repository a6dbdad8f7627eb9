"""Vectors of chunks already embedded, kept on disk, keyed by model and exact input.

Ingesting a text that was embedded before (a corpus ingested into a second store, a benchmark's
repeated corpus, a re-run of a sweep) then costs a lookup instead of a forward pass. The key
covers everything the vectors depend on: the model, the text, and the sentence spans pooled
from it, so a hit is the same vector the model would give. Off unless the settings ask for it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

VECTOR, SENTENCES = np.dtype("<f4"), np.dtype("<f2")  # sentence vectors are stored as float16 anyway
SQL_VARS = 500

Spans = list[tuple[int, int]]


class EmbeddingCache:
    """A SQLite table of (key -> chunk vector, sentence vectors); safe to share between threads."""

    def __init__(self, path: Path, model: str, dimension: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.dimension = dimension
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors(key BLOB PRIMARY KEY, vector BLOB NOT NULL, "
                         "sentences BLOB)")

    def key(self, text: str, spans: Spans | None) -> bytes:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{self.model}\x00{spans if spans is not None else '-'}\x00".encode())
        digest.update(text.encode("utf-8"))
        return digest.digest()

    def get(self, keys: list[bytes]) -> dict[bytes, tuple[np.ndarray, np.ndarray | None]]:
        """The cached entries among ``keys``."""
        out: dict[bytes, tuple[np.ndarray, np.ndarray | None]] = {}
        with self._lock:
            for i in range(0, len(keys), SQL_VARS):
                part = keys[i : i + SQL_VARS]
                rows = self._db.execute(
                    f"SELECT key, vector, sentences FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
                for key, vector, sentences in rows:
                    out[bytes(key)] = (np.frombuffer(vector, VECTOR).copy(), None if sentences is None else
                                       np.frombuffer(sentences, SENTENCES).reshape(-1, self.dimension)
                                       .astype(np.float32))
        return out

    def put(self, entries: list[tuple[bytes, np.ndarray, np.ndarray | None]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors(key, vector, sentences) VALUES (?, ?, ?)",
                [(key, np.asarray(vector, VECTOR).tobytes(),
                  None if sentences is None else np.asarray(sentences, SENTENCES).tobytes())
                 for key, vector, sentences in entries])
