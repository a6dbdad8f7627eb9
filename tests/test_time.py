"""Time-aware answers: as-of cut-offs, the recency prior, and question dates in the eval."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.engine import Engine, InputError, Question
from retrieval.embeddings import Embedder
from tests.conftest import make_engine

STORY = [
    {"id": "toll-early", "title": "Flood in Riverton", "published": "2022-03-01", "outlet": "Valley News",
     "text": "Floods in Riverton have killed 10 people, the regional governor said on Tuesday. "
             "Rescue teams are searching the flooded districts near the river."},
    {"id": "toll-late", "title": "Riverton flood toll rises", "published": "2022-03-08", "outlet": "Valley News",
     "text": "Floods in Riverton have killed 25 people, the regional governor said on Tuesday. "
             "Rescue teams are still searching the flooded districts near the river."},
    {"id": "lighthouse", "title": "Old lighthouse restored", "published": "2019-05-02", "outlet": "Coast Weekly",
     "text": "The Kestrel Point lighthouse, built in 1868, reopened after a restoration by volunteer "
             "masons who replaced its granite steps."},
    {"id": "undated", "title": "Ferry timetable", "text": "The island ferry now leaves the harbour at seven "
                                                            "in the morning on weekdays, the operator said."},
] + [
    {"id": f"fresh-{i}", "title": f"Market report {i}", "published": "2022-03-08", "outlet": "Valley News",
     "text": f"Vegetable prices at the Riverton market rose by {i} percent this week, traders said on Monday."}
    for i in range(6)
]


@pytest.fixture
def news(home: Path, embedder: Embedder, tmp_path: Path) -> Engine:
    path = tmp_path / "story.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in STORY) + "\n")
    engine = make_engine(home, embedder)
    engine.ingest([str(path)])
    return engine


def cited(engine: Engine, question: str, as_of: date | None) -> list[str]:
    return [c.article_id for c in engine.ask(question, as_of=as_of).citations]


def test_articles_after_the_as_of_day_do_not_exist(news: Engine) -> None:
    answer = news.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 5))
    assert answer.as_of == "2022-03-05" and answer.to_dict()["as_of"] == "2022-03-05"
    assert all(p.article_id != "toll-late" and not p.article_id.startswith("fresh") for p in answer.passages)
    assert "10 people" in answer.text
    assert "ferry" in news.ask("When does the island ferry leave?", as_of=date(2000, 1, 1)).text  # undated stays


def test_the_latest_report_wins_when_both_exist(news: Engine) -> None:
    assert cited(news, "How many people have the Riverton floods killed?", date(2022, 3, 9))[0] == "toll-late"
    blind = news.configured(recency_weight=0.0)
    ranked = [p.article_id for p in blind.search("How many people have the Riverton floods killed?", 2)]
    assert set(ranked) == {"toll-early", "toll-late"}  # without the prior both are close calls


def test_an_old_article_that_is_the_only_match_still_wins(news: Engine) -> None:
    assert cited(news, "Who restored the Kestrel Point lighthouse?", date(2022, 3, 9))[0] == "lighthouse"


def test_default_as_of_is_today(news: Engine) -> None:
    assert news.ask("How many people have the Riverton floods killed?").as_of == date.today().isoformat()


def test_eval_asks_as_of_the_question_date_unless_date_blind(news: Engine) -> None:
    q = Question(id="q", question="How many people have the Riverton floods killed?", answers=["25"],
                 doc_ids=["toll-late"], question_date=date(2022, 3, 5))
    dated = news.evaluate([q]).rows[0]
    assert dated.rank is None and dated.correct is False  # the 25 report did not exist yet
    blind = news.evaluate([q], date_blind=True).rows[0]
    assert blind.rank is not None


def test_unreadable_as_of_is_one_line() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        Engine.day("next tuesday-ish")
