"""Stories, digests and quotes end to end: the real model and a real Chroma store, through the
CLI (each command a fresh engine, as separate processes would be)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import numpy as np

from bot.engine import Engine
from bot.settings import Settings
from retrieval.index.store import WIDE
from retrieval.index.stories import CENTRE, JOIN, SUFFIX, StoryIndex
from retrieval.models import Article, Chunk
from tests.conftest import make_engine
from tests.news_fixtures import CHESS, FLOOD_DAY1, FLOOD_DAY2, TALKS, write_jsonl
from tests.test_cli import newsbot  # noqa: F401  (the CLI fixture)

ARTICLES = {a["id"]: a for a in FLOOD_DAY1 + FLOOD_DAY2 + TALKS + CHESS}


def listed(newsbot, *args: str) -> dict[str, dict]:  # noqa: F811
    result = newsbot("stories", "--json", *args)
    assert result.exit_code == 0, result.output
    return {s["id"]: s for s in json.loads(result.stdout)}


def story_of(stories: dict[str, dict], article_id: str) -> dict:
    return next(s for s in stories.values() if article_id in s["article_ids"])


def test_a_story_grows_as_articles_arrive_and_keeps_apart_from_others(newsbot, tmp_path: Path) -> None:  # noqa: F811
    assert newsbot("ingest", str(write_jsonl(tmp_path / "day1.jsonl", FLOOD_DAY1 + CHESS))).exit_code == 0
    first = listed(newsbot, "--as-of", "2024-03-10")
    flood = story_of(first, "flood-cnn")
    assert sorted(flood["article_ids"]) == ["flood-cnn", "flood-reuters"]
    assert story_of(first, "chess-guardian")["id"] != flood["id"]

    assert newsbot("ingest", str(write_jsonl(tmp_path / "day2.jsonl", FLOOD_DAY2 + TALKS))).exit_code == 0
    later = listed(newsbot, "--as-of", "2024-03-10")
    grown = later[flood["id"]]  # the same story, not a new grouping
    assert sorted(grown["article_ids"]) == ["flood-bbc", "flood-cnn", "flood-reuters"]
    assert grown["outlets"] == ["CNN", "Reuters", "BBC"] and grown["articles"] == 3
    assert (grown["first"], grown["latest"]) == ("2024-03-04", "2024-03-05")
    talks = story_of(later, "talks-ap")
    assert sorted(talks["article_ids"]) == ["talks-ap", "talks-dw"] and talks["id"] not in (flood["id"],)
    assert grown["headline"] in {a["title"] for a in FLOOD_DAY1 + FLOOD_DAY2}  # an article's own title

    before = listed(newsbot, "--as-of", "2024-03-04")  # later reports do not exist yet
    assert story_of(before, "flood-cnn")["articles"] == 2 and not any("talks-ap" in s["article_ids"]
                                                                       for s in before.values())
    recent = listed(newsbot, "--as-of", "2024-03-06", "--since", "2024-03-06")
    assert list(recent) == [talks["id"]]  # only the story reported on the 6th

    assert newsbot("sources", "remove", "flood-bbc").exit_code == 0
    assert listed(newsbot, "--as-of", "2024-03-10")[flood["id"]]["articles"] == 2

    table = newsbot("stories", "--as-of", "2024-03-10")
    assert table.exit_code == 0 and "CNN, Reuters" in table.stdout


def test_the_digest_ranks_by_outlets_quotes_exactly_and_names_differing_figures(newsbot, tmp_path: Path) -> None:  # noqa: F811
    corpus = write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1 + FLOOD_DAY2 + TALKS + CHESS)
    assert newsbot("ingest", str(corpus)).exit_code == 0
    result = newsbot("digest", "--json", "--since", "yesterday", "--as-of", "2024-03-05")
    assert result.exit_code == 0, result.output
    digest = json.loads(result.stdout)
    assert (digest["since"], digest["as_of"]) == ("2024-03-04", "2024-03-05")
    heads = [item["story"]["article_ids"] for item in digest["items"]]
    assert "flood-cnn" in heads[0]  # three outlets, before the two-outlet and one-outlet stories
    assert all("talks-dw" not in ids for ids in heads)  # published after the as-of day
    numbers = [c["n"] for item in digest["items"] for c in item["citations"]]
    assert numbers == list(range(1, len(numbers) + 1))
    for item in digest["items"]:
        for c in item["citations"]:
            assert ARTICLES[c["article_id"]]["text"][c["start"] : c["end"]] == c["quote"]
            assert f"[{c['n']}]" in item["text"] + " ".join(item["differences"])
    flood = digest["items"][0]
    assert len(flood["differences"]) == 1
    line = flood["differences"][0]
    assert "CNN reports 12" in line and "Reuters 15" in line
    cited = {c["n"]: c for c in flood["citations"]}
    figures = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
    assert "12" in cited[figures[0]]["quote"] and "15" in cited[figures[1]]["quote"]

    shown = newsbot("digest", "--since", "2024-03-04", "--as-of", "2024-03-05")
    assert shown.exit_code == 0 and "Figures differ" in shown.stdout and "Sources" in shown.stdout
    assert "3 article(s)" in shown.stdout and "in all" not in shown.stdout  # the flood's every report is in the period
    later = newsbot("digest", "--since", "2024-03-05", "--as-of", "2024-03-05")
    assert "1 article(s) in the period, 3 in all" in later.stdout  # its BBC report of the day, of three
    sources = shown.stdout.split("Sources", 1)[1]
    every = [c for item in digest["items"] for c in item["citations"]]
    assert len({c["article_id"] for c in every}) < len(every)  # the fixture quotes one article twice
    assert "the same article as [" in sources
    for title in {c["title"] for c in every}:
        assert sources.count(title) == 1, title  # each article named once
    empty = newsbot("digest", "--json", "--as-of", "2024-01-10")
    assert json.loads(empty.stdout)["items"] == []
    bad = newsbot("digest", "--since", "the day the music died")
    assert bad.exit_code != 0 and "cannot read" in bad.output and "Traceback" not in bad.output


def test_quotes_find_direct_and_reported_speech_and_merge_outlets(newsbot, tmp_path: Path) -> None:  # noqa: F811
    assert newsbot("ingest", str(write_jsonl(tmp_path / "news.jsonl", TALKS + CHESS + FLOOD_DAY1))).exit_code == 0
    result = newsbot("quotes", "--json", "Lavrov", "--as-of", "2024-03-10")
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)["statements"]
    quotes = [s["citation"]["quote"] for s in said]
    assert any(q.startswith("Russian Foreign Minister Sergei Lavrov said Moscow was still waiting") for q in quotes)
    direct = next(s for s in said if "We will not wait forever" in s["citation"]["quote"])
    assert direct["outlets"] == ["AP", "DW"] and len(direct["also"]) == 1  # one statement, two outlets
    assert any(q.startswith("The foreign minister said the next round") for q in quotes)  # named by his role
    assert not any("Blinken" in q for q in quotes)  # "Blinken said Lavrov was wrong" is Blinken's
    for s in said:
        for c in [s["citation"], *s["also"]]:
            assert ARTICLES[c["article_id"]]["text"][c["start"] : c["end"]] == c["quote"]
    assert [s["day"] for s in said] == sorted(s["day"] for s in said)

    full = json.loads(newsbot("quotes", "--json", "Sergei Lavrov", "--as-of", "2024-03-10").stdout)["statements"]
    assert len(full) == len(said)
    blinken = json.loads(newsbot("quotes", "--json", "Blinken", "--as-of", "2024-03-10").stdout)["statements"]
    assert blinken and all("Lavrov said" not in s["citation"]["quote"] for s in blinken)
    nobody = newsbot("quotes", "Zelda Quartermaine", "--as-of", "2024-03-10")
    assert nobody.exit_code == 0 and "do not quote Zelda Quartermaine" in nobody.stdout


def test_questions_about_the_news_and_about_what_someone_said_are_routed(newsbot, tmp_path: Path) -> None:  # noqa: F811
    assert newsbot("ingest", str(write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1 + TALKS))).exit_code == 0
    said = json.loads(newsbot("ask", "--json", "--as-of", "2024-03-07", "What has Lavrov said this week?").stdout)
    assert said["answerer"] == "quotes" and not said["abstained"]
    assert "We will not wait forever" in said["answer"] and said["citations"]
    news = json.loads(newsbot("ask", "--json", "--as-of", "2024-03-05", "What happened today?").stdout)
    assert news["answerer"] == "digest" and "Ardena" in news["answer"]
    quiet = json.loads(newsbot("ask", "--json", "--as-of", "2024-02-01", "What happened today?").stdout)
    assert quiet["abstained"] and not quiet["citations"]
    fact = json.loads(newsbot("ask", "--json", "--as-of", "2024-03-07", "How many people did the floods kill?").stdout)
    assert fact["answerer"] == "extractive"


def test_a_store_from_before_stories_is_placed_once(home: Path, embedder, tmp_path: Path) -> None:
    engine = make_engine(home, embedder)
    engine.ingest([str(write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1 + FLOOD_DAY2 + CHESS))])
    engine.store.client.delete_collection(engine.indexes.stories.collection.name)  # as a store built before
    again = Engine(engine.settings, embedder=embedder)
    assert again.place_in_stories() == 4
    flood = [s for s in again.stories() if "flood-cnn" in s.article_ids]
    assert len(flood) == 1 and flood[0].articles == 3
    assert again.place_in_stories() == 0  # nothing left to place


def test_forgetting_every_story_and_placing_again_gives_the_same_stories(home: Path, embedder, tmp_path: Path) -> None:
    engine = make_engine(home, embedder)
    engine.ingest([str(write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1 + FLOOD_DAY2 + TALKS + CHESS))])
    placed = {m.article_id: m.story for m in engine.indexes.stories.members()[0]}
    engine.indexes.stories.reset()
    assert engine.indexes.stories.members()[0] == []
    assert engine.place_in_stories(order=list(placed)) == len(placed)
    assert {m.article_id: m.story for m in engine.indexes.stories.members()[0]} == placed


def test_chat_digest_and_quotes_commands(home: Path, embedder, tmp_path: Path) -> None:
    from io import StringIO

    from rich.console import Console

    from bot.frontends.chat import ChatSession

    engine = make_engine(home, embedder)
    engine.ingest([str(write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1 + TALKS))])
    out, err = StringIO(), StringIO()
    chat = ChatSession(engine, None, Console(file=out, width=200), Console(file=err, width=200),
                       as_of=date(2024, 3, 6))
    for line in ("/digest 2024-03-04", "/quotes Lavrov since last week", "/quotes", "/digest someday"):
        assert chat.handle(line)
    shown = out.getvalue()
    assert "Digest 2024-03-04 to 2024-03-06" in shown and "Figures differ" in shown
    assert "What Lavrov said" in shown and "also reported by DW" in shown
    assert "give a person" in shown
    assert "cannot read 'someday'" in err.getvalue() and "Traceback" not in err.getvalue()


def test_the_join_setting_decides_how_close_a_report_must_be_to_join(home: Path, embedder, tmp_path: Path) -> None:
    assert Settings.model_fields["story_join"].default == JOIN  # the settings' defaults are the index's
    assert Settings.model_fields["story_centre"].default == CENTRE
    strict = make_engine(home, embedder, story_join=0.99)
    strict.ingest([str(write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1))])
    stories = {m.article_id: m.story for m in strict.indexes.stories.members()[0]}
    assert stories["flood-cnn"] != stories["flood-reuters"]  # two reports of one flood, kept apart


def _at(degrees: float) -> np.ndarray:
    """A unit lead vector at an angle in one plane of the model's space."""
    vector = np.zeros(384, dtype=np.float32)
    vector[0], vector[1] = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    return vector


