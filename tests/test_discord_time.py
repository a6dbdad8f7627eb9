"""Discord and time: /ask as of a day, /timeline, /feeds (gated like /ingest), and the background
feed poller posting notices, all through the real discord.py via dpytest."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import discord
import discord.ext.test as dpytest

from bot.engine import Engine
from tests.conftest import FIXTURES
from tests.test_discord import adapter, drain, interaction, make_bot  # noqa: F401 (fixtures)
from tests.test_feeds import Site, site  # noqa: F401 (fixture)

ADMIN = discord.Permissions(manage_guild=True).value


def option(name: str, value: str, kind: int = 3) -> dict:
    return {"name": name, "type": kind, "value": value}


def sub(name: str, *options: dict) -> dict:
    """A subcommand of a command group (``/feeds add``) and its options."""
    return {"name": name, "type": 1, "options": list(options)}


def with_talks(seeded: Engine) -> Engine:
    """The seed store plus dated reports of the Blinken-Lavrov talks by several outlets."""
    assert not seeded.ingest([str(FIXTURES / "talks.jsonl")]).failed
    return seeded


async def test_slash_ask_as_of_a_day(make_bot, adapter, seeded: Engine) -> None:  # noqa: F811
    bot, _ = await make_bot(with_talks(seeded))
    fake = adapter(bot)
    # only the second round (2022-01-21) says what they agreed to keep doing
    question = option("question", "What did Blinken and Lavrov agree to keep doing?")
    await bot.tree._call(interaction(bot, "ask", [question, option("as_of", "2022-01-15")]))
    before = fake.followups[-1]["embeds"][0]["description"]
    await bot.tree._call(interaction(bot, "ask", [question, option("as_of", "2022-01-25")]))
    after = fake.followups[-1]["embeds"][0]["description"]
    assert "2022-01-21" not in before and "2022-01-21" in after  # the second round did not exist yet
    await bot.tree._call(interaction(bot, "ask", [option("question", "What did Lavrov demand?"),
                                                  option("as_of", "whenever")]))
    assert "YYYY-MM-DD" in fake.followups[-1]["content"]  # one line, not an apology


async def test_slash_ask_says_when_the_reports_are_older_than_the_week_asked_about(make_bot, adapter,  # noqa: F811
                                                                                   seeded: Engine) -> None:
    bot, _ = await make_bot(with_talks(seeded))
    fake = adapter(bot)
    question = option("question", "How much did vegetable prices rise at the Riverton market this week?")
    await bot.tree._call(interaction(bot, "ask", [question, option("as_of", "2022-03-30")]))
    stale = fake.followups[-1]["content"]
    assert stale.startswith("*No cited report falls in “this week” (2022-03-24 to 2022-03-30); the newest is from 2022-01-12")
    assert "4 percent" in stale  # the answer is still given, from the market report of 2022-01-12
    await bot.tree._call(interaction(bot, "ask", [question, option("as_of", "2022-01-14")]))
    fresh = fake.followups[-1]["content"]
    assert "4 percent" in fresh and "No cited report" not in fresh  # that week's report answers


async def test_slash_ask_hedges_a_doubtful_answer_from_older_reports_and_says_both(make_bot, adapter,  # noqa: F811
                                                                                   seeded: Engine) -> None:
    bot, _ = await make_bot(with_talks(seeded).configured(hedge_threshold=0.99))
    fake = adapter(bot)
    question = option("question", "How much did vegetable prices rise at the Riverton market this week?")
    await bot.tree._call(interaction(bot, "ask", [question, option("as_of", "2022-03-30")]))
    reply = fake.followups[-1]["content"]
    assert reply.startswith("*Low confidence: this may not answer the question; no cited report falls in “this week”")
    assert "The closest report may not answer this. It says:" in reply and "4 percent" in reply
    assert "**" not in reply  # nothing bolded as the answer (asserted, it bolds "4 percent": above)


async def test_slash_timeline_lists_dated_cited_events(make_bot, adapter, seeded: Engine) -> None:  # noqa: F811
    bot, _ = await make_bot(with_talks(seeded))
    fake = adapter(bot)
    await bot.tree._call(interaction(bot, "timeline", [option("topic", "Blinken Lavrov talks")]))
    assert fake.responses[0]["type"] == 5
    first = fake.followups[0]
    lines = first["content"].split("\n\n")
    assert [line[:14] for line in lines] == ["**2022-01-10**", "**2022-01-21**", "**2022-02-15**"]
    assert "also reported by" in lines[0] and "[1]" in lines[0]
    assert first["embeds"][0]["title"] == "Sources" and "Blinken" in first["embeds"][0]["description"]


async def test_feeds_changes_are_gated_and_listing_is_not(make_bot, adapter, seeded: Engine,  # noqa: F811
                                                          site: Site) -> None:  # noqa: F811
    bot, _ = await make_bot(seeded.configured(allow_networks="127.0.0.0/8"), discord_rate_limit=100)
    fake = adapter(bot)
    url = f"{site.base}/feed.xml"
    await bot.tree._call(interaction(bot, "feeds", [sub("add", option("url", url))]))
    assert "limited to members who manage this server" in fake.responses[-1]["data"]["content"]
    assert bot.engine.feeds() == []
    await bot.tree._call(interaction(bot, "feeds", [sub("add", option("url", url), option("every", "2h"))],
                                     permissions=ADMIN))
    assert "Subscribed to" in fake.followups[-1]["content"] and "2 h" in fake.followups[-1]["content"]
    await bot.tree._call(interaction(bot, "feeds", [sub("list")]))  # anyone may list
    assert url in fake.followups[-1]["content"]
    await bot.tree._call(interaction(bot, "feeds", [sub("remove", option("url", url))]))
    assert "limited" in fake.responses[-1]["data"]["content"] and len(bot.engine.feeds()) == 1
    await bot.tree._call(interaction(bot, "feeds", [sub("remove", option("url", url))], permissions=ADMIN))
    assert "Unsubscribed" in fake.followups[-1]["content"] and bot.engine.feeds() == []
    assert len(site.requests) == 1  # subscribing checked the feed once; refusals and listing fetched nothing


async def test_background_poller_ingests_and_posts_quiet_notices(make_bot, seeded: Engine,  # noqa: F811
                                                                  site: Site, home: Path) -> None:  # noqa: F811
    engine = seeded.configured(allow_networks="127.0.0.0/8")
    bot, sent = await make_bot(engine, feed_check_seconds=0.05)
    channel = bot.guilds[0].text_channels[0]
    bot.config = replace(bot.config, notice_channel=channel.id)
    engine.add_feed(f"{site.base}/feed.xml")
    watcher = asyncio.create_task(bot.watch_feeds())
    try:
        for _ in range(200):
            if len(sent.payloads) >= 2:
                break
            await asyncio.sleep(0.05)
    finally:
        watcher.cancel()
    notices = drain()
    assert sorted(m.content.split("**")[1] for m in notices) == ["Port Ellis session 1", "Port Ellis session 2"]
    assert all(m.channel.id == channel.id and "<http://127.0.0.1" in m.content for m in notices)
    assert all(p["allowed_mentions"]["parse"] == [] for p in sent.payloads)
    assert any(a.title == "Port Ellis session 1" for a in engine.sources())
    assert not dpytest.sent_queue.qsize()
