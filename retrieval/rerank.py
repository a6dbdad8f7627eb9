"""A learned second stage: the fused candidates re-ordered by article with a linear model.

Fusion ranks chunks by two scores that know nothing of news: a page that mentions every
question word in passing, or last year's report of the same contest, can outrank this week's
article about the thing asked. The stage looks at each candidate article as a whole, with
features already at hand (the fused, dense and keyword scores, the title's and the best
sentence's match with the question, the question's names found, the lead, the article's age
against the as-of day, a window or a year the question names, the page's length) and scores it
with weights learned on three years of real questions (``bench/train_ranking.py``). The weights
are a small JSON file read without pickle; a missing or damaged file leaves fusion in charge.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from retrieval.linear import LinearModel
from retrieval.models import Passage
from retrieval.text import content_tokens

WEIGHTS = Path(__file__).parent / "weights" / "ranking.json"  # the shipped model
FEATURES = (
    "baseline", "baseline_rank", "fused", "fused_rank", "dense", "lexical", "support", "chunks", "title_overlap", "names", "best_sentence", "lead",
    "fresh", "age_log", "undated", "in_window", "year_match", "year_other", "length_log",
)
ARTICLES = 30  # candidate articles the stage re-orders (the rest keep fusion's order after them)
HALF_LIFE = 14.0  # days: the "fresh" feature halves with this age
# The hand-tuned order the stage starts from ("baseline"): fused score times 1 + the recency lift,
# times 1 + the window lift, plus the support of the article's next two chunks.
BASELINE_RECENCY, BASELINE_WINDOW, BASELINE_SUPPORT = 1.0, 2.0, 0.3
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]+")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")

Window = tuple[date | None, date | None]
# How well each of some candidate articles answers a question (its chunks, best first, in the
# stage's order): the answer model's best sentence, on its log-odds scale.
Look = Callable[[str, list[list[Passage]]], np.ndarray]
LOOK_ARTICLES = 4  # the first articles a look re-orders


def question_names(question: str) -> set[str]:
    """The capitalised words of a question past its first word, lower-cased ("lavrov", "ukraine")."""
    return {name.lower().rstrip("'’s") for name in _NAME.findall(question)}


def article_features(question: str, vector: np.ndarray | None, fused: Sequence[Passage], as_of: date | None,
                     window: Window | None) -> tuple[list[str], np.ndarray]:
    """The first ``ARTICLES`` articles of ``fused`` (chunks best first, content scores only) and a
    row of ``FEATURES`` for each."""
    groups: dict[str, list[Passage]] = {}
    for passage in fused:
        if passage.article_id in groups or len(groups) < ARTICLES:
            groups.setdefault(passage.article_id, []).append(passage)
    if not groups:
        return [], np.zeros((0, len(FEATURES)), np.float32)
    words = content_tokens(question)
    names = question_names(question)
    years = {int(y) for y in _YEAR.findall(question)}
    top = max(fused[0].score, 1e-9)
    top_lexical = max((p.lexical or 0.0 for p in fused), default=0.0) or 1.0
    rows = []
    baseline = [_baseline(chunks, as_of, window) for chunks in groups.values()]
    baseline_top = max(max(baseline), 1e-9)
    baseline_place = {i: r for r, i in enumerate(sorted(range(len(baseline)), key=lambda i: -baseline[i]), start=1)}
    for rank, (_, chunks) in enumerate(groups.items(), start=1):
        best = chunks[0]
        text = f"{best.title} {' '.join(p.text for p in chunks)}".lower()  # names are looked up, not tokenised: fast
        day = best.day
        age = (as_of - day).days if (as_of and day) else None
        rows.append([
            baseline[rank - 1] / baseline_top,
            1.0 / baseline_place[rank - 1],
            best.score / top,
            1.0 / rank,
            max((p.dense or 0.0) for p in chunks),
            max((p.lexical or 0.0) for p in chunks) / top_lexical,
            sum(p.score for p in chunks[1:3]) / top,
            len(chunks) / len(fused),
            len(words & content_tokens(best.title)) / len(words) if words else 0.0,
            sum(name in text for name in names) / len(names) if names else 1.0,
            _best_sentence(vector, chunks),
            1.0 if min(p.position for p in chunks) == 0 else 0.0,
            2.0 ** (-max(0, age) / HALF_LIFE) if age is not None else 0.0,
            math.log1p(max(0, age)) if age is not None else 0.0,
            1.0 if day is None else 0.0,
            1.0 if (window is not None and day is not None and _inside(day, window)) else 0.0,
            1.0 if (years and day is not None and day.year in years) else 0.0,
            1.0 if (years and day is not None and day.year not in years) else 0.0,
            math.log1p(max(p.end for p in chunks)),
        ])
    return list(groups), np.asarray(rows, np.float32)


def _baseline(chunks: list[Passage], as_of: date | None, window: Window | None) -> float:
    """The article's score in the hand-tuned order (fusion, recency prior, window, support)."""
    def lifted(p: Passage) -> float:
        day = p.day
        score = p.score
        if as_of is not None and day is not None:
            score *= 1.0 + BASELINE_RECENCY * 2.0 ** (-max(0, (as_of - day).days) / HALF_LIFE)
        if window is not None and day is not None and _inside(day, window):
            score *= 1.0 + BASELINE_WINDOW
        return score

    scores = sorted((lifted(p) for p in chunks), reverse=True)
    return scores[0] + BASELINE_SUPPORT * sum(scores[1:3])


