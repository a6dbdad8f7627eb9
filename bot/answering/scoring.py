"""What a sentence offers a question, as numbers a learned model weighs.

Each retrieved sentence becomes a row of ``FEATURES``: its meaning and words against the
question's, whether it holds the kind of thing asked for (and a span of it the question does not
already name), whether it merely restates the question, its passage's and article's rank, where
in the article it stands, whether it reads like a photo caption or credit line, and how many other
retrieved articles mention the names and figures it adds. A sum of decision trees learned on
three years of news questions (``bench/train_answers.py``) turns a row into a score that orders
the sentences by how likely each holds the answer; nothing here is a hand-set weight.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.answering.features import (
    answer_type_match,
    not_an_answer,
    novelty,
    shared_figures,
    states_what_is_asked,
)
from bot.answering.question import Question, mentions
from bot.answering.spans import lead_span
from retrieval.linear import LinearModel, shift, sigmoid
from retrieval.models import Passage
from retrieval.text import content_tokens
from retrieval.trees import TreeModel, load_scorer

WEIGHTS = Path(__file__).parent / "weights" / "answers.json"  # the shipped model
OLDER = "older_than_window"  # the weights file's key of ``AnswerModel.older``
OLD_NEWS = "old_news"  # the weights file's key of ``AnswerModel.stale``
COVERAGE = "coverage"  # the weights file's key of ``AnswerModel.coverage``

FEATURES = (
    "dense", "dense_gap", "lexical", "restates", "speaker", "type", "span", "novel", "new_names", "figure",
    "asked", "non_answer", "caption", "passage_rank", "article_rank", "first_article", "lead", "length",
    "title_overlap", "support", "quoted", "idf_lexical", "bigrams", "neighbour_idf",
)
NEUTRAL = 0.5  # a feature's value when the question gives it nothing to test

_NAMEISH = re.compile(r"(?<![\w’'-])(?:[A-Z][\w’'-]+|\d[\d,.]*\d|\d)")
_CAPTION = re.compile(r"\b(?:Photo(?:graph)?s?|Image|Credit|Getty Images|AP Photo|Reuters|AFP via|Shutterstock|"
                      r"File photo|Pictured|Illustration|Video)\b(?:\s*(?:by|:|/|\|))|\((?:AP|AFP|Getty|Reuters)[^)]{0,40}\)"
                      r"|^\s*(?:FILE|PHOTO|WATCH|READ MORE|RELATED|SIGN UP|CLICK)\b", re.I)
_QUOTED = re.compile(r"[“\"][^”\"]{3,300}[”\"]")


@dataclass(frozen=True)
class Candidate:
    """One sentence as the rows are built from it (what ``SentenceScorer`` knows of it)."""

    passage: Passage
    index: int  # sentence index inside the passage
    rank: int  # passage rank
    text: str
    dense: float  # cosine with the question
    speakers: Sequence[str]


def rows(question: Question, cands: Sequence[Candidate]) -> np.ndarray:
    """A row of ``FEATURES`` for each candidate sentence."""
    if not cands:
        return np.zeros((0, len(FEATURES)), np.float32)
    asked = question.text.lower()
    best_dense = max(c.dense for c in cands)
    article_order: dict[str, int] = {}
    chunks: dict[str, dict[str, str]] = {}  # each article's title and its distinct retrieved chunks, lower-cased
    title_words: dict[str, set[str]] = {}
    for c in cands:
        article = c.passage.article_id
        article_order.setdefault(article, len(article_order))
        if article not in title_words:
            title_words[article] = content_tokens(c.passage.title)
            chunks[article] = {"": c.passage.title.lower()}
        chunks[article].setdefault(c.passage.chunk_id, c.passage.text.lower())
    texts = {article: " ".join(parts.values()) for article, parts in chunks.items()}
    others = max(1, len(texts) - 1)
    tokens = [content_tokens(c.text) for c in cands]
    idf = _idf(tokens)
    wanted = sum(idf.get(t, _RARE) for t in question.words) or 1.0
    specific = [sum(idf.get(t, _RARE) for t in question.words & s) / wanted for s in tokens]
    place = {(c.passage.article_id, c.passage.sentences[c.index][0]): i for i, c in enumerate(cands)}
    q_pairs = _pairs(question.text)
    out = []
    for n, c in enumerate(cands):
        text = c.text
        s_tokens = tokens[n]
        lexical = len(question.tokens & s_tokens) / len(question.tokens) if question.tokens else 0.0
        restates = len(question.tokens & s_tokens) / len(s_tokens) if s_tokens else 1.0
        said_by = question.words_asked and any(mentions(sp, e) for e in question.entities for sp in c.speakers)
        typed = answer_type_match(question, text)
        new = _new_items(text, asked)
        support = max((sum(1 for a, t in texts.items() if a != c.passage.article_id and item.lower() in t)
                       for item in new), default=0) / others
        out.append([
            c.dense,
            c.dense - best_dense,
            lexical,
            restates,
            1.0 if said_by else 0.0,
            typed if typed is not None else NEUTRAL,
            (1.0 if lead_span(question, text) else 0.0) if question.wants else NEUTRAL,
            novelty(question, text),
            min(len(new), 4) / 4,
            shared_figures(question, text),
            states_what_is_asked(question, text),
            1.0 if not_an_answer(text) else 0.0,
            1.0 if _CAPTION.search(text) else 0.0,
            1.0 / (1 + c.rank),
            1.0 / (1 + article_order[c.passage.article_id]),
            1.0 if article_order[c.passage.article_id] == 0 else 0.0,
            1.0 if c.passage.position == 0 and c.index < 3 else 0.0,
            math.log1p(len(text.split())),
            len(question.tokens & title_words[c.passage.article_id]) / len(question.tokens) if question.tokens else 0.0,
            support,
            1.0 if _QUOTED.search(text) else 0.0,
            specific[n],
            len(q_pairs & _pairs(text)) / len(q_pairs) if q_pairs else 0.0,
            max((specific[j] for j in _neighbours(c, place)), default=0.0),
        ])
    return np.asarray(out, np.float32)


_RARE = 0.0  # the idf of a question word no candidate holds: it adds nothing


def _idf(tokens: list[set[str]]) -> dict[str, float]:
    """How specific each word is among the candidate sentences (a word in few of them, high)."""
    counts: dict[str, int] = {}
    for s in tokens:
        for t in s:
            counts[t] = counts.get(t, 0) + 1
    n = len(tokens)
    return {t: math.log(1 + n / k) for t, k in counts.items()}


def _pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent content-word pairs ("world champion"): a phrase of the question found again."""
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2]
    return set(zip(words, words[1:]))


