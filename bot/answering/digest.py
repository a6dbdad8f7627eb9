"""Stories as a reader sees them, and the digest of a period: pure logic over story members and
their lead passages (the engine fetches both).

A story is listed with a headline taken from its articles' own titles (the one sharing most words
with the others: what the reports have in common), its outlets, how many articles it holds, and
its first and latest report. The digest ranks the stories reported in a period (more outlets
first, then more reports in the period, then the fresher), quotes one or two sentences of each story's most
typical lead with a citation, and names figures the outlets give differently ("CNN reports 12
dead [1]; Reuters 15 [2]").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np

from bot.answer import Citation
from bot.answering.features import never_quoted, not_an_answer
from retrieval.index.stories import Member
from retrieval.models import Passage
from retrieval.text import content_tokens, flat, site_of

LEAD_SENTENCES = 2  # sentences quoted from each story's lead
# "Editor's note: This file is based on the news of Monday, Aug. 14.": about the page, not its news
_EDITORS_NOTE = re.compile(r"Editor[’']s\s+note\b", re.IGNORECASE)
FIGURE_SENTENCES = 4  # sentences of each lead searched for figures
MIN_SENTENCE_CHARS = 40  # shorter "sentences" of a lead are datelines, bylines and captions
# A count and what it counts: "at least 12 people", "15 dead", "2,000 homes".
_COUNT = re.compile(r"(?<![\w.,$£€-])(\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?:more|other|additional))?\s+([a-z]+)\b")
_NOT_COUNTED = {"percent", "per", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours",
                "hour", "minutes", "a", "am", "pm", "and", "or", "to", "of", "in", "on", "at", "the", "by", "for",
                "from", "with", "p", "m", "million", "billion", "thousand", "times", "th", "st", "nd", "rd", "miles",
                "feet", "inches", "degrees", "points", "mph", "kilometers", "km", "pounds", "kg", "gb", "is", "was"}


@dataclass
class Story:
    """One story as listed: its articles up to the day asked about."""

    id: str
    headline: str
    outlets: list[str]
    articles: int
    first: str  # day of the first report ("" when none is dated)
    latest: str
    article_ids: list[str] = field(default_factory=list)
    period_ids: list[str] = field(default_factory=list)  # its articles published in the period asked about
    period_outlets: int = 0

    @property
    def reported(self) -> str:
        """How many reports it has in the period (what ranks it in a digest), and in all when more."""
        period = len(self.period_ids)
        return (f"{period} article(s)" if period == self.articles
                else f"{period} article(s) in the period, {self.articles} in all")

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "headline": self.headline, "outlets": self.outlets, "articles": self.articles,
                "first": self.first, "latest": self.latest, "in_period": len(self.period_ids),
                "article_ids": self.article_ids}


@dataclass
class DigestItem:
    """One story of a digest: its cited lead sentences and the figures its outlets differ on."""

    story: Story
    text: str  # sentences with [n] markers
    citations: list[Citation]
    differences: list[str] = field(default_factory=list)  # "CNN reports 12 dead [1]; Reuters 15 [2]"

    def to_dict(self) -> dict[str, object]:
        return {"story": self.story.to_dict(), "text": self.text, "differences": self.differences,
                "citations": [asdict(c) for c in self.citations]}


@dataclass
class Digest:
    since: str
    as_of: str
    items: list[DigestItem]

    @property
    def citations(self) -> list[Citation]:
        return [c for item in self.items for c in item.citations]

    def to_dict(self) -> dict[str, object]:
        return {"since": self.since, "as_of": self.as_of, "items": [i.to_dict() for i in self.items]}

    def as_text(self) -> str:
        """The digest as an answer's text: one paragraph a story, with its ``[n]`` markers."""
        if not self.items:
            return f"No stories were reported from {self.since} to {self.as_of} in the articles I have."
        lines = []
        for item in self.items:
            line = f"{item.story.headline} ({', '.join(item.story.outlets)}): {item.text}"
            if item.differences:
                line += " Figures differ: " + "; ".join(item.differences) + "."
            lines.append(line)
        return "\n".join(lines)


def headline(titles: list[str]) -> str:
    """The title that shares most content words with the story's other titles (the earliest one
    on a tie): what the reports have in common, in one outlet's own words."""
    titled = [t for t in titles if t.strip()]
    if not titled:
        return "(untitled)"
    words = [set(content_tokens(t)) for t in titled]
    counts: Counter[str] = Counter(w for ws in words for w in ws)
    def shared(i: int) -> float:
        return sum(counts[w] - 1 for w in words[i]) / (1 + len(words[i])) ** 0.5
    return flat(titled[max(range(len(titled)), key=lambda i: (shared(i), -i))])


def outlet_of(member: Member) -> str:
    return member.outlet or site_of(member.url) or member.title


