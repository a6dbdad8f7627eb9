"""The one answer engine: question (+ conversation) -> passages -> Answer.

Both front ends (the CLI and Discord) call it. Expensive parts (the embedding model, the Chroma
client) are built once and may be handed in, which is also how tests give it their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Protocol

from bot.answer import Answer
from bot.conversation import Conversation
from bot.errors import InputError
from bot.extractive import ExtractiveAnswerer
from bot.settings import Settings
from retrieval.embeddings import Embedder
from retrieval.ingest import Ingestor, IngestReport, Progress
from retrieval.lexical import LexicalIndex
from retrieval.loaders import Sources, load
from retrieval.models import Passage
from retrieval.search import Filters, SearchConfig, Searcher
from retrieval.store import Store, StoredArticle

MAX_QUESTION_CHARS = 2000
TokenSink = Callable[[str], None]


class Answerer(Protocol):
    name: str

    def answer(self, question: str, passages: list[Passage]) -> Answer: ...


class Engine:
    """Ingests, searches and answers over one store."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        store: Store | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model)
        self.store = store or Store(settings.store_path, settings.chroma_url, settings.collection)
        self.lexical = LexicalIndex(self.store, settings.cache_path)
        self.searcher = Searcher(
            self.store,
            self.embedder,
            self.lexical,
            SearchConfig(candidates=settings.candidates, per_article=settings.per_article),
        )
        self.extractive = ExtractiveAnswerer(self.embedder, settings.abstain_threshold)
        self.answerer: Answerer = answerer or self._build_answerer()

    def _build_answerer(self) -> Answerer:
        if self.settings.llm in ("", "extractive"):
            return self.extractive
        from bot.llm import LLMAnswerer

        return LLMAnswerer(self.settings, fallback=self.extractive)

    # -- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        targets: list[str],
        progress: Progress | None = None,
        stdin: IO[str] | None = None,
        prune: bool = False,
    ) -> IngestReport:
        if not targets:
            raise InputError("nothing to ingest: name files, folders, URLs or - for JSONL on stdin")
        sources = Sources()
        ingestor = Ingestor(
            self.store, self.embedder, self.settings.chunk_chars, self.settings.chunk_overlap
        )
        report = ingestor.run(load(targets, sources, stdin), progress)
        if prune and sources.roots:
            report.removed = ingestor.prune(sources.seen, sources.roots)
        return report

    def sources(self) -> list[StoredArticle]:
        return self.store.articles()

    def remove(self, article_ids: list[str]) -> list[str]:
        """Delete the named articles; returns the ids that were not stored."""
        known = {a.id for a in self.store.articles()}
        missing = [a for a in article_ids if a not in known]
        present = [a for a in article_ids if a in known]
        if present:
            self.store.remove(present)
        return missing

    # -- ask ------------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        return self.searcher.search(question, k or self.settings.top_k, filters)

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        filters: Filters | None = None,
        on_token: TokenSink | None = None,
        k: int | None = None,
    ) -> Answer:
        """Answer ``question``; a follow-up is first made standalone from ``conversation``.

        ``k`` retrieves more passages than the answerer uses (the eval ranks the top 10);
        ``Answer.passages`` holds all retrieved, the answerer sees the first ``top_k``.
        """
        question = " ".join(question.split())
        if not question:
            raise InputError('the question is empty: ask something, e.g. "What did Lavrov demand?"')
        if len(question) > MAX_QUESTION_CHARS:
            raise InputError(f"the question is too long ({len(question)} characters, at most {MAX_QUESTION_CHARS})")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        standalone = question
        if conversation is not None:
            rewriter = getattr(self.answerer, "rewrite", None)
            standalone = conversation.standalone(question, rewriter)
        timings["rewrite"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        top_k = self.settings.top_k
        retrieved = self.search(standalone, max(k or top_k, top_k), filters)
        passages = retrieved[:top_k]
        timings["search"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        if on_token is not None and hasattr(self.answerer, "answer_streaming"):
            answer = self.answerer.answer_streaming(standalone, passages, on_token)  # type: ignore[attr-defined]
        else:
            answer = self.answerer.answer(standalone, passages)
        answer.passages = retrieved
        timings["answer"] = time.perf_counter() - t2
        timings["total"] = time.perf_counter() - t0
        answer.question = question
        answer.standalone_question = standalone
        answer.timings = timings
        if conversation is not None:
            conversation.add(question, standalone, answer.text)
        return answer
