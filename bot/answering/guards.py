"""Answers the engine gives without an answerer: a question back, an abstention no answerer could
improve on, and the article's own metadata.

``before_search`` needs only the question, so "?!?!" is refused before anything is embedded;
``after_search`` needs the passages found.
"""

from __future__ import annotations

from bot.answer import NOT_COVERED, Draft
from bot.answering.metadata import metadata_answer
from bot.answering.question import Question, script
from retrieval.models import Passage

EXAMPLE = "“What did Lavrov demand?”"


def before_search(question: Question) -> Draft | None:
    """A question back when the question leans on "he" or "they" and nothing before it says who
    (a random passage would be a guess); an abstention when it has no content words at all
    ("?!?!", emoji)."""
    if question.pronoun:
        return Draft(text=f"Who do you mean by “{question.pronoun}”? Name the person or the story, e.g. {EXAMPLE}",
                     citations=[], abstained=True, answerer="engine")
    if not question.has_content:
        return Draft(text=f"{NOT_COVERED} (I could not find a question in that; ask about the news, "
                     'e.g. "What did Lavrov demand?")', citations=[], abstained=True, answerer="engine")
    return None


def after_search(question: Question, passages: list[Passage], support: list[Passage]) -> Draft | None:
    """An abstention when the question is in a script the retrieved articles are not written in
    (the articles are searched anyway, so a store in that language answers normally); an answer
    from the best article's metadata when the question asks who wrote it, when or where it was
    published, or for its link (``support``: the best article's other chunks)."""
    written = script(" ".join(p.text for p in passages))
    if question.script and written and question.script != written:
        return Draft(text=f"{NOT_COVERED} The articles I have are written in {written.title()} script; "
                     "please ask in their language.", citations=[], abstained=True, answerer="engine")
    if not question.about_article or not passages:
        return None
    same = [p for p in passages + support if p.article_id == passages[0].article_id]
    return metadata_answer(question.about_article, min(same, key=lambda p: p.position))  # cite the article's opening
