"""Questions that ask for a digest, for what someone said, for a story's latest or for who holds an
office, not for a fact a search finds: "What happened today?", "What's the news this week?", "What
has Lavrov said this week?", "What's the latest on the Maui fires?", "Who is the governor of
Hawaii?". Such a question is answered by the digest, the quotes, the newest events of the story's
timeline or the newest reports giving the title, through the same engine; every other question is
searched."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.offices import Office, asked_office

_PERIOD = r"(today|yesterday|this week|lately|recently|in the last (?:\d+|few) days)"
_NEWS = re.compile(rf"^(?:so\s+)?what(?:'s|’s| is| has| was)?\s+(?:happened|happening|been happening|new|the news|"
                   rf"in the news)(?:\s+{_PERIOD})?\s*\??$", re.IGNORECASE)
_SAID = re.compile(rf"^[Ww]hat\s+(?:has|have|did)\s+((?:[A-Z][\w’'.\-]+\s+){{0,3}}[A-Z][\w’'.\-]+)\s+"
                   rf"(?:said|say|been saying)(?:\s+(?i:{_PERIOD}))?\s*\??$")
_LATEST = re.compile(r"^(?:so\s+)?(?:what(?:'s|’s| is) the latest|what(?:'s|’s| is) new|(?:are there )?any (?:news|updates?)|"
                     r"(?:give me |tell me )?the latest|latest(?: news)?)\s+(?:on|about|with|in|from)\s+(?:the\s+)?"
                     r"([^?]{0,120}[^\s?])\s*\??$", re.IGNORECASE)
_DAYS = {"today": 1, "yesterday": 2, "this week": 7, "lately": 7, "recently": 7}


@dataclass(frozen=True)
class Route:
    kind: str  # "digest", "quotes", "latest" or "office"
    days: int  # how far back the question looks (0: as far as there is, for quotes)
    person: str = ""
    topic: str = ""  # the story a "latest" asks about
    office: Office | None = None  # the office an "office" asks the holder of


def route(question: str) -> Route | None:
    """The digest, quotes, latest or office holder a question asks for, or None for a question to
    search."""
    text = " ".join(question.split())
    news = _NEWS.match(text)
    if news:
        return Route("digest", _days(news.group(1)) or 1)
    said = _SAID.match(text)
    if said:
        return Route("quotes", _days(said.group(2)), person=said.group(1))
    latest = _LATEST.match(text)
    if latest:
        return Route("latest", 0, topic=latest.group(1))
    office = asked_office(text)
    if office is not None:
        return Route("office", 0, office=office)
    return None


def _days(period: str | None) -> int:
    if not period:
        return 0
    period = period.lower()
    if period in _DAYS:
        return _DAYS[period]
    few = re.search(r"(\d+)", period)
    return int(few.group(1)) if few else 3
