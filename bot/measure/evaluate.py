"""The measuring instrument: retrieval and answer quality of the engine on a question set.

Metrics (see ``newsbot eval --help``):
- ``hit@k`` / ``mrr@10``: article level, from the top passages of the same search ``ask`` uses;
- ``answer_accuracy``: answerable questions with answers whose answer text contains one;
  ``answer_accuracy_when_first``: the same over those whose right article was ranked first;
- ``lead_accuracy``: the same for the span the answer leads with in bold (what a reader takes
  for the answer), ``lead_precision`` over the answers that show one: a wrong bold span misleads
  more than none;
- ``older_than_window``: answers whose cited reports all predate the window the question names
  (the answer says so), ``answer_accuracy_older_than_window`` how often those are right;
  ``old_news``: answers to a question naming no time whose cited reports are all older than the
  old-news age (the answer says so), ``answer_accuracy_old_news`` how often those are right;
- ``hedged``: answers said as what the closest report says (below the hedge confidence),
  ``answer_accuracy_hedged`` how often those are right; ``calibration_error``: how far the
  answers' confidence is from how often they are right (0 is perfect);
- ``breakdown``: hit@1, answer accuracy and both per question source (the outlet that set the
  quiz), per answer type (what the question asks for: a person, a number ...) and by how old the
  question's right pages are at its date, so weak spots show; and answers per band of
  confidence, with how often each is right;
- ``citation_precision``: citations that point to a gold article (and, when the question gives
  evidence as a list of strings, whose quote or passage contains one of them; a single
  human-written evidence summary, as in RealTimeQA, is not a substring test and is not used);
- ``abstention_accuracy`` / ``false_abstention_rate``; ``unanswerable_asserted``: questions the
  articles do not answer given an answer all the same, neither abstained nor hedged (a wrong
  answer said as if it were right). ``off_corpus`` marks a whole set so: questions asked of
  articles about other news (another year's store) measure what a user meets asking a small
  store about something it never reported;
- timings: ingest seconds and warm per-question answer latency.
"""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from bot.answer import REPORTS_DIFFER, Answer
from bot.answering.question import read
from retrieval.errors import InputError
from retrieval.models import Passage
from retrieval.text import MONTH_ABBREVIATIONS, NUMBER_WORDS, flat

KS = (1, 4, 10)
METRIC_KEYS = ["questions", "hit@1", "hit@4", "hit@10", "mrr@10", "first_states_answer", "answer_accuracy",
               "answer_accuracy_when_first",
               "lead_accuracy", "lead_precision", "older_than_window", "answer_accuracy_older_than_window",
               "old_news", "answer_accuracy_old_news", "hedged", "answer_accuracy_hedged", "calibration_error",
               "citation_precision",
               "abstention_accuracy", "unanswerable_asserted", "false_abstention_rate", "ingest_seconds", "query_ms_p50",
               "query_ms_p95"]
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"', "–": "-", "—": "-"})


@dataclass
class EvalQuestion:
    """One question of a question set, with what counts as its right answer."""

    id: str
    question: str
    answers: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    answerable: bool = True
    question_date: date | None = None  # the day it was asked: its as-of day
    source: str = ""  # who set the question (a quiz's outlet), for the breakdown


def load_questions(path: Path) -> list[EvalQuestion]:
    """Questions in the shared format; a bad line is an InputError naming file and line."""
    if not path.is_file():
        raise InputError(f"{path} does not exist: give a questions JSONL file")
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            evidence = rec.get("evidence") or []
            out.append(EvalQuestion(
                id=str(rec.get("id", lineno)),
                question=str(rec["question"]),
                answers=[str(a) for a in rec.get("answers") or []],
                doc_ids=[str(d) for d in rec.get("doc_ids") or []],
                evidence=[str(e) for e in evidence] if isinstance(evidence, list) else [],
                answerable=bool(rec.get("answerable", True)),
                question_date=_day(rec.get("question_date"), path, lineno),
                source=str(rec.get("source") or ""),
            ))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{lineno} is not a question record ({type(exc).__name__}: {exc})") from None
    if not out:
        raise InputError(f"{path} holds no questions")
    return out


