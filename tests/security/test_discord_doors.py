"""The Discord front end as a stranger in any server meets it, through discord.py via dpytest."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path

import discord
import discord.ext.test as dpytest
import pytest

from bot.engine import Engine
from bot.frontends.discord_render import inert, shown_id
from tests.httpserver import running
from tests.security.hostile import body_handler
from tests.test_discord import adapter, drain, ids, interaction, make_bot, mention  # noqa: F401 (fixtures)

ADMIN = discord.Permissions(manage_guild=True).value


async def test_ingest_url_takes_no_local_path(make_bot, adapter, tmp_path: Path) -> None:  # noqa: F811
    secret = tmp_path / "config.toml"
    secret.write_text("discord_token = 'secret-value'\n" + "The harbour council met on Monday. " * 20)
    bot, _ = await make_bot(discord_rate_limit=100)
    fake = adapter(bot)
    before = [a.id for a in bot.engine.sources()]
    replies = []
    for target in (str(secret), str(tmp_path / "missing.toml"), str(tmp_path), "~", "-", f"file://{secret}"):
        await bot.tree._call(interaction(bot, "ingest", [{"name": "url", "type": 3, "value": target}], permissions=ADMIN))
        replies.append(fake.responses[-1]["data"]["content"])
    assert [a.id for a in bot.engine.sources()] == before
    assert len(set(replies)) == 1 and "http" in replies[0]  # the same answer whether the path exists or not


async def test_an_uploaded_file_is_read_from_memory_in_its_own_namespace(make_bot, adapter, tmp_path) -> None:  # noqa: F811
    bot, _ = await make_bot()
    fake = adapter(bot)
    upload = tmp_path / "memo.txt"
    upload.write_text("Budget Memo\n\nThe council approved the harbour budget on Monday after a long debate.\n")
    attachment_id = str(next(ids))
    inter = interaction(bot, "ingest", [{"name": "file", "type": 11, "value": attachment_id}], permissions=ADMIN)
    inter.data["resolved"] = {"attachments": {attachment_id: {  # type: ignore[index]
        "id": attachment_id, "filename": "../../memo.txt", "size": upload.stat().st_size,
        "url": str(upload), "proxy_url": str(upload)}}}
    await bot.tree._call(inter)
    assert "Added 1" in fake.followups[-1]["content"]
    assert f"discord-{bot.guilds[0].id}:memo.txt" in {a.id for a in bot.engine.sources()}


async def test_listings_hide_paths_tokens_and_failure_reasons(make_bot, adapter, tmp_path: Path) -> None:  # noqa: F811
    bot, _ = await make_bot(discord_rate_limit=100)
    fake = adapter(bot)
    bot.engine.add_feed("https://feeds.example.org/rss?token=SECRET123&user=me", probe=False)
    subs = bot.engine.subscriptions
    feed = subs.all()[0]
    feed.last_status = "failed (is refused: 10.0.0.7, which is not a public address)"
    subs.update(feed)
    await bot.tree._call(interaction(bot, "feeds", [{"name": "list", "type": 1, "options": []}]))
    assert fake.responses[-1]["type"] == 5  # deferred before the feeds file is read
    listing = fake.followups[-1]["content"]
    assert "feeds.example.org/rss" in listing and "SECRET123" not in listing
    assert "10.0.0.7" not in listing and "failed (the reason is in the bot's log)" in listing
    untitled = tmp_path / "private.jsonl"
    untitled.write_text('{"id": "/home/bot/private/notes", "text": "The harbour council met on Monday and '
                        'approved the new ferry timetable after a long debate."}\n')
    bot.engine.ingest([str(untitled)])  # the CLI's door: an untitled record named by a path
    await bot.tree._call(interaction(bot, "sources", []))
    assert fake.responses[-1]["type"] == 5
    description = fake.followups[-1]["embeds"][0]["description"]
    assert "**notes**" in description and "/home/bot" not in description
    assert shown_id("/home/bot/.config/newsbot/notes.txt") == "notes.txt"
    assert shown_id("https://x.example/a?token=1") == "https://x.example/a"


async def test_a_bare_mention_is_rate_limited_too(make_bot) -> None:  # noqa: F811
    bot, _ = await make_bot(discord_rate_limit=2, discord_rate_window=3600)
    for _ in range(10):
        await dpytest.message(mention(bot, ""))
    helps = [m for m in drain() if "Ask me a question" in (m.content or "")]
    assert len(helps) == 2


async def test_links_in_answers_are_inert_and_never_preview(make_bot, adapter) -> None:  # noqa: F811
    from bot.engine import Answer
    from bot.frontends.discord_render import render

    answer = Answer(question="What did the bank say?", text="Log in at https://evil.example/login?x=1 now. [1]",
                    citations=[], abstained=False)
    [part] = render(answer)
    assert "<https://evil.example/login?x=1>" in (part.content or "")
    assert inert("see https://a.example/x_y and *this*") == "see <https://a.example/x_y> and \\*this\\*"
    bot, sent = await make_bot()
    await dpytest.message(mention(bot, "What did Lavrov demand?"))
    drain()
    assert sent.payloads and all(p.get("flags", 0) & 4 for p in sent.payloads if not p.get("embeds"))


@pytest.mark.slow
@pytest.mark.serial
async def test_the_event_loop_keeps_beating_while_a_hostile_feed_is_ingested(make_bot, adapter, seeded: Engine) -> None:  # noqa: F811
    """A feed whose entries hold 40,000 unclosed ``<`` each and long runs of capitalised words:
    handled off the loop, in linear time."""
    hostile = "<" * 40_000 + " Aa" * 5_000 + " said. " + "The council met on Monday to discuss it. " * 10
    entries = "".join(f"<item><title>T{i}</title><link>https://x.example/{i}</link><content:encoded><![CDATA["
                      f"{hostile}]]></content:encoded></item>" for i in range(12))
    body = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>H</title>{entries}</channel></rss>").encode()
    bot, _ = await make_bot(seeded.configured(allow_networks="127.0.0.0/8", max_source_mb=50))
    fake = adapter(bot)
    gaps: list[float] = []
    stop = asyncio.Event()

    async def heartbeat() -> None:
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.02)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    # The whole test session's objects are set aside from the collector: a full collection over them
    # would stall the loop for the test's heap, not for anything the bot does.
    gc.collect()
    gc.freeze()
    beat = asyncio.create_task(heartbeat())
    try:
        with running(body_handler(body)) as base:
            await bot.tree._call(interaction(bot, "ingest", [{"name": "url", "type": 3, "value": f"{base}/feed.xml"}],
                                             permissions=ADMIN))
            stop.set()  # before the test's own server stops: its shutdown blocks this loop, not the bot
            await beat
    finally:
        gc.unfreeze()
    assert fake.followups, "the ingest never answered"
    assert len(gaps) > 10 and max(gaps) < 0.25, f"the loop stalled {max(gaps):.3f} s"
