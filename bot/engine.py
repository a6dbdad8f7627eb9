"""The one answer engine, and the one door to newsbot: estimate, ingest, search, ask, sources,
remove, evaluate.

Front ends (the CLI, chat, Discord) and the benchmarks use this module and the public types it
exports (``__all__``), never ``retrieval`` directly. Expensive parts (the embedding model, the
Chroma client) are built once and may be handed in, which is also how tests give it their own;
every other choice comes from the settings.
"""

from __future__ import annotations

import fcntl
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

import numpy as np

from bot.answer import REPORTS_DIFFER, Answer, Answerer, Citation, Draft, TokenSink
from bot.answering import answerable, offices
from bot.answering import digest as digests
from bot.answering import quotes as quoting
from bot.answering.conversation import (
    Conversation,
    Conversations,
    follow_up_reason,
    full_names,
    names_any,
    speaks_of,
)
from bot.answering.digest import Digest, DigestItem, Story
from bot.answering.extractive import ExtractiveAnswerer
from bot.answering.guards import after_search, before_search
from bot.answering.leads import FEATURES as LEAD_FEATURES
from bot.answering.leads import WEIGHTS as LEAD_WEIGHTS
from bot.answering.leads import LeadModel, asks_for, first_look
from bot.answering.question import Question, entities, read
from bot.answering.quotes import Quotes
from bot.answering.roles import name_in, named_first
from bot.answering.routes import Route, route
from bot.answering.scoring import COVERAGE as ANSWER_COVERAGE
from bot.answering.scoring import FEATURES as ANSWER_FEATURES
from bot.answering.scoring import OLD_NEWS as ANSWER_OLD_NEWS
from bot.answering.scoring import OLDER as ANSWER_OLDER
from bot.answering.scoring import WEIGHTS as ANSWER_WEIGHTS
from bot.answering.scoring import AnswerModel, Coverage
from bot.answering.sentences import SentenceScorer
from bot.answering.timeline import Event, Timeline
from bot.answering.timeline import build as build_timeline
from bot.answering.timeline import latest as newest_events
from bot.answering.unrelated import PROBES, remember, remembered, typical
from bot.answering.when import (
    DateReading,
    all_before,
    all_past,
    long_ago,
    newer_figures,
    news_since,
    predates,
    read_dates,
    reports_since,
    undated,
    went_on,
)
from bot.measure.evaluate import (
    METRIC_KEYS,
    EvalQuestion,
    EvalResult,
    Row,
    contains_any,
    evaluate,
    load_questions,
)
from bot.measure.evaluate import off_corpus as off_corpus_questions
from bot.settings import Settings
from retrieval.dates import day_of, parse_day, since_day
from retrieval.errors import BusyError, ConfigError, InputError, NetworkError, NewsbotError, StoreError
from retrieval.index.embeddings import Embedder
from retrieval.index.indexes import Audit, Indexes, Recheck, index_file
from retrieval.index.ingest import Ingestor, IngestReport, Progress
from retrieval.index.lexical import LexicalIndex
from retrieval.index.store import Store, StoredArticle, day_number
from retrieval.index.stories import Placing, StoryIndex
from retrieval.linear import LinearModel
from retrieval.linear import write as write_model
from retrieval.models import Article, Passage
from retrieval.rerank import FEATURES as RANKING_FEATURES
from retrieval.rerank import WEIGHTS, Reranker, article_features
from retrieval.search import Filters, Searcher
from retrieval.sources.articles import LoadFailure
from retrieval.sources.feeds import (
    DEFAULT_EVERY,
    Feed,
    NewArticle,
    Poller,
    PollResult,
    Subscriptions,
    parse_every,
)
from retrieval.trees import TreeModel, from_lightgbm
from retrieval.trees import write as write_trees

if TYPE_CHECKING:  # the web stack (trafilatura, httpx) loads only to ingest
    from retrieval.sources.fetch import Fetcher, FetchPolicy
    from retrieval.sources.loaders import Sources

__all__ = [
    "ANSWER_FEATURES", "ANSWER_COVERAGE", "ANSWER_OLD_NEWS", "ANSWER_OLDER", "Coverage", "LEAD_FEATURES", "METRIC_KEYS", "LeadModel", "asks_for", "first_look", "RANKING_FEATURES", "Answer", "AnswerModel", "LinearModel", "Question",
    "TreeModel", "feature_digest", "from_lightgbm", "write_trees",
    "contains_any", "write_model", "Audit", "BusyError", "Citation", "ConfigError", "Conversation", "Conversations", "DateReading", "Digest", "DigestItem", "Engine", "EvalResult", "Event", "Feed", "Filters",
    "IngestReport", "InputError", "NetworkError", "NewArticle", "NewsbotError", "Passage", "PollResult", "Progress", "EvalQuestion", "Quotes", "Row", "StoreError",
    "Story", "StoredArticle", "Timeline", "TokenSink", "Trial", "evaluate", "load_questions", "off_corpus_questions",
    "entities", "follow_up_reason", "full_names", "route",  # how chat reads a question, for bench/follow_ups.py
]


def feature_digest() -> str:
    """The digest of what the answer models learn from (``bot/answering/fingerprint.py``), for the
    answer command and its test; loaded only when asked, not at every start."""
    from bot.answering.fingerprint import feature_digest as digest

    return digest()