def _articles(*names: str) -> list[tuple[Article, list[Chunk]]]:
    return [(Article(id=n, text=f"Report {n}.", published="2024-03-04"), [Chunk(n, f"Report {n}.", 0, 10, 0, [(0, 10)])])
            for n in names]


def test_a_chain_of_reports_each_close_to_the_last_is_not_one_story(home: Path, embedder) -> None:
    engine = make_engine(home, embedder)
    # b is close to a (cosine 0.57), c close to b but far from a (cosine -0.34): c is not about a's story
    def placed(centre: float) -> dict[str, str]:
        index = StoryIndex(engine.store, centre=centre)
        index.reset()
        index.stored(_articles("a", "b"), np.array([_at(0), _at(55)]))
        index.stored(_articles("c"), np.array([_at(110)]))  # against stored leads, read back from Chroma
        return {m.article_id: m.story for m in index.members()[0]}
    assert placed(-1.0) == {"a": "a", "b": "a", "c": "a"}  # one member close enough was enough
    assert placed(CENTRE) == {"a": "a", "b": "a", "c": "c"}


def test_stories_placed_by_the_earlier_rule_are_placed_again_once(home: Path, embedder, tmp_path: Path) -> None:
    engine = make_engine(home, embedder)
    engine.ingest([str(write_jsonl(tmp_path / "news.jsonl", FLOOD_DAY1 + FLOOD_DAY2 + CHESS))])
    members, leads = engine.indexes.stories.members(with_vectors=True)
    assert leads is not None
    name = engine.store.collection.name + SUFFIX
    engine.store.client.delete_collection(name)  # an older store: an unmarked collection, everything chained
    old = engine.store.client.create_collection(name, embedding_function=None, configuration=WIDE)
    old.upsert(ids=[m.article_id for m in members], embeddings=leads.tolist(),
               metadatas=[{"story": "glued", "title": m.title, "published": m.published} for m in members])
    again = Engine(engine.settings, embedder=embedder)
    assert again.indexes.stories.outdated
    assert again.place_in_stories() == len(members)
    listed = again.stories()
    flood = next(s for s in listed if "flood-cnn" in s.article_ids)
    assert flood.articles == 3 and not any("chess-guardian" in s.article_ids for s in listed if s is flood)
    assert not again.indexes.stories.outdated and again.place_in_stories() == 0


