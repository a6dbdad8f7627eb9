"""Which span leads an extractive answer in bold: what a reader takes for the answer.

The sentences an answer quotes are chosen by the answer model; the bold span before them is
chosen here. Every span of those sentences that could answer something (``spans.spans_of``:
names, people, amounts, days, places, ages, countries) becomes a row of ``FEATURES``: whether
it is of the kind the question wants (or a country, a figure or a day it does not want),
whether the question already names it (an answer rarely
repeats the question), how near it stands to the question's words, how many other retrieved
articles state it, whether the title has it, which quoted sentence it is in. A sum of trees
learned on three years of news questions (``bench/train_answers.py``) scores them, and a
calibration on the same years turns the best score into the chance that it holds the answer:
below the settings' lead threshold no span is bolded and the answer starts with its sentences (a
wrong bold answer misleads more than none).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answering.mismatches import (
    asks_chosen,
    asks_winner,
    before_result,
    never_the_answer,
    said_chosen,
    said_to_win,
)
from bot.answering.phrasing import as_quoted
from bot.answering.places import regions_named
from bot.answering.question import Question
from bot.answering.sentences import Embed, Scored
from bot.answering.spans import (
    YEAR_FIGURE,
    abbreviation_in_full,
    an_age,
    counts_another,
    counts_asked,
    counts_nothing,
    dated_day,
    full_name,
    is_subject,
    last_day,
    lead_span,
    outcomes,
    plural_in_full,
    question_words_at,
    quoted_titles,
    same_answer,
    seat_of_body,
    set_beside,
    spans_of,
    without_possessive,
)
from retrieval.linear import LinearModel, sigmoid
from retrieval.models import Passage
from retrieval.text import content_tokens, site_of
from retrieval.trees import TreeModel, load_scorer

WEIGHTS = Path(__file__).parent / "weights" / "leads.json"  # the shipped model
FEATURES = (
    "rule", "kind", "unwanted_region", "unwanted_number", "unwanted_date", "year", "asked", "asked_words", "near",
    "position", "words", "support", "title", "quoted", "sentence", "sentence_gap", "sentence_score", "starts",
    "repeated", "asked_for",
)
# What a question asks for by name: the (up to three) words after "which" or "what" before its
# verb, a preposition or its end ("which social media platform expanded", "which type of livestock
# is", "an outbreak of which infectious disease?")
_ASKS_FOR = re.compile(
    r"\b(?:which|what)\s{1,3}(?:(?:type|kind|sort)s?\s{1,3}of\s{1,3})?"
    r"(?!(?:is|are|was|were|did|does|do|has|have|had|will|would|could|can|should|may|might|of)\b)"
    r"((?:[\w\-’']{1,30}\s{1,3}){0,2}?[\w\-’']{1,30}?)"
    r"(?:\s{1,3}(?:is|are|was|were|has|have|had|did|does|do|will|would|could|can|in|of|to|for|that|from|on|at|by|"
    r"this|been|with|\w{1,30}ed)\b|\s{0,3}[?,:])", re.I)
# Spans given their closeness in meaning to what is asked for (``asked_for``), the best by
# ``first_look``; the rest 0. Each costs an embedding (about a millisecond on one core, against
# a warm answer's 40 or so): three, of the ten candidates a question has (the median).
MEANING_SPANS = 3


def asks_for(question: Question) -> str:
    """The words naming what ``question`` asks for ("city", "social media platform"); "" when it
    names none ("Who won?", "What is the name of ...?")."""
    found = _ASKS_FOR.search(question.text)
    return found.group(1) if found else ""


_LOOK = np.zeros(len(FEATURES))  # first_look's weights: of the kind asked, the rule's, in the lead
_LOOK[[FEATURES.index(f) for f in ("kind", "rule", "sentence", "asked", "position")]] = (2.0, 1.0, 1.0, -1.0, -0.5)


def first_look(rows: np.ndarray) -> np.ndarray:
    """A fixed order of spans, no learned model (so the model learned after it depends on no
    other): of the kind asked, the rule's, in the lead sentence, not in the question, early."""
    return rows @ _LOOK


