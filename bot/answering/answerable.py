"""How well each candidate article answers a question: the answer model's best sentence in it.

The ranking stage weighs this in (``retrieval.rerank.Look``) for its first few articles, so that
of this week's reports naming the asked-about thing, the one that states the answer comes first.
Each article offers its best chunk; the chunks are scored together, in the stage's order, as the
answerer scores its passages (one chunk each: the second added nothing on the training years
and tripled the cost).
"""

from __future__ import annotations

import numpy as np

from bot.answering.question import read
from bot.answering.sentences import SentenceScorer
from retrieval.models import Passage
from retrieval.rerank import Look

FLOOR = -10.0  # an article with no sentence to score (log-odds: as good as never)


def look(scorer: SentenceScorer) -> Look:
    """A look that scores with ``scorer`` (the engine's answer model)."""

    def best_sentences(question: str, articles: list[list[Passage]]) -> np.ndarray:
        best = {chunks[0].article_id: FLOOR for chunks in articles if chunks}
        for scored in scorer.score(read(question), [chunks[0] for chunks in articles if chunks]):
            article = scored.passage.article_id
            best[article] = max(best[article], scored.score)
        return np.array([best[chunks[0].article_id] if chunks else FLOOR for chunks in articles])

    return best_sentences
