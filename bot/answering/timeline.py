"""A story over time: the articles on a topic, oldest to newest, one cited line per event.

Articles that report the same event (published within ``SAME_EVENT_DAYS`` of each other, and whose
best sentences say nearly the same thing: ``same_event``) become one line that names the other
outlets. Only articles with a sentence close in meaning to the topic (``on_topic``) are listed, so
a timeline of "Blinken Lavrov talks" does not wander into every article that mentions Geneva.
Both cosines are the embedding model's (``Closeness``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from bot.answer import Citation
from bot.answering.sentences import Scored

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
          same_event: float) -> Timeline:
    """The timeline from every sentence of the retrieved passages, scored for the topic."""
    best: dict[str, tuple[float, Scored]] = {}
    for cand in scored:
        closeness = float(cand.vector @ question_vector) if cand.vector is not None else 0.0  # type: ignore[operator]
        held = best.get(cand.passage.article_id)
        if held is None or closeness > held[0]:
            best[cand.passage.article_id] = (closeness, cand)
    kept = [(c, s) for c, s in best.values() if c >= on_topic]
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


def _same_event(group: list[tuple[date, float, Scored]], item: tuple[date, float, Scored], same_event: float) -> bool:
    day, _, cand = item
    first = group[0]
    if (day - first[0]).days > SAME_EVENT_DAYS or cand.vector is None:
        return False
    return any(s.vector is not None and float(s.vector @ cand.vector) >= same_event
               for _, _, s in group)


def _cite(n: int, cand: Scored) -> Citation:
    return Citation.from_passage(n, cand.passage, cand.start, cand.end)
