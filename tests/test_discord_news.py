"""/digest, /quotes and the daily digest, through the real discord.py via dpytest, on a library
of articles written for the tests (several outlets and days)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from bot.engine import Engine
from tests.conftest import make_engine
from tests.news_fixtures import CHESS, FLOOD_DAY1, FLOOD_DAY2, TALKS, write_jsonl
from tests.test_discord import adapter, drain, interaction, make_bot  # noqa: F401 (fixtures)
from tests.test_discord_libraries import text_of
from tests.test_discord_time import option


def news_engine(home: Path, embedder, tmp_path: Path, articles: list[dict]) -> Engine:
    engine = make_engine(home, embedder)
    engine.ingest([str(write_jsonl(tmp_path / "news.jsonl", articles))])
    return engine


async def test_slash_digest_and_quotes(make_bot, adapter, home: Path, embedder, tmp_path: Path) -> None:  # noqa: F811
    engine = news_engine(home, embedder, tmp_path, FLOOD_DAY1 + FLOOD_DAY2 + TALKS + CHESS)
    bot, _ = await make_bot(engine, discord_rate_limit=100)
    fake = adapter(bot)
    await bot.tree._call(interaction(bot, "digest", [option("since", "2024-03-04"), option("as_of", "2024-03-05")]))
    assert fake.responses[-1]["type"] == 5  # acknowledged before the engine ran
    first = list(fake.followups)
    text = " ".join(text_of(p) for p in first)
    assert "Ardena" in text and "Figures differ" in text and "CNN reports 12" in text
    assert "CNN, Reuters, BBC · 3 article(s)" in text  # how many reports rank the story
    assert all(p["allowed_mentions"]["parse"] == [] for p in first)
    assert all(len(p.get("content") or "") <= 2000 for p in first)
    assert any(e["title"] == "Sources" for p in first for e in p.get("embeds", []))

    before = len(fake.followups)
    await bot.tree._call(interaction(bot, "quotes", [option("person", "Lavrov"), option("as_of", "2024-03-10")]))
    said = " ".join(text_of(p) for p in fake.followups[before:])
    assert "We will not wait forever" in said and "also reported by DW" in said and "Blinken said" not in said

    before = len(fake.followups)
    await bot.tree._call(interaction(bot, "digest", [option("since", "whenever")]))
    assert "cannot read" in fake.followups[-1]["content"] and len(fake.followups) == before + 1


async def test_the_daily_digest_is_posted_once_at_the_set_hour_and_not_when_nothing_is_new(
        make_bot, home: Path, embedder, tmp_path: Path) -> None:  # noqa: F811
    engine = news_engine(home, embedder, tmp_path, FLOOD_DAY1 + FLOOD_DAY2 + TALKS)
    bot, sent = await make_bot(engine, discord_digest_hour=9)
    channel = bot.guilds[0].text_channels[0]
    bot.config = dataclasses.replace(bot.config, digest_channel=channel.id)
    now = {"at": datetime(2024, 3, 5, 8, 59, tzinfo=UTC)}
    bot.clock = lambda: now["at"]
    drain()
    assert not await bot.post_digest_if_due() and not drain()  # before the hour

    now["at"] = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert await bot.post_digest_if_due()
    posted = drain()
    assert posted and all(m.channel.id == channel.id for m in posted)
    assert "Daily digest, 2024-03-04 to 2024-03-05" in posted[0].content and "Ardena" in posted[0].content
    assert all(p.get("allowed_mentions", {}).get("parse") == [] for p in sent.payloads)

    now["at"] = datetime(2024, 3, 5, 15, 0, tzinfo=UTC)
    assert not await bot.post_digest_if_due() and not drain()  # once a day, however often it checks
    restarted, _ = await make_bot(engine, discord_digest_hour=9)  # a restart reads the day from the data folder
    restarted.config, restarted.clock = bot.config, bot.clock
    assert not await restarted.post_digest_if_due() and not drain()

    now["at"] = datetime(2024, 3, 20, 9, 30, tzinfo=UTC)  # nothing reported since the day before
    assert not await bot.post_digest_if_due() and not drain()


async def test_sources_name_an_untitled_page_by_its_link_and_site(make_bot, adapter, home: Path, embedder,  # noqa: F811
                                                                  tmp_path: Path) -> None:
    page = {"id": "untitled", "url": "https://news.example.org/2024/03/harbour-cranes-repaired", "published": "2024-03-04",
            "text": "The harbour board said the cranes on the north pier were repaired and the pier reopened on Monday."}
    engine = news_engine(home, embedder, tmp_path, [page])
    bot, _ = await make_bot(engine)
    fake = adapter(bot)
    await bot.tree._call(interaction(bot, "sources", []))
    listed = fake.followups[-1]["embeds"][0]["description"]
    assert "Harbour cranes repaired" in listed and "news.example.org · 2024-03-04" in listed
