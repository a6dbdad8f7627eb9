"""From articles to stored chunks: dedup by content hash, replace changed ones, prune, report.

Articles stream through in batches (about ``CHUNKS_PER_BATCH`` chunks embedded together), so
memory stays flat however large the corpus. One batch is embedded in the background while the
one before it is written and the next is cut into chunks: the store's writes and the sentence
splitter run on a core the model would otherwise leave idle between batches. A changed
article's new chunks are stored before the old version is dropped; ``Indexes.repair`` at the
start of a run clears what an interrupted run left half-done.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from retrieval.index.chunking import SPLIT_RULES, chunk_article
from retrieval.index.embedding_cache import EmbeddingCache
from retrieval.index.embeddings import Embedder
from retrieval.index.indexes import Indexes
from retrieval.models import Article, Chunk
from retrieval.sources.articles import LoadFailure

log = logging.getLogger("newsbot.ingest")
ARTICLES_PER_LOOKUP = 64  # articles whose stored versions are looked up in one store call
CHUNKS_PER_BATCH = 256  # chunks embedded and stored together: memory stays flat, writes stay large
OPENING_CHARS = 120  # what of a chunk past an article's lead is embedded: its first sentences, at most this long


@dataclass
class IngestReport:
    """What one run did; ``failed`` holds (item, one-line reason)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # of the unchanged: the same text stored from another location
    chunks: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: what was added, updated, unchanged, failed (and removed)."""
        line = (f"added {len(self.added)}, updated {len(self.updated)}, "
                f"unchanged {len(self.unchanged)}, failed {len(self.failed)}")
        if self.elsewhere:
            line += f" ({len(self.elsewhere)} of them already stored from another location)"
        if self.removed:
            line += f", removed {len(self.removed)}"
        return line

    def as_dict(self) -> dict[str, object]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "failed": [{"item": item, "error": why} for item, why in self.failed],
            "removed": len(self.removed),
            "elsewhere": len(self.elsewhere),
            "chunks_written": self.chunks,
            "seconds": round(self.seconds, 2),
        }


Progress = Callable[[int, int], None]  # (articles done, chunks written) since the last call
Vectors = tuple[np.ndarray, "list[np.ndarray] | None"]  # chunk vectors, and each chunk's sentence vectors


@dataclass(frozen=True)
class IndexConfig:
    """How articles are cut and embedded; part of every article's stored version."""

    chunk_chars: int  # target characters per chunk
    chunk_overlap: int  # sentences shared by neighbouring chunks
    embed_title: bool  # prefix each chunk with its title when embedding
    sentence_vectors: str = "pooled"  # how sentence vectors are stored: pooled, separate or none
    lead_chars: int = 0  # chunks starting this far into an article are embedded by their opening; 0: none

    def signature(self, model: str) -> str:
        """Changing any of these, or the model, re-indexes an article on its next ingest."""
        lead = f";lead={self.lead_chars}/{OPENING_CHARS}" if self.lead_chars else ""
        return (f"chunks={self.chunk_chars}/{self.chunk_overlap};title={self.embed_title};model={model};"
                f"sentences={self.sentence_vectors};split={SPLIT_RULES}{lead}")


