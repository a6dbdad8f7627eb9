"""A story over time: the articles on a topic, oldest to newest, one cited line per event.

Articles that report the same event (published within ``SAME_EVENT_DAYS`` of each other, and whose
best sentences say nearly the same thing: ``same_event``) become one line that names the other
outlets. Only articles with a sentence close in meaning to the topic (``on_topic``) are listed, so
a timeline of "Blinken Lavrov talks" does not wander into every article that mentions Geneva; and
where the topic names someone or somewhere (a word the articles write with a capital, however the
topic was typed: "Maui wildfires", "maui wildfires"), only articles that name at least half of
them (``timeline_names`` in settings), so that it does not wander into other wildfires either. All of
them kept 60% of the pages a training year's quiz searches returned for their own question (used as
topics), half kept 85% (``bench/timelines.py``). An article naming part of a name of several words
must name its last word too ("Francis Scott Key" without "Bridge" is the poet, "Robert F. Kennedy"
without "Jr." the father): that dropped 36 of 1,719 articles, 3 of them the topic's own. Both
cosines are the embedding model's (``Closeness``).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from bot.answer import Citation
from bot.answering.sentences import Scored
from bot.citations import quoted_line
from retrieval.models import Passage
from retrieval.text import STOPWORDS, content_tokens

SAME_EVENT_DAYS = 2  # reports this many days apart may be of one event


@dataclass
class Event:
    """One line of a timeline: the day, the cited report, and other outlets' reports of it."""

    day: str
    citation: Citation
    also: list[Citation] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """Every outlet reporting it, the cited one first, each once."""
        names = [c.outlet or c.title for c in [self.citation, *self.also]]
        return list(dict.fromkeys(n for n in names if n))

    def to_dict(self) -> dict[str, object]:
        return {"day": self.day, "citation": asdict(self.citation), "also": [asdict(c) for c in self.also],
                "outlets": self.outlets}


@dataclass
class Timeline:
    topic: str
    as_of: str
    events: list[Event]
    undated: int = 0  # on-topic articles left out for want of a date

    def to_dict(self) -> dict[str, object]:
        return {"topic": self.topic, "as_of": self.as_of, "events": [e.to_dict() for e in self.events],
                "undated": self.undated}


def build(topic: str, as_of: str, scored: list[Scored], question_vector: object, on_topic: float,
          same_event: float, names_share: float) -> Timeline:
    """The timeline from every sentence of the retrieved passages, scored for the topic; an article
    joins when it names ``names_share`` of the topic's names (rounded up; 0: meaning alone)."""
    best: dict[str, tuple[float, Scored]] = {}
    for cand in scored:
        if cand.non_answer:  # a question ("When is the opening ceremony?") or a headline fragment tells no event
            continue
        closeness = float(cand.vector @ question_vector) if cand.vector is not None else 0.0  # type: ignore[operator]
        held = best.get(cand.passage.article_id)
        if held is None or closeness > held[0]:
            best[cand.passage.article_id] = (closeness, cand)
    kept = [(c, s) for c, s in best.values() if c >= on_topic]
    if names_share > 0:
        articles: dict[str, dict[int, Passage]] = {}  # each article's retrieved passages, once each
        for cand in scored:
            articles.setdefault(cand.passage.article_id, {})[cand.passage.start] = cand.passage
        names = topic_names(topic, [p.text for passages in articles.values() for p in passages.values()])
        needed = math.ceil(names_share * len(names))
        if needed:
            heads = name_heads(topic, names)
            kept = [(c, s) for c, s in kept if _joins(_said(list(articles[s.passage.article_id].values())), names,
                                                      needed, heads)]
    dated = sorted(((s.day, c, s) for c, s in kept if s.day is not None), key=lambda t: (t[0], -t[1]))
    groups: list[list[tuple[date, float, Scored]]] = []
    for item in dated:
        home = next((g for g in groups if _same_event(g, item, same_event)), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    events = []
    for n, group in enumerate(sorted(groups, key=lambda g: g[0][0]), start=1):
        lead = max(group, key=lambda t: t[1])[2]
        also = [_cite(n, s) for _, _, s in group if s is not lead]
        events.append(Event(day=group[0][0].isoformat(), citation=_cite(n, lead), also=also))
    return Timeline(topic, as_of, events, undated=len(kept) - len(dated))


LATEST_EVENTS = 3  # the events a story's latest gives, newest first


def latest(timeline: Timeline, count: int = LATEST_EVENTS) -> tuple[str, list[Citation]]:
    """The story's newest ``count`` events, newest first, each quoted from its newest report
    ("What's the latest on the Maui fires?": the last days' news, not the best match of any
    day), as an answer's text (one dated line each) and its citations numbered from 1; none for
    a timeline of no event."""
    newest = [max([e.citation, *e.also], key=lambda c: c.published or e.day) for e in timeline.events]
    newest.sort(key=lambda c: c.published, reverse=True)
    lines, citations = [], []
    for n, cited in enumerate(newest[:count], start=1):
        citations.append(replace(cited, n=n))
        lines.append(f"{cited.published}: {quoted_line(cited.quote)} [{n}]")
    return "\n".join(lines), citations


def topic_names(topic: str, texts: list[str]) -> set[str]:
    """The topic's words (stemmed) that ``texts`` write as names: with a capital more often than
    without ("Maui" and "Lavrov", not "wildfires" or "talks", which open a sentence now and then)."""
    names = set()
    said = " ".join(texts)
    for word in {w for w in re.findall(r"\w\w+", topic) if w.lower() not in STOPWORDS}:
        found = re.findall(rf"\b{re.escape(word)}\b", said, re.IGNORECASE)
        if sum(f[0].isupper() for f in found) > len(found) / 2:
            names |= content_tokens(word)
    return names


def name_heads(topic: str, names: set[str]) -> list[tuple[frozenset[str], str]]:
    """Each name of several words in ``topic`` (consecutive words among ``names``, stemmed) as its
    words before the last and its last: "Francis Scott Key Bridge" is a bridge, "Robert F. Kennedy
    Jr." the son."""
    runs: list[list[str]] = [[]]
    for word in re.findall(r"\w\w+", topic):
        stems = content_tokens(word)
        if len(stems) == 1 and stems <= names:
            runs[-1].append(next(iter(stems)))
        elif runs[-1]:
            runs.append([])
    return [(frozenset(run[:-1]), run[-1]) for run in runs if len(run) > 1]


def _joins(said: set[str], names: set[str], needed: int, heads: list[tuple[frozenset[str], str]]) -> bool:
    """Does an article that says ``said`` (stemmed) belong in the timeline: does it name ``needed`` of
    the topic's ``names``, and the last word of each name it names a part of? ("Francis Scott Key"
    without "Bridge" is the poet, not the bridge.)"""
    return len(names & said) >= needed and all(head in said for before, head in heads if before & said)


def _said(passages: list[Passage]) -> set[str]:
    """The words (stemmed) of an article's title and its retrieved ``passages``."""
    return content_tokens(" ".join([passages[0].title, *(p.text for p in passages)]))


def _same_event(group: list[tuple[date, float, Scored]], item: tuple[date, float, Scored], same_event: float) -> bool:
    day, _, cand = item
    first = group[0]
    if (day - first[0]).days > SAME_EVENT_DAYS or cand.vector is None:
        return False
    return any(s.vector is not None and float(s.vector @ cand.vector) >= same_event
               for _, _, s in group)


def _cite(n: int, cand: Scored) -> Citation:
    return Citation.from_passage(n, cand.passage, cand.start, cand.end)
