"""The learned ranking stage: its features, its weights file, and its place in the engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from retrieval.models import Passage
from retrieval.rerank import FEATURES, WEIGHTS, Reranker, article_features
from tests.weights import damaged


def passage(article: str, score: float, published: str, title: str, text: str, position: int = 0) -> Passage:
    return Passage(chunk_id=f"{article}#h#{position}", article_id=article, text=text, start=0, end=len(text),
                   position=position, sentences=[(0, len(text))], speakers=[[]], title=title,
                   published=published, score=score, dense=score, lexical=score)


OLD = passage("last-year", 0.09, "2021-06-12", "Harbour Cup: Ellis wins again",
              "The Harbour Cup sailing race was won by the Ellis crew, the organisers said.")
NEW = passage("this-week", 0.07, "2022-06-12", "Harbour Cup goes to Marlow",
              "The Marlow crew won the Harbour Cup sailing race on Sunday, the organisers said.")


def write_weights(path: Path, weights: dict[str, float]) -> Path:
    path.write_text(json.dumps({"features": list(FEATURES), "mean": [0.0] * len(FEATURES),
                                "scale": [1.0] * len(FEATURES),
                                "weights": [weights.get(f, 0.0) for f in FEATURES]}))
    return path


def test_features_read_age_names_title_and_years() -> None:
    articles, rows = article_features("Who won the 2022 Harbour Cup?", None, [OLD, NEW], date(2022, 6, 16), None)
    assert articles == ["last-year", "this-week"]
    column = {f: rows[:, i] for i, f in enumerate(FEATURES)}
    assert column["fresh"][1] > column["fresh"][0] > 0  # four days against a year
    assert list(column["year_match"]) == [0.0, 1.0] and list(column["year_other"]) == [1.0, 0.0]
    assert list(column["names"]) == [1.0, 1.0] and column["title_overlap"][0] > 0
    assert column["fused"][0] == 1.0 and column["fused_rank"][1] == 0.5


def test_the_model_reorders_articles_where_content_alone_would_not(tmp_path: Path) -> None:
    model = Reranker.load(write_weights(tmp_path / "w.json", {"fresh": 2.0, "fused": 0.5}))
    ranked, reasons = model.rerank("Who won the Harbour Cup?", None, [OLD, NEW], date(2022, 6, 16), None)
    assert [p.article_id for p in ranked] == ["this-week", "last-year"]
    assert reasons[0][0] == "fresh"


@pytest.mark.parametrize("damage", ["{not json", '{"features": ["fused"], "mean": [0], "scale": [1], "weights": [1]}',
                                    json.dumps({"features": list(FEATURES), "mean": [0] * len(FEATURES),
                                                "scale": [0] * len(FEATURES), "weights": [1] * len(FEATURES)}),
                                    ""])
def test_a_damaged_weights_file_is_one_line_and_the_engine_ranks_by_fusion(tmp_path: Path, damage: str,
                                                                           caplog: pytest.LogCaptureFixture) -> None:
    weights = tmp_path / "ranking.json"
    engine, line = damaged(weights, damage, Reranker.load, caplog, ranking="learned", ranking_weights=weights)
    assert engine.searcher.reranker is None
    assert "ranking by fusion instead" in line


def test_the_shipped_weights_load_and_fit_the_features() -> None:
    model = Reranker.load(WEIGHTS)
    assert model.weights.shape == (len(FEATURES),) and np.all(np.isfinite(model.weights))
    assert "bench/train_ranking.py" in model.made_by


def test_pages_stating_the_answer_unnamed_are_left_out_of_learning_not_taught_as_wrong() -> None:
    from bench.learning import learnable

    # Page 0 is the one the question set names right; page 1 states the answer too (another
    # outlet's page, not in the question's search results); page 2 does not state it.
    rows = np.array([[1.0, 0.2], [1.0, 0.9], [0.0, 0.5]])
    right = np.array([1.0, 0.0, 0.0])
    kept_rows, kept_right = learnable(rows, right, np.array([True, True, False]))
    assert kept_rows.tolist() == [[1.0, 0.2], [0.0, 0.5]] and kept_right.tolist() == [1.0, 0.0]
    kept_rows, kept_right = learnable(rows, right, np.array([False, False, False]))
    assert kept_rows.tolist() == rows.tolist() and kept_right.tolist() == right.tolist()


OTHER = passage("other-outlet", 0.06, "2022-06-13", "Harbour Cup weekend",
                "Crowds lined the harbour for the Harbour Cup weekend, the organisers said.")


def test_a_look_reorders_the_first_articles_by_how_well_each_answers(tmp_path: Path) -> None:
    stage = Reranker.load(write_weights(tmp_path / "w.json", {"fused": 1.0}))  # content alone: OLD, NEW, OTHER
    seen: list[list[str]] = []

    def look(question: str, articles: list[list[Passage]]) -> np.ndarray:
        seen.append([chunks[0].article_id for chunks in articles])
        return np.array([2.0 if "Marlow" in chunks[0].text else 0.0 for chunks in articles])

    question = "Who won the Harbour Cup?"
    plain, _ = stage.rerank(question, None, [OLD, NEW, OTHER], date(2022, 6, 16), None)
    assert [p.article_id for p in plain] == ["last-year", "this-week", "other-outlet"]
    looked, reasons = stage.looking(look, 1.0).rerank(question, None, [OLD, NEW, OTHER], date(2022, 6, 16), None)
    assert seen == [["last-year", "this-week", "other-outlet"]]  # the stage's own order, each article's chunks
    assert [p.article_id for p in looked] == ["this-week", "last-year", "other-outlet"]
    assert ("answers", 2.0) in reasons  # -v names what moved it
    weighed_out, _ = stage.looking(look, 0.0).rerank(question, None, [OLD, NEW, OTHER], date(2022, 6, 16), None)
    assert [p.article_id for p in weighed_out] == ["last-year", "this-week", "other-outlet"]


def test_the_answer_models_look_scores_each_articles_best_sentence() -> None:
    from bot.answering.answerable import FLOOR, look
    from bot.answering.question import read
    from bot.answering.scoring import WEIGHTS as ANSWER_WEIGHTS
    from bot.answering.scoring import AnswerModel
    from bot.answering.sentences import SentenceScorer
    from tests.standin import StandInEmbedder

    scorer = SentenceScorer(StandInEmbedder().embed, AnswerModel.load(ANSWER_WEIGHTS))
    question = "Which crew won the Harbour Cup sailing race on Sunday?"
    articles = [[NEW], [OLD], [Passage(chunk_id="empty#0", article_id="empty", text="", start=0, end=0, position=0,
                                       sentences=[], speakers=[], title="", published="2022-06-01", score=0.01)]]
    scores = look(scorer)(question, articles)
    alone = {s.passage.article_id: s.score for s in scorer.score(read(question), [NEW, OLD])}
    # scored together in the stage's order, as the answerer scores its passages; nothing to score sinks
    assert scores.tolist() == [alone["this-week"], alone["last-year"], FLOOR]
