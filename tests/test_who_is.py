""""Who is X?" asked of a store: real model, real Chroma in a temp folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from retrieval.index.embeddings import Embedder
from tests.conftest import make_engine

ARTICLES = [
    {"id": "profile", "title": "Who is Josh Green? The doctor who wants to lead Hawaii", "outlet": "Island Wire",
     "published": "2021-08-18",
     "text": "Josh Green is the lieutenant governor of Hawaii and an emergency room doctor. Josh Green grew up in "
             "Pennsylvania and moved to Hawaii as a doctor. Supporters describe Josh Green as a physician first "
             "and a politician second."},
    {"id": "maui", "title": "Maui asks visitors to return", "outlet": "Travel Desk", "published": "2023-08-31",
     "text": "Many people, including Hawaii Gov. Josh Green, are pleading for visitors to come and support "
             "Maui's economy after the fires."},
    {"id": "cavallo", "title": "Josh Cavallo on the World Cup", "outlet": "Sports Desk", "published": "2023-09-02",
     "text": "Josh Cavallo, the footballer, said the World Cup should welcome gay players. Josh said he felt safe."},
    {"id": "packers", "title": "Green Bay beats Chicago", "outlet": "Sports Desk", "published": "2023-09-03",
     "text": "The Green Bay Packers beat the Chicago Bears 38-20 on Sunday. Green Bay's quarterback threw three touchdowns."},
    {"id": "allen", "title": "Who is Josh Allen throwing to?", "outlet": "Sports Desk", "published": "2023-09-04",
     "text": "Josh Allen, the Bills quarterback, is the player who decides the season. Who is Josh Allen going to "
             "throw to? Josh is confident."},
    {"id": "party", "title": "Green Party picks a leader", "outlet": "Politics Daily", "published": "2023-09-05",
     "text": "The Green Party chose a new leader who is a doctor. Green candidates said who is elected matters."},
    {"id": "hartnett", "title": "Josh Hartnett returns", "outlet": "Film Wire", "published": "2023-09-06",
     "text": "Josh Hartnett, the actor, is back in a new thriller. Who is Josh Hartnett playing? A doctor."},
]


def test_who_is_gives_what_the_newest_report_calls_the_person(tmp_path: Path, embedder: Embedder) -> None:
    """The 2021 profile says more about Josh Green and is ranked first; what he is now is what the
    2023 report calls him in passing. Other people named Josh, and Green Bay, are no answer."""
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    engine = make_engine(tmp_path / "home", embedder)
    assert not engine.ingest([str(corpus)]).failed
    answer = engine.ask("Who is Josh Green?", as_of=date(2025, 6, 1))
    assert answer.lead == "Hawaii Gov. Josh Green", answer.text
    assert answer.citations[0].article_id == "maui"
    assert answer.passages and all("Josh Green" in p.text for p in answer.passages)  # not the Green Party's
    typed = engine.ask("who is josh green", as_of=date(2025, 6, 1))
    assert typed.lead == "Hawaii Gov. Josh Green"
    then = engine.ask("Who is Josh Green?", as_of=date(2022, 1, 1))  # as of 2022 the newer report does not exist
    assert "lieutenant governor" in then.lead, then.text
    assert then.citations[0].article_id == "profile"