def _day(value: Any, path: Path, lineno: int) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{path}:{lineno} has a question_date that is not YYYY-MM-DD: {value!r}") from None


_MONTHS = MONTH_ABBREVIATIONS
_MONTH_ABBR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b\.?")
_NUMBER_WORDS = {w: str(n) for w, n in NUMBER_WORDS.items()}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)\b")  # from a number's start: linear
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_ROMANS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_NAMED_NUMERAL = re.compile(r"\b([A-Z][a-z]+) (" + "|".join(sorted(_ROMANS, key=len, reverse=True)) + r")\b(?!['’.])")
_LIST_SEPARATOR = re.compile(r"(?<!\s)\s*[&;]\s*")  # from a space run's start: linear


def read_numbers(text: str) -> str:
    """Numbers in one spelling: "$12.6 million" and "$12,600,000" both become "$12600000", "two"
    becomes "2", "50%" becomes "50 percent", "Sept. 8" becomes "september 8", a Roman numeral
    after a name becomes a digit ("Artemis I" is "artemis 1", "World War II" "world war 2")."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _NAMED_NUMERAL.sub(lambda m: f"{m[1]} {_ROMANS[m[2]]}", text).lower()
    text = text.replace("%", " percent").replace("per cent", "percent").replace("&", " and ")
    text = _MONTH_ABBR.sub(lambda m: _MONTHS[m[1]], text)
    text = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m[1]], text)
    text = _GROUPED.sub(lambda m: m[0].replace(",", ""), text)
    return _SCALED.sub(lambda m: _scaled(m[1], m[2]), text)


def _scaled(number: str, scale: str) -> str:
    whole, _, fraction = number.partition(".")
    digits = int(whole + fraction) * _SCALES[scale] // 10 ** len(fraction)
    return str(digits)


def fold(text: str) -> str:
    """Numbers read (``read_numbers``), punctuation dropped but decimal points kept, whitespace
    folded: for containment tests."""
    text = _DECIMAL_POINT.sub("\x00", read_numbers(text))
    text = re.sub(r"[^\w\s\x00]", " ", text).replace("\x00", ".")
    return flat(text)


def contains_any(text: str, needles: Iterable[str]) -> bool:
    """Does ``text`` contain one of ``needles`` once both are folded?

    - A needle that starts or ends with a digit must not continue into another number there
      ("15" is not in "150" or "1.5").
    - A plural word of the needle also matches its singular ("chicken nuggets", "chicken nugget").
    - A needle listing items with "&" or ";" ("New Jersey & Oregon") matches when the text holds
      the whole list or every item of it.
    """
    hay = fold(text)
    for raw in needles:
        items = [i for i in _LIST_SEPARATOR.split(raw) if i.strip()]
        if _found(fold(raw), hay) or (len(items) > 1 and all(_found(fold(i), hay) for i in items)):
            return True
    return False


def _found(needle: str, hay: str) -> bool:
    if not needle:
        return False
    before = r"(?<![\d.])" if needle[0].isdigit() else ""
    after = r"(?!\d|\.\d)" if needle[-1].isdigit() else ""
    words = [re.escape(w[:-1]) + "s?" + r"\b" if len(w) > 3 and w.endswith("s") and not w.endswith("ss")
             else re.escape(w) for w in needle.split(" ")]
    return re.search(before + " ".join(words) + after, hay) is not None


def is_gold(article_id: str, source: str, doc_ids: list[str]) -> bool:
    """An article matches a doc_id by its id or by its source file's stem."""
    stems = {Path(article_id).stem, Path(source).stem} if source else {Path(article_id).stem}
    return article_id in doc_ids or any(s in doc_ids for s in stems)