def stories(members: list[Member], since: date | None, as_of: date) -> list[Story]:
    """The stories with a report published from ``since`` to ``as_of`` (every story with a report
    up to ``as_of`` when ``since`` is None), latest report first. Articles published after
    ``as_of`` do not exist yet for this listing; undated ones count but date nothing."""
    groups: dict[str, list[Member]] = {}
    for m in sorted(members, key=lambda m: (m.published or "9999", m.article_id)):
        if m.day is not None and m.day > as_of:
            continue
        groups.setdefault(m.story, []).append(m)
    out = []
    for story_id, group in groups.items():
        dated = [m.day for m in group if m.day is not None]
        in_period = [m for m in group if m.day is not None and (since is None or m.day >= since)]
        if not in_period:
            continue
        # a long story is headed and sourced by what it reported in the period asked about
        shown = in_period if since is not None else group
        outlets = list(dict.fromkeys(o for o in (outlet_of(m) for m in shown) if o))
        out.append(Story(id=story_id, headline=headline([m.title for m in shown]), outlets=outlets,
                         articles=len(group), first=min(dated).isoformat() if dated else "",
                         latest=max(dated).isoformat() if dated else "", article_ids=[m.article_id for m in group],
                         period_ids=[m.article_id for m in in_period], period_outlets=len(outlets)))
    return sorted(out, key=lambda s: (s.latest, s.articles, s.id), reverse=True)


def ranked_for_digest(listed: list[Story]) -> list[Story]:
    """More outlets in the period first, then more reports in the period, then the fresher: a
    week's top story is the one most reported that week, not the one reported last (a store of
    one outlet ties every story on outlets, and ranking on the last report's day led a week's
    digest with a one-article story of its last day)."""
    return sorted(listed, key=lambda s: (s.period_outlets, len(s.period_ids), s.latest, s.id), reverse=True)


def typical(article_ids: list[str], vectors: dict[str, np.ndarray]) -> str:
    """The article whose lead is closest to its story's mean lead (the first one without vectors)."""
    held = [a for a in article_ids if a in vectors]
    if not held:
        return article_ids[0]
    mean = np.mean([vectors[a] for a in held], axis=0)
    return max(held, key=lambda a: float(vectors[a] @ mean))


def lead_sentences(passage: Passage, n: int = LEAD_SENTENCES) -> list[int]:
    """Indexes of the first ``n`` sentences of a lead that read as news (not a dateline, a byline,
    a caption or a question, nor what no answer quotes either, ``features.never_quoted``; nor an
    editor's note on the page, which an answer may quote for what it names)."""
    out = []
    for i in range(len(passage.sentences)):
        text = flat(passage.sentence_text(i))
        if (len(text) < MIN_SENTENCE_CHARS or not_an_answer(text) or never_quoted(text)
                or _EDITORS_NOTE.match(text.lstrip("\"'“‘([ "))):
            continue
        out.append(i)
        if len(out) == n:
            break
    return out


def counts(sentence: str) -> list[tuple[int, str]]:
    """The counts a sentence states, as (number, what it counts): "at least 12 people were
    killed" gives (12, "people")."""
    out = []
    for match in _COUNT.finditer(sentence):
        noun = match.group(2)
        if noun in _NOT_COUNTED:
            continue
        value = int(match.group(1).replace(",", ""))
        if 1900 <= value <= 2100 and "," not in match.group(1):
            continue  # a year
        out.append((value, noun))
    return out


def differences(leads: list[tuple[str, Passage]], first_n: int) -> tuple[list[str], list[Citation]]:
    """Counts of one thing that two outlets' leads give differently, as lines with citations
    numbered from ``first_n``: "CNN reports 12 people [4]; Reuters 15 [5]". ``leads`` are
    (outlet, the lead passage) of one story's period articles."""
    seen: dict[str, tuple[int, str, Passage, int]] = {}  # noun -> (value, outlet, passage, sentence)
    lines: list[str] = []
    cites: list[Citation] = []
    named: set[str] = set()
    for outlet, passage in leads:
        for i in range(min(FIGURE_SENTENCES, len(passage.sentences))):
            for value, noun in counts(passage.sentence_text(i)):
                held = seen.get(noun)
                if held is None:
                    seen[noun] = (value, outlet, passage, i)
                    continue
                if noun in named or held[1] == outlet or held[0] == value:
                    continue
                named.add(noun)
                a = _cite(first_n + len(cites), held[2], held[3])
                b = _cite(first_n + len(cites) + 1, passage, i)
                cites += [a, b]
                lines.append(f"{held[1]} reports {held[0]:,} {noun} [{a.n}]; {outlet} {value:,} [{b.n}]")
    return lines, cites


def _cite(n: int, passage: Passage, index: int) -> Citation:
    start, end = passage.sentences[index]
    return Citation.from_passage(n, passage, start, end)


def digest_item(story: Story, lead: Passage, others: list[tuple[str, Passage]], first_n: int) -> DigestItem:
    """A story's digest entry: its lead's first sentences cited, then the figures that differ."""
    chosen = lead_sentences(lead)
    if len(chosen) == 2 and chosen[1] == chosen[0] + 1:  # adjacent sentences: one quote, one citation
        (start, _), (_, end) = lead.sentences[chosen[0]], lead.sentences[chosen[1]]
        cites = [Citation.from_passage(first_n, lead, start, end)]
    else:
        cites = [_cite(first_n + k, lead, i) for k, i in enumerate(chosen)]
    text = " ".join(f"{flat(c.quote)} [{c.n}]" for c in cites)
    lines, more = differences(others, first_n + len(cites))
    return DigestItem(story=story, text=text, citations=cites + more, differences=lines)