def test_what_someone_has_said_is_answered_with_the_newest_statements(newsbot, tmp_path: Path) -> None:  # noqa: F811
    """Twelve days of a minister's statements: "What has Ardell said?" answers with the newest
    eight, says how many there are and from when, and numbers its citations from 1; the quotes
    command lists all twelve."""
    said_each_day = ["the budget will balance by spring", "fishing quotas stay as they are",
                     "rail fares will not rise this year", "the new bridge opens in June",
                     "teachers will get a pay rise", "the harbour tax is fair to shipowners",
                     "pensions are safe whatever the vote", "the central bank acted too late",
                     "tourism brought record revenue in April", "the airport expansion is paused",
                     "wind farms will power half the islands", "she will not resign over the audit"]
    days = [{"id": f"ardell-{d:02d}", "title": f"Ardell speaks, day {d}", "outlet": "Capital Wire",
             "published": f"2024-05-{d:02d}",
             "text": f"Finance Minister Ola Ardell said {said_each_day[d - 1]}. The opposition did not reply."}
            for d in range(1, 13)]
    assert newsbot("ingest", str(write_jsonl(tmp_path / "ardell.jsonl", days))).exit_code == 0
    said = json.loads(newsbot("ask", "--json", "--as-of", "2024-05-20", "What has Ola Ardell said?").stdout)
    assert said["answerer"] == "quotes"
    lines = said["answer"].splitlines()
    assert lines[0] == ("The newest 8 of 12 statements (the first from 2024-05-01; the quotes command lists "
                        "them all):")
    assert [line[:10] for line in lines[1:]] == [f"2024-05-{d:02d}" for d in range(5, 13)]
    assert [c["n"] for c in said["citations"]] == list(range(1, 9)) and "[1]" in lines[1]
    every = json.loads(newsbot("quotes", "--json", "Ola Ardell", "--as-of", "2024-05-20").stdout)
    assert len(every["statements"]) == 12 and every["earlier"] == 0


