"""The default answerer: it answers with the article's own sentences, so it is true by construction.

Every sentence of the retrieved passages is scored against the question by meaning (the
embedding model); by whether it holds the kind of thing asked for (a number for "how many", a
place for "where"); by whether it adds something the question does not name (the unknown of a
quiz question); by whether it repeats a figure the question states ("2.9 million vehicles"); by
its passage's rank; and, when the question asks what someone said or
demanded, by whether that person is the sentence's speaker (computed at ingest). The best one to
three sentences of the best article become the answer, each with its ``[n]``. Weak support, or
a question about names the passages never mention, gives an abstention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.answer import NOT_COVERED, Citation, Draft, History, TokenSink
from bot.answering.phrasing import lead_span, name_subject, name_work, refers_to_content, spells_out
from bot.answering.query import (
    answer_type_match,
    asked_words,
    asks_for_figure,
    asks_for_words,
    asks_what_was_said,
    entities,
    mentions,
    not_an_answer,
    novelty,
    qualifier,
    states_what_is_asked,
)
from retrieval.index.embeddings import Embedder
from retrieval.models import Passage
from retrieval.text import content_tokens, flat


@dataclass(frozen=True)
class Profile:
    """How sentences are scored and how many join the answer."""

    weights: dict[str, float]
    ratio: float  # another sentence joins when it scores at least this share of the best
    same_article: bool  # extra sentences only from the best sentence's article


# Chosen on ../shared/data (realtimeqa-dev gold corpus + seed questions) with bench/tune.py; see
# the closing note of issue 5. "foundation" is the first version, kept as the yardstick.
NEUTRAL_TYPE = 0.5  # answer-type feature when the question expects no particular type
REDUNDANT_OVERLAP = 0.7  # a sentence sharing this much of its content words with a chosen one adds nothing
RELATED_SHOWN = 2  # nearest sentences shown as "related" with an abstention
STATING_FLOOR = 0.5  # share of the best score a sentence stating what is asked needs to lead
SAME_CLAIM = 0.8  # sentences of two articles this similar in meaning report the same thing
_FIGURE = re.compile(r"(?<![\w-])\d[\d,.]*\d|(?<![\w-])\d")  # "Covid-19" and "F-16" are names, not figures

# "full"'s lexical 0.3 came with sentence vectors pooled at ingest (issue 12's note): pooled
# vectors of one chunk's sentences are alike, and word overlap tells them apart (0.2-0.5 scored the
# same on realtimeqa-dev gold; below 0.2 an injected sentence next to the answer won). "figure"
# (a figure the question states, repeated): date-blind answer accuracy on full realtimeqa-dev
# 0.606 / 0.628 / 0.638 / 0.617 at 0 / 0.1 / 0.2 / 0.3.
PROFILES = {
    "full": Profile({"dense": 0.7, "lexical": 0.3, "speaker": 0.2, "type": 0.1, "novel": 0.15, "rank": 0.15, "asked": 0.15,
                     "figure": 0.2,
                     "non_answer": -0.3}, 0.75, True),
    "foundation": Profile({"dense": 0.55, "lexical": 0.25, "entity": 0.15, "speaker": 0.2, "type": 0.15,
                           "rank": 0.05},
                          0.85, False),
}


@dataclass
class Scored:
    passage: Passage
    index: int  # sentence index inside the passage
    rank: int  # passage rank
    score: float
    start: int
    end: int
    vector: np.ndarray | None = None
    non_answer: bool = False  # a question or a headline fragment
    asked: float = NEUTRAL_TYPE  # states what the question asks for (a cause, the new figure): 1, 0.5 or 0

    @property
    def text(self) -> str:
        return flat(self.passage.sentence_text(self.index))

    @property
    def speakers(self) -> list[str]:
        return self.passage.speakers[self.index] if self.index < len(self.passage.speakers) else []

    @property
    def day(self) -> date | None:
        return self.passage.day


class ExtractiveAnswerer:
    """Composes answers from cited source sentences."""

    name = "extractive"
    streams = False

    def __init__(self, embedder: Embedder, *, threshold: float, max_sentences: int,
                 entity_coverage: float, profile: str, ratio: float | None = None) -> None:
        self.embedder = embedder
        self.profile = profile
        self.ratio = ratio if ratio is not None else PROFILES[profile].ratio
        self.threshold = threshold
        self.max_sentences = max_sentences
        self.entity_coverage = entity_coverage

    def score(self, question: str, passages: list[Passage]) -> list[Scored]:
        """Every distinct sentence of ``passages``, scored, best first."""
        seen: set[tuple[str, int]] = set()
        cands: list[Scored] = []
        for rank, passage in enumerate(passages):
            for i, (s, e) in enumerate(passage.sentences):
                if (passage.article_id, s) in seen:
                    continue
                seen.add((passage.article_id, s))
                cands.append(Scored(passage, i, rank, 0.0, s, e))
        if not cands:
            return []
        texts = [c.text for c in cands]
        vectors = self.sentence_vectors(question, cands, texts)
        dense = vectors[1:] @ vectors[0]
        q_tokens = content_tokens(question)
        q_entities = entities(question)
        speech = asks_for_words(question)  # "what did Lavrov say", not "the CDC announced …: which virus?"
        q_figures = stated_figures(question)
        w = PROFILES[self.profile].weights
        for cand, text, d, vector in zip(cands, texts, dense, vectors[1:]):
            cand.vector = vector
            s_tokens = content_tokens(text)
            lexical = len(q_tokens & s_tokens) / len(q_tokens) if q_tokens else 0.0
            speakers = cand.speakers
            said_by = [e for e in q_entities if any(mentions(sp, e) for sp in speakers)]
            entity = (
                sum(1 for e in q_entities if mentions(text, e) or e in said_by) / len(q_entities)
                if q_entities else 0.0
            )
            speaker = 1.0 if speech and said_by else 0.0
            typed = answer_type_match(question, text)
            novel = novelty(question, text)
            figures = shared_figures(q_figures, text)
            asked = cand.asked = states_what_is_asked(question, text)
            cand.non_answer = not_an_answer(text)
            non_answer = 1.0 if cand.non_answer else 0.0
            cand.score = float(
                w.get("dense", 0.0) * float(d)
                + w.get("lexical", 0.0) * lexical
                + w.get("entity", 0.0) * entity
                + w.get("speaker", 0.0) * speaker
                + w.get("type", 0.0) * (typed if typed is not None else NEUTRAL_TYPE)
                + w.get("novel", 0.0) * novel
                + w.get("figure", 0.0) * figures
                + w.get("asked", 0.0) * (asked - NEUTRAL_TYPE)  # 0 unless the question asks for a cause or the new
                + w.get("non_answer", 0.0) * non_answer
                + w.get("rank", 0.0) / (1 + cand.rank)
            )
        return sorted(cands, key=lambda c: c.score, reverse=True)

    def sentence_vectors(self, question: str, cands: list[Scored], texts: list[str]) -> np.ndarray:
        """The question's vector, then each candidate's: stored at ingest when the passage has
        them, embedded now only for passages stored without (older stores). A stored zero row is
        a sentence ingest left unembedded (past a chunk's opening, or past the token limit): it
        stays zero, so it competes on its words alone and answering embeds only the question."""
        rows: list[np.ndarray | None] = []
        for cand in cands:
            stored = cand.passage.sentence_vectors
            rows.append(stored[cand.index] if stored is not None and cand.index < len(stored) else None)
        missing = [t for t, r in zip(texts, rows) if r is None]
        fresh = iter(self.embedder.embed_cached([question, *missing]))
        first = next(fresh)
        return np.stack([first, *[r if r is not None else next(fresh) for r in rows]])

    def covers_entities(self, question: str, passages: list[Passage]) -> bool:
        """Do the passages mention enough of the names the question asks about? ("US" in "the US
        box office" is no name the answer must repeat.)"""
        names = [n for n in entities(question) if not qualifier(n)]
        if not names:
            return True
        pool = " ".join(p.title + " " + p.text for p in passages)
        found = sum(1 for n in names if mentions(pool, n))
        return found / len(names) >= self.entity_coverage

    def rewrite(self, history: History, question: str) -> str | None:
        """No model to rewrite with: the conversation's own rules make follow-ups standalone."""
        return None

    def answer(self, question: str, passages: list[Passage], on_token: TokenSink | None = None) -> Draft:
        """The best-supported sentences as the answer; ``on_token`` is unused (nothing streams)."""
        ranked = self.score(question, passages)
        best = ranked[0].score if ranked else 0.0
        if not ranked or best < self.threshold or not self.covers_entities(question, passages):
            return abstention(best, ranked)
        profile = PROFILES[self.profile]
        if self.profile != "foundation":  # a question or a headline fragment in an article never answers
            ranked = [c for c in ranked if not c.non_answer] or ranked
        lead = stating(ranked, max(self.threshold, STATING_FLOOR * best)) if self.profile != "foundation" else None
        lead = lead or ranked[0]
        chosen = [lead]
        wanted = asked_words(question)
        whole = len(wanted) >= 3 and wanted <= content_tokens(lead.text)
        for cand in ranked:
            if len(chosen) == self.max_sentences or whole:  # a lead holding every word asked needs no company
                break
            if cand is lead or (profile.same_article and cand.passage.article_id != lead.passage.article_id):
                continue
            if cand.asked < lead.asked:  # the old figure beside the new one, a non-cause beside the cause
                continue
            if cand.score >= max(self.threshold, self.ratio * best) and not _redundant(cand, chosen):
                chosen.append(cand)
        reports = over_time(lead, ranked, self.ratio * best) if asks_for_figure(question) else []
        if reports:
            return latest_first(reports, best)
        if asks_what_was_said(question):
            for said in chosen:  # the first chosen sentence whose content the next one spells out
                content = spelled_out(said, ranked, question)
                if content is not None:
                    chosen = [said, content]  # what was said, spelled out: the answer is whole
                    break
        return compose(chosen, best, question)


_NUMBER_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_SPAN_FIGURE = re.compile(r"(?<![\w-])(\d+|" + "|".join(_NUMBER_WORDS) + r")-(year|month|week|day|hour|game|point|seat|"
                          r"star|story|time|term|member|nation|state)s?\b", re.I)


def stated_figures(text: str) -> set[str]:
    """The figures ``text`` states: numbers ("2.9", "1,000") and counted spans, spelled or not
    ("a two-year deal" and "a 2-year deal" both give "2-year")."""
    spans = {f"{_NUMBER_WORDS.get(n.lower(), n)}-{unit.lower()}" for n, unit in _SPAN_FIGURE.findall(text)}
    return set(_FIGURE.findall(text)) | spans


def shared_figures(asked: set[str], sentence: str) -> float:
    """Share of the figures the question states ("2.9 million vehicles", "more than 1,000 people")
    that the sentence states too: a figure pins down which event is meant. 0 when none are stated."""
    if not asked:
        return 0.0
    return len(asked & stated_figures(sentence)) / len(asked)


def stating(ranked: list[Scored], floor: float) -> Scored | None:
    """For a question asking for a cause or for what is new: the best sentence that states one,
    if it scores at least ``floor``; sentences that merely share the question's words come after."""
    if all(c.asked == NEUTRAL_TYPE for c in ranked):
        return None
    article = ranked[0].passage.article_id  # within the best article: another story's cause is no answer
    return next((c for c in ranked if c.asked == 1.0 and c.score >= floor and c.passage.article_id == article), None)


def spelled_out(lead: Scored, ranked: list[Scored], question: str) -> Scored | None:
    """The sentence right after ``lead`` when the lead only refers to what was demanded or said
    ("its demands for security guarantees") and that sentence states it; else None."""
    if not refers_to_content(lead.text):
        return None
    following = next((c for c in ranked if c.passage is lead.passage and c.index == lead.index + 1), None)
    if following is None or _redundant(following, [lead]) or not spells_out(following.text, question):
        return None
    return following


def over_time(lead: Scored, ranked: list[Scored], floor: float) -> list[Scored]:
    """For a question asking for a figure: other articles' sentences that report the lead's claim with different figures on other
    days (a death toll that rose), newest first with the lead; empty when nothing disagrees."""
    figures = set(_FIGURE.findall(lead.text))
    if not figures or lead.day is None or lead.vector is None:
        return []
    found = {lead.passage.article_id: lead}
    for cand in ranked[1:]:
        if cand.score < floor or cand.passage.article_id in found or cand.day in (None, lead.day):
            continue
        theirs = set(_FIGURE.findall(cand.text))
        if theirs - figures and figures - theirs and cand.vector is not None and float(cand.vector @ lead.vector) >= SAME_CLAIM:
            found[cand.passage.article_id] = cand
    if len(found) == 1:
        return []
    return sorted(found.values(), key=lambda c: c.day or date.min, reverse=True)


def latest_first(reports: list[Scored], support: float) -> Draft:
    """The newest report leads, "as of" its day; the earlier ones follow with theirs."""
    citations = [Citation.from_passage(n, c.passage, c.start, c.end) for n, c in enumerate(reports, start=1)]
    newest = reports[0]
    pieces = [f"As of {_spoken(newest.day)}: {newest.text} [1]"]
    pieces += [f"Earlier, on {_spoken(c.day)}: {c.text} [{n}]" for n, c in enumerate(reports[1:], start=2)]
    return Draft(text=" ".join(pieces), citations=citations, abstained=False,
                 answerer=ExtractiveAnswerer.name, support=support)


def _spoken(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else "an unknown date"


def _redundant(cand: Scored, chosen: list[Scored]) -> bool:
    text = content_tokens(cand.passage.sentence_text(cand.index))
    for other in chosen:
        o = content_tokens(other.passage.sentence_text(other.index))
        if text and len(text & o) / len(text) > REDUNDANT_OVERLAP:
            return True
    return False


def compose(chosen: list[Scored], support: float, question: str = "") -> Draft:
    """Order the sentences readably (by source, then position) and number the citations; a
    leading pronoun gets its person in brackets, and the span the question asks for (a number,
    a day, a place, a person) leads the answer."""
    order = sorted(chosen, key=lambda c: (min(x.rank for x in chosen if x.passage.article_id == c.passage.article_id), c.start))
    groups: list[list[Scored]] = []
    for cand in order:
        last = groups[-1][-1] if groups else None
        if (last and last.passage.article_id == cand.passage.article_id and _adjacent(last, cand)
                and _holder([*groups[-1], cand])):
            groups[-1].append(cand)
        else:
            groups.append([cand])
    citations: list[Citation] = []
    pieces: list[str] = []
    for n, group in enumerate(groups, start=1):
        first, final = group[0], group[-1]
        passage = _holder(group) or first.passage
        citations.append(Citation.from_passage(n, passage, first.start, final.end))
        said = [name_subject(c.text, c.speakers) for c in group]
        if n == 1 and question:
            said[0] = name_work(said[0], first.passage.title, question)
        pieces.append(" ".join(said) + f" [{n}]")
    lead = lead_span(question, name_subject(chosen[0].text, chosen[0].speakers)) if question else ""
    text = " ".join(pieces)
    return Draft(text=f"{lead} — {text}" if lead else text, citations=citations, abstained=False,
                 answerer=ExtractiveAnswerer.name, support=support, lead=lead)


def _adjacent(a: Scored, b: Scored) -> bool:
    """Is ``b`` the sentence right after ``a`` inside one passage (only whitespace between)?"""
    return _container(a, b) is not None and b.start >= a.end


def _holder(group: list[Scored]) -> Passage | None:
    """A passage that holds every sentence of ``group`` (which are in text order)."""
    start, end = group[0].start, group[-1].end
    return next((c.passage for c in group if c.passage.start <= start and end <= c.passage.end), None)


def _container(a: Scored, b: Scored) -> Passage | None:
    for p in (a.passage, b.passage):
        if p.start <= a.start and b.end <= p.end and not p.text[a.end - p.start : b.start - p.start].strip():
            return p
    return None


def abstention(support: float, ranked: list[Scored]) -> Draft:
    """Say the articles do not cover it, cite nothing, and show the nearest passages as related."""
    related = [
        Citation.from_passage(i, c.passage, c.start, c.end)
        for i, c in enumerate(ranked[:RELATED_SHOWN], start=1)
    ]
    return Draft(text=NOT_COVERED, citations=[], abstained=True, answerer=ExtractiveAnswerer.name,
                 related=related, support=support)