def first_gold_rank(passages: list[Passage], doc_ids: list[str]) -> int | None:
    for rank, p in enumerate(passages, start=1):
        if is_gold(p.article_id, p.source, doc_ids):
            return rank
    return None


@dataclass
class Row:
    """One question's outcome (for --per-question and for the totals)."""

    id: str
    question: str
    rank: int | None
    answer: str
    correct: bool | None
    abstained: bool
    citations: int
    good_citations: int
    ms: float
    source: str = ""
    kind: str = ""  # the answer type the question asks for ("person", "number" ... or "other")
    lead: bool | None = None  # the bold span holds an answer (None: no span shown, or nothing to judge)
    states: bool | None = None  # the first article's stored text holds an answer (None: not judged)
    older: bool = False  # every cited report predates the window the question names (the answer says so)
    confidence: float | None = None  # the extractive answer's calibrated confidence (None: abstained, or not extractive)
    hedged: bool = False  # said as what the closest report says, below the hedge confidence
    pages: str = ""  # how old the question's right pages are at its date (``named_pages``; "" unknown)
    old_news: bool = False  # a question naming no time answered only from old reports (the answer says so)


ArticleText = Callable[[Passage], str]  # the whole stored text of the article a passage is from
Published = Callable[[str], date | None]  # the day a stored article (by id or source stem) was published
FRESH_DAYS = 30  # a right page published this many days before the question, or fewer, is that period's news


def named_pages(q: EvalQuestion, published: Published) -> str:
    """How old the question's right pages are at its date: "within 30 days" when one was published
    in the ``FRESH_DAYS`` up to it, "older" when every dated one is older, "" when that cannot be
    told. A set that names right the pages of each question's own web search names background
    and chance pages too; where none is that period's news, the week's report is not in the
    corpus, and no ranking finds it."""
    if q.question_date is None:
        return ""
    days = [d for d in map(published, q.doc_ids) if d is not None and d <= q.question_date]
    if not days:
        return ""
    return f"within {FRESH_DAYS} days" if any((q.question_date - d).days <= FRESH_DAYS for d in days) else "older"


def judge(q: EvalQuestion, answer: Answer, passages_by_chunk: dict[str, Passage], ms: float,
          article_text: ArticleText | None = None) -> Row:
    rank = first_gold_rank(answer.passages, q.doc_ids) if q.doc_ids else None
    correct = contains_any(answer.text, q.answers) if q.answerable and q.answers else None
    good = 0
    for c in answer.citations:
        passage = passages_by_chunk.get(c.chunk_id)
        source = passage.source if passage else ""
        if not is_gold(c.article_id, source, q.doc_ids):
            continue
        if q.evidence and not (contains_any(c.quote, q.evidence) or
                               (passage is not None and contains_any(passage.text, q.evidence))):
            continue
        good += 1
    kind = read(q.question).wants or "other"
    shown = answer.lead
    if shown == REPORTS_DIFFER:  # "Reports differ: X [1]; Y [2]. — ...": both answers are set before the reader
        shown = answer.text.split(" — ", 1)[0]
    lead = contains_any(shown, q.answers) if correct is not None and shown else None
    states = None
    if article_text is not None and correct is not None and answer.passages:
        states = contains_any(article_text(answer.passages[0]), q.answers)
    confidence = answer.support if answer.answerer == "extractive" and not answer.abstained else None
    return Row(q.id, q.question, rank, answer.text, correct, answer.abstained, len(answer.citations), good, ms,
               q.source, kind, lead, states, answer.older_than_window, confidence, answer.hedged,
               old_news=answer.old_news)


def off_corpus(questions: list[EvalQuestion]) -> list[EvalQuestion]:
    """``questions`` as ones the store does not answer: asked of articles about other news, every
    answer is a miss the bot should not assert (their right pages and answers are set aside)."""
    return [replace(q, answerable=False, answers=[], doc_ids=[], evidence=[]) for q in questions]


