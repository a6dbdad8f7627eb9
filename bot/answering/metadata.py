"""Questions about an article rather than the news in it: who wrote it, when it was published,
which outlet ran it, where the link is. They are answered from the stored metadata, citing the
article, not from whichever sentence happens to share the words.
"""

from __future__ import annotations

import re

from bot.answer import Citation, Draft
from retrieval.models import Passage

_ARTICLE = r"(?:the |this |that )?(?:article|story|piece|report|op-?ed|column|news item)"
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("author", re.compile(rf"\bwho (?:wrote|authored|penned|is the author of|was the author of) (?:it|{_ARTICLE})\b|"
                          rf"\b(?:author|writer|byline|reporter) of (?:it|{_ARTICLE})", re.I)),
    ("published", re.compile(rf"\bwhen (?:was|is) (?:it|{_ARTICLE})(?: [^?]{{0,60}})? (?:published|written|posted|dated)\b|"
                             rf"\bwhat (?:date|day) (?:was|is) (?:it|{_ARTICLE})(?: [^?]{{0,60}})? (?:published|written|posted|from)\b|"
                             rf"\bhow old is {_ARTICLE}", re.I)),
    ("outlet", re.compile(rf"\b(?:which|what) (?:outlet|publication|newspaper|paper|site|website|news ?(?:site|"
                          rf"agency|outlet)|source)\b.*\b(?:publish|ran|run|print|post|report)|"
                          rf"\bwho (?:published|ran|posted) (?:it|{_ARTICLE})\b|\bwhere (?:was|is) "
                          rf"(?:it|{_ARTICLE}) (?:published|from)\b", re.I)),
    ("url", re.compile(rf"\b(?:link|url|web address)\b.*\b(?:to|for|of) (?:it|{_ARTICLE})|\bwhere can i read "
                       rf"(?:it|{_ARTICLE})|\b(?:give|send|show) me the (?:link|url)\b", re.I)),
]


def metadata_kind(question: str) -> str:
    """"author", "published", "outlet" or "url" when the question asks about the article itself; ""."""
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return ""


def metadata_answer(kind: str, passage: Passage) -> Draft:
    """The answer from the article's metadata, citing the article by its first retrieved sentence."""
    title = f"“{passage.title}”" if passage.title else "The article"
    if kind == "author":
        names = [a for a in passage.authors if a]
        text = (f"{title} was written by {_listed(names)}." if names
                else f"{title} does not name its author.")
    elif kind == "published":
        text = (f"{title} was published on {passage.published}." if passage.published
                else f"{title} carries no publication date.")
    elif kind == "outlet":
        text = (f"{title} was published by {passage.outlet}." if passage.outlet
                else f"{title} does not name its outlet.")
    else:
        text = f"{title} is at {passage.url}" if passage.url else f"{title} was not added from a link, so I have none."
    start, end = passage.sentences[0] if passage.sentences else (passage.start, passage.end)
    citation = Citation.from_passage(1, passage, start, end)
    return Draft(text=f"{text} [1]", citations=[citation], abstained=False, answerer="metadata", support=1.0)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