@dataclass(frozen=True)
class Span:
    """One candidate lead: the text shown (a surname given in full) and the sentence it is in."""

    text: str
    sentence: Scored
    aside: bool = False  # a name its sentence only sets the news beside ("since the New England Patriots"),
    # or a place it names only as where a body sits ("the National Hurricane Center in Miami")
    passed: bool = False  # a day already past, for a question asking for one to come ("When is the next …?"),
    # or one years before the report, for a question about its news ("crowned in 1661", for "When was … crowned?")
    counts_another: bool = False  # a count of another outcome than the one asked ("without power", for the dead)
    counts_asked: bool = False  # a count said to be of the outcome asked ("At least 90 people have died")
    masthead: bool = False  # a section of the report's own outlet ("USA TODAY Money", "CNN Business")
    counts_nothing: bool = False  # for "how many", a year or a measure ("the 2020 election", "a 22-foot boat");
    # for any figure asked but an age, an age ("a 101-year-old guard")


def candidates(question: Question, chosen: Sequence[Scored], passages: Sequence[Passage],
               embed: Embed | None = None) -> tuple[list[Span], np.ndarray]:
    """Every candidate span of the ``chosen`` sentences (the lead sentence first) and its row of
    ``FEATURES``; ``passages`` are all the answerer was handed (for support across articles).
    With ``embed``, the best spans (``MEANING_SPANS``) get the cosine of what the question asks
    for: "Pennsylvania" is no city, "New Orleans" no storm."""
    if not question.wants or not chosen:
        return [], np.zeros((0, len(FEATURES)), np.float32)
    asked = question.text.lower()
    texts: dict[str, str] = {}
    for p in passages:
        texts[p.article_id] = texts.get(p.article_id, "") + " " + p.text.lower()
    others = max(1, len(texts) - 1)
    asked_outcomes = outcomes(question.text) if question.wants == "number" else set()  # "died", "lost power"
    counting = question.counts  # "how many": read once, not per span
    spans: list[Span] = []
    out: list[list[float]] = []
    seen: set[str] = set()
    for i, cand in enumerate(chosen):
        before = cand.before
        said = as_quoted(cand.text, cand.speakers, cand.passage.title, question, cand.passage.text, before)
        rule = lead_span(question, said, trimmed=True)
        near_at = question_words_at(question, said)
        quoted = set(quoted_titles(said))
        own = texts.get(cand.passage.article_id, "")
        site = outlet_of(cand.passage)
        for span, kinds in spans_of(question, said, cand.passage.text).items():
            shown = full_name(span, before)
            key = shown.lower()
            if key in seen:
                continue
            seen.add(key)
            at = said.find(span)
            words = span.split()
            span_tokens = content_tokens(span)
            distance = min((abs(w - at) for w in near_at), default=None) if at >= 0 else None
            out.append([
                1.0 if span == rule else 0.0,
                1.0 if question.wants in kinds else 0.0,
                1.0 if question.wants not in ("region", "place") and regions_named("state", span) else 0.0,
                1.0 if question.wants not in ("number", "age") and "number" in kinds else 0.0,
                1.0 if question.wants != "date" and "date" in kinds else 0.0,
                1.0 if YEAR_FIGURE.fullmatch(span) else 0.0,
                1.0 if key in asked or span.lower() in asked else 0.0,
                len(span_tokens & question.tokens) / len(span_tokens) if span_tokens else 1.0,
                0.0 if distance is None else 1.0 / (1.0 + distance / 10.0),
                max(at, 0) / max(1, len(said)),
                math.log1p(len(words)),
                sum(1 for a, t in texts.items() if a != cand.passage.article_id and key in t) / others,
                1.0 if key in cand.passage.title.lower() else 0.0,
                1.0 if span in quoted else 0.0,
                1.0 / (1 + i),
                cand.score - chosen[0].score,
                cand.score,
                1.0 if is_subject(said, at) else 0.0,
                math.log1p(own.count(key)),
                0.0,  # asked_for: below, for the best spans
            ])
            dated = dated_day(shown, said, cand.passage.day)
            aside = set_beside(span, kinds, said) or seat_of_body(span, kinds, said)
            spans.append(Span(dated, cand, aside, "date" in kinds and _past(question, dated, cand),
                              "number" in kinds and counts_another(asked_outcomes, said, span),
                              "number" in kinds and counts_asked(asked_outcomes, said, span), masthead(span, site),
                              "number" in kinds and question.wants == "number"
                              and (counts_nothing(asked, said, span) if counting else an_age(asked, said, span))))
    rows = np.asarray(out, np.float32).reshape(-1, len(FEATURES))
    if embed is not None and spans and (wanted := asks_for(question)):
        best = np.argsort(-first_look(rows), kind="stable")[:MEANING_SPANS]
        vectors = embed([wanted, *(spans[i].text for i in best)])
        rows[best, FEATURES.index("asked_for")] = vectors[1:] @ vectors[0]
    return spans, rows


