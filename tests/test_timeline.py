"""Timelines: a story's events oldest to newest, one cited line each, several outlets' reports of
one event grouped, off-topic and undated articles left out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from bot.answering.timeline import name_heads
from bot.engine import Engine, InputError
from bot.frontends import cli
from bot.frontends.chat import ChatSession
from retrieval.index.embeddings import Embedder
from tests.conftest import FIXTURES, ingested, make_engine

TALKS = [json.loads(line) for line in (FIXTURES / "talks.jsonl").read_text().splitlines()]


@pytest.fixture
def talks(home: Path, embedder: Embedder) -> Engine:
    engine = make_engine(home, embedder)
    assert not engine.ingest([str(FIXTURES / "talks.jsonl")]).failed
    return engine


def test_events_run_oldest_to_newest_with_outlets_grouped(talks: Engine) -> None:
    timeline = talks.timeline("Blinken Lavrov talks")
    assert [e.day for e in timeline.events] == ["2022-01-10", "2022-01-21", "2022-02-15"]
    first = timeline.events[0]
    assert {first.citation.article_id, *(c.article_id for c in first.also)} == {"geneva-a", "geneva-b"}
    assert sorted(first.outlets) == ["Alpine Post", "Harbour Times"]
    assert [e.outlets for e in timeline.events[1:]] == [["Alpine Post"], ["Steppe Daily"]]
    ids = [c.article_id for e in timeline.events for c in [e.citation, *e.also]]
    assert "veg" not in ids and "nodate" not in ids and timeline.undated == 1
    for event in timeline.events:
        text = next(a["text"] for a in TALKS if a["id"] == event.citation.article_id)
        assert text[event.citation.start:event.citation.end] == event.citation.quote
    assert [e.citation.n for e in timeline.events] == [1, 2, 3]


def test_as_of_and_date_phrases_bound_the_timeline(talks: Engine) -> None:
    assert [e.day for e in talks.timeline("Blinken Lavrov talks", as_of=date(2022, 1, 31)).events] == [
        "2022-01-10", "2022-01-21"]
    february = talks.timeline("Blinken Lavrov talks in February 2022")
    assert [e.day for e in february.events] == ["2022-02-15"]


def test_empty_topic_is_one_line(talks: Engine) -> None:
    with pytest.raises(InputError, match="empty"):
        talks.timeline("   ")


def test_timeline_command_and_chat(talks: Engine, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))
    result = CliRunner().invoke(cli.app, ["timeline", "--json", "Blinken Lavrov talks"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [e["day"] for e in data["events"]] == ["2022-01-10", "2022-01-21", "2022-02-15"]
    assert data["events"][0]["outlets"] and data["undated"] == 1
    text = CliRunner().invoke(cli.app, ["timeline", "Blinken Lavrov talks"]).output
    assert "also reported by" in text and text.index("2022-01-10") < text.index("2022-02-15")

    console = Console(record=True, width=200)
    session = ChatSession(talks, None, console, console)
    session.handle("/timeline Blinken Lavrov talks")
    shown = console.export_text()
    assert shown.index("2022-01-10") < shown.index("2022-01-21") < shown.index("2022-02-15")


FIRES = [
    {"id": "maui-1", "title": "Wildfire sweeps Maui", "published": "2023-08-09", "outlet": "Island Post",
     "text": "A wildfire swept through Lahaina on Maui on Tuesday, destroying hundreds of homes. Officials said the "
             "death toll rose overnight."},
    {"id": "maui-2", "title": "Death toll rises", "published": "2023-08-15", "outlet": "Pacific Daily",
     "text": "The death toll from the Maui wildfire rose to 99 on Monday as search teams combed Lahaina."},
    {"id": "oregon", "title": "Wildfires burn in the West", "published": "2023-07-20", "outlet": "Valley News",
     "text": "Wildfires burned across Oregon on Thursday, forcing thousands to flee their homes as crews fought "
             "the blazes."},
    {"id": "guide", "title": "What to know", "published": "2023-08-12", "outlet": "Island Post",
     "text": "When did the Maui wildfires start? The fires began on Tuesday night near Lahaina on Maui, officials "
             "said."},
]


def test_a_topic_naming_a_place_keeps_to_articles_that_name_it(home: Path, embedder: Embedder, tmp_path: Path) -> None:
    feed = tmp_path / "fires.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in FIRES), encoding="utf-8")
    engine = make_engine(home, embedder)
    assert not engine.ingest([str(feed)]).failed
    ids = lambda t: [e.citation.article_id for e in t.events]  # noqa: E731
    assert "oregon" in ids(engine.timeline("wildfires"))  # close enough in meaning to a topic naming no place
    for topic in ("Maui wildfires", "maui wildfires"):  # a name however typed
        timeline = engine.timeline(topic)
        assert ids(timeline) == ["maui-1", "guide", "maui-2"]
        assert not timeline.events[1].citation.quote.endswith("?")  # its line states what happened
    assert "oregon" in ids(engine.configured(timeline_names=0).timeline("Maui wildfires"))  # the setting reaches it


def test_a_link_to_another_page_is_no_line_of_this_one(home: Path, embedder: Embedder, tmp_path: Path) -> None:
    linked = {"id": "maui-3", "title": "Lahaina rebuilds", "published": "2023-08-20", "outlet": "Island Post",
              "text": "More:Maui wildfires death toll rises as Lahaina search goes on. Residents of Lahaina on Maui "
                      "returned on Sunday to clear the ruins of their homes."}
    feed = tmp_path / "fires.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in [*FIRES, linked]), encoding="utf-8")
    engine = make_engine(home, embedder)
    assert not engine.ingest([str(feed)]).failed
    events = engine.timeline("Maui wildfires").events
    assert "maui-3" in [e.citation.article_id for e in events]
    assert not any(e.citation.quote.startswith("More:") for e in events)  # the linked page's title dates nothing here


BRIDGE = [
    {"id": "strike", "title": "Ship hits Baltimore bridge", "published": "2024-03-26", "outlet": "Harbor News",
     "text": "A container ship struck the Francis Scott Key Bridge in Baltimore early on Tuesday, and the Key "
             "Bridge collapsed into the river."},
    {"id": "salvage", "title": "Key Bridge salvage begins", "published": "2024-04-15", "outlet": "Harbor News",
     "text": "Crews began lifting steel from the collapsed Francis Scott Key Bridge, whose wreckage still blocks "
             "the channel."},
    {"id": "poet", "title": "The anthem's author", "published": "2014-11-17", "outlet": "Harbor News",
     "text": "The Georgetown house of Francis Scott Key, who wrote the national anthem, was torn down in 1947 "
             "after its roof began to collapse."},
]


def test_an_article_naming_part_of_a_name_must_name_its_last_word(home: Path, embedder: Embedder,
                                                                  tmp_path: Path) -> None:
    """The poet Francis Scott Key is no report of the Francis Scott Key Bridge's collapse: an article
    naming a part of a name the topic gives ("Bridge" is one where the articles write "Key Bridge")
    must name its last word."""
    engine = ingested(home, embedder, tmp_path, BRIDGE)
    ids = [e.citation.article_id for e in engine.timeline("Francis Scott Key Bridge collapse").events]
    assert ids == ["strike", "salvage"]
    assert "poet" in [e.citation.article_id for e in engine.timeline("Francis Scott Key").events]
    assert name_heads("Robert F. Kennedy Jr. on the ballot", {"robert", "kennedi", "jr"}) == [
        (frozenset({"robert", "kennedi"}), "jr")]  # "F." is one letter: no word of the name's