def _neighbours(c: Candidate, place: dict[tuple[str, int], int]) -> list[int]:
    """Row numbers of the sentences right before and after ``c`` in its passage, when present."""
    out = []
    for i in (c.index - 1, c.index + 1):
        if 0 <= i < len(c.passage.sentences):
            j = place.get((c.passage.article_id, c.passage.sentences[i][0]))
            if j is not None:
                out.append(j)
    return out


def _new_items(sentence: str, asked: str) -> list[str]:
    """The names and figures ``sentence`` states that the question (lower-cased) does not."""
    seen: list[str] = []
    for match in _NAMEISH.finditer(sentence):
        item = match.group(0).rstrip("’'s").rstrip(".,") if match.start() > 0 else ""
        if len(item) > 1 and item.lower() not in asked and item not in seen:
            seen.append(item)
    return seen


@dataclass(frozen=True)
class Coverage:
    """The chance that the articles handed to the answerer are about the question at all, from how
    close in meaning their closest sentence or passage comes (its cosine with the question), the
    largest share of the question's words one sentence holds (a sentence ingest left unembedded
    has no cosine of its own), and the answer's best score. The confidence is calibrated on
    questions asked of their own week's news, where some article is always about the question;
    asked of unrelated articles ("Which band released a new album?" of a report on diplomacy) it
    still reads 0.4. This is learned from each training year's questions asked of another year's
    articles, so that such an answer is withheld.

    Closeness means less in a small store than in a year of news: there some passage comes
    within 0.6 of any question, in a user's few articles an unrelated question finds nothing past
    about 0.2, and a question about them (no second outlet's report to come closer) a little less
    than in a year of news. So the closest cosine is read against how close unrelated questions
    come to the store asked (``unrelated``): below ``knee`` (a single article or one story's
    pages; a folder of many subjects and a year of news lie above it) it counts ``shift`` times
    the shortfall more, where such a store would otherwise withhold a tenth of the questions about
    it."""

    closest: float  # log-odds per unit of the closest sentence's or passage's cosine
    words: float  # per unit of the largest share of the question's words in one sentence
    best: float  # per unit of the answer's best score
    bias: float
    shift: float = 0.0  # cosine added per unit the store's unrelated closeness falls short of ``knee``
    knee: float = 0.0  # the unrelated closeness below which a store counts as small

    def near(self, closest: float, unrelated: float | None) -> float:
        """The closest cosine as the stores learned on would read it (as is when ``unrelated``,
        the asked store's closeness for questions about nothing in it, is unknown or not below
        the knee)."""
        return closest if unrelated is None else closest + self.shift * max(0.0, self.knee - unrelated)

    def chance(self, closest: float, words: float, best: float, unrelated: float | None = None) -> float:
        return sigmoid(self.closest * self.near(closest, unrelated) + self.words * words + self.best * best + self.bias)

    @classmethod
    def read(cls, extra: dict[str, Any], path: Path, what: str) -> Coverage | None:
        """The coverage a model file's ``extra`` fields carry (None when there is none: a file made
        before it existed, or from one training set); ValueError (one line) when it is damaged."""
        raw = extra.get(COVERAGE)
        if raw is None:
            return None
        keys = ("closest", "words", "best", "bias")
        optional = ("shift", "knee")
        values = [raw.get(k) for k in keys] + [raw.get(k, 0.0) for k in optional] if isinstance(raw, dict) else []
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(numbers) != len(keys) + len(optional) or not all(math.isfinite(v) for v in numbers):
            raise ValueError(f"{what} {path} are damaged ({COVERAGE} needs the finite numbers {', '.join(keys)}"
                             f" and, if any, {', '.join(optional)})")
        return cls(*numbers)

    def fields(self, digits: int) -> dict[str, float]:
        """What the weights file holds, rounded to ``digits`` decimals."""
        return {k: round(getattr(self, k), digits) for k in ("closest", "words", "best", "bias", "shift", "knee")}