def test_what_someone_said_in_a_chat_is_what_they_said_on_its_topic(newsbot, tmp_path: Path) -> None:  # noqa: F811
    """In a chat about the Svalbard ferry, "What did Ola Ardell say?" gives what she said in reports
    on the ferry, not on pensions nor in a roundup's passage on fishing; after a topic no report of
    hers speaks of, every statement, saying so; in a new chat, every statement."""
    articles = [
        {"id": "ferry", "title": "Svalbard ferry sinks in a storm", "outlet": "Polar Wire", "published": "2024-05-02",
         "text": "The Svalbard ferry sank in a storm on Wednesday and all 40 passengers were rescued. "
                 "Finance Minister Ola Ardell said the ferry company would be compensated in full."},
        {"id": "pensions", "title": "Pension vote passes", "outlet": "Capital Wire", "published": "2024-05-06",
         "text": "Parliament passed the pension reform on Monday. Finance Minister Ola Ardell said pensions are "
                 "safe whatever the vote."},
        {"id": "roundup", "title": "Nordic news roundup", "outlet": "Polar Wire", "published": "2024-05-08",
         "text": " ".join(f"Rescuers said the Svalbard ferry passenger number {n} was safe." for n in range(1, 25))
                 + "\n\n" + " ".join(f"Snow fell on road number {n} in the north overnight." for n in range(1, 25))
                 + "\n\nIn other news, Finance Minister Ola Ardell said fishing quotas stay as they are."},
        {"id": "quake", "title": "Quake shakes Tromso", "outlet": "Polar Wire", "published": "2024-05-07",
         "text": "A small earthquake shook Tromso on Tuesday; no one was hurt, the Tromso police said."},
    ]
    assert newsbot("ingest", str(write_jsonl(tmp_path / "news.jsonl", articles))).exit_code == 0
    chat = newsbot("chat", "--as-of", "2024-05-20",
                   input="Why did the Svalbard ferry sink?\nWhat did Ola Ardell say?\n"
                         "What shook Tromso?\nWhat did Ola Ardell say?\n/new\nWhat did Ola Ardell say?\n/quit\n")
    assert chat.exit_code == 0, chat.output
    turns = [" ".join(t.split()) for t in chat.output.split("you> ")[1:]]
    assert "What Ola Ardell said in reports on Svalbard ferry:" in turns[1]
    assert "compensated in full" in turns[1] and "pensions are safe" not in turns[1]
    assert "fishing quotas" not in turns[1]  # a roundup's passage on another subject
    assert "No report on Tromso quotes Ola Ardell; what they said on anything:" in turns[3]
    assert "compensated in full" in turns[3] and "pensions are safe" in turns[3]
    assert "in reports on" not in turns[5] and "No report" not in turns[5]
    assert "compensated in full" in turns[5] and "pensions are safe" in turns[5] and "fishing quotas" in turns[5]
