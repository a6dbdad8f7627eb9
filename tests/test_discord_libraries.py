"""A library per Discord server, through the real discord.py via dpytest: what one server
ingests is neither quoted nor listed in another, each server has its own feeds, and their
notices stay in that server's channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine, InputError
from bot.frontends.discord_app import DM_REFUSAL, Libraries
from bot.settings import Settings
from tests.httpserver import serve
from tests.test_discord import adapter, drain, interaction, make_bot  # noqa: F401 (fixtures)
from tests.test_discord_time import ADMIN, option, sub
from tests.test_feeds import Site, site  # noqa: F401 (fixture)

MEMO = (b"<html><head><title>Harbour board memo</title></head><body><article><h1>Harbour board memo</h1>"
        b"<p>The harbour board will close the north pier on 3 March to repair its cranes, the internal memo says, "
        b"and ferry crews were told to use the south pier instead while the work goes on.</p>"
        b"<p>The repairs are expected to take three weeks and to cost the board about 400,000 pounds, according "
        b"to figures attached to the memo, which was sent to staff on Friday afternoon.</p>"
        b"<p>Fishing boats will keep their moorings at the east quay, the board said, and the cafe on the north "
        b"pier will stay shut until the cranes have been tested and the pier reopens to the public.</p>"
        b"</article></body></html>")
QUESTION = "When will the harbour board close the north pier?"


def text_of(payload: dict) -> str:
    return (payload.get("content") or "") + " ".join(e.get("description", "") for e in payload.get("embeds", []))


async def test_what_one_server_ingests_stays_in_it(make_bot, adapter, seeded: Engine, site: Site) -> None:  # noqa: F811
    engine = seeded.configured(allow_networks="127.0.0.0/8")
    bot, _ = await make_bot(engine, guilds=2, discord_libraries="per-server", discord_rate_limit=100)
    fake = adapter(bot)
    first, second = bot.guilds
    with serve({"/memo": (200, "text/html", MEMO)}) as base:
        await bot.tree._call(interaction(bot, "ingest", [option("url", f"{base}/memo")], permissions=ADMIN, server=0))
    assert "Added 1" in fake.followups[-1]["content"], fake.followups[-1]

    await bot.tree._call(interaction(bot, "ask", [option("question", QUESTION)], server=0))
    assert "3 March" in text_of(fake.followups[-1])  # quoted where it was ingested ...
    await bot.tree._call(interaction(bot, "ask", [option("question", QUESTION)], server=1))
    assert "3 March" not in text_of(fake.followups[-1]) and "memo" not in text_of(fake.followups[-1]).lower()
    await bot.tree._call(interaction(bot, "sources", [], server=1))
    assert "Harbour board memo" not in text_of(fake.followups[-1])  # ... and neither listed in the other
    await bot.tree._call(interaction(bot, "sources", [], server=0))
    assert "Harbour board memo" in text_of(fake.followups[-1])
    assert "Harbour board memo" not in {a.title for a in engine.sources()}  # nor in the main library

    # Feeds: the first server subscribes and picks its notice channel; the second picks one too.
    feed = f"{site.base}/feed.xml"
    await bot.tree._call(interaction(bot, "feeds", [sub("add", option("url", feed))], permissions=ADMIN, server=0))
    assert "Subscribed" in fake.followups[-1]["content"]
    for server, guild in enumerate((first, second)):
        channel = guild.text_channels[0]
        resolved = {"channels": {str(channel.id): {"id": str(channel.id), "name": channel.name, "type": 0,
                                                   "permissions": "0", "guild_id": str(guild.id)}}}
        await bot.tree._call(interaction(bot, "feeds", [sub("notices", option("channel", str(channel.id), kind=7))],
                                         permissions=ADMIN, server=server, resolved=resolved))
        assert "will be announced" in fake.followups[-1]["content"], fake.followups[-1]
    await bot.tree._call(interaction(bot, "feeds", [sub("list")], server=1))
    assert "No feeds yet" in fake.followups[-1]["content"]  # the second server has its own (none)
    drain()
    results = await bot.poll_feeds()
    assert sum(len(r.added) for r in results) == 2
    notices = drain()
    assert len(notices) == 2 and all(m.channel.id == first.text_channels[0].id for m in notices)


def test_direct_messages_are_refused_or_read_the_library_the_operator_names(home: Path, seeded: Engine) -> None:
    refused = Libraries(seeded, Settings(home=home).discord)
    with pytest.raises(InputError) as no:
        refused.of(None)
    assert str(no.value) == DM_REFUSAL
    assert Libraries(seeded, Settings(home=home, discord_dm_library="main").discord).of(None) is seeded
    named = Libraries(seeded, Settings(home=home, discord_dm_library="42").discord)
    assert named.of(None) is named.of(42) and named.of(42) is not seeded
    assert named.of(42).settings.collection != seeded.settings.collection
    shared = Libraries(seeded, Settings(home=home, discord_libraries="shared").discord)
    assert shared.of(7) is seeded and shared.of(8) is seeded
    main = Libraries(seeded, Settings(home=home, discord_main_server=7).discord)
    assert main.of(7) is seeded and main.of(8) is not seeded