def _best_sentence(vector: np.ndarray | None, chunks: list[Passage]) -> float:
    """The best cosine between the question and a sentence of the article's candidate chunks."""
    if vector is None:
        return 0.0
    best = 0.0
    for p in chunks:
        if p.sentence_vectors is not None and len(p.sentence_vectors):
            best = max(best, float(np.max(p.sentence_vectors @ vector)))
    return best


def _inside(day: date, window: Window) -> bool:
    since, until = window
    return (since is None or day >= since) and (until is None or day <= until)


@dataclass(frozen=True)
class Reranker:
    """The stage: a ``LinearModel`` over ``FEATURES`` applied to the candidate articles, then
    (with a ``look``) its first ``LOOK_ARTICLES`` re-ordered by how well each answers.

    The features see an article's words and dates, not whether it states what is asked: among
    this week's reports that name the asked-about thing, the one with a sentence that answers
    should come first. ``look_weight`` is on the same log-odds scale as the model's scores."""

    model: LinearModel
    look: Look | None = None
    look_weight: float = 0.0

    @classmethod
    def load(cls, path: Path) -> Reranker:
        """The model in ``path``; ValueError (one line) when it is missing, damaged or made for
        other features."""
        return cls(LinearModel.load(path, FEATURES, "the ranking weights"))

    @property
    def weights(self) -> np.ndarray:
        return self.model.weights

    @property
    def made_by(self) -> str:
        return self.model.made_by

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.model.scores(rows)

    def looking(self, look: Look | None, weight: float) -> Reranker:
        """This stage with ``look`` weighed in by ``weight`` (None or 0: features alone)."""
        return Reranker(self.model, look, weight)

    def rerank(self, question: str, vector: np.ndarray | None, fused: list[Passage], as_of: date | None,
               window: Window | None, past_bonus: float = 0.0) -> tuple[list[Passage], list[tuple[str, float]]]:
        """``fused`` with its first articles in the model's order (each article's chunks kept
        together, best first; the articles past ``ARTICLES`` follow in fusion's order), and the
        features that most raised the first article (name, contribution), for ``-v``.

        ``past_bonus`` is added to the score of articles inside a window the question names
        when that window ended before the as-of day ("in March 2022" asked in June): a user
        naming a past time means it, where the model learned freshness from quizzes about the
        week they were asked in ("this week" is left to the model)."""
        articles, rows = article_features(question, vector, fused, as_of, window)
        if not articles:
            return fused, []
        scores = self.scores(rows)
        if past_bonus and window is not None and window[1] is not None and as_of is not None and window[1] < as_of:
            scores = scores + past_bonus * rows[:, FEATURES.index("in_window")]
        order = np.argsort(-scores, kind="stable")
        reasons = self.model.reasons(rows[order[0]])
        if self.look is not None and self.look_weight > 0 and len(order) > 1:
            order, reasons = self._looked(question, fused, articles, scores, order, rows)
        place = {articles[i]: n for n, i in enumerate(order)}
        tail = len(place)
        ranked = sorted(fused, key=lambda p: (place.get(p.article_id, tail), -p.score))
        return ranked, reasons

    def _looked(self, question: str, fused: list[Passage], articles: list[str], scores: np.ndarray,
                order: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, list[tuple[str, float]]]:
        """``order`` with its first ``LOOK_ARTICLES`` re-ordered by score plus the look's, and
        the reasons for the first article (the look's part named "answers")."""
        assert self.look is not None
        head = order[:LOOK_ARTICLES]
        chunks: dict[str, list[Passage]] = {articles[i]: [] for i in head}
        for p in fused:
            if p.article_id in chunks:
                chunks[p.article_id].append(p)
        looked = self.look_weight * np.asarray(self.look(question, [chunks[articles[i]] for i in head]), np.float64)
        combined = scores[head] + looked
        within = np.argsort(-combined, kind="stable")
        first = int(within[0])
        reasons = sorted(self.model.reasons(rows[head[first]]) + [("answers", round(float(looked[first]), 3))],
                         key=lambda r: -r[1])
        return np.concatenate([head[within], order[LOOK_ARTICLES:]]), reasons
