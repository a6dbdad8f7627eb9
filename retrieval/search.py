"""Hybrid search: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank.

Dense search finds paraphrases ("green lit" for "renewed"); BM25 finds rare names and numbers
that a small embedding model blurs. Reciprocal rank fusion needs no score calibration between
the two. Results are then made diverse: one article contributes at most ``per_article``
passages, so the answerer sees several sources rather than five chunks of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from retrieval.index.embeddings import Embedder
from retrieval.index.indexes import Indexes
from retrieval.index.store import day_number
from retrieval.models import Passage
from retrieval.rerank import Reranker
from retrieval.text import content_tokens

RRF_K = 20  # measured on realtimeqa-dev (60 and 5 were no better); see bench/tune.py
OVERFETCH = 4  # unfiltered neighbours fetched per wanted one when a filter applies
SUPPORTING_CHUNKS = 2  # an article's next-best chunks that lift its rank
COPY = 0.8  # share of content words two passages hold in common to be one copy
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class Filters:
    """Restrict search to a date range and/or some outlets, as of a day.

    ``since``/``until`` are ranges the user asked for: undated articles are outside them.
    ``as_of`` is the day the question is asked: articles published after it did not exist yet;
    undated articles may have, so they stay.
    """

    since: date | None = None
    until: date | None = None
    outlets: list[str] = field(default_factory=list)
    as_of: date | None = None

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.outlets or self.as_of)

    def where(self) -> dict[str, Any] | None:
        """The same filter as a Chroma ``where`` clause."""
        clauses: list[dict[str, Any]] = []
        if self.since:
            clauses.append({"published_day": {"$gte": day_number(self.since.isoformat())}})
        if self.until:
            clauses.append({"published_day": {"$lte": day_number(self.until.isoformat())}})
        if self.since or self.until:
            clauses.append({"published_day": {"$gt": 0}})
        if self.as_of:
            clauses.append({"published_day": {"$lte": day_number(self.as_of.isoformat())}})
        if self.outlets:
            clauses.append({"outlet": {"$in": list(self.outlets)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def sql(self) -> tuple[str, list[Any]] | None:
        """The same filter as an SQL condition on ``day`` and ``outlet`` columns (the keyword
        index's), with its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append("day >= ? AND day > 0")
            params.append(day_number(self.since.isoformat()))
        if self.until:
            clauses.append("day <= ? AND day > 0")
            params.append(day_number(self.until.isoformat()))
        if self.as_of:
            clauses.append("day <= ?")
            params.append(day_number(self.as_of.isoformat()))
        if self.outlets:
            clauses.append(f"outlet IN ({','.join('?' * len(self.outlets))})")
            params += list(self.outlets)
        return (" AND ".join(clauses), params) if clauses else None


@dataclass(frozen=True)
class SearchConfig:
    """How a search ranks; the values come from the settings (measured on realtimeqa-dev)."""

    candidates: int  # each retriever's candidates before fusion
    dense_weight: float
    lexical_weight: float
    per_article: int  # most passages one article contributes
    article_support: float  # weight of an article's 2nd and 3rd matching chunks
    recency_weight: float  # how much a fresh article is lifted (0: date-blind)
    recency_half_life: float  # days after which the lift has halved
    window_weight: float = 0.0  # lift of articles inside a window the question names
    opening_chunks: int = 0  # chunks from the first article's start handed on beside the matching ones


Window = tuple[date | None, date | None]  # first and last day, either open


class Searcher:
    """Ranks stored passages for a question."""

    def __init__(self, indexes: Indexes, embedder: Embedder, config: SearchConfig,
                 reranker: Reranker | None = None) -> None:
        """``reranker``: the learned stage that orders the fused candidates by article (None:
        fusion with the recency prior and the window weight, as tuned by hand)."""
        self.indexes = indexes
        self.store = indexes.store
        self.embedder = embedder
        self.lexical = indexes.lexical
        self.config = config
        self.reranker = reranker

    def search(self, question: str, k: int = 10, filters: Filters | None = None,
               prefer: Window | None = None) -> list[Passage]:
        """The top ``k`` passages; ``prefer`` lifts articles published in a window of days the
        question named ("this week"), softly, by ``window_weight``."""
        return self.find(question, k, filters, prefer)[0]

    def find(self, question: str, k: int = 10, filters: Filters | None = None,
             prefer: Window | None = None) -> tuple[list[Passage], list[Passage]]:
        """``search``'s top ``k``, and the first article's next-best chunks (``supporting``) and
        its opening chunks (``opening_chunks``) that neither holds: a news article's first
        paragraphs say who, what and where, which a quiz question asks about in other words."""
        top, support, _ = self.find_explained(question, k, filters, prefer)
        return top, support

    def find_explained(self, question: str, k: int = 10, filters: Filters | None = None,
                       prefer: Window | None = None) -> tuple[list[Passage], list[Passage], list[tuple[str, float]]]:
        """``find``, and with the learned stage the features that put the first article first."""
        cfg = self.config
        filters = filters or Filters()
        fused = self.candidates(question, filters)
        as_of = filters.as_of
        reasons: list[tuple[str, float]] = []
        if self.reranker is not None:
            ranked, reasons = self.reranker.rerank(question, self.embedder.embed_one(question), fused, as_of, prefer,
                                                   cfg.window_weight)
        else:
            if cfg.recency_weight > 0 and as_of:
                fused = recency(fused, as_of, cfg.recency_weight, cfg.recency_half_life)
            if prefer is not None and cfg.window_weight > 0:
                fused = preferred(fused, prefer, cfg.window_weight)
            ranked = by_article(fused, cfg.article_support)
        top = diversify(ranked, k, cfg.per_article)
        support = supporting(ranked, top)
        if top and cfg.opening_chunks:
            first = top[0].article_id
            held = {p.chunk_id for p in top + support if p.article_id == first}
            opening = self.lexical.opening(top[0].chunk_id, cfg.opening_chunks + len(held))  # enough past those held
            support += [p for p in opening if p.chunk_id not in held][: cfg.opening_chunks]
        return top, support, reasons

    def candidates(self, question: str, filters: Filters) -> list[Passage]:
        """Both retrievers' candidates fused by content alone (no dates), best first."""
        cfg = self.config
        self.indexes.current()  # writes by other processes are in the keyword index before it is read
        as_of = filters.as_of
        if as_of and day_number(as_of.isoformat()) >= self.lexical.newest_day():
            filters = replace(filters, as_of=None)  # nothing stored is newer: filtering would only cost time
        dense = self.dense(question, filters) if cfg.dense_weight > 0 else []
        lexical = []
        if cfg.lexical_weight > 0:
            lexical = self.lexical.search(question, cfg.candidates, filters.sql())
        return fuse(dense, lexical, cfg.dense_weight, cfg.lexical_weight)

    def dense(self, question: str, filters: Filters) -> list[Passage]:
        """Nearest chunks, their text and metadata taken from the keyword index's copy of the
        store (one Chroma call for ids and distances); chunks written since are fetched."""
        vector = self.embedder.embed_one(question)
        n = self.config.candidates
        where = filters.sql()
        if where is None:
            hits = self.store.nearest(vector, n, None)
        else:
            # Chroma's filtered query scans the metadata (~300 ms at 45k chunks, against ~10 ms);
            # most filters (as of a past day) keep most chunks, so the unfiltered neighbours are
            # filtered here, by the keyword index's columns, and Chroma filters only when too few pass.
            hits = self._passing(self.store.nearest(vector, n * OVERFETCH, None), where, n)
            if len(hits) < n:  # in exact mode every vector is ranked (Chroma's filtered query is a graph search)
                hits = (self._passing(self.store.nearest(vector, self.store.count(), None), where, n)
                        if self.store.exact else self.store.nearest(vector, n, filters.where()))
        ids = [cid for cid, _ in hits]
        found = self.lexical.known(ids)
        missing = [cid for cid in ids if cid not in found]
        if missing:
            found.update(self.store.passages(missing))
        out = []
        for cid, similarity in hits:
            if cid in found:
                passage = found[cid]
                passage.dense = similarity
                out.append(passage)
        return out

    def _passing(self, hits: list[tuple[str, float]], where: tuple[str, list[Any]], n: int) -> list[tuple[str, float]]:
        """The first ``n`` of ``hits`` that pass ``where``, by the keyword index's columns."""
        passing = self.lexical.passing([cid for cid, _ in hits], where)
        return [hit for hit in hits if hit[0] in passing][:n]


def fuse(dense: list[Passage], lexical: list[Passage], w_dense: float, w_lexical: float) -> list[Passage]:
    """Reciprocal rank fusion of two rankings; a passage keeps both of its raw scores."""
    merged: dict[str, Passage] = {}
    for weight, ranking in ((w_dense, dense), (w_lexical, lexical)):
        for rank, passage in enumerate(ranking, start=1):
            held = merged.setdefault(passage.chunk_id, passage)
            held.score += weight / (RRF_K + rank)
            if passage.dense is not None:
                held.dense = passage.dense
            if passage.lexical is not None:
                held.lexical = passage.lexical
    return sorted(merged.values(), key=lambda p: p.score, reverse=True)


def recency(ranked: list[Passage], as_of: date, weight: float, half_life: float) -> list[Passage]:
    """A soft prior for news: each fused score times ``1 + weight * 2 ** (-age / half_life)``.

    A story from the days before ``as_of`` gets up to ``1 + weight`` times its score, an old one
    about 1: it reorders close calls, while an article that is clearly the only match still wins.
    Undated articles are left as they are.
    """
    for passage in ranked:
        day = passage.day
        if day is not None:
            passage.score *= 1.0 + weight * 2.0 ** (-max(0, (as_of - day).days) / half_life)
    return sorted(ranked, key=lambda p: p.score, reverse=True)


def preferred(ranked: list[Passage], window: Window, weight: float) -> list[Passage]:
    """Each passage published inside ``window`` has its score times ``1 + weight``: a question
    that says "this week" prefers that week's articles, yet an older one that alone answers it
    still can."""
    since, until = window
    for passage in ranked:
        day = passage.day
        if day is not None and (since is None or day >= since) and (until is None or day <= until):
            passage.score *= 1.0 + weight
    return sorted(ranked, key=lambda p: p.score, reverse=True)


def by_article(ranked: list[Passage], support: float) -> list[Passage]:
    """Order by article: its best chunk's score plus ``support`` times its next two.

    An article that several passages point to is more likely the one the question is about.
    """
    if support <= 0:
        return ranked
    scores: dict[str, list[float]] = {}
    for passage in ranked:
        scores.setdefault(passage.article_id, []).append(passage.score)
    article = {a: s[0] + support * sum(s[1 : 1 + SUPPORTING_CHUNKS]) for a, s in scores.items()}
    return sorted(ranked, key=lambda p: (article[p.article_id], p.score), reverse=True)


def supporting(ranked: list[Passage], top: list[Passage]) -> list[Passage]:
    """The first article's other matching chunks that ``top`` left out (one per article), best
    first: where an answer's sentence often continues ("its demands" ... what they are)."""
    if not top:
        return []
    chosen = {p.chunk_id for p in top}
    return [p for p in ranked if p.article_id == top[0].article_id and p.chunk_id not in chosen][:SUPPORTING_CHUNKS]


def diversify(ranked: list[Passage], k: int, per_article: int) -> list[Passage]:
    """The top ``k`` with at most ``per_article`` from one article (topped up if too few), and
    a passage that repeats one already chosen from another article (the same wire story run by
    several outlets, a page saved under two links) only after everything else: a copy takes a
    place another article may need."""
    chosen: list[Passage] = []
    words: list[tuple[set[str], frozenset[str]]] = []
    seen: dict[str, int] = {}
    rest: list[Passage] = []
    copies: list[Passage] = []
    for passage in ranked:
        if seen.get(passage.article_id, 0) >= per_article:
            rest.append(passage)
            continue
        held = (content_tokens(passage.text), frozenset(_FIGURE.findall(passage.text)))
        if any(_copy(held, other) for other in words):
            copies.append(passage)
            continue
        chosen.append(passage)
        words.append(held)
        seen[passage.article_id] = seen.get(passage.article_id, 0) + 1
        if len(chosen) == k:
            return chosen
    return (chosen + rest + copies)[:k]


def _copy(a: tuple[set[str], frozenset[str]], b: tuple[set[str], frozenset[str]]) -> bool:
    """Near-duplicate passages: most of their content words shared (Jaccard at least ``COPY``)
    and the same figures (a report whose toll rose from 10 to 25 is news, not a copy)."""
    (words_a, figures_a), (words_b, figures_b) = a, b
    return bool(words_a) and bool(words_b) and figures_a == figures_b and \
        len(words_a & words_b) >= COPY * len(words_a | words_b)