def outlet_of(passage: Passage) -> str:
    """The letters of the outlet that published ``passage``: "usatoday" of usatoday.com, of an
    outlet stored as "USA TODAY" too; "" when it has none."""
    stem = (passage.outlet or site_of(passage.url)).lower().removeprefix("www.").split(".")[0]
    return "".join(ch for ch in stem if ch.isalnum())


def masthead(span: str, site: str) -> bool:
    """Is ``span`` a section of the outlet whose letters are ``site`` (``outlet_of``): its name and
    more, "USA TODAY Money" on usatoday.com, "CNN Business" on cnn.com? A byline or a section
    heading, never what a report says happened; the outlet's name alone may be ("CNN fired Don Lemon")."""
    letters = "".join(ch for ch in span.lower() if ch.isalnum())
    return len(site) >= 3 and letters.startswith(site) and len(letters) > len(site) and " " in span.strip()


# A question asking when something happened long ago, or first, or last: "When was the last time
# ...?", "When was the company founded?"; otherwise "when" asks about the news reported
_ASKS_HISTORY = re.compile(r"\b(?:first|last|ever|since|previous(?:ly)?|originally|history|historic|founded|built|"
                           r"born|established|created|invented|begin|began|start(?:ed)?|ago|decades?|centur(?:y|ies))\b",
                           re.I)
_LONG_AGO = 10 * 365  # days before its report a day is history, not the news


def _past(question: Question, day: str, cand: Scored) -> bool:
    """Is ``day`` (a date span of ``cand``) not the news asked: before the day ``question`` is asked
    as of while it asks for a day to come ("When is the next total solar eclipse?"), or years
    before its report while it asks when the news happened ("The crown was made for King Charles
    II in 1661", for "When was King Charles crowned?")?"""
    last = last_day(day, cand.passage.day)
    if last is None:
        return False
    if question.to_come:
        return question.as_of is not None and last < question.as_of
    published = cand.passage.day
    return (published is not None and (published - last).days > _LONG_AGO
            and _ASKS_HISTORY.search(question.text) is None)


def paired(best: Span, spans: Sequence[Span]) -> str:
    """``best`` with the span its sentence joins to it by "and" ("Honda and Nissan"), for a question
    asking for two; ``best`` alone when its sentence names no such pair."""
    said = best.sentence.text
    for other in spans:
        if other.sentence is not best.sentence or other.text == best.text:
            continue
        for pair in (f"{best.text} and {other.text}", f"{other.text} and {best.text}"):
            if pair in said:
                return pair
    return best.text