def embed_input(article: Article, chunk: Chunk, with_title: bool, lead_chars: int = 0
                ) -> tuple[str, list[tuple[int, int]]]:
    """What the dense index sees of a chunk (the title first, which gives a short chunk its
    topic), and where each of the chunk's sentences lies in it (character spans), so the
    sentences' vectors come from the chunk's own forward pass.

    A chunk that starts ``lead_chars`` or more into its article is embedded by its opening
    only (whole sentences up to ``OPENING_CHARS``, else the first sentence's opening words; no
    title): news puts what a question asks into the lead, so the dense index spends its time
    there, and the keyword index still holds every word of the rest. Sentences left out of the
    opening get an empty span (a zero vector).
    """
    opening = bool(lead_chars) and chunk.start >= lead_chars
    prefix = f"{article.title}. " if with_title and article.title and not opening else ""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    at = len(prefix)
    cursor = chunk.start
    closed = False  # past the opening: every later sentence is left out too
    for s, e in chunk.sentences:
        sentence = " ".join(chunk.text[s - chunk.start : e - chunk.start].split())
        closed = closed or (opening and bool(pieces) and at + len(sentence) > OPENING_CHARS)
        if closed:
            spans.append((0, 0))
            continue
        if opening and len(sentence) > OPENING_CHARS:  # a long first sentence: its opening words
            sentence = sentence[: max(sentence.rfind(" ", 0, OPENING_CHARS + 1), OPENING_CHARS // 2)]
        gap = chunk.text[cursor - chunk.start : s - chunk.start]
        if pieces and gap.split():  # text between sentences (rare): kept, so the body reads the same
            words = " ".join(gap.split())
            pieces.append(words)
            at += len(words) + 1
        spans.append((at, at + len(sentence)))
        pieces.append(sentence)
        at += len(sentence) + 1
        cursor = e
    return prefix + " ".join(pieces), spans


class Ingestor:
    """Stores articles into one store, idempotently."""

    def __init__(self, indexes: Indexes, embedder: Embedder, config: IndexConfig,
                 cache: EmbeddingCache | None = None) -> None:
        self.indexes = indexes  # every write goes through it, to both the store and the keyword index
        self.versions = indexes.versions  # what is stored of each article
        self.embedder = embedder
        self.config = config
        self.cache = cache
        self.signature = config.signature(embedder.name)
        self._texts: dict[str, str] = {}  # text hash -> id of the located article storing it, this run
        self._found_again: dict[str, list[str]] = {}  # text hash -> further locations of that text
        self._background: ThreadPoolExecutor | None = None
        self._inflight: tuple[list[tuple[Article, list[Chunk]]], Future[Vectors]] | None = None

    def run(
        self,
        items: Iterable[Article | LoadFailure],
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest everything ``items`` yields; failures are recorded, never raised."""
        import time

        started = time.perf_counter()
        report = IngestReport()
        self.indexes.repair()
        pending: list[Article] = []
        seen: set[str] = set()
        self._background = ThreadPoolExecutor(1, thread_name_prefix="newsbot-ingest")
        try:
            for item in items:
                if isinstance(item, LoadFailure):
                    report.failed.append((item.item, item.reason))
                    if progress:
                        progress(1, 0)
                    continue
                if item.id in seen:  # the same article twice in one run: the first wins
                    report.unchanged.append(item.id)
                    continue
                seen.add(item.id)
                pending.append(item)
                if len(pending) >= ARTICLES_PER_LOOKUP:
                    self._flush(pending, report, progress)
                    pending = []
            self._flush(pending, report, progress)
            self._write_inflight(report, progress)
            self._record_locations()
        finally:
            self._stop_background()
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, articles: list[Article], report: IngestReport, progress: Progress | None) -> None:
        if not articles:
            return
        versions = self.versions([a.id for a in articles])
        new_located = [a.text_hash for a in articles if a.located and a.id not in versions]
        same = self.indexes.store.same_text(new_located) if new_located else {}
        batch: list[tuple[Article, list[Chunk]]] = []
        size = 0
        for article in articles:
            article.index_signature = self.signature
            stored = versions.get(article.id, {})
            if article.located and not stored:
                holder = same[article.text_hash].id if article.text_hash in same else self._texts.get(article.text_hash)
                if holder is not None and holder != article.id:  # the same text, found at another place
                    self._found_again.setdefault(article.text_hash, []).append(article.source or article.id)
                    report.unchanged.append(article.id)
                    report.elsewhere.append(article.id)
                    if progress:
                        progress(1, 0)
                    continue
                self._texts[article.text_hash] = article.id
            have = stored.get(article.content_hash)
            if have and have[0] >= have[1] and len(stored) == 1:
                report.unchanged.append(article.id)
                if progress:
                    progress(1, 0)
                continue
            chunks = chunk_article(article, self.config.chunk_chars, self.config.chunk_overlap)
            if not chunks:
                report.failed.append((_named(article), "no article text to index (only a title, captions or the "
                                                       "publisher's lines around an article)"))
                if progress:
                    progress(1, 0)
                continue
            (report.updated if stored else report.added).append(article.id)
            batch.append((article, chunks))
            size += len(chunks)
            if size >= CHUNKS_PER_BATCH:
                self._store(batch, report, progress)
                batch, size = [], 0
        self._store(batch, report, progress)

    def _embed(self, inputs: list[tuple[str, list[tuple[int, int]]]]) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Chunk vectors, and sentence vectors as the config asks, for (text, sentence spans)."""
        texts = [text for text, _ in inputs]
        mode = self.config.sentence_vectors
        sentence_vectors: list[np.ndarray] | None = None
        if mode == "pooled":
            vectors, sentence_vectors = self.embedder.embed_with_spans(texts, [spans for _, spans in inputs])
        else:
            vectors = self.embedder.embed(texts)
        if mode == "separate":  # each sentence alone, once even where chunks overlap
            sentence_vectors = self.embedder.embed_spans_alone(texts, [spans for _, spans in inputs])
        return vectors, sentence_vectors

    def _embed_cached(self, inputs: list[tuple[str, list[tuple[int, int]]]]
                      ) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """``_embed`` through the embedding cache: only inputs never embedded before are."""
        assert self.cache is not None
        mode = self.config.sentence_vectors
        keys = [self.cache.key(text, spans if mode != "none" else None) for text, spans in inputs]
        found = self.cache.get(keys)
        todo = [i for i, key in enumerate(keys) if key not in found]
        if todo:
            vectors, sentences = self._embed([inputs[i] for i in todo])
            entries = [(keys[i], vectors[j], None if sentences is None else sentences[j]) for j, i in enumerate(todo)]
            self.cache.put(entries)
            found.update((key, (vector, sent)) for key, vector, sent in entries)
        chunk_vectors = np.stack([found[key][0] for key in keys])
        if mode == "none":
            return chunk_vectors, None
        dim = chunk_vectors.shape[1]
        return chunk_vectors, [v if (v := found[key][1]) is not None else np.zeros((0, dim), np.float32)
                               for key in keys]

    def _vectors(self, inputs: list[tuple[str, list[tuple[int, int]]]]) -> Vectors:
        return self._embed_cached(inputs) if self.cache else self._embed(inputs)

    def _store(
        self, batch: list[tuple[Article, list[Chunk]]], report: IngestReport, progress: Progress | None
    ) -> None:
        """Start embedding ``batch`` in the background, then write the batch embedded before it."""
        if not batch:
            return
        assert self._background is not None, "batches are stored only inside run()"
        inputs = [embed_input(a, c, self.config.embed_title, self.config.lead_chars) for a, chunks in batch for c in chunks]
        future = self._background.submit(self._vectors, inputs)
        self._write_inflight(report, progress)
        self._inflight = (batch, future)

    def _stop_background(self) -> None:
        """End of a run: no thread outlives it. After an error, the batch still being embedded is
        waited for and dropped (it never reached the store)."""
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            inflight[1].cancel()
            try:
                inflight[1].result()
            except BaseException:  # the run is already failing with its own error
                pass
        if self._background is not None:
            self._background.shutdown(wait=True)
            self._background = None

    def _write_inflight(self, report: IngestReport, progress: Progress | None) -> None:
        """Store the batch being embedded, once its vectors are ready."""
        if self._inflight is None:
            return
        batch, future = self._inflight
        self._inflight = None
        count = sum(len(chunks) for _, chunks in batch)
        vectors, sentence_vectors = future.result()
        self.indexes.store_batch(batch, vectors, sentence_vectors, set(report.updated))
        report.chunks += count
        log.info("stored %d articles (%d chunks)", len(batch), count)
        if progress:
            progress(len(batch), count)

    def _record_locations(self) -> None:
        """Note each text found again at another place on the article that holds it; a source
        file that no longer exists (the folder was moved) gives its place to the new one."""
        if not self._found_again:
            return
        found = self.indexes.store.same_text(list(self._found_again))
        for text_hash, places in self._found_again.items():
            article = found.get(text_hash)
            if article is None:
                continue
            locations = [p for p in article.locations if not _vanished(p)]
            locations += [p for p in places if p not in locations]
            if locations and locations != article.locations:
                self.indexes.relocate(article, locations[0], locations[1:])
        self._found_again = {}

    def prune(self, keep_sources: set[str], roots: list[str]) -> list[str]:
        """Remove articles loaded from under ``roots`` that are no longer found anywhere: every
        location of theirs under ``roots`` is gone and they have none elsewhere. One that is still
        found elsewhere only forgets the places that are gone (a file elsewhere that no longer
        exists is gone too)."""
        def under_roots(place: str) -> bool:
            return any(place.startswith(root) for root in roots)

        gone = []
        for article in self.indexes.store.articles():
            locations = article.locations
            if not any(under_roots(p) for p in locations):
                continue
            left = [p for p in locations if p in keep_sources or not (under_roots(p) or _vanished(p))]
            if not left:
                if locations:
                    gone.append(article.id)
            elif left != locations:
                self.indexes.relocate(article, left[0], left[1:])
        if gone:
            self.indexes.remove(gone)
        return gone


def _vanished(location: str) -> bool:
    """Is ``location`` a file path on this machine that no longer exists?"""
    return os.path.isabs(location) and not os.path.exists(location)


def _named(article: Article) -> str:
    """Where an article came from, with its id when that is one record of many (a JSONL line):
    "export.jsonl [a17]" tells which record to look at, "export.jsonl" alone does not. A record
    without an id is already named by its place ("export.jsonl:3", as the loader names a bad line)."""
    if not article.source or article.source in article.id:
        return article.id
    return article.source if article.id in article.source else f"{article.source} [{article.id}]"