def summarize(rows: list[Row], questions: list[EvalQuestion], ingest_seconds: float) -> dict[str, Any]:
    """The metric object, keys exactly ``METRIC_KEYS``."""
    with_gold = [(r, q) for r, q in zip(rows, questions) if q.doc_ids and q.answerable]
    out: dict[str, Any] = {"questions": len(rows)}
    for k in KS:
        out[f"hit@{k}"] = _share(sum(1 for r, _ in with_gold if r.rank and r.rank <= k), len(with_gold))
    out["mrr@10"] = _round(
        sum(1 / r.rank for r, _ in with_gold if r.rank and r.rank <= 10) / len(with_gold) if with_gold else None
    )
    stated = [r.states for r in rows if r.states is not None]
    out["first_states_answer"] = _share(sum(stated), len(stated))
    judged = [r.correct for r in rows if r.correct is not None]
    out["answer_accuracy"] = _share(sum(judged), len(judged))
    first = [r.correct for r in rows if r.correct is not None and r.rank == 1]
    out["answer_accuracy_when_first"] = _share(sum(first), len(first))
    leads = [r.lead for r in rows if r.correct is not None and r.lead is not None]
    out["lead_accuracy"] = _share(sum(leads), len(judged))
    out["lead_precision"] = _share(sum(leads), len(leads))
    older = [r.correct for r in rows if r.correct is not None and r.older]
    out["older_than_window"] = _share(len(older), len(judged))  # answers flagged as older than the window asked about
    out["answer_accuracy_older_than_window"] = _share(sum(older), len(older))
    old = [r.correct for r in rows if r.correct is not None and r.old_news]
    out["old_news"] = _share(len(old), len(judged))  # answers saying that their newest report is old
    out["answer_accuracy_old_news"] = _share(sum(old), len(old))
    hedged = [r.correct for r in rows if r.correct is not None and r.hedged]
    out["hedged"] = _share(len(hedged), len(judged))
    out["answer_accuracy_hedged"] = _share(sum(hedged), len(hedged))
    out["calibration_error"] = calibration_error(rows)
    cited = sum(r.citations for r in rows)
    out["citation_precision"] = _share(sum(r.good_citations for r in rows), cited)
    unanswerable = [r for r, q in zip(rows, questions) if not q.answerable]
    out["abstention_accuracy"] = _share(sum(r.abstained for r in unanswerable), len(unanswerable))
    out["unanswerable_asserted"] = _share(sum(not (r.abstained or r.hedged) for r in unanswerable), len(unanswerable))
    answerable = [r for r, q in zip(rows, questions) if q.answerable]
    out["false_abstention_rate"] = _share(sum(r.abstained for r in answerable), len(answerable))
    out["ingest_seconds"] = round(ingest_seconds, 2)
    times = sorted(r.ms for r in rows)
    out["query_ms_p50"] = round(statistics.median(times), 1) if times else None
    out["query_ms_p95"] = round(times[min(len(times) - 1, int(0.95 * len(times)))], 1) if times else None
    return out


BREAKDOWN_KEYS = ("questions", "hit@1", "answer_accuracy", "answer_accuracy_when_first")
CONFIDENCE_BANDS = tuple(round(0.1 * i, 1) for i in range(11))  # 0.0-0.1 ... 0.9-1.0


def confidence_bands(rows: list[Row]) -> dict[str, list[tuple[float, bool]]]:
    """The judged extractive answers' (confidence, right) in bands of 0.1 (empty bands left out)."""
    bands: dict[str, list[tuple[float, bool]]] = {}
    for low, high in zip(CONFIDENCE_BANDS, CONFIDENCE_BANDS[1:]):
        inside = [(r.confidence, bool(r.correct)) for r in rows if r.confidence is not None and r.correct is not None
                  and low <= r.confidence < (high if high < 1 else 1.01)]
        if inside:
            bands[f"{low:.1f}-{high:.1f}"] = inside
    return bands


