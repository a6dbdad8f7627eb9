"""The Discord front end: mentions, threads, the /ask, /timeline, /digest, /quotes, /sources,
/ingest and /feeds list|add|remove commands, feeds polled in the background (with an optional
notice channel), and an optional daily digest posted at a set hour.

In discord.py's own idioms: the bot (``commands.Bot``) handles mentions, threads and the feed
watcher; the slash commands live in a Cog (``NewsCommands``) with ``/feeds`` as an
``app_commands.Group``; the rate limit is the Cog's ``interaction_check``, the moderators' commands
carry an ``app_commands.check``, and ``tree.on_error`` turns a refused check or an unexpected
error into one private line. Thin over the engine: every handler acknowledges, runs the engine
in the bot's own worker threads (answers one at a time, ingests one at a time), and renders
with ``discord_render``. Nothing it posts can ping anyone (``AllowedMentions.none()`` on the
client and on every send).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.citations import meta_line
from bot.engine import (
    ConfigError,
    Conversation,
    Conversations,
    Engine,
    InputError,
    NetworkError,
    NewsbotError,
    PollResult,
)
from bot.frontends.discord_render import (
    Part,
    digest_parts,
    inert,
    notice,
    quotes_parts,
    render,
    shown_id,
    timeline_parts,
)
from bot.frontends.logfile import log_file
from bot.settings import DiscordSettings, Settings

log = logging.getLogger("newsbot.discord")
NO_MENTIONS = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong while answering. Please try again in a moment."
SOURCES_PER_PAGE = 10
THREAD_NAME_LIMIT = 90  # characters of the question used as a thread's name
TITLE_CHARS = 150  # of an article title in /sources
REPLY_CHARS = 1900  # of an /ingest reply, under Discord's 2,000
FAILURES_SHOWN = 5  # failed items listed in an /ingest reply
LOGGED_QUESTION_CHARS = 100
SLOW_DOWN = "\N{HOURGLASS WITH FLOWING SAND}"
WORKER_PREFIX = "newsbot-worker"
SHUTDOWN_SECONDS = 10.0  # a stop waits this long for busy workers, then leaves without them
STATE_FILE = "discord.json"
DIGEST_FILE = "discord-digest.json"  # the last day a daily digest was decided on (posted or skipped)
DIGEST_CHECK_SECONDS = 60.0
T = TypeVar("T")


class RateLimiter:
    """At most ``limit`` requests per user in any ``window`` seconds, over every command.

    ``verdict`` says what to do with a request: ``"ok"``; ``"notify"`` for the first refused one
    in a window (tell the user once, privately); ``"silent"`` for the rest (a burst gets no echo).
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[int, deque[float]] = defaultdict(deque)
        self._told: dict[int, float] = {}

    def verdict(self, user_id: int, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        hits = self._hits[user_id]
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            return "ok"
        if now - self._told.get(user_id, float("-inf")) < self.window:
            return "silent"
        self._told[user_id] = now
        return "notify"

    def allow(self, user_id: int, now: float | None = None) -> bool:
        return self.verdict(user_id, now) == "ok"


class SlowDown(app_commands.CheckFailure):
    """A user has used up their requests for now."""


class NotAllowed(app_commands.CheckFailure):
    """A command for the server's moderators, used by someone else; the message says which."""


DM_REFUSAL = ("I answer questions in the servers I am in, each from its own articles, not in direct messages. "
              "Ask me there with /ask or a mention.")
NOTICES_FILE = "discord-notices.json"  # server id -> the channel its feed notices go to


class Libraries:
    """Which library (an engine over its own articles and feeds) serves which Discord server.

    Per server by default: what one server's moderators ingest is never quoted or listed in
    another. The operator may share the main library with every server, name one server whose
    library is the main one, and say which library direct messages read (none: they are refused).
    """

    def __init__(self, main: Engine, config: DiscordSettings) -> None:
        self.main = main
        self.config = config
        self._engines: dict[int, Engine] = {}
        self._lock = threading.Lock()

    def of(self, server: int | None) -> Engine:
        """The library of ``server`` (None: a direct message); InputError when DMs are refused."""
        if server is None:
            if not self.config.dm_library:
                raise InputError(DM_REFUSAL)
            if self.config.dm_library == "main":
                return self.main
            server = int(self.config.dm_library)
        if self.config.libraries == "shared" or server == self.config.main_server:
            return self.main
        with self._lock:
            engine = self._engines.get(server)
            if engine is None:
                engine = self._engines[server] = self.main.library(f"server-{server}")
            return engine

    def in_use(self, servers: list[int]) -> list[tuple[int | None, Engine]]:
        """Each distinct library the bot serves for ``servers``, with its server (None: shared)."""
        if self.config.libraries == "shared":
            return [(None, self.main)]
        return [(server, self.of(server)) for server in servers]


class NewsBot(commands.Bot):
    """The bot; ``libraries`` says which engine (library) serves each server."""

    def __init__(self, engine: Engine, settings: Settings, intents: discord.Intents | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        if intents is None:
            intents = discord.Intents.default()
            intents.message_content = True  # to read the question in a mention (privileged, not members)
        super().__init__(command_prefix=commands.when_mentioned, help_command=None, intents=intents,
                         allowed_mentions=NO_MENTIONS)
        self.engine = engine  # the main library
        self.settings = settings
        self.config: DiscordSettings = settings.discord
        self.libraries = Libraries(engine, self.config)
        self.limiter = RateLimiter(self.config.rate_limit, self.config.rate_window)
        self.conversations = Conversations(self.config.conversation_ttl, self.config.max_conversations)
        self.tree.error(self.on_app_command_error)
        # Our own workers, not asyncio's default executor: at shutdown nothing waits on a stuck one.
        self.worker_prefix = f"{WORKER_PREFIX}-{id(self):x}"
        self.workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix=self.worker_prefix)
        self._answer_lock = threading.Lock()  # one answer at a time (the model's threads are shared)
        self._ingest_lock = threading.Lock()  # one ingest at a time, never blocking answers
        self._watcher: asyncio.Task[None] | None = None
        self._digester: asyncio.Task[None] | None = None
        self.clock = clock or (lambda: datetime.now(UTC))  # when the daily digest is due

    async def install_commands(self) -> None:
        """The slash commands, as a Cog on this bot's command tree."""
        if self.get_cog(NewsCommands.__cog_name__) is None:
            await self.add_cog(NewsCommands(self))

    async def setup_hook(self) -> None:
        await self.install_commands()
        await self.tree.sync()
        if self.config.watch_feeds:
            self._watcher = asyncio.create_task(self.watch_feeds())
        if self.config.digest_channel:
            self._digester = asyncio.create_task(self.post_digests())

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """A refused check is said privately in one line; anything else is logged (never shown)
        and answered with an apology."""
        if isinstance(error, SlowDown):
            line = self.rate_note()
        elif isinstance(error, NotAllowed):
            line = str(error)
        else:
            log.error("/%s failed", interaction.command.name if interaction.command else "?",
                      exc_info=getattr(error, "original", error))
            line = APOLOGY
        try:
            if interaction.response.is_done():
                await interaction.followup.send(line, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(line, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.info("could not tell the user (%s)", type(exc).__name__)

    async def close(self) -> None:
        for task in (self._watcher, self._digester):
            if task is not None:
                task.cancel()
        self.workers.shutdown(wait=False, cancel_futures=True)
        self.write_state(connected=False)
        await super().close()

    async def on_ready(self) -> None:
        self.write_state(connected=True)

    async def on_resumed(self) -> None:
        self.write_state(connected=True)

    async def on_disconnect(self) -> None:
        self.write_state(connected=False)

    def write_state(self, connected: bool) -> None:
        """Whether the bot is connected, for ``newsbot status`` (a health check) to read."""
        try:
            write_state(self.settings.home, connected)
        except OSError as exc:
            log.info("could not write the bot's state file (%s)", exc.strerror or exc)

    # -- feeds in the background --------------------------------------------------------------
    async def watch_feeds(self) -> None:
        """Poll due feeds every ``feed_check_seconds`` until the bot closes; a failure is logged
        and the next round goes on."""
        while True:
            try:
                await self.poll_feeds()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("polling the feeds failed")
            await asyncio.sleep(self.config.feed_check_seconds)

    async def poll_feeds(self) -> list[PollResult]:
        """One round over every library the bot serves: due feeds polled off the event loop (on
        the ingest lock, so answers go on), a log line per feed, and a notice per new article in
        that library's server's notice channel (never another server's)."""
        results: list[PollResult] = []
        for server, engine in self.libraries.in_use([g.id for g in self.guilds]):
            try:
                polled: list[PollResult] = await self.run_engine(engine.poll_feeds, writes=True)
            except NewsbotError as exc:
                log.info("feeds of %s not polled this round: %s", server or "the shared library", exc)
                continue
            channel = self.notice_channel(server)
            for result in polled:
                log.info("feed %s", result.line())
                if channel is None:
                    continue
                for article in result.added:
                    try:
                        await channel.send(notice(article), allowed_mentions=NO_MENTIONS, suppress_embeds=True)
                    except discord.HTTPException as exc:
                        log.info("could not post a feed notice (%s)", type(exc).__name__)
            results += polled
        return results

    # -- the daily digest ---------------------------------------------------------------------
    async def post_digests(self) -> None:
        """Check every minute whether today's digest is due; a failure is logged and the next
        check goes on."""
        while True:
            try:
                await self.post_digest_if_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("posting the daily digest failed")
            await asyncio.sleep(DIGEST_CHECK_SECONDS)

    async def post_digest_if_due(self) -> bool:
        """Post the digest of the stories since yesterday in the digest channel, once a day from
        the set hour (UTC), from the library of the channel's server; nothing when no story was
        reported since yesterday. The day is recorded in the data folder before posting, so a
        restart never posts twice. True when a digest was posted."""
        now = self.clock()
        today = now.date().isoformat()
        if now.hour < self.config.digest_hour or read_json(self.settings.home / DIGEST_FILE).get("day") == today:
            return False
        channel = self.get_channel(self.config.digest_channel or 0)
        if not isinstance(channel, discord.abc.Messageable):
            log.info("the digest channel %s is not one the bot can post in", self.config.digest_channel)
            return False
        server = getattr(getattr(channel, "guild", None), "id", None)
        engine = self.libraries.of(server) if server is not None else self.engine
        digest = await self.run_engine(engine.digest, None, now.date())
        write_json(self.settings.home / DIGEST_FILE, {"day": today})
        if not digest.items:
            log.info("no daily digest for %s: nothing was reported since the day before", today)
            return False
        await self.send_parts(channel, digest_parts(digest, f"**Daily digest, {digest.since} to {digest.as_of}**"))
        return True

    def notice_channel(self, server: int | None) -> Any:
        """Where a library's feed notices go: the channel its server's moderators chose, else the
        configured notice channel when it is in that server (any server, for a shared library)."""
        chosen = read_notice_channels(self.settings.home).get(str(server)) if server is not None else None
        for candidate in (chosen, self.config.notice_channel):
            channel = self.get_channel(candidate or 0)
            if isinstance(channel, discord.abc.Messageable) and (
                    server is None or getattr(getattr(channel, "guild", None), "id", None) == server):
                return channel
        return None

    async def run_engine(self, fn: Any, *args: Any, writes: bool = False, **kwargs: Any) -> Any:
        """Run blocking engine work in a worker thread: answers one at a time, ingests one at a
        time, and an ingest (which may wait on the network) never holds up an answer."""
        lock = self._ingest_lock if writes else self._answer_lock

        def call() -> Any:
            with lock:
                return fn(*args, **kwargs)

        return await asyncio.get_running_loop().run_in_executor(self.workers, call)

    # -- mentions and threads ---------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or (self.user and message.author.id == self.user.id):
            return
        channel = message.channel
        conversation = self.conversations.get(channel.id) if isinstance(channel, discord.Thread) else None
        in_thread = conversation is not None
        mentioned = self.user is not None and (
            self.user.id in message.raw_mentions or any(u.id == self.user.id for u in message.mentions))
        if not (in_thread or mentioned):
            return
        verdict = self.limiter.verdict(message.author.id)  # before anything is posted, help included
        if verdict != "ok":
            if verdict == "notify":
                await self.tell_privately(message)
            return
        question = self.strip_mention(message.content)
        if not question:
            await channel.send("Ask me a question about the news, e.g. `@newsbot What did Lavrov demand?`",
                               allowed_mentions=NO_MENTIONS)
            return
        target: Any = channel
        if conversation is None:
            target, conversation = await self.open_thread(message, question)
        await self.answer_into(target, question, message.guild.id if message.guild else None, conversation)

    def strip_mention(self, content: str) -> str:
        if self.user is not None:
            content = re.sub(rf"<@!?{self.user.id}>", "", content)
        return " ".join(content.split())

    async def tell_privately(self, message: discord.Message) -> None:
        """The rate-limit notice by direct message; if DMs are closed, a quiet reaction instead."""
        try:
            await message.author.send(self.rate_note(), allowed_mentions=NO_MENTIONS)
        except (discord.HTTPException, AttributeError):
            try:
                await message.add_reaction(SLOW_DOWN)
            except discord.HTTPException:
                log.info("could not tell user %s about the rate limit", message.author.id)

    def rate_note(self) -> str:
        window = int(self.config.rate_window)
        return (f"You're asking quickly! I answer up to {self.config.rate_limit} questions "
                f"per person every {window} seconds; please try again shortly.")

    async def open_thread(self, message: discord.Message, question: str) -> tuple[Any, Conversation]:
        """Each new question in a channel opens a thread that keeps the conversation."""
        try:
            thread = await message.create_thread(name=question[:THREAD_NAME_LIMIT] or "question")
        except (discord.HTTPException, ValueError, AttributeError, NotImplementedError) as exc:
            log.info("no thread for this question (%s); answering in the channel", type(exc).__name__)
            return message.channel, Conversation()
        return thread, self.conversations.start(thread.id)

    async def answer_parts(self, question: str, server: int | None, conversation: Conversation | None = None,
                           as_of: str | None = None) -> list[Part]:
        """The engine's answer as messages; a user error is said, anything else is an apology."""

        async def answer() -> list[Part]:
            day = Engine.day(as_of)
            engine = self.libraries.of(server)
            return render(await self.run_engine(engine.ask, question, conversation=conversation, as_of=day))

        return await outcome(f"answering {question[:LOGGED_QUESTION_CHARS]!r}", answer, lambda line: [Part(content=line)])

    async def answer_into(self, target: Any, question: str, server: int | None,
                          conversation: Conversation | None) -> None:
        async with target.typing():
            parts = await self.answer_parts(question, server, conversation)
        await self.send_parts(target, parts)

    @staticmethod
    async def send_parts(target: Any, parts: list[Part]) -> None:
        """Post ``parts`` in a channel or thread: no pings, no link previews of article text."""
        for part in parts:
            await target.send(content=part.content, embed=part.embed, allowed_mentions=NO_MENTIONS,
                              suppress_embeds=part.embed is None)

    async def follow_up(self, interaction: discord.Interaction, parts: list[Part]) -> None:
        for part in parts:
            kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
            if part.embed is not None:
                kwargs["embed"] = part.embed
            else:
                kwargs["suppress_embeds"] = True  # no link previews of article text
            await interaction.followup.send(content=part.content or discord.utils.MISSING, **kwargs)

    def may_ingest(self, member: Any, perms: discord.Permissions | None = None) -> bool:
        """Members with Manage Server (or Administrator), or with the configured role, matched by
        its id (a name can be given to a new role by anyone who may manage roles)."""
        perms = perms if perms is not None else getattr(member, "guild_permissions", None)
        if perms is not None and (perms.manage_guild or perms.administrator):
            return True
        role = self.config.ingest_role
        return role is not None and any(r.id == role for r in getattr(member, "roles", []))


def moderators(what: str) -> Callable[[T], T]:
    """A check: only members who may ingest use this command (``what`` names it in the refusal)."""

    def predicate(interaction: discord.Interaction) -> bool:
        client = interaction.client
        if isinstance(client, NewsBot) and client.may_ingest(interaction.user, interaction.permissions):
            return True
        raise NotAllowed(f"Sorry, {what} is limited to members who manage this server.")

    return app_commands.check(predicate)


class NewsCommands(commands.Cog):
    """The slash commands; each acknowledges at once and leaves the work to the bot's workers."""

    feeds = app_commands.Group(name="feeds", description="The feed subscriptions: list, add or remove")

    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        """The rate limit, before anything else a command does."""
        if not self.bot.limiter.allow(interaction.user.id):
            raise SlowDown("rate limited")
        return True

    @app_commands.command(name="ask")
    @app_commands.describe(question="Your question about the news",
                           as_of="Answer as of this day (YYYY-MM-DD): later articles are left out")
    async def ask(self, interaction: discord.Interaction, question: str, as_of: str | None = None) -> None:
        """Ask a question; the answer cites the articles it comes from."""
        await interaction.response.defer(thinking=True)
        await self.bot.follow_up(interaction, await self.bot.answer_parts(question, interaction.guild_id, as_of=as_of))

    @app_commands.command(name="timeline")
    @app_commands.describe(topic="The story, e.g. Blinken Lavrov talks", as_of="As of this day (YYYY-MM-DD)")
    async def timeline(self, interaction: discord.Interaction, topic: str, as_of: str | None = None) -> None:
        """A story's events, oldest to newest, one cited line each."""
        await interaction.response.defer(thinking=True)
        bot = self.bot

        async def events() -> list[Part]:
            day = Engine.day(as_of)
            engine = bot.libraries.of(interaction.guild_id)
            return timeline_parts(await bot.run_engine(engine.timeline, topic, as_of=day))

        await bot.follow_up(interaction, await outcome("/timeline", events, lambda line: [Part(content=line)]))

    @app_commands.command(name="digest")
    @app_commands.describe(since="From this day: YYYY-MM-DD, today, yesterday, last week or 3d [yesterday]",
                           as_of="Up to this day (YYYY-MM-DD) [today]")
    async def digest(self, interaction: discord.Interaction, since: str | None = None,
                     as_of: str | None = None) -> None:
        """The top stories of the period, each with cited sentences and the figures outlets differ on."""
        await self._over_period(interaction, "/digest", since, as_of, lambda e, start, day: e.digest(start, day),
                                digest_parts)

    @app_commands.command(name="quotes")
    @app_commands.describe(person="Who, as the news names them: Lavrov, Sergei Lavrov",
                           since="From this day: YYYY-MM-DD, yesterday, last week or 3d [all]",
                           as_of="Up to this day (YYYY-MM-DD) [today]")
    async def quotes(self, interaction: discord.Interaction, person: str, since: str | None = None,
                     as_of: str | None = None) -> None:
        """What a person said, oldest first, each statement quoted with its citation."""
        await self._over_period(interaction, "/quotes", since, as_of,
                                lambda e, start, day: e.quotes(person, start, day), quotes_parts)

    async def _over_period(self, interaction: discord.Interaction, what: str, since: str | None, as_of: str | None,
                           make: Callable[[Engine, date | None, date | None], T],
                           render: Callable[[T], list[Part]]) -> None:
        """Acknowledge, read the period's days, make the result from the server's library in a
        worker and post it rendered (a mistake in one line)."""
        await interaction.response.defer(thinking=True)
        bot = self.bot

        async def made() -> list[Part]:
            day = Engine.day(as_of)
            start = Engine.since(since, day)
            engine = bot.libraries.of(interaction.guild_id)
            return render(await bot.run_engine(make, engine, start, day))

        await bot.follow_up(interaction, await outcome(what, made, lambda line: [Part(content=line)]))

    @feeds.command(name="list")
    async def feeds_list(self, interaction: discord.Interaction) -> None:
        """The feed subscriptions and how their last poll went."""
        bot = self.bot

        async def listed() -> str:
            feeds = await bot.run_engine(bot.libraries.of(interaction.guild_id).feeds, writes=True)
            return "\n".join(f"- <{shown_id(f.url)}> every {f.interval}: {feed_state(f.last_status)}"
                             for f in feeds) or "No feeds yet. Members who manage the server can add one."

        await self._privately(interaction, "/feeds list", listed)

    @feeds.command(name="add")
    @app_commands.describe(url="The feed URL", every="How often to poll it: 30m, 2h, 1d")
    @moderators("changing feeds")
    async def feeds_add(self, interaction: discord.Interaction, url: str, every: str | None = None) -> None:
        """Subscribe to a feed (members who manage the server)."""
        bot = self.bot

        async def added() -> str:
            feed, new = await bot.run_engine(bot.libraries.of(interaction.guild_id).add_feed, url, every,
                                             writes=True)
            return f"{'Subscribed to' if new else 'Updated'} <{shown_id(feed.url)}>, polled every {feed.interval}."

        await self._privately(interaction, "/feeds add", added)

    @feeds.command(name="remove")
    @app_commands.describe(url="The feed URL")
    @moderators("changing feeds")
    async def feeds_remove(self, interaction: discord.Interaction, url: str) -> None:
        """Unsubscribe from a feed; its articles stay (members who manage the server)."""
        bot = self.bot

        async def removed() -> str:
            if not await bot.run_engine(bot.libraries.of(interaction.guild_id).remove_feed, url, writes=True):
                raise InputError(f"not subscribed to {shown_id(url)}")
            return f"Unsubscribed from <{shown_id(url)}>; its articles stay."

        await self._privately(interaction, "/feeds remove", removed)

    @feeds.command(name="notices")
    @app_commands.describe(channel="Where to post a short notice for each new article from this server's feeds")
    @moderators("changing feeds")
    async def feeds_notices(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """Pick this server's channel for new-article notices (members who manage the server)."""
        bot = self.bot

        async def chosen() -> str:
            if interaction.guild_id is None or getattr(channel.guild, "id", None) != interaction.guild_id:
                raise InputError("Pick a channel of this server.")
            await bot.run_engine(set_notice_channel, bot.settings.home, interaction.guild_id, channel.id, writes=True)
            return f"New articles from this server's feeds will be announced in <#{channel.id}>."

        await self._privately(interaction, "/feeds notices", chosen)

    async def _privately(self, interaction: discord.Interaction, what: str, work: Callable[[], Awaitable[str]]) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)  # the feeds file may be locked a while
        reply = await outcome(what, work, str)
        await interaction.followup.send(reply[:REPLY_CHARS], ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="sources")
    @app_commands.describe(page="Page number (10 articles a page)")
    async def sources(self, interaction: discord.Interaction, page: int = 1) -> None:
        """List the articles newsbot knows."""
        await interaction.response.defer(thinking=True, ephemeral=True)  # a large store takes a while to list
        try:
            articles = await self.bot.run_engine(self.bot.libraries.of(interaction.guild_id).sources)
        except NewsbotError as exc:
            await interaction.followup.send(str(exc), ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        pages = max(1, -(-len(articles) // SOURCES_PER_PAGE))
        page = min(max(1, page), pages)
        chunk = articles[(page - 1) * SOURCES_PER_PAGE : page * SOURCES_PER_PAGE]
        lines = [
            f"**{inert(a.title or (a.shown_title if a.url else shown_id(a.id)))[:TITLE_CHARS]}** — "
            + inert(meta_line(a.shown_outlet, a.published) or shown_id(a.id)[:TITLE_CHARS])
            for a in chunk
        ] or ["No articles yet. Members who manage the server can add some with /ingest."]
        embed = discord.Embed(title=f"Sources ({len(articles)} articles)", description="\n".join(lines))
        embed.set_footer(text=f"Page {page} of {pages}")
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="ingest")
    @app_commands.describe(url="Article or feed URL", file="An article file (.txt, .md, .html, .jsonl)")
    @moderators("adding articles")
    async def ingest(self, interaction: discord.Interaction, url: str | None = None,
                     file: discord.Attachment | None = None) -> None:
        """Add an article (URL or attached file); for members who manage the server."""
        bot = self.bot
        refusal = self._refusal(url, file)
        if refusal:
            await interaction.response.send_message(refusal, ephemeral=True)
            return

        async def add() -> str:
            uploads = [(file.filename, await file.read())] if file is not None else []
            scope = f"discord-{interaction.guild_id or 'dm'}"
            engine = bot.libraries.of(interaction.guild_id)
            report = await bot.run_engine(engine.ingest_shared, [url.strip()] if url else [], uploads,
                                          scope, writes=True)
            summary = report.summary().capitalize() + "."
            if report.failed:
                summary += "\n" + "\n".join(failure_line(i, why) for i, why in report.failed[:FAILURES_SHOWN])
            return summary

        await self._privately(interaction, "/ingest", add)

    def _refusal(self, url: str | None, file: discord.Attachment | None) -> str:
        """Why an /ingest cannot start (nothing given, not a web address, a file too big); ""."""
        if not url and file is None:
            return "Give a `url` or attach a `file` to ingest."
        if url and not url.strip().lower().startswith(("http://", "https://")):
            return "Give a web address (http:// or https://) as `url`."
        if file is not None and file.size > self.bot.engine.fetch_policy().max_bytes:
            return f"That file is larger than the {self.bot.config.max_source_mb:g} MB limit."
        return ""


async def outcome(what: str, work: Callable[[], Awaitable[T]], say: Callable[[str], T]) -> T:
    """What ``work`` returns; an expected error is ``say``-ed as its one line, anything else is
    logged with its traceback (never shown) and ``say``-ed as an apology."""
    try:
        return await work()
    except NewsbotError as exc:
        return say(str(exc))
    except Exception:
        log.exception("%s failed", what)
        return say(APOLOGY)


def feed_state(status: str) -> str:
    """A feed's last poll as other people may see it: how it went, not why it failed (the reason
    names hosts and ports of the bot's network; it is in the bot's log)."""
    return "failed (the reason is in the bot's log)" if status.startswith("failed") else inert(status)


def failure_line(item: str, why: str) -> str:
    """A failed item for the moderator: a file's reason as is; a URL's only as "could not be added".

    Why a URL failed (refused, connection refused, HTTP 404, timeout) would let a moderator map
    which internal hosts and ports exist; the reason goes to the bot's log instead.
    """
    if item.startswith(("http://", "https://")):
        log.info("/ingest could not add %s: %s", item, why)
        return f"- {shown_id(item)}: could not be added (the reason is in the bot's log)"
    return f"- {Path(item).name}: {why}"


def token_of(settings: Settings) -> str:
    """The bot token, or one clear error when there is none."""
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise ConfigError("no Discord token: set DISCORD_TOKEN (or discord_token in the config file)")
    return token


def read_json(path: Path) -> dict[str, Any]:
    """A small JSON object the bot keeps in the data folder ({} when missing or unreadable)."""
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def write_json(path: Path, value: dict[str, Any]) -> None:
    """Replace it whole (written aside, then renamed), so a reader never sees half of it."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value))
    os.replace(tmp, path)


def write_state(home: Path, connected: bool) -> None:
    """``<home>/discord.json``: connected or not, and when that was last said."""
    write_json(home / STATE_FILE, {"connected": connected, "at": time.time(), "pid": os.getpid()})


def read_notice_channels(home: Path) -> dict[str, int]:
    """Server id -> the channel its moderators chose for feed notices."""
    return {str(k): int(v) for k, v in read_json(home / NOTICES_FILE).items()}


def set_notice_channel(home: Path, server: int, channel: int) -> None:
    chosen = read_notice_channels(home)
    chosen[str(server)] = channel
    write_json(home / NOTICES_FILE, chosen)


def read_state(home: Path) -> dict[str, Any] | None:
    """What the last running bot said of its connection; None when no bot has run here."""
    return read_json(home / STATE_FILE) or None


def log_to_file(home: Path) -> logging.Handler:
    """The bot's own INFO lines (and discord.py's) into the rotating ``<home>/newsbot.log``, so
    "the reason is in the bot's log" is true."""
    handler = log_file(home)
    handler.setLevel(logging.INFO)
    for name in ("newsbot", "discord"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    logging.getLogger("discord").propagate = False  # its chatter goes to the log, not the terminal
    return handler


def run(engine: Engine, settings: Settings, leave: Callable[[int], Any] = os._exit) -> None:
    """Run the bot until SIGINT/SIGTERM; a rejected token is one clear error.

    Unless set otherwise, an LLM's unsupported sentences are dropped here (other people read
    them). On a signal the bot closes; a worker still busy after ``SHUTDOWN_SECONDS`` (a stuck
    download, say) does not hold the process: the store survives a stop at any point.
    """
    token = token_of(settings)
    if settings.unsupported is None:
        engine = engine.configured(unsupported="drop")
        settings = engine.settings
    discord.VoiceClient.warn_nacl = False  # a text bot: no voice, and no warning that there is none
    discord.VoiceClient.warn_dave = False
    handler = log_to_file(settings.home)
    bot = NewsBot(engine, settings)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
            except (NotImplementedError, RuntimeError):
                pass
        async with bot:
            await bot.start(token)

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        raise ConfigError("Discord rejected the token: check DISCORD_TOKEN (reset it in the developer portal)") from None
    except (TimeoutError, aiohttp.ClientConnectionError, OSError) as exc:
        raise NetworkError(f"cannot reach Discord ({type(exc).__name__}): check the network connection") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError("enable the Message Content intent for the bot in the Discord developer portal") from None
    finally:
        if not wait_for_workers(bot.worker_prefix, SHUTDOWN_SECONDS):
            log.warning("a worker was still busy %g s after the stop; leaving without it", SHUTDOWN_SECONDS)
            handler.flush()
            leave(0)
        for name in ("newsbot", "discord"):
            logging.getLogger(name).removeHandler(handler)
        handler.close()


def wait_for_workers(prefix: str, seconds: float) -> bool:
    """Wait up to ``seconds`` in all for one bot's worker threads; True when none is left."""
    ends = time.monotonic() + seconds
    for thread in threading.enumerate():
        if thread.name.startswith(prefix):
            thread.join(max(0.0, ends - time.monotonic()))
    return not any(t.name.startswith(prefix) and t.is_alive() for t in threading.enumerate())
