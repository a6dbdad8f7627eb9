"""Answers to questions about an article rather than the news in it (who wrote it, when it was
published, which outlet ran it, where the link is; ``Question.about_article``), from the stored
metadata, citing the article, not from whichever sentence happens to share the words.
"""

from __future__ import annotations

from bot.answer import Citation, Draft
from retrieval.models import Passage


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