log = logging.getLogger("newsbot.engine")
MAX_QUESTION_CHARS = 2000
LIBRARY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
TIMELINE_ARTICLES = 20  # articles a timeline looks at
EVAL_DEPTH = 10  # passages ranked per question when measuring (hit@10, MRR@10)
ARTICLE_CHUNKS = 100_000  # "every chunk" of one article
DIGEST_STORIES = 5  # stories in a digest
QUOTE_CHUNKS = 300  # chunks the keyword index is asked for when looking for a person's statements
QUOTE_ARTICLES = 60  # articles read whole for them
QUOTES_ANSWERED = 8  # statements an answer to "What has X said?" gives, the newest (the quotes command: all)
NAMED_CHUNKS = 200  # chunks the keyword index is asked for when looking for the reports naming someone
LATER_PASSAGES = 20  # passages searched among a story's later reports for a newer figure


class Trial(NamedTuple):
    """An extractive answer given without abstaining, and what its confidence is read from."""

    text: str
    older: bool  # every report it cites predates the window the question names
    best: float  # its best sentence's score
    closest: float  # the cosine of the sentence or passage closest to the question
    words: float  # the largest share of the question's words one sentence holds
    stale: bool = False  # naming no time, every report it cites is old news (``Question.news_since``)


class Engine:
    """Ingests, searches and answers over one store."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: Store | None = None,
                 answerer: Answerer | None = None, lexical: LexicalIndex | None = None,
                 answering: bool = False) -> None:
        """``answering``: this engine is about to answer (a cold ``ask``), so the model and the
        vector index load in background threads while the rest opens (they wait in C++, not
        for the interpreter)."""
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model, settings.model_cache_path, settings.threads,
                                             settings.embedding_backend, settings.embedding_precision)
        if answering:
            self.embedder.preload()
        self.store = store or Store(settings.store_path, settings.chroma_url, settings.collection,
                                    exact=settings.exact_search)
        if answering:
            self.store.preload(self.embedder.dimension)
        self.lexical = lexical or LexicalIndex(index_file(self.store, settings.cache_path))
        stories = StoryIndex(self.store, settings.story_join, settings.story_centre)
        self.indexes = Indexes(self.store, self.lexical, stories)  # the one writer
        self.scorer = SentenceScorer(self.embedder.embed_cached, self._answer_model())
        self.searcher = Searcher(self.indexes, self.embedder, settings.search, self._reranker())
        self.leads = self._lead_model()
        self._unrelated: _Unrelated | None = None  # the store's unrelated closeness, as of a generation
        self._unrelated_recheck = Recheck(self.store)  # when that generation is looked at again
        self.answerer: Answerer = answerer or self._build_answerer()

    def _reranker(self, looking: bool = True) -> Reranker | None:
        """The learned ranking stage the settings ask for, weighing in how well each first article
        answers (unless not ``looking``); None (fusion) when they do not, or when its weights
        cannot be read (said once, in the log)."""
        if self.settings.ranking != "learned":
            return None
        try:
            stage = Reranker.load(self.settings.ranking_weights or WEIGHTS)
        except ValueError as exc:
            log.warning("%s; ranking by fusion instead", exc)
            return None
        return stage.looking(answerable.look(self.scorer), self.settings.ranking_answer_weight) if looking else stage

    def _lead_model(self) -> LeadModel:
        """The learned model of the answer's bold span; the pattern rule when its weights cannot
        be read (said once, in the log)."""
        try:
            return LeadModel.load(self.settings.lead_weights or LEAD_WEIGHTS)
        except ValueError as exc:
            log.warning("%s; choosing the bold span by the pattern rule instead", exc)
            return LeadModel.rule()

    def _answer_model(self) -> AnswerModel:
        """The learned answer model; meaning and words alone when its weights cannot be read
        (said once, in the log)."""
        try:
            return AnswerModel.load(self.settings.answer_weights or ANSWER_WEIGHTS)
        except ValueError as exc:
            log.warning("%s; scoring sentences by meaning and words alone instead", exc)
            return AnswerModel.plain()

    def answering_input(self, question: str, as_of: date) -> tuple[Question, list[Passage]] | None:
        """What the answerer is handed for ``question`` as of a day: the question read and the
        first search's passages (what ``bench/train_answers.py`` learns from); None when a guard,
        a route or the article's metadata answers it instead."""
        asked = read(_checked(question))
        if before_search(asked) is not None or route(question) is not None:
            return None
        filters = Filters(as_of=as_of)
        reading = self.read_dates(question, as_of, filters)
        asked = self._timed(asked, question, reading, as_of)
        top_k = self.settings.top_k
        retrieved, support, _ = self._learning_searcher.find_explained(question, top_k, filters,
                                                                       reading.window if reading else None)
        passages = retrieved[:top_k]
        if not passages or after_search(asked, passages, support) is not None:
            return None
        return asked, passages + support

    @cached_property
    def _learning_searcher(self) -> Searcher:
        """The search the answer model learns from: the learned stage without its look, which
        scores with the shipped answer model, so that a re-run of the training does not depend on
        the model it replaces."""
        return Searcher(self.indexes, self.embedder, self.settings.search, self._reranker(looking=False))

    def sentence_rows(self, asked: Question, passages: list[Passage]) -> tuple[list[str], np.ndarray]:
        """Every sentence the answerer scores for ``asked`` and its row of ``ANSWER_FEATURES``, in
        passage order: not the order the shipped model scores them in, so that a model learned from
        these rows does not depend on the one shipped before it (trees grown from rows in another
        order differ)."""
        ranked = sorted(self.scorer.score(asked, passages), key=lambda c: (c.rank, c.index))
        return [c.text for c in ranked], np.array([c.row for c in ranked], np.float64)

    def trial_answer(self, asked: Question, passages: list[Passage], model: AnswerModel) -> Trial:
        """The extractive answer ``model`` gives, never abstained, hedged or set beside another
        report, and what its confidence and coverage are calibrated on. Its bold span is the
        pattern rule's, so that no shipped lead model sways the answer model's training."""
        cfg = replace(self.settings.answer, threshold=0.0, hedge=0.0, differ=0.0, cover=0.0, cover_hedge=0.0)
        answerer = ExtractiveAnswerer(SentenceScorer(self.embedder.embed_cached, model), cfg,
                                      self.embedder.closeness.same_claim, LeadModel.rule())
        draft, weighed = answerer.answer_weighed(asked, passages)
        cited = [day_of(c.published) for c in draft.citations]
        return Trial(draft.text, all_before(asked.reports_since, cited), weighed.best, weighed.closest, weighed.words,
                     all_before(asked.news_since, cited))

    def unrelated_closeness(self) -> float | None:
        """How close questions about nothing in the store come to it (``bot.answering.unrelated``;
        None for an empty store): what the coverage reads a question's closeness against. Measured
        once per store generation (40 short questions, a fraction of a second) and remembered
        beside the keyword index, so that the next process asking does not measure it again. The
        store's generation is looked at as often as the keyword index looks (``Recheck``)."""
        due, held = self._unrelated_recheck.due(), self._unrelated
        if held is not None and due is None:
            return held.value
        generation = self.store.generation
        if held is None or held.generation != generation:
            index = index_file(self.store, self.settings.cache_path)
            path = index.with_name(index.stem + ".unrelated.json") if index is not None else None
            key = {"generation": generation, "embedder": self.embedder.identity, "probes": len(PROBES),
                   "exact": self.settings.exact_search}  # the training commands compare every vector
            value = remembered(path, key)
            if value is None:
                nearest = (self.store.nearest(v, 1, None) for v in self.embedder.embed_cached(list(PROBES)))
                value = typical(found[0][1] for found in nearest if found)
                remember(path, key, value)
            held = self._unrelated = _Unrelated(generation, value)
        if due is not None:
            self._unrelated_recheck.looked(due)
        return held.value

    def lead_rows(self, asked: Question, passages: list[Passage], model: AnswerModel) -> tuple[list[str], np.ndarray]:
        """The spans the bold lead is chosen from when ``model`` scores the sentences, and their
        rows of ``LEAD_FEATURES``: what ``bench/train_answers.py`` learns the lead model from."""
        answerer = ExtractiveAnswerer(SentenceScorer(self.embedder.embed_cached, model), self.settings.answer,
                                      self.embedder.closeness.same_claim)
        return answerer.lead_candidates(asked, passages)

    def ranking_rows(self, question: str, as_of: date) -> tuple[list[str], np.ndarray]:
        """The candidate articles for ``question`` as of a day and the learned stage's features
        of each (``RANKING_FEATURES``): what ``bench/train_ranking.py`` learns from."""
        reading = self.read_dates(question, as_of)
        fused = self.searcher.candidates(question, Filters(as_of=as_of))
        return article_features(question, self.embedder.embed_one(question), fused, as_of,
                                reading.window if reading else None)

    def _build_answerer(self) -> Answerer:
        closeness = self.embedder.closeness
        extractive = ExtractiveAnswerer(self.scorer, self.settings.answer, closeness.same_claim, self.leads,
                                        self.unrelated_closeness)
        if self.settings.llm in ("", "extractive"):
            return extractive
        from bot.answering.llm import LLMAnswerer

        return LLMAnswerer(self.settings.chat_model, fallback=extractive, embed=self.embedder.embed_cached,
                           supports=closeness.supports, vet=extractive.vetted, names=extractive.covers_entities)

    def library(self, name: str) -> Engine:
        """An engine over another library in the same data folder (its own Chroma collection,
        keyword index and feed subscriptions), sharing this one's model: how each Discord server
        keeps its own articles."""
        if not LIBRARY_NAME.match(name):
            raise ConfigError(f"{name!r} is not a library name: use lower-case letters, digits and '-'")
        settings = self.settings.with_overrides(collection=f"{self.settings.collection}-{name}",
                                                feeds_file=f"feeds-{name}.json")
        return Engine(settings, embedder=self.embedder)

    def configured(self, **changes: object) -> Engine:
        """An engine with some settings changed that shares this one's model, store and indexes.

        How benchmarks compare search and answer settings without rebuilding anything.
        """
        return Engine(self.settings.with_overrides(**changes), embedder=self.embedder, store=self.store,
                      lexical=self.lexical)

    @property
    def streams(self) -> bool:
        """Whether answers arrive token by token (an LLM answerer)."""
        return self.answerer.streams

    @property
    def model_path(self) -> Path:
        """The embedding model folder in use."""
        return self.embedder.model_path

    @staticmethod
    def day(value: str | None) -> date | None:
        """A user-given day (``--as-of 2022-06-17``); InputError when it cannot be read."""
        try:
            return parse_day(value) if value else None
        except ValueError as exc:
            raise InputError(str(exc)) from None

    @staticmethod
    def since(value: str | None, as_of: date | None) -> date | None:
        """The start of a period (``--since yesterday``, ``--since 2022-06-01``) ending ``as_of``
        (today by default); InputError when it cannot be read."""
        try:
            return since_day(value, as_of or date.today()) if value else None
        except ValueError as exc:
            raise InputError(str(exc)) from None

    @staticmethod
    def filters(since: str | None = None, until: str | None = None, outlets: list[str] | None = None) -> Filters:
        """Search filters from user-given dates (YYYY-MM-DD) and outlets; InputError when a date is unreadable."""
        return Filters(since=Engine.day(since), until=Engine.day(until), outlets=list(outlets or []))

    # -- ingest ---------------------------------------------------------------------------
    @staticmethod
    def estimate(targets: list[str]) -> int | None:
        """How many articles ``targets`` probably hold (for a progress bar); None if unknown."""
        from retrieval.sources.loaders import count_articles

        return count_articles(targets)

    def ingest(self, targets: list[str], progress: Progress | None = None, stdin: IO[str] | None = None,
               prune: bool = False) -> IngestReport:
        """Files, folders, ``-`` and URLs: the machine user's own door (the CLI)."""
        if not targets:
            raise InputError("nothing to ingest: name files, folders, URLs or - for JSONL on stdin")
        from retrieval.sources.loaders import Sources, load

        sources = Sources()
        return self._write(lambda fetcher: load(targets, fetcher, sources, stdin), progress,
                           sources if prune else None)

    def ingest_shared(self, urls: list[str], uploads: list[tuple[str, bytes]] | None = None,
                      scope: str = "upload") -> IngestReport:
        """The door for front ends that serve other people (Discord): only http(s) URLs, through
        the guarded fetcher, and uploaded files as bytes, never a path on this machine. An
        upload's articles get ids under ``scope`` so they cannot replace articles from elsewhere."""
        if not urls and not uploads:
            raise InputError("nothing to ingest: give a URL or attach a file")
        from retrieval.sources.loaders import load, load_bytes

        def items(fetcher: Fetcher) -> Iterable[Article | LoadFailure]:
            yield from load(urls, fetcher, local=False)
            for name, data in uploads or []:
                yield from load_bytes(data, Path(name).name, fetcher, scope=f"{scope}:")

        return self._write(items, None, None)

    def _write(self, items: Callable[[Fetcher], Iterable[Article | LoadFailure]], progress: Progress | None,
               prune: Sources | None) -> IngestReport:
        from retrieval.sources.fetch import Fetcher

        ingestor = self._ingestor()
        fetcher = Fetcher(self.fetch_policy())
        try:
            with self.indexes.writing():
                report = ingestor.run(items(fetcher), progress)
                if prune is not None and prune.roots:
                    report.removed = ingestor.prune(prune.seen, prune.roots)
        finally:
            fetcher.close()
        return report

    def _ingestor(self) -> Ingestor:
        s = self.settings
        cache = None
        if s.embedding_cache:
            from retrieval.index.embedding_cache import EmbeddingCache

            cache = EmbeddingCache(s.cache_path / "embeddings.sqlite3", f"{self.embedder.identity};{s.sentence_vectors}",
                                   self.embedder.dimension)
        return Ingestor(self.indexes, self.embedder, s.ingest, cache)

    # -- feeds ----------------------------------------------------------------------------
    @property
    def subscriptions(self) -> Subscriptions:
        """The feed subscriptions kept in the data folder."""
        return subscriptions_in(self.settings)

    def feeds(self) -> list[Feed]:
        return feeds(self.settings)

    def add_feed(self, url: str, every: str | None = None, probe: bool = True) -> tuple[Feed, bool]:
        return add_feed(self.settings, url, every, probe)

    def remove_feed(self, url: str) -> bool:
        return remove_feed(self.settings, url)

    def poll_feeds(self, everything: bool = False, clock: Callable[[], float] = time.time) -> list[PollResult]:
        """Poll the feeds that are due (``everything``: all now) and ingest their new entries.

        One process polls a home's feeds at a time (a lock beside the subscriptions, which are
        read again inside it): a bot and a ``watch`` on one home take turns and never poll a
        feed twice. BusyError when another process is polling now."""
        from retrieval.sources.fetch import Fetcher

        with poll_lease(self.settings.home / f"{self.settings.feeds_file}.poll.lock"):
            ingestor = self._ingestor()
            fetcher = Fetcher(self.fetch_policy())

            def ingest(items: Iterable[Article | LoadFailure]) -> IngestReport:
                with self.indexes.writing():
                    return ingestor.run(items)

            try:
                return Poller(self.subscriptions, fetcher, ingest, clock).poll_due(everything)
            finally:
                fetcher.close()

    def fetch_policy(self) -> FetchPolicy:
        """Where URL ingest may go and how much it downloads, from the settings."""
        return self.settings.fetch

    def sources(self) -> list[StoredArticle]:
        return self.store.articles()

    def remove(self, article_ids: list[str]) -> list[str]:
        """Delete the named articles; returns the ids that were not stored."""
        known = {a.id for a in self.store.articles()}
        missing = [a for a in article_ids if a not in known]
        present = [a for a in article_ids if a in known]
        if present:
            with self.indexes.writing():
                self.indexes.remove(present)
        return missing

    def check(self, repair: bool = False) -> tuple[Audit, Audit | None]:
        """Compare the store, the keyword index and the articles' versions; with ``repair``, fix
        what differs from the store. Returns the audit, and the one after repairing."""
        audit = self.indexes.audit()
        if repair and (not audit.clean or audit.behind):
            return audit, self.indexes.rebuild()
        return audit, None

    def place_in_stories(self, progress: Placing | None = None, order: list[str] | None = None) -> int:
        """Place stored articles that are in no story yet (a store from before stories, or a
        write cut short between the chunks and the stories), oldest first unless ``order`` lists
        their ids; how many were placed. ``progress`` hears (placed now, to place in all). Stories
        placed by an earlier rule are forgotten and every article placed again, once."""
        stories = self.indexes.stories
        missing, orphans = stories.differences(self.indexes.article_ids())
        if not missing and not orphans and not stories.outdated:
            return 0
        with self.indexes.writing():  # looked at again under the lock: another writer may have placed them
            stories.reopen()
            if stories.outdated:
                log.info("stories were placed by an earlier rule: placing every article again")
                stories.reset()
            return stories.catch_up(self.indexes.article_ids(), progress, order)

    def warm(self) -> None:
        """Load the model and the keyword index now, so the first question is not the slow one."""
        self.embedder.embed_one("warm up")
        self.indexes.current()

    # -- ask ------------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        return self.searcher.search(question, k or self.settings.top_k, filters)

    @staticmethod
    def read_dates(question: str, as_of: date, filters: Filters | None = None) -> DateReading | None:
        """The window of days a question names ("this week"), unless the user gave one with
        ``--since``/``--until``."""
        if filters is not None and (filters.since or filters.until):
            return None
        return read_dates(question, as_of)

    def ask(self, question: str, conversation: Conversation | None = None, filters: Filters | None = None,
            on_token: TokenSink | None = None, k: int | None = None, as_of: date | None = None) -> Answer:
        """Answer ``question`` as of a day (today by default): articles published after it do not
        exist for this answer, and fresher ones are preferred. A follow-up (a question that
        cannot stand alone) is first made standalone from ``conversation``; any other question
        is searched as asked.

        ``k`` retrieves more passages than the answerer uses (the eval ranks the top 10);
        ``Answer.passages`` holds all retrieved, the answerer sees the first ``top_k``.
        """
        question = _checked(question)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        top_k = self.settings.top_k
        as_of = as_of or date.today()
        filters = replace(filters or Filters(), as_of=as_of)
        standalone, follow_up = self._standalone(question, conversation, filters)
        timings["rewrite"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        reading = self.read_dates(standalone, as_of, filters)
        asked = self._timed(read(standalone), standalone, reading, as_of)
        if follow_up and conversation is not None:  # the answers it follows are known to the asker
            asked = replace(asked, known=tuple(turn.lead for turn in conversation.turns if turn.lead))
        retrieved: list[Passage] = []
        reasons: list[tuple[str, float]] = []
        dates = ""
        draft = before_search(asked)  # nothing is embedded for a question that cannot be answered
        routed = route(standalone) if draft is None else None
        if routed is not None:  # "What happened today?", "What has Lavrov said?"
            about = conversation.subject_besides(routed.person) if conversation and routed.kind == "quotes" else []
            draft = self._routed(routed, as_of, about)
            if draft is None:  # a story with no dated report has no latest: searched as asked
                routed = None
        if draft is None:
            prefer = reading.window if reading else None
            if prefer is None and follow_up and conversation is not None:  # the time of the answer it follows
                prefer = conversation.window()
                if prefer is not None:
                    dates = f"{prefer[0].isoformat()} to {prefer[1].isoformat()}, around the answer before"
            retrieved, support, reasons = self.searcher.find_explained(standalone, max(k or top_k, top_k), filters,
                                                                       prefer)
            if asked.described is not None:  # "Who is Josh Green?": the reports writing the name, newest first
                hits = self.lexical.search(asked.described.name, NAMED_CHUNKS, filters.sql())
                named = named_first(asked.described, hits, retrieved, max(k or top_k, top_k))
                if [p.article_id for p in named[:1]] != [p.article_id for p in retrieved[:1]]:
                    support, reasons = [], []  # they were the first article's
                retrieved = named
        timings["search"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        if draft is None:
            draft = self._answer(asked, retrieved, support, on_token)
            if draft.abstained and draft.answerer != "engine" and self._prior_applies(filters, reading):
                # The freshness prior and a named window only break ties between matches: when the
                # articles they lifted do not answer, the ranking by content alone gets its turn.
                plain = Searcher(self.indexes, self.embedder,
                                 replace(self.searcher.config, recency_weight=0.0, window_weight=0.0))
                again, again_support = plain.find(standalone, max(k or top_k, top_k), filters)
                second = self._answer(asked, again, again_support, None)
                if not second.abstained:
                    draft, retrieved, reasons = second, again, []
            if draft.lead and not draft.hedged and asked.figure and reading is None and filters.until is None:
                newer = self._from_later_reports(asked, standalone, draft, retrieved, filters)
                if newer is not None:  # "At least 36" dead, asked months after the fire
                    draft, retrieved, reasons = newer[0], newer[1], []
        timings["answer"] = time.perf_counter() - t2
        timings["total"] = time.perf_counter() - t0
        cited = [day_of(c.published) for c in draft.citations]
        older = predates(reading, cited)
        unknown = "" if draft.abstained else undated(reading, cited)
        # an office's holder is told from its newest report, which may be old news
        stale = ("" if (routed is not None and routed.office is None) or draft.abstained
                 else long_ago(asked.news_since, cited, asked.latest_news))
        if stale and routed is not None:  # old news says more than the office's "N days before"
            draft = replace(draft, notice="")
        past = "" if routed is not None or draft.abstained else all_past(
            asked.to_come, as_of, [(c.quote, day) for c, day in zip(draft.citations, cited, strict=True)])
        moved = ""
        if routed is None and not draft.abstained and asked.figure and reading is None and filters.until is None:
            citations = draft.citations
            moved = newer_figures(asked.names, cited,
                                  lambda newest: [r[:2] for r in self._later_in_story(citations, newest, as_of)])
        for said in (older, unknown, stale, past, moved):
            if said:
                draft = replace(draft, notice=f"{draft.notice.rstrip('.')}; {said[0].lower()}{said[1:]}" if draft.notice else said)
        answer = Answer.from_draft(draft, question=question, standalone=standalone, passages=retrieved,
                                   timings=timings, as_of=as_of.isoformat(),
                                   dates=reading.describe() if reading else dates, follow_up=follow_up,
                                   ranked_by=reasons, older_than_window=bool(older),
                                   old_news=bool(stale))
        if conversation is not None:
            said = "" if answer.lead == REPORTS_DIFFER else answer.lead
            if said and asked.described:  # "Who is Lavrov?": a follow-up's "he" is Lavrov, not his title
                said = name_in(said, asked.described)
            conversation.add(question, standalone, answer.text, said, cited[0] if cited else None)
        return answer

    def _standalone(self, question: str, conversation: Conversation | None, filters: Filters) -> tuple[str, str]:
        """The question as it is searched, and why it was read as a follow-up ("" when not). A
        question naming nothing of its own is an earlier topic's only when a search for it with that
        topic finds a report that speaks of it (the latest topic first; a search for each tried,
        only for such questions)."""
        if conversation is None:
            return question, ""
        if reason := conversation.reason(question):
            return conversation.standalone(question, self.answerer.rewrite), reason
        routed = route(question)
        if not conversation.may_lean(question) or (routed is not None and routed.kind != "latest"):
            return question, ""  # "What happened today?" asks for the digest whatever came before
        about = routed.topic if routed is not None else question  # "the latest on the war": the war
        for carried in conversation.topics(question):
            found, _ = self.searcher.find(carried, 1, filters, conversation.window())
            if speaks_of(about, carried, (found[0].title, found[0].text) if found else None):
                why = "it names nothing of its own, and the reports on what was asked before speak of it"
                return conversation.rewritten(question, self.answerer.rewrite) or carried, why
        return question, ""

    def _from_later_reports(self, asked: Question, question: str, draft: Draft, retrieved: list[Passage],
                            filters: Filters) -> tuple[Draft, list[Passage]] | None:
        """A figure asked for naming no time and asserted from an early report of a story that went on,
        answered from the newest later report that asserts one: the story's reports after the newest
        cited that may give a newer figure (``when.went_on``, as for ``when.newer_figures``' notice),
        searched for the question, newest first; the first whose answer asserts a figure in bold,
        saying so, and the passages it was found by before the others. None when there is none."""
        cited = [day_of(c.published) for c in draft.citations]
        if not cited or None in cited or not asked.names or filters.as_of is None:
            return None
        newest = max(d for d in cited if d is not None)
        reports = self._later_in_story(draft.citations, newest, filters.as_of)
        named = {reports[i][2]: reports[i][0] for i in went_on(asked.names, newest, [r[:2] for r in reports])}
        if not named:
            return None
        found, _ = self.searcher.find(question, LATER_PASSAGES, replace(filters, since=newest + timedelta(days=1)))
        articles: dict[str, list[Passage]] = {}
        for p in found:
            if p.article_id in named:
                articles.setdefault(p.article_id, []).append(p)
        for article_id in sorted(articles, key=lambda a: named[a], reverse=True):
            passages = articles[article_id]
            again = self._answer(asked, passages, [], None)
            if not again.abstained and not again.hedged and again.lead:
                said = (f"The best match ({newest.isoformat()}) gave {draft.lead}; the newest report of its story "
                        f"giving a figure ({named[article_id]}) answers.")
                again = replace(again, notice=f"{said} {again.notice}".strip())
                return again, passages + [p for p in retrieved if p.article_id != article_id]
        return None

    def _later_in_story(self, citations: list[Citation], newest: date, as_of: date) -> list[tuple[date, str, str]]:
        """The days, titles and ids of the reports of the first cited article's story published after
        ``newest`` (the newest cited report's day) and up to ``as_of``, not cited themselves."""
        quoted = {c.article_id for c in citations}
        return [(m.day, m.title, m.article_id) for m in self.indexes.stories.story_of(citations[0].article_id)
                if m.day is not None and newest < m.day <= as_of and m.article_id not in quoted]

    def _timed(self, asked: Question, question: str, reading: DateReading | None, as_of: date) -> Question:
        """``asked`` with the days its answer is weighed against: the window ``question`` names
        (``reading``), or, naming none, where old news ends against the newest news stored."""
        n = self.lexical.newest_day(day_number(as_of.isoformat()))
        latest = date(n // 10000, n // 100 % 100, n % 100) if n else None
        return replace(asked, reports_since=reports_since(reading), latest_news=latest, as_of=as_of,
                       news_since=news_since(question, reading, latest, self.settings.old_news_days))

    def _routed(self, routed: Route, as_of: date, about: Sequence[str] = ()) -> Draft | None:
        """The digest, the quotes (in reports on ``about``, a chat's topic, when given), the story's
        latest or the office holder a question asks for, as an answer's draft; None for a latest of
        no dated report (undated pages, or nothing on it) or an office no report gives a holder of."""
        if routed.office is not None:  # "Who is the governor of Hawaii?": the newest reports giving the title
            words = offices.search_words(routed.office)
            recent = Filters(as_of=as_of, since=as_of - timedelta(days=offices.RECENT_DAYS)).sql()
            return offices.answer(routed.office, [*self.lexical.search(words, offices.RECENT_CHUNKS, recent),
                                                  *self.lexical.search(words, offices.OFFICE_CHUNKS,
                                                                       Filters(as_of=as_of).sql())], as_of)
        if routed.kind == "latest":
            text, cited = newest_events(self.timeline(routed.topic, as_of=as_of))
            return Draft(text=text, citations=cited, abstained=False, answerer=routed.kind) if cited else None
        since = as_of - timedelta(days=routed.days) if routed.days else None
        made: Digest | Quotes = (self.digest(since, as_of) if routed.kind == "digest"
                                 else quoting.newest(self.quotes(routed.person, since, as_of, about), QUOTES_ANSWERED))
        citations = made.citations
        return Draft(text=made.as_text(), citations=citations, abstained=not citations, answerer=routed.kind)

    def _answer(self, asked: Question, retrieved: list[Passage], support: list[Passage],
                on_token: TokenSink | None) -> Draft:
        """The draft for the first ``top_k`` passages (and the first article's other chunks)."""
        passages = retrieved[: self.settings.top_k]
        return after_search(asked, passages, support) or self.answerer.answer(asked, passages + support, on_token)

    def _prior_applies(self, filters: Filters, reading: DateReading | None) -> bool:
        """Did anything but content order this search (freshness as of a day, a named window)?"""
        cfg = self.searcher.config
        return bool((cfg.recency_weight > 0 and filters.as_of) or (cfg.window_weight > 0 and reading is not None))

    def timeline(self, topic: str, as_of: date | None = None, filters: Filters | None = None,
                 limit: int = TIMELINE_ARTICLES) -> Timeline:
        """The story of ``topic`` oldest to newest, as of a day: one cited line per event, reports
        of one event by several outlets grouped. Ranked by content alone (no recency prior); a
        date phrase ("in March 2022") bounds it."""
        topic = _checked(topic, "topic")
        as_of = as_of or date.today()
        filters = replace(filters or Filters(), as_of=as_of)
        reading = self.read_dates(topic, as_of, filters)
        if reading is not None and reading.exact:  # "the 2022 finals" names an event, not the bounds of its story
            filters = replace(filters, since=reading.since, until=reading.until)
        searcher = Searcher(self.indexes, self.embedder, replace(self.searcher.config, recency_weight=0.0))
        passages = searcher.search(topic, limit, filters)
        scored = self.scorer.score(read(topic), passages)
        closeness = self.embedder.closeness
        return build_timeline(topic, as_of.isoformat(), scored, self.embedder.embed_cached([topic])[0],
                              closeness.on_topic, closeness.same_event, self.settings.timeline_names)

    # -- stories, digests, quotes --------------------------------------------------------
    def stories(self, since: date | None = None, as_of: date | None = None,
                progress: Placing | None = None, for_digest: bool = False) -> list[Story]:
        """The stories reported from ``since`` (every one when None) to ``as_of`` (today), latest
        first, or in the order a digest ranks them (``for_digest``); stored articles in no story
        yet are placed first (``progress`` hears how it goes)."""
        self.place_in_stories(progress)
        members, _ = self.indexes.stories.members()
        listed = digests.stories(members, since, as_of or date.today())
        return digests.ranked_for_digest(listed) if for_digest else listed

    def digest(self, since: date | None = None, as_of: date | None = None, limit: int = DIGEST_STORIES,
               progress: Placing | None = None) -> Digest:
        """The period's top stories (from the day before ``as_of`` unless ``since`` says), each with
        one or two cited sentences of its most typical lead and the figures its outlets differ on;
        stored articles in no story yet are placed first (``progress`` hears how it goes)."""
        as_of = as_of or date.today()
        since = since or as_of - timedelta(days=1)
        if since > as_of:
            raise InputError(f"the digest would start ({since}) after it ends ({as_of}): give an earlier --since")
        self.place_in_stories(progress)
        members, vectors = self.indexes.stories.members(with_vectors=True)
        by_id = {m.article_id: m for m in members}
        leads_of = dict(zip((m.article_id for m in members), vectors if vectors is not None else []))
        items: list[DigestItem] = []
        for story in digests.ranked_for_digest(digests.stories(members, since, as_of)):
            period = story.period_ids
            leads = self.store.leads(period)
            if not leads:
                continue
            typical = digests.typical([a for a in period if a in leads], leads_of)
            others = [(digests.outlet_of(by_id[a]), leads[a]) for a in period if a in leads]
            item = digests.digest_item(story, leads[typical], others, 1 + sum(len(i.citations) for i in items))
            if item.citations:
                items.append(item)
            if len(items) == limit:
                break
        return Digest(since=since.isoformat(), as_of=as_of.isoformat(), items=items)

    def quotes(self, person: str, since: date | None = None, as_of: date | None = None,
               about: Sequence[str] = ()) -> Quotes:
        """What ``person`` said from ``since`` to ``as_of`` (today), oldest first, each statement
        quoted exactly; the same statement from several outlets is one line. With ``about`` (the
        names a chat was about), only statements whose report's title or passage speaks of one of
        them, or, when none does, every statement, saying so."""
        person = _checked(person, "person")
        as_of = as_of or date.today()
        self.indexes.current()
        hits = self.lexical.search(" ".join([person, *about]), QUOTE_CHUNKS, Filters(since=since, as_of=as_of).sql())
        articles = list(dict.fromkeys(p.article_id for p in hits))[:QUOTE_ARTICLES]
        found = [s for chunks in self.store.chunks_of(articles).values() for s in quoting.statements(person, chunks)]
        if about:  # said in a report on it: its title or the passage the statement stands in speaks of it
            found = [(p, i) for p, i in found if names_any(about, p.title) or names_any(about, p.text)]
        if about and not found:
            return replace(self.quotes(person, since, as_of), about=", ".join(about), on_topic=False)
        return replace(quoting.gather(person, as_of, since, found), about=", ".join(about))

    # -- measure --------------------------------------------------------------------------
    def evaluate(self, questions: Path | list[EvalQuestion], corpus: str | None = None,
                 date_blind: bool = False) -> EvalResult:
        """Ingest ``corpus`` (when given; unchanged articles are skipped), then measure on ``questions``.

        Questions are asked as of their ``question_date``; ``date_blind`` ignores it and the
        recency prior, so a retrieval regression cannot hide behind dates.
        """
        qs = load_questions(questions) if isinstance(questions, Path) else questions
        seconds = 0.0
        if corpus is not None:
            report = self.ingest([corpus])
            if report.failed and not (report.added or report.updated or report.unchanged):
                item, why = report.failed[0]
                raise InputError(f"nothing could be ingested from {corpus}: {item} {why}")
            seconds = report.seconds
        published = self._published_days().get if any(q.question_date and q.doc_ids for q in qs) else None
        if date_blind:
            return evaluate(self.configured(recency_weight=0.0), qs, seconds, date_blind=True,
                            article_text=self.article_text, published=published)
        return evaluate(self, qs, seconds, article_text=self.article_text, published=published)

    def _published_days(self) -> dict[str, date | None]:
        """Every stored article's day, by id and by file name (a question names its right pages
        either way; an id wins over a file name): listing a year's store takes a second or more,
        so only a question set with dated right pages asks for it."""
        days: dict[str, date | None] = {}
        for article in self.sources():
            days[article.id] = day_of(article.published)
            days.setdefault(Path(article.source).stem, days[article.id])
        return days

    def article_text(self, passage: Passage) -> str:
        """The title and every stored chunk of the article version ``passage`` is from (chunks
        end at sentence ends, so a sentence is whole in one of them)."""
        chunks = self.searcher.lexical.opening(passage.chunk_id, ARTICLE_CHUNKS) or [passage]
        return "\n".join([passage.title, *(p.text for p in chunks)])

    def ask_ranked(self, question: str, as_of: date | None = None) -> Answer:
        """An answer whose passages are ranked ``EVAL_DEPTH`` deep: what evaluation judges."""
        return self.ask(question, k=EVAL_DEPTH, as_of=as_of)


# Feed subscriptions live in a file of the data folder: listing or changing them opens no store
# and loads no model, so `newsbot feeds` answers at once.
def subscriptions_in(settings: Settings) -> Subscriptions:
    return Subscriptions(settings.home / settings.feeds_file)


def feeds(settings: Settings) -> list[Feed]:
    return subscriptions_in(settings).all()


def add_feed(settings: Settings, url: str, every: str | None = None, probe: bool = True) -> tuple[Feed, bool]:
    """Subscribe to a feed polled every ``every`` ("30m", "2h"); True when it is new. With
    ``probe`` the feed is fetched once first (through the same guarded fetcher as every poll),
    so a typo, a 404, an HTML page or a refused address is said now, not found out later."""
    url = url.strip()
    interval = parse_every(every) if every else DEFAULT_EVERY
    if probe and url.startswith(("http://", "https://")):
        probe_feed(settings, url)
    return subscriptions_in(settings).add(url, interval)


def probe_feed(settings: Settings, url: str) -> None:
    """InputError unless ``url`` answers with an RSS or Atom feed (one with no entries yet is fine)."""
    from retrieval.sources import web
    from retrieval.sources.fetch import Fetcher

    fetcher = Fetcher(settings.fetch)
    try:
        page = fetcher.get(url)
        parsed = web.parse_feed(page.content)
        if not parsed.entries and not parsed.get("version"):
            raise ValueError("is not an RSS or Atom feed (is it a web page? look for its RSS link)")
    except ValueError as exc:
        raise InputError(f"not subscribed: {url} {exc}") from None
    finally:
        fetcher.close()


def remove_feed(settings: Settings, url: str) -> bool:
    """Unsubscribe; False when there was no such subscription (its articles stay)."""
    return subscriptions_in(settings).remove(url.strip())


@contextmanager
def poll_lease(lock: Path) -> Iterator[None]:
    """Hold a library's feed-polling lock for one round; BusyError if another process holds it."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError("another newsbot process (a bot or `newsbot watch`) is polling this home's feeds "
                            "right now; it will add their new articles") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def store_health(settings: Settings) -> tuple[bool, str]:
    """Whether the store answers (the embedded folder or the Chroma server), and one line on it;
    no model is loaded, so a health check is cheap."""
    try:
        store = Store(settings.store_path, settings.chroma_url, settings.collection)
        return True, f"store: {store.count()} chunks at {store.location}"
    except NewsbotError as exc:
        return False, f"store: {exc}"


# what each kind of input is called in its error, and an example of one
_ASKED = {"question": 'ask something, e.g. "What did Lavrov demand?"', "topic": 'name a story, e.g. "Maui wildfires"',
          "person": 'name someone, e.g. "Lavrov"'}


def _checked(question: str, kind: str = "question") -> str:
    """The question (or a timeline's topic, a person whose quotes are asked for: ``kind``) on one
    line, its accents composed as the stored articles' are; InputError when it is empty or too long."""
    question = " ".join(unicodedata.normalize("NFC", question).split())
    if not question:
        raise InputError(f"the {kind} is empty: {_ASKED[kind]}")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the {kind} is too long ({len(question)} characters, at most {MAX_QUESTION_CHARS})")
    return question


class _Unrelated(NamedTuple):
    """A store's closeness for unrelated questions as of a generation."""

    generation: str
    value: float | None

