"""The default answerer: it answers with the article's own sentences, so it is true by construction.

The sentences of the retrieved passages are scored (``sentences.py``); the best one to three
sentences of the best article become the answer, each with its ``[n]``, worded around the span
the question asks for (``phrasing.py``). Weak support, or a question about names the passages
never mention, gives an abstention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answer import NOT_COVERED, Citation, Draft, History, TokenSink
from bot.answering.features import figures
from bot.answering.phrasing import lead_span, name_subject, name_work, refers_to_content, spells_out
from bot.answering.question import Question, mentions
from bot.answering.sentences import NEUTRAL_TYPE, Scored, SentenceScorer
from retrieval.models import Passage
from retrieval.text import content_tokens


@dataclass(frozen=True)
class AnswerConfig:
    """How sure an extractive answer must be and how long it may grow; from the settings."""

    threshold: float  # below this support the answer is an abstention
    max_sentences: int
    entity_coverage: float  # share of the question's names the passages must mention
    ratio: float  # another sentence joins when it scores at least this share of the best


REDUNDANT_OVERLAP = 0.7  # a sentence sharing this much of its content words with a chosen one adds nothing
RELATED_SHOWN = 2  # nearest sentences shown as "related" with an abstention
STATING_FLOOR = 0.5  # share of the best score a sentence stating what is asked needs to lead


class ExtractiveAnswerer:
    """Composes answers from cited source sentences."""

    name = "extractive"
    streams = False

    def __init__(self, scorer: SentenceScorer, config: AnswerConfig, same_claim: float) -> None:
        """``same_claim``: the cosine at which two articles' sentences state one claim (the
        embedding model's)."""
        self.scorer = scorer
        self.config = config
        self.same_claim = same_claim

    def covers_entities(self, question: Question, passages: list[Passage]) -> bool:
        """Do the passages mention enough of the names the question asks about? ("US" in "the US
        box office" is no name the answer must repeat.)"""
        if not question.names:
            return True
        pool = " ".join(p.title + " " + p.text for p in passages)
        found = sum(1 for n in question.names if mentions(pool, n))
        return found / len(question.names) >= self.config.entity_coverage

    def rewrite(self, history: History, question: str) -> str | None:
        """No model to rewrite with: the conversation's own rules make follow-ups standalone."""
        return None

    def answer(self, question: Question, passages: list[Passage], on_token: TokenSink | None = None) -> Draft:
        """The best-supported sentences as the answer; ``on_token`` is unused (nothing streams)."""
        cfg = self.config
        ranked = self.scorer.score(question, passages)
        best = ranked[0].score if ranked else 0.0
        if not ranked or best < cfg.threshold or not self.covers_entities(question, passages):
            return abstention(best, ranked)
        ranked = [c for c in ranked if not c.non_answer] or ranked  # a question or a headline fragment never answers
        lead = stating(ranked, max(cfg.threshold, STATING_FLOOR * best)) or ranked[0]
        chosen = [lead]
        whole = len(question.words) >= 3 and question.words <= content_tokens(lead.text)
        for cand in ranked:
            if len(chosen) == cfg.max_sentences or whole:  # a lead holding every word asked needs no company
                break
            if cand is lead or cand.passage.article_id != lead.passage.article_id:
                continue
            if cand.asked < lead.asked:  # the old figure beside the new one, a non-cause beside the cause
                continue
            if cand.score >= max(cfg.threshold, cfg.ratio * best) and not _redundant(cand, chosen):
                chosen.append(cand)
        reports = over_time(lead, ranked, cfg.ratio * best, self.same_claim) if question.figure else []
        if reports:
            return latest_first(reports, best)
        if question.what_said:
            for said in chosen:  # the first chosen sentence whose content the next one spells out
                content = spelled_out(said, ranked, question)
                if content is not None:
                    chosen = [said, content]  # what was said, spelled out: the answer is whole
                    break
        return compose(chosen, best, question)


def stating(ranked: list[Scored], floor: float) -> Scored | None:
    """For a question asking for a cause or for what is new: the best sentence that states one,
    if it scores at least ``floor``; sentences that merely share the question's words come after."""
    if all(c.asked == NEUTRAL_TYPE for c in ranked):
        return None
    article = ranked[0].passage.article_id  # within the best article: another story's cause is no answer
    return next((c for c in ranked if c.asked == 1.0 and c.score >= floor and c.passage.article_id == article), None)


def spelled_out(lead: Scored, ranked: list[Scored], question: Question) -> Scored | None:
    """The sentence right after ``lead`` when the lead only refers to what was demanded or said
    ("its demands for security guarantees") and that sentence states it; else None."""
    if not refers_to_content(lead.text):
        return None
    following = next((c for c in ranked if c.passage is lead.passage and c.index == lead.index + 1), None)
    if following is None or _redundant(following, [lead]) or not spells_out(following.text, question):
        return None
    return following


def over_time(lead: Scored, ranked: list[Scored], floor: float, same_claim: float) -> list[Scored]:
    """For a question asking for a figure: other articles' sentences that report the lead's claim with different figures on other
    days (a death toll that rose), newest first with the lead; empty when nothing disagrees."""
    stated = figures(lead.text)
    if not stated or lead.day is None or lead.vector is None:
        return []
    found = {lead.passage.article_id: lead}
    for cand in ranked[1:]:
        if cand.score < floor or cand.passage.article_id in found or cand.day in (None, lead.day):
            continue
        theirs = figures(cand.text)
        if theirs - stated and stated - theirs and cand.vector is not None and float(cand.vector @ lead.vector) >= same_claim:
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


def compose(chosen: list[Scored], support: float, question: Question | None = None) -> Draft:
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
        if n == 1 and question is not None:
            said[0] = name_work(said[0], first.passage.title, question)
        pieces.append(" ".join(said) + f" [{n}]")
    lead = lead_span(question, name_subject(chosen[0].text, chosen[0].speakers)) if question is not None else ""
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