@dataclass(frozen=True)
class LeadModel:
    """The learned span scorer and its calibration (the chance, measured on the training years,
    that the best span holds the answer)."""

    model: LinearModel | TreeModel  # trees as shipped; the rule's fallback is linear
    calibration: tuple[float, float] = (1.0, 0.0)  # chance = sigmoid(a * score + b)

    @classmethod
    def load(cls, path: Path) -> LeadModel:
        """The model in ``path``; ValueError (one line) when it is missing, damaged or made for
        other features."""
        model = load_scorer(path, FEATURES, "the lead weights")
        return cls(model, model.calibration(path, "the lead weights"))

    @classmethod
    def rule(cls) -> LeadModel:
        """The pattern rule alone (``spans.lead_span`` on the lead sentence): what chooses the lead
        when the learned weights cannot be read."""
        n = len(FEATURES)
        weights = np.zeros(n)
        weights[FEATURES.index("rule")] = weights[FEATURES.index("sentence")] = 1.0
        # Only the lead sentence's rule span (rule 1 + sentence 1 = 2) has a chance: 1.5 (the second
        # sentence's) or less is ~0 at any threshold.
        return cls(LinearModel(FEATURES, np.zeros(n), np.ones(n), weights, made_by="rule"), (40.0, -70.0))

    def best(self, question: Question, chosen: Sequence[Scored], passages: Sequence[Passage],
             embed: Embed | None = None) -> tuple[str, float | None]:
        """The likeliest span and its chance of holding the answer: bolded when the chance reaches
        the answer's lead threshold, told by `-v` either way; ("", None) when there is no span. A
        span a chat's follow-up already knows (the answer it follows: "Who performed at halftime?"
        after "Kansas City Chiefs") is none: the asker has it, and asks for something else. Nor is
        a name set beside the news, a day past for one to come or years before its report for when
        the news happened, a count of another outcome than the one asked (and a count said to be of
        it comes first; for "who won?", one said to win; for "whom did ... pick?", one said picked),
        a year or a measure for "how many", an age for any figure but an age, or a section of the
        report's own outlet; "who won?" gets none from a report written before the result, and the
        likeliest has no chance when it is who the question asks about ("Donald Trump" for "Who
        shot at Trump?"), a body, an event or a kind asked for as who or a thing of another kind
        ("Food and Drug Administration" for "Which vegetable was recalled?", "US Open" for "Who
        won?"), what was won or who lost where it asks who won, or only who the news is sourced
        to: nothing is bolded."""
        spans, rows = candidates(question, chosen, passages, embed)
        scores = self.model.scores(rows) if spans else np.zeros(0)
        shown_at = [i for i, span in enumerate(spans)
                    if not (span.aside or span.passed or span.counts_another or span.counts_nothing or span.masthead)
                    and not any(same_answer(span.text, k) for k in question.known)]
        asked = [i for i in shown_at if spans[i].counts_asked]  # a count said to be of what is asked beats one
        shown_at = asked or shown_at  # whose words say nothing of what it counts ("more than 430,000 in North Carolina")
        winner = asks_winner(question.text)
        if winner:  # one said to win what is asked beats one the sentence names otherwise
            won = [i for i in shown_at if said_to_win(question, spans[i].text, spans[i].sentence.text)]
            shown_at = won or shown_at
        if asks_chosen(question.text):  # for "whom did ... pick?", one said to be picked
            chosen_at = [i for i in shown_at if said_chosen(spans[i].text, spans[i].sentence.text)]
            shown_at = chosen_at or shown_at
        if not shown_at:
            return "", None
        top = max(shown_at, key=lambda i: float(scores[i]))
        if winner and before_result(spans[top].sentence.text):
            return "", None  # "who won?" from a report written before the result ("are preparing for Super Bowl 57")
        if question.pair:
            shown = paired(spans[top], spans)
        else:  # "the Lions" of a sentence, as a passage names them in full ("the Detroit Lions")
            texts = [p.text for p in passages]  # not titles: Title Case
            shown = without_possessive(spans[top].text, texts)  # "Joe Biden’s" where "Joe Biden" said it
            shown = abbreviation_in_full(plural_in_full(shown, texts), texts)  # "GM": "General Motors (GM)"
        if never_the_answer(question, spans[top].text, spans[top].sentence.text):
            return shown, 0.0  # never the answer, nor is the next span likelier right (training years): none bolded
        return shown, self.chance(float(scores[top]))

    def chance(self, score: float) -> float:
        a, b = self.calibration
        return sigmoid(a * score + b)