@dataclass(frozen=True)
class AnswerModel:
    """The learned sentence scorer and its calibration: ``scores`` orders sentences (relative
    within a question), ``confidence`` turns the best score into the chance, measured on the
    training years, that the answer given is right. The shipped scorer is a sum of trees; a linear
    model reads too (the plain fallback is one)."""

    model: LinearModel | TreeModel
    calibration: tuple[float, float] = (1.0, 0.0)  # confidence = sigmoid(a * best score + b)
    older: float = 0.0  # added to those log-odds when every quoted report predates the window asked about
    coverage: Coverage | None = None  # the chance the articles are about the question (None: assume so)
    stale: float = 0.0  # added to them when a question naming no time is answered only from old news

    @classmethod
    def load(cls, path: Path) -> AnswerModel:
        """The model in ``path``; ValueError (one line) when it is missing, damaged or made for
        other features."""
        model = load_scorer(path, FEATURES, "the answer weights")
        return cls(model, model.calibration(path, "the answer weights", (1.0, 0.0)),
                   shift(model.extra, OLDER, path, "the answer weights"),
                   Coverage.read(model.extra, path, "the answer weights"),
                   shift(model.extra, OLD_NEWS, path, "the answer weights"))

    @classmethod
    def plain(cls) -> AnswerModel:
        """Meaning and words alone, equally weighted: what scores sentences when the learned
        weights cannot be read."""
        n = len(FEATURES)
        weights = np.zeros(n)
        weights[FEATURES.index("dense")] = weights[FEATURES.index("lexical")] = 1.0
        return cls(LinearModel(FEATURES, np.zeros(n), np.ones(n), weights, made_by="plain"))

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.model.scores(rows)

    def confidence(self, best: float, older: bool = False, stale: bool = False) -> float:
        """The chance that an answer whose best sentence scores ``best`` is right; ``older``: every
        report it quotes was published before the window the question names ("this week" answered
        from last year's page); ``stale``: the question names no time and every report it quotes
        is old news against the newest stored. The training years show both right far less often."""
        a, b = self.calibration
        return sigmoid(a * best + b + (self.older if older else 0.0) + (self.stale if stale else 0.0))

    def covers(self, closest: float, words: float, best: float, unrelated: float | None = None) -> float:
        """The chance that articles are about the question (1 without a coverage model): their
        closest sentence or passage has cosine ``closest`` with it, one sentence holds ``words`` of
        its words, the answer scores ``best``, and questions about nothing in the store come
        within ``unrelated`` of it (None: unknown)."""
        return 1.0 if self.coverage is None else self.coverage.chance(closest, words, best, unrelated)
