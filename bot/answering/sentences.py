"""Every sentence of the retrieved passages, scored against a question: what the extractive
answerer chooses from and what a timeline lines up.

Each sentence becomes a row of features (``scoring.py``: meaning, words, the kind of thing
asked for, rank, position, support from other articles ...) and the learned answer model scores
the row; the model's weights come from three years of news questions, not from hand tuning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from bot.answering import scoring
from bot.answering.features import never_quoted
from bot.answering.question import Question
from bot.answering.scoring import AnswerModel, Candidate
from retrieval.models import Passage
from retrieval.text import flat

# A photo credit the page ran into the sentence after it ("Marco Garcia/AP The eruption began ...",
# "AFP/Getty Images King George VI ..."): a sentence is scored and quoted from past it.
_AGENCY = (r"AP|Reuters|AFP|Getty Images|Bloomberg|EPA|EPA-EFE|Shutterstock|Pool|Sipa|NurPhoto|Xinhua|TASS|"
           r"Sputnik|USA TODAY|USA Today|Redux|ZUMA Press|SOPA Images|LightRocket|CNN|The New York Times|"
           r"The Washington Post")
_WORD = r"[A-Z][\w.'’&-]*"
_CREDIT = re.compile(rf"^(?:{_WORD}\s){{0,4}}?{_WORD}(?:/{_WORD}(?:\s{_WORD})?)*?/(?:{_AGENCY})\s+(?=[A-Z“\"‘])")
NEUTRAL_TYPE = scoring.NEUTRAL  # "states what is asked" when the question asks for nothing in particular
_ASKED = scoring.FEATURES.index("asked")
_NON_ANSWER = scoring.FEATURES.index("non_answer")

Embed = Callable[[list[str]], np.ndarray]  # texts to unit vectors (cached)


@dataclass
class Scored:
    """One sentence of a retrieved passage and how well it answers the question."""

    passage: Passage
    index: int  # sentence index inside the passage
    rank: int  # passage rank
    score: float
    start: int
    end: int
    vector: np.ndarray | None = None
    non_answer: bool = False  # a question or a headline fragment
    asked: float = NEUTRAL_TYPE  # states what the question asks for (a cause, the new figure): 1, 0.5 or 0
    row: np.ndarray | None = field(default=None, repr=False)  # its features (``scoring.FEATURES``)

    @property
    def text(self) -> str:
        return flat(self.passage.text[self.start - self.passage.start : self.end - self.passage.start])

    @property
    def before(self) -> str:
        """The passage's text before the sentence (where a pronoun's or a surname's person is named)."""
        return self.passage.text[: self.start - self.passage.start]

    @property
    def speakers(self) -> list[str]:
        return self.passage.speakers[self.index] if self.index < len(self.passage.speakers) else []

    @property
    def day(self) -> date | None:
        return self.passage.day


class SentenceScorer:
    """Scores the sentences of passages for a question with ``model``; ``embed`` is used for the
    question and for sentences stored without vectors."""

    def __init__(self, embed: Embed, model: AnswerModel | None = None) -> None:
        self.embed = embed
        self.model = model or AnswerModel.plain()

    def score(self, question: Question, passages: list[Passage]) -> list[Scored]:
        """Every distinct sentence of ``passages``, scored, best first; text written to a
        language model ("Ignore previous instructions ...") is no candidate at all."""
        seen: set[tuple[str, int]] = set()
        cands: list[Scored] = []
        for rank, passage in enumerate(passages):
            for i, (s, e) in enumerate(passage.sentences):
                if (passage.article_id, s) in seen:
                    continue
                seen.add((passage.article_id, s))
                said = passage.sentence_text(i)
                if never_quoted(said):
                    continue
                credit = _CREDIT.match(said)
                cands.append(Scored(passage, i, rank, 0.0, s + (credit.end() if credit else 0), e))
        if not cands:
            return []
        texts = [c.text for c in cands]
        vectors = self.vectors(question.text, cands, texts)
        dense = vectors[1:] @ vectors[0]
        rows = scoring.rows(question, [Candidate(c.passage, c.index, c.rank, t, float(d), c.speakers)
                                       for c, t, d in zip(cands, texts, dense)])
        for cand, vector, row, score in zip(cands, vectors[1:], rows, self.model.scores(rows)):
            cand.vector = vector
            cand.row = row
            cand.asked = float(row[_ASKED])
            cand.non_answer = bool(row[_NON_ANSWER])
            cand.score = float(score)
        return sorted(cands, key=lambda c: c.score, reverse=True)

    def vectors(self, question: str, cands: list[Scored], texts: list[str]) -> np.ndarray:
        """The question's vector, then each candidate's: stored at ingest when the passage has
        them, embedded now only for passages stored without (older stores). A stored zero row is
        a sentence ingest left unembedded (past a chunk's opening, or past the token limit): it
        stays zero, so it competes on its words alone and answering embeds only the question."""
        rows: list[np.ndarray | None] = []
        for cand in cands:
            stored = cand.passage.sentence_vectors
            rows.append(stored[cand.index] if stored is not None and cand.index < len(stored) else None)
        missing = [t for t, r in zip(texts, rows) if r is None]
        fresh = iter(self.embed([question, *missing]))
        first = next(fresh)
        return np.stack([first, *[r if r is not None else next(fresh) for r in rows]])
