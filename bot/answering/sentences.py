"""Every sentence of the retrieved passages, scored against a question: what the extractive
answerer chooses from and what a timeline lines up.

A sentence is scored by meaning (the embedding model); by whether it holds the kind of thing
asked for (a number for "how many", a place for "where"); by whether it adds something the
question does not name (the unknown of a quiz question); by whether it repeats a figure the
question states ("2.9 million vehicles"); by its passage's rank; and, when the question asks
what someone said or demanded, by whether that person is the sentence's speaker (found at ingest).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.answering.features import (
    answer_type_match,
    not_an_answer,
    novelty,
    shared_figures,
    states_what_is_asked,
)
from bot.answering.question import Question, mentions
from retrieval.models import Passage
from retrieval.text import content_tokens, flat

NEUTRAL_TYPE = 0.5  # answer-type feature when the question expects no particular type

# Weights of a sentence's features, chosen on realtimeqa-dev (gold corpus and full) and the seed
# questions with bench/tune.py. Word overlap ("lexical" 0.3) matters because sentence vectors are
# pooled from their chunk's forward pass, which makes one chunk's sentences alike (0.2-0.5 scored
# the same; below 0.2 an injected sentence next to the answer won). "figure" (a figure the
# question states, repeated): date-blind answer accuracy on full realtimeqa-dev 0.606 / 0.628 /
# 0.638 / 0.617 at 0 / 0.1 / 0.2 / 0.3.
WEIGHTS = {"dense": 0.7, "lexical": 0.3, "speaker": 0.2, "type": 0.1, "novel": 0.15, "rank": 0.15, "asked": 0.15,
           "figure": 0.2, "non_answer": -0.3}

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

    @property
    def text(self) -> str:
        return flat(self.passage.sentence_text(self.index))

    @property
    def speakers(self) -> list[str]:
        return self.passage.speakers[self.index] if self.index < len(self.passage.speakers) else []

    @property
    def day(self) -> date | None:
        return self.passage.day


class SentenceScorer:
    """Scores the sentences of passages for a question; ``embed`` is used for the question and
    for sentences stored without vectors."""

    def __init__(self, embed: Embed) -> None:
        self.embed = embed

    def score(self, question: Question, passages: list[Passage]) -> list[Scored]:
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
        vectors = self.vectors(question.text, cands, texts)
        dense = vectors[1:] @ vectors[0]
        w = WEIGHTS
        for cand, text, d, vector in zip(cands, texts, dense, vectors[1:]):
            cand.vector = vector
            s_tokens = content_tokens(text)
            lexical = len(question.tokens & s_tokens) / len(question.tokens) if question.tokens else 0.0
            said_by = [e for e in question.entities if any(mentions(sp, e) for sp in cand.speakers)]
            speaker = 1.0 if question.words_asked and said_by else 0.0  # "what did Lavrov say", not "the CDC announced …: which virus?"
            typed = answer_type_match(question, text)
            asked = cand.asked = states_what_is_asked(question, text)
            cand.non_answer = not_an_answer(text)
            cand.score = float(
                w["dense"] * float(d)
                + w["lexical"] * lexical
                + w["speaker"] * speaker
                + w["type"] * (typed if typed is not None else NEUTRAL_TYPE)
                + w["novel"] * novelty(question, text)
                + w["figure"] * shared_figures(question, text)
                + w["asked"] * (asked - NEUTRAL_TYPE)  # 0 unless the question asks for a cause or the new
                + w["non_answer"] * (1.0 if cand.non_answer else 0.0)
                + w["rank"] / (1 + cand.rank)
            )
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
