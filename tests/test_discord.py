"""The Discord bot driven through the real discord.py via dpytest.

dpytest fakes Discord's HTTP side; two things it lacks are added here in the same spirit:
starting a thread from a message, and the webhook adapter that interaction responses use.
"""

from __future__ import annotations

import asyncio
import re
from itertools import count
from pathlib import Path
from typing import Any

import discord
import discord.ext.test as dpytest
import pytest
import pytest_asyncio
from discord.ext.test import backend as back
from discord.ext.test import factories as facts
from discord.webhook import async_ as webhook_async

from bot.answer import NOT_COVERED
from bot.engine import Engine
from bot.frontends.discord_app import APOLOGY, NewsBot, RateLimiter
from bot.frontends.discord_render import CONTENT_LIMIT
from bot.settings import Settings
from tests.conftest import FIXTURES
from tests.llmserver import FakeLLM, passage_number, serve_llm

ids = count(900_000_000_000_000_000)
MARKER_BROKEN = re.compile(r"\[\d*$|^\d*\]")


class Sent:
    """Every payload the bot sent, with the channel it went to."""

    def __init__(self) -> None:
        self.payloads: list[dict] = []


@pytest_asyncio.fixture
async def make_bot(seeded: Engine, monkeypatch: pytest.MonkeyPatch):

    async def factory(engine: Engine | None = None, guilds: int = 1, **settings: Any) -> tuple[NewsBot, Sent]:
        """A bot on ``engine`` (the seeded one); one library shared by its servers unless the
        test asks for per-server libraries."""
        engine = engine or seeded
        settings.setdefault("discord_libraries", "shared")
        intents = discord.Intents.default()
        intents.message_content = True
        intents.members = True  # dpytest resolves mentions through the member cache
        bot = NewsBot(engine, Settings(home=engine.settings.home, **settings), intents=intents)
        await bot._async_setup_hook()
        await bot.install_commands()
        dpytest.configure(bot, guilds=guilds, members=["alice", "bob"])
        back.get_state().loop = asyncio.get_running_loop()  # dpytest's state lacks it (typing needs it)
        sent = Sent()
        http = back.get_state().http
        original = http.send_message

        async def send_message(channel_id: int, *, params: Any) -> Any:
            channel = bot.get_channel(channel_id) or _find_thread(bot, channel_id)  # noqa: F841 (dpytest reads it)
            sent.payloads.append(dict(params.payload or {}))
            return await original(channel_id, params=params)

        async def start_thread_with_message(channel_id: int, message_id: int, *, name: str, **_: Any) -> dict:
            channel = bot.get_channel(channel_id)
            data = {"id": str(next(ids)), "guild_id": str(channel.guild.id), "parent_id": str(channel_id),
                    "owner_id": str(bot.user.id), "name": name, "type": 11, "message_count": 0,
                    "member_count": 1, "rate_limit_per_user": 0,
                    "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                        "archive_timestamp": "2022-01-01T00:00:00+00:00", "locked": False}}
            thread = discord.Thread(guild=channel.guild, state=back.get_state(), data=data)
            channel.guild._add_thread(thread)
            return data

        monkeypatch.setattr(http, "send_message", send_message)
        monkeypatch.setattr(http, "start_thread_with_message", start_thread_with_message, raising=False)
        return bot, sent

    yield factory
    await dpytest.empty_queue()


def _find_thread(bot: NewsBot, thread_id: int) -> Any:
    for guild in bot.guilds:
        thread = guild.get_thread(thread_id)
        if thread is not None:
            return thread
    return None


def drain() -> list[discord.Message]:
    out = []
    while not dpytest.sent_queue.empty():
        out.append(dpytest.get_message())
    return out


def mention(bot: NewsBot, text: str) -> str:
    return f"<@{bot.user.id}> {text}"


async def test_mention_gets_cited_answer_in_a_new_thread(make_bot) -> None:
    bot, sent = await make_bot()
    await dpytest.message(mention(bot, "What did Lavrov demand?"))
    messages = drain()
    assert messages, "no reply"
    reply = messages[0]
    assert isinstance(reply.channel, discord.Thread)  # each new question opens a thread
    assert "security guarantees" in reply.content and "[1]" in reply.content
    embed = reply.embeds[0]
    assert embed.title == "Sources" and "**[1]**" in embed.description
    assert "Russia-US Talks On Invasion Threat End Without Breakthrough" in embed.description
    assert "> Russian Foreign Minister Sergei Lavrov said" in embed.description
    assert all(p.get("allowed_mentions") == {"parse": []} or p["allowed_mentions"]["parse"] == [] for p in sent.payloads)


async def test_a_question_the_store_never_reported_is_said_so_not_answered(make_bot) -> None:
    bot, _ = await make_bot()
    await dpytest.message(mention(bot, "Which band released a new album?"))  # the store holds one report on Ukraine
    reply = drain()[0]
    assert NOT_COVERED in reply.content and "[1]" not in reply.content and "**" not in reply.content
    assert not any(e.title == "Sources" for e in reply.embeds)


async def test_follow_up_in_thread_is_answered_in_context(make_bot) -> None:
    bot, _ = await make_bot()
    await dpytest.message(mention(bot, "What did Blinken warn of?"))
    first = drain()[0]
    thread = first.channel
    assert isinstance(thread, discord.Thread) and "swift" in first.content
    await dpytest.message("And how did Lavrov respond?", channel=thread)  # no mention needed in its thread
    follow = drain()
    assert follow and follow[0].channel.id == thread.id
    conversation = bot.conversations.get(thread.id)
    assert conversation is not None
    turn = conversation.turns[-1]
    assert "Blinken" in turn.standalone
    assert "Lavrov" in follow[0].content and "[1]" in follow[0].content


async def test_other_bots_and_unmentioned_messages_get_no_reply(make_bot) -> None:
    bot, _ = await make_bot()
    other = back.make_user("otherbot", "0001")
    other.bot = True  # type: ignore[misc]
    member = back.make_member(other, bot.guilds[0])
    await dpytest.message(mention(bot, "What did Lavrov demand?"), member=member)
    await dpytest.message("What did Lavrov demand?")  # nobody asked the bot
    assert drain() == []


async def test_everyone_in_an_article_does_not_ping(make_bot, home: Path, embedder) -> None:
    engine = Engine(Settings(home=home), embedder=embedder)
    engine.ingest([str(FIXTURES / "everyone.txt")])
    bot, sent = await make_bot(engine)
    await dpytest.message(mention(bot, "What did the fan club organisers post on their channel?"))
    messages = drain()
    assert "@everyone" in messages[0].content
    assert sent.payloads and all(p["allowed_mentions"]["parse"] == [] for p in sent.payloads)
    assert not messages[0].mention_everyone


async def test_rate_limit_holds_under_a_burst_with_one_private_notice(make_bot) -> None:
    bot, sent = await make_bot(discord_rate_limit=2, discord_rate_window=3600)
    for _ in range(6):
        await dpytest.message(mention(bot, "What did Lavrov demand?"))
    messages = drain()
    public = [m for m in messages if not isinstance(m.channel, discord.DMChannel)]
    private = [m for m in messages if isinstance(m.channel, discord.DMChannel)]
    assert sum("security guarantees" in m.content for m in public) == 2
    assert not any("asking quickly" in m.content for m in public)  # nothing public for the burst
    assert [("asking quickly" in m.content) for m in private] == [True]  # told once, privately


def test_rate_limiter_verdicts() -> None:
    limiter = RateLimiter(1, 10)
    assert limiter.verdict(1, 0.0) == "ok"
    assert limiter.verdict(1, 5.0) == "notify" and limiter.verdict(1, 6.0) == "silent"
    assert limiter.verdict(2, 6.0) == "ok"  # per user
    assert limiter.verdict(1, 10.5) == "ok" and limiter.verdict(1, 11.0) == "silent"  # told 6 s ago: quiet
    assert limiter.verdict(1, 16.0) == "notify"


async def test_long_answer_arrives_in_parts_within_limits(make_bot, seeded: Engine) -> None:
    def reply(messages: list[dict]) -> str:
        n = passage_number(messages, "Lavrov said Moscow was still waiting")
        sentence = ("Lavrov said Moscow was still waiting for a written response to its demands "
                    f"for security guarantees from Washington [{n}].")
        return " ".join([sentence] * 30)

    with serve_llm(FakeLLM(reply=reply)) as url:
        engine = Engine(Settings(home=seeded.settings.home, llm="openai:fake", llm_base_url=url, llm_timeout=5),
                        embedder=seeded.embedder)
        bot, _ = await make_bot(engine)
        await dpytest.message(mention(bot, "What did Lavrov demand?"))
    parts = drain()
    assert len(parts) >= 2
    assert sum(len(p.content or "") for p in parts) > CONTENT_LIMIT
    for p in parts:
        assert len(p.content or "") <= CONTENT_LIMIT
        assert not MARKER_BROKEN.search((p.content or "").strip())
        assert all(m in ("[1]",) for m in re.findall(r"\[\d+\]", p.content or ""))
    assert parts[-1].embeds and "**[1]**" in parts[-1].embeds[0].description


# -- slash commands through discord.py's Interaction objects --------------------------------
class FakeWebhookAdapter:
    """Stands in for Discord's interaction endpoints; records what the bot sent."""

    def __init__(self, channel: discord.TextChannel, author: discord.abc.User) -> None:
        self.responses: list[dict] = []
        self.followups: list[dict] = []
        self.channel = channel
        self.author = author

    async def create_interaction_response(self, interaction_id: int, token: str, *, params: Any, **_: Any) -> dict:
        self.responses.append(dict(params.payload or {}))
        return {"interaction": {"id": str(interaction_id), "type": 2, "response_message_loading": True}}

    async def execute_webhook(self, webhook_id: int, token: str, *, payload: dict | None = None, wait: bool = False,
                              **_: Any) -> dict | None:
        self.followups.append(dict(payload or {}))
        if not wait:
            return None
        embeds = [discord.Embed.from_dict(e) for e in (payload or {}).get("embeds", [])]
        return facts.make_message_dict(self.channel, self.author, content=(payload or {}).get("content"),
                                       embeds=embeds)


def interaction(bot: NewsBot, name: str, options: list[dict], permissions: int = 0, server: int = 0,
                resolved: dict | None = None) -> discord.Interaction:
    """A slash command used in the bot's ``server``-th server by its first member."""
    guild = bot.guilds[server]
    channel = guild.text_channels[0]
    member = next(m for m in guild.members if m.id != bot.user.id)
    member_data = facts.dict_from_member(member)
    member_data["permissions"] = str(permissions)
    data = {"id": str(next(ids)), "application_id": str(bot.user.id), "type": 2, "token": "interaction-token",
            "version": 1, "guild_id": str(guild.id), "channel": {"id": str(channel.id), "type": 0},
            "channel_id": str(channel.id), "member": member_data, "attachment_size_limit": 8_000_000,
            "data": {"id": str(next(ids)), "name": name, "type": 1, "options": options, "resolved": resolved or {}}}
    return discord.Interaction(data=data, state=bot._connection)


@pytest.fixture
def adapter(monkeypatch: pytest.MonkeyPatch):
    holder: dict[str, FakeWebhookAdapter] = {}

    def install(bot: NewsBot) -> FakeWebhookAdapter:
        fake = FakeWebhookAdapter(bot.guilds[0].text_channels[0], bot.user)
        webhook_async.async_context.set(fake)  # type: ignore[arg-type]
        holder["a"] = fake
        return fake

    return install


async def test_slash_ask_defers_then_follows_up(make_bot, adapter) -> None:
    bot, _ = await make_bot()
    fake = adapter(bot)
    await bot.tree._call(interaction(bot, "ask", [{"name": "question", "type": 3, "value": "What did Lavrov demand?"}]))
    assert fake.responses[0]["type"] == 5  # deferred: acknowledged before the engine ran
    assert fake.followups, "no follow-up"
    first = fake.followups[0]
    assert "security guarantees" in first["content"] and first["allowed_mentions"]["parse"] == []
    assert first["embeds"][0]["title"] == "Sources"


async def test_slash_ingest_refused_for_members_allowed_for_admins(make_bot, adapter, seeded: Engine) -> None:
    from tests.httpserver import serve

    bot, _ = await make_bot(seeded.configured(allow_networks="127.0.0.0/8"))  # the test server is on loopback
    fake = adapter(bot)
    page = (FIXTURES / "article.html").read_bytes()
    with serve({"/news/bridge": (200, "text/html", page)}) as base:
        url_option = [{"name": "url", "type": 3, "value": f"{base}/news/bridge"}]
        await bot.tree._call(interaction(bot, "ingest", url_option, permissions=0))
        assert "limited to members who manage this server" in fake.responses[-1]["data"]["content"]
        assert fake.responses[-1]["data"]["flags"] == 64  # only the asker sees the refusal
        assert not any(a.title.startswith("Harbour Bridge") for a in bot.engine.sources())

        admin = discord.Permissions(manage_guild=True).value
        await bot.tree._call(interaction(bot, "ingest", url_option, permissions=admin))
    assert fake.responses[-1]["type"] == 5
    assert "Added 1" in fake.followups[-1]["content"]
    assert any(a.title.startswith("Harbour Bridge") for a in bot.engine.sources())


async def test_slash_sources_lists_and_paginates(make_bot, adapter) -> None:
    bot, _ = await make_bot()
    fake = adapter(bot)
    await bot.tree._call(interaction(bot, "sources", [{"name": "page", "type": 4, "value": 3}]))
    assert fake.responses[-1]["type"] == 5  # deferred first
    embed = fake.followups[-1]["embeds"][0]
    assert embed["title"] == "Sources (1 articles)" and "Page 1 of 1" in embed["footer"]["text"]
    assert "Russia-US Talks" in embed["description"]


async def test_engine_failure_is_a_short_apology(make_bot, seeded: Engine, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    bot, _ = await make_bot()

    def broken(*a: Any, **k: Any) -> None:
        raise RuntimeError("chroma exploded at /secret/path")

    monkeypatch.setattr(seeded, "ask", broken)
    await dpytest.message(mention(bot, "What did Lavrov demand?"))
    [reply] = drain()
    assert reply.content == APOLOGY and "secret" not in reply.content
    assert "chroma exploded" in caplog.text  # the details go to the log


async def test_slash_ingest_attached_file(make_bot, adapter) -> None:
    bot, _ = await make_bot()
    fake = adapter(bot)
    path = FIXTURES / "frontmatter.md"
    attachment_id = str(next(ids))
    inter = interaction(bot, "ingest", [{"name": "file", "type": 11, "value": attachment_id}],
                        permissions=discord.Permissions(manage_guild=True).value)
    inter.data["resolved"] = {"attachments": {attachment_id: {  # type: ignore[index]
        "id": attachment_id, "filename": "frontmatter.md", "size": path.stat().st_size,
        "url": str(path), "proxy_url": str(path)}}}
    await bot.tree._call(inter)
    assert "Added 1" in fake.followups[-1]["content"]
    assert any(a.title == "Tram Line Approved for the East Side" for a in bot.engine.sources())


async def test_slash_ingest_url_failures_are_one_generic_line(make_bot, adapter, caplog) -> None:
    from tests.httpserver import closed_port_url, serve

    bot, _ = await make_bot()  # default settings: loopback refused
    fake = adapter(bot)
    admin = discord.Permissions(manage_guild=True).value
    with serve({"/secret": (200, "text/html", b"<html>x</html>")}) as base:
        replies = []
        for url in (f"{base}/secret", f"{base}/missing", closed_port_url()):
            with caplog.at_level("INFO", logger="newsbot.discord"):
                await bot.tree._call(interaction(bot, "ingest", [{"name": "url", "type": 3, "value": url}],
                                                 permissions=admin))
            replies.append(fake.followups[-1]["content"].split("\n")[1].replace(url, "URL"))
    assert replies == ["- URL: could not be added (the reason is in the bot's log)"] * 3  # nothing to tell apart
    assert "not a public address" in caplog.text  # the details go to the log


async def test_slash_ingest_oversized_attachment_refused_before_reading(make_bot, adapter) -> None:
    bot, _ = await make_bot()
    fake = adapter(bot)
    attachment_id = str(next(ids))
    inter = interaction(bot, "ingest", [{"name": "file", "type": 11, "value": attachment_id}],
                        permissions=discord.Permissions(manage_guild=True).value)
    inter.data["resolved"] = {"attachments": {attachment_id: {  # type: ignore[index]
        "id": attachment_id, "filename": "huge.txt", "size": 500_000_000,
        "url": "/nonexistent/huge.txt", "proxy_url": "/nonexistent/huge.txt"}}}
    await bot.tree._call(inter)
    assert "larger than the 10 MB limit" in fake.responses[-1]["data"]["content"]
    assert fake.responses[-1]["data"]["flags"] == 64


async def test_markdown_in_an_article_is_not_live_in_the_answer(make_bot, home: Path, embedder) -> None:
    article = home.parent / "phish.txt"
    article.write_text("Bank Notice\n\nThe bank told customers to [verify your account](https://evil.example) "
                       "before Friday, and the ||winner|| of the raffle was **announced** by the bank manager.\n")
    engine = Engine(Settings(home=home), embedder=embedder)
    engine.ingest([str(article)])
    bot, _ = await make_bot(engine)
    await dpytest.message(mention(bot, "What did the bank tell customers to do before Friday?"))
    content = drain()[0].content
    assert "\\[verify your account" in content and "(<https://evil.example>)" in content  # text, not a link
    assert "\\|\\|winner\\|\\|" in content and "\\*\\*announced\\*\\*" in content
    assert "[1]" in content  # citation markers stay readable


async def test_every_command_is_rate_limited(make_bot, adapter) -> None:
    bot, _ = await make_bot(discord_rate_limit=1, discord_rate_window=3600)
    fake = adapter(bot)
    await bot.tree._call(interaction(bot, "sources", []))
    for name, options in (("sources", []), ("ingest", [{"name": "url", "type": 3, "value": "https://x.example/a"}]),
                          ("ask", [{"name": "question", "type": 3, "value": "What did Lavrov demand?"}])):
        await bot.tree._call(interaction(bot, name, options, permissions=discord.Permissions(manage_guild=True).value))
        assert "asking quickly" in fake.responses[-1]["data"]["content"]
        assert fake.responses[-1]["data"]["flags"] == 64


async def test_unreachable_discord_is_one_line(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.engine import NetworkError
    from bot.frontends import discord_app
    from tests.httpserver import closed_port_url

    monkeypatch.setattr(discord.http.Route, "BASE", closed_port_url().rsplit("/", 1)[0] + "/api/v10")
    settings = Settings(home=seeded.settings.home, discord_token="not-a-real-token")  # type: ignore[arg-type]
    with pytest.raises(NetworkError, match="^cannot reach Discord .*check the network connection$") as caught:
        await asyncio.to_thread(discord_app.run, seeded, settings)
    assert "not-a-real-token" not in str(caught.value)
