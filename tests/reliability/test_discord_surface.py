"""The Discord surface as an attacker sees it: no way to add or remove articles without the
permission, and no secret in any log line, whatever happens."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
import discord.ext.test as dpytest
import pytest

from bot.engine import Engine, NetworkError
from bot.frontends import discord_app
from bot.settings import Settings
from tests.httpserver import QuietHandler, closed_port_url, running
from tests.test_discord import adapter, drain, interaction, make_bot, mention  # noqa: F401 (fixtures)

TOKEN = "MTIzNDU2Nzg5.SECRET-discord-token"
API_KEY = "sk-SECRET-api-key-987"


class Counting(QuietHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802
        Counting.hits += 1
        self.send_body(200, "text/html", b"<html><body><article><p>" + b"A page. " * 60 + b"</p></article></body></html>")


async def test_commands_offered_are_known_and_none_removes_articles(make_bot) -> None:  # noqa: F811
    bot, _ = await make_bot()
    assert sorted(c.name for c in bot.tree.get_commands()) == ["ask", "digest", "feeds", "ingest", "quotes", "sources",
                                                               "timeline"]
    feeds = bot.tree.get_command("feeds")
    assert isinstance(feeds, discord.app_commands.Group)
    assert sorted(c.name for c in feeds.commands) == ["add", "list", "notices", "remove"]
    cog = bot.get_cog("NewsCommands")
    assert cog is not None and {c.name for c in cog.get_app_commands()} == {"ask", "digest", "feeds", "ingest", "quotes",
                                                                             "sources", "timeline"}
    gated = {c.qualified_name for c in cog.walk_app_commands() if getattr(c, "checks", None)}
    assert gated == {"ingest", "feeds add", "feeds remove", "feeds notices"}  # the moderators' commands carry a check


async def test_an_unexpected_failure_is_an_apology_through_the_tree(make_bot, adapter, caplog) -> None:  # noqa: F811
    from bot.frontends.discord_app import APOLOGY

    bot, _ = await make_bot(discord_rate_limit=100)
    fake = adapter(bot)

    def broken() -> list:
        raise RuntimeError("the disk went away at /srv/private")

    bot.engine.sources = broken  # type: ignore[method-assign]
    await bot.tree._call(interaction(bot, "sources", []))
    assert fake.followups[-1]["content"] == APOLOGY and fake.followups[-1]["flags"] == 64
    assert "/srv/private" not in str(fake.followups) and "the disk went away" in caplog.text


async def test_no_message_or_command_reaches_ingest_without_permission(make_bot, adapter) -> None:  # noqa: F811
    bot, _ = await make_bot(discord_rate_limit=100)
    fake = adapter(bot)
    before = [a.id for a in bot.engine.sources()]
    Counting.hits = 0
    with running(Counting) as base:
        url = f"{base}/page"
        await dpytest.message(mention(bot, f"/ingest url:{url}"))
        thread = drain()[0].channel
        for text in (f"/ingest {url}", f"ingest {url}", f"please add {url} to your sources", "/sources remove all"):
            await dpytest.message(text, channel=thread)
        drain()
        await bot.tree._call(interaction(bot, "ingest", [{"name": "url", "type": 3, "value": url}]))
        assert "limited to members who manage this server" in fake.responses[-1]["data"]["content"]
    assert Counting.hits == 0  # the page was never even fetched
    assert [a.id for a in bot.engine.sources()] == before


async def test_only_manage_server_or_the_configured_role_may_ingest(make_bot) -> None:  # noqa: F811
    from types import SimpleNamespace

    editors = 4242
    bot, _ = await make_bot(discord_ingest_role=editors)
    nobody = discord.Permissions.none()

    def member(*roles: tuple[int, str]) -> SimpleNamespace:
        return SimpleNamespace(roles=[SimpleNamespace(id=i, name=n) for i, n in roles], guild_permissions=nobody)

    assert not bot.may_ingest(member((1, "ingest"), (2, "admin"), (3, "4242"), (4, "@everyone")), nobody)
    assert bot.may_ingest(member((editors, "editors")), nobody)
    assert bot.may_ingest(member(), discord.Permissions(manage_guild=True))
    assert bot.may_ingest(member(), discord.Permissions(administrator=True))
    unset, _ = await make_bot()
    assert not unset.may_ingest(member((0, "")), nobody)  # no role configured: no role is a key


async def test_no_secret_in_any_log_line(make_bot, adapter, seeded: Engine, caplog, monkeypatch) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)
    settings = dict(discord_token=TOKEN, llm_api_key=API_KEY, discord_rate_limit=2, discord_rate_window=3600)
    bot, _ = await make_bot(**settings)
    fake = adapter(bot)
    await dpytest.message(mention(bot, "What did Lavrov demand?"))
    await dpytest.message(mention(bot, ""))
    for _ in range(3):
        await dpytest.message(mention(bot, "What did Blinken warn of?"))
    monkeypatch.setattr(bot.engine, "ask", lambda *a, **k: (_ for _ in ()).throw(RuntimeError(f"boom {API_KEY}"[:4])))
    await dpytest.message(mention(bot, "Will this fail?"))
    admin = discord.Permissions(manage_guild=True).value
    await bot.tree._call(interaction(bot, "ingest", [{"name": "url", "type": 3, "value": closed_port_url()}],
                                     permissions=admin))
    drain()
    del fake
    monkeypatch.setattr(discord.http.Route, "BASE", closed_port_url().rsplit("/", 1)[0] + "/api/v10")
    with pytest.raises(NetworkError):
        await asyncio.to_thread(discord_app.run, seeded, Settings(home=seeded.settings.home, **settings))  # type: ignore[arg-type]
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert caplog.records  # something was logged, so the check means something
    assert TOKEN not in logged and API_KEY not in logged
    assert TOKEN.split(".")[1] not in logged


def test_settings_never_show_secrets(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, discord_token=TOKEN, llm_api_key=API_KEY)  # type: ignore[arg-type]
    shown = repr(s) + str(s) + str(s.model_dump())
    assert TOKEN not in shown and API_KEY not in shown


@pytest.mark.slow
async def test_answers_keep_flowing_while_a_slow_ingest_runs(make_bot, adapter, seeded: Engine) -> None:  # noqa: F811
    from tests.reliability.test_urls import Trickle

    engine = seeded.configured(allow_networks="127.0.0.0/8", fetch_timeout=8)
    bot, _ = await make_bot(engine)
    fake = adapter(bot)
    admin = discord.Permissions(manage_guild=True).value
    with running(Trickle) as base:
        ingest = asyncio.create_task(bot.tree._call(
            interaction(bot, "ingest", [{"name": "url", "type": 3, "value": f"{base}/slow"}], permissions=admin)))
        await asyncio.sleep(1.0)  # the ingest is now waiting on the slow server
        await dpytest.message(mention(bot, "What did Lavrov demand?"))
        answered_while_ingesting = not ingest.done()
        assert "security guarantees" in drain()[0].content
        await ingest
    assert answered_while_ingesting
    assert "could not be added" in fake.followups[-1]["content"]


async def test_attachment_names_cannot_leave_the_upload_folder(make_bot, adapter, tmp_path: Path) -> None:  # noqa: F811
    from tests.conftest import FIXTURES
    from tests.test_discord import ids

    bot, _ = await make_bot()
    fake = adapter(bot)
    path = FIXTURES / "frontmatter.md"
    attachment_id = str(next(ids))
    hostile = "../../../../tmp/newsbot-escape-check.md"
    inter = interaction(bot, "ingest", [{"name": "file", "type": 11, "value": attachment_id}],
                        permissions=discord.Permissions(manage_guild=True).value)
    inter.data["resolved"] = {"attachments": {attachment_id: {  # type: ignore[index]
        "id": attachment_id, "filename": hostile, "size": path.stat().st_size,
        "url": str(path), "proxy_url": str(path)}}}
    Path("/tmp/newsbot-escape-check.md").unlink(missing_ok=True)
    await bot.tree._call(inter)
    assert "Added 1" in fake.followups[-1]["content"]
    assert not Path("/tmp/newsbot-escape-check.md").exists()
    [stored] = [a for a in bot.engine.sources() if a.title == "Tram Line Approved for the East Side"]
    assert Path(stored.source).name == "newsbot-escape-check.md" and "/../" not in stored.source