def calibration_error(rows: list[Row]) -> float | None:
    """How far the answers' confidence is from how often they are right: the mean gap between a
    band's mean confidence and its share right, weighted by the band's answers (expected
    calibration error; 0 is perfect). The confidence is calibrated on the training years, so on
    another year this says whether it still holds."""
    bands = confidence_bands(rows).values()
    n = sum(len(b) for b in bands)
    gap = sum(abs(sum(c for c, _ in b) - sum(ok for _, ok in b)) for b in bands)
    return _share(gap, n)


def breakdown(rows: list[Row], questions: list[EvalQuestion]) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """``BREAKDOWN_KEYS`` of ``summarize`` per question source, per answer type and by how old the
    question's right pages are (largest groups first); and the answers per band of confidence."""
    out: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for name, key in (("by_source", "source"), ("by_answer_type", "kind"), ("by_named_pages", "pages")):
        groups: dict[str, list[tuple[Row, EvalQuestion]]] = {}
        for r, q in zip(rows, questions):
            groups.setdefault(getattr(r, key) or "unknown", []).append((r, q))
        out[name] = {}
        for group, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            metrics = summarize([r for r, _ in members], [q for _, q in members], 0.0)
            out[name][group] = {k: metrics[k] for k in BREAKDOWN_KEYS}
    out["by_confidence"] = {band: {"questions": len(inside), "confidence": _share(sum(c for c, _ in inside), len(inside)),
                                   "answer_accuracy": _share(sum(ok for _, ok in inside), len(inside))}
                            for band, inside in confidence_bands(rows).items()}
    return out


def _share(n: float, d: int) -> float | None:
    return _round(n / d) if d else None


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


class Asker(Protocol):
    """Anything evaluated: the engine, or a peer pipeline in a benchmark."""

    def ask_ranked(self, question: str, as_of: date | None = None) -> Answer:
        """An answer as of ``as_of`` whose ``passages`` are ranked at least 10 deep."""
        ...


@dataclass
class EvalResult:
    """The metrics (keys ``METRIC_KEYS``) and every question's outcome."""

    metrics: dict[str, Any]
    rows: list[Row]
    questions: list[EvalQuestion]

    def breakdown(self) -> dict[str, dict[str, dict[str, float | int | None]]]:
        """The measures per question source, answer type, right pages' age and confidence band (``breakdown``)."""
        return breakdown(self.rows, self.questions)


def evaluate(asker: Asker, questions: list[EvalQuestion], ingest_seconds: float = 0.0,
             progress: Callable[[], None] | None = None, date_blind: bool = False,
             article_text: ArticleText | None = None, published: Published | None = None) -> EvalResult:
    """Ask every question, judge each answer, and sum up: the one measuring loop every caller uses.

    Each question is asked as of its ``question_date`` when it has one, unless ``date_blind``.
    With ``article_text`` the first article is also judged on its whole text: a set that names
    right only some of the pages stating the answer (the pages of the question's own web search)
    undercounts hit@1, and ``first_states_answer`` says how often the first article states it.
    With ``published`` each question is also grouped by how old its right pages are (``named_pages``).
    """
    rows = run_questions(asker, questions, progress, date_blind, article_text)
    if published is not None:
        rows = [replace(r, pages=named_pages(q, published)) for r, q in zip(rows, questions)]
    return EvalResult(summarize(rows, questions, ingest_seconds), rows, questions)


def run_questions(asker: Asker, questions: list[EvalQuestion], progress: Callable[[], None] | None = None,
                  date_blind: bool = False, article_text: ArticleText | None = None) -> list[Row]:
    """Ask every question (after one warm-up) and judge it."""
    if questions:
        asker.ask_ranked(questions[0].question)  # warm caches (BM25 load, model) so timings are warm
    rows = []
    for q in questions:
        started = time.perf_counter()
        answer = asker.ask_ranked(q.question, None if date_blind else q.question_date)
        ms = (time.perf_counter() - started) * 1000
        by_chunk = {p.chunk_id: p for p in answer.passages}
        rows.append(judge(q, answer, by_chunk, ms, article_text))
        if progress:
            progress()
    return rows
