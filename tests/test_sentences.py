"""Scoring the sentences of passages for a question, with a stand-in embedder: the features, and
the plain meaning-and-words order used when the learned weights cannot be read."""

import numpy as np

from bot.answering.question import read
from bot.answering.scoring import FEATURES
from bot.answering.sentences import SentenceScorer
from tests.passages import passage
from tests.standin import StandInEmbedder


def scorer() -> SentenceScorer:
    return SentenceScorer(StandInEmbedder().embed_cached)


def test_the_sentence_holding_what_is_asked_scores_best() -> None:
    p = passage("Officials met in the capital on Monday. The floods killed 25 people in Riverton. "
                "Rain is expected to ease.")
    ranked = scorer().score(read("How many people did the floods in Riverton kill?"), [p])
    assert ranked[0].text == "The floods killed 25 people in Riverton."
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


def test_every_distinct_sentence_once_and_stored_vectors_are_used() -> None:
    p = passage("Talks opened. Both sides spoke.")
    twin = passage("Talks opened. Both sides spoke.", position=1)
    twin.chunk_id = "a:copy"  # the same article's same sentences, retrieved twice
    stored = np.zeros((2, StandInEmbedder.dimension), dtype=np.float32)
    stored[:, 0] = 1.0
    p.sentence_vectors = stored
    ranked = scorer().score(read("What opened?"), [p, twin])
    assert len(ranked) == 2
    assert all(np.allclose(c.vector, stored[c.index]) for c in ranked)


def test_a_speaker_named_in_the_question_is_marked_on_their_sentence() -> None:
    said = passage("Prices rose. Moscow wants security guarantees.", speakers=[[], ["Sergei Lavrov"]])
    plain = passage("Prices rose. Moscow wants security guarantees.", article_id="b")
    q = read("What did Lavrov demand?")
    column = FEATURES.index("speaker")
    by_speaker = {c.passage.article_id: c.row[column] for c in scorer().score(q, [plain, said])
                  if c.index == 1 and c.row is not None}
    assert by_speaker == {"a": 1.0, "b": 0.0}  # the feature; the learned model decides what it is worth


def test_a_question_in_the_article_is_marked_as_no_answer() -> None:
    ranked = scorer().score(read("Why were the cars recalled?"), [passage("So why were they recalled? "
                                                                         "A faulty brake caused fires.")])
    flags = {c.text: c.non_answer for c in ranked}
    assert flags["So why were they recalled?"] and not flags["A faulty brake caused fires."]
