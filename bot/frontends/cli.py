"""The ``newsbot`` command: ingest, ask, chat, timeline, stories, digest, quotes, sources (list,
remove), feeds (list, add, remove), watch, eval, status, discord.

A thin front end over the engine: it parses flags into settings, builds the engine once, and
turns a ``NewsbotError`` into one line on stderr and a non-zero exit. Anything unexpected is
written with its traceback to ``<home>/newsbot.log`` and reported in one line.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:  # imported when a command runs, so `newsbot --help` stays instant
    from bot.engine import Engine, Filters
    from bot.settings import Settings

# Plain help text: typer's rich help imports a Markdown renderer, over half of `newsbot --help`.
PLAIN_HELP = None
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=PLAIN_HELP,
    help="newsbot: answers questions about news articles, citing the exact sentences.",
)
sources_app = typer.Typer(help="List or remove stored articles.", invoke_without_command=True,
                          rich_markup_mode=PLAIN_HELP)
app.add_typer(sources_app, name="sources")
feeds_app = typer.Typer(help="Feed subscriptions that `newsbot watch` keeps polling.", invoke_without_command=True,
                        rich_markup_mode=PLAIN_HELP)
app.add_typer(feeds_app, name="feeds")

# Into a pipe or a file, lines are never cut at a width (a URL would be split); at a terminal,
# rich wraps to the window.
console = Console(soft_wrap=not Console().is_terminal)
err = Console(stderr=True, soft_wrap=True)
log = logging.getLogger("newsbot")
T = TypeVar("T")


@dataclass
class Invocation:
    """What the global flags said, handed to every command through typer's context."""

    overrides: dict[str, Any] = field(default_factory=dict)
    verbose: bool = False

    def settings(self) -> Settings:
        from bot.settings import load_settings

        return load_settings(**self.overrides)


def invocation(ctx: typer.Context) -> Invocation:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Invocation) else Invocation()


def build_engine(s: Settings, answering: bool = False) -> Engine:
    """The engine, built once per command (the model and the store load here); ``answering``
    commands load the model and the vector index in the background meanwhile."""
    from bot.engine import Engine

    return Engine(s, answering=answering)


def guarded(ctx: typer.Context, fn: Callable[[], T]) -> T:
    """Run ``fn``; expected errors become one line and exit 1, Ctrl-C exits 130."""
    from bot.engine import NewsbotError

    try:
        return fn()
    except NewsbotError as exc:
        err.print(f"[red]error:[/red] {_escape(str(exc))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except BrokenPipeError:  # the reader left early (`newsbot feeds --json | head`): nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        raise typer.Exit(1) from None
    except Exception:
        path = _log_unexpected(invocation(ctx))
        err.print(f"[red]error:[/red] newsbot failed unexpectedly; the details are in {path}")
        raise typer.Exit(2) from None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _log_unexpected(inv: Invocation) -> Path:
    from bot.engine import NewsbotError

    try:
        home = inv.settings().home
    except NewsbotError:
        home = Path(".")
    from bot.frontends.logfile import LOG_FILE, log_file

    handler = log_file(home)
    log.addHandler(handler)
    log.propagate = False  # the traceback goes to the file only; the terminal gets one line
    try:
        log.exception("unexpected error")
    finally:
        log.propagate = True
        handler.close()
        log.removeHandler(handler)
    return home / LOG_FILE



def _version(given: bool) -> None:
    if given:
        from importlib.metadata import version as installed

        console.print(f"newsbot {installed('newsbot')}")
        raise typer.Exit(0)


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[Path | None, typer.Option(help="Folder for the store and caches [NEWSBOT_HOME].")] = None,
    chroma_url: Annotated[str | None, typer.Option(help="Chroma server http://HOST:PORT [NEWSBOT_CHROMA_URL].")] = None,
    collection: Annotated[str | None, typer.Option(help="Chroma collection [NEWSBOT_COLLECTION].")] = None,
    llm: Annotated[str | None, typer.Option(help="'extractive' or a LangChain model string [NEWSBOT_LLM].")] = None,
    llm_base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server URL [NEWSBOT_LLM_BASE_URL].")] = None,
    top_k: Annotated[int | None, typer.Option(help="Passages given to the answerer [NEWSBOT_TOP_K].")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show the searched question, scores and timings.")] = False,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=lambda given: _version(given),
                                          help="Print the version and exit.")] = False,
) -> None:
    ctx.obj = Invocation(
        overrides={"home": home, "chroma_url": chroma_url, "collection": collection, "llm": llm,
                   "llm_base_url": llm_base_url, "top_k": top_k},
        verbose=verbose,
    )
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    _log_levels(verbose)


def _log_levels(verbose: bool) -> None:
    logging.getLogger().setLevel(logging.INFO if verbose else logging.WARNING)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "trafilatura", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show the searched question, scores and timings "
                                          "(also accepted before the command).")]


def invoked(ctx: typer.Context, verbose: bool) -> Invocation:
    """The global flags, with ``-v`` also taken after the command (``newsbot ask -v …``)."""
    inv = invocation(ctx)
    if verbose and not inv.verbose:
        inv.verbose = True
        _log_levels(True)
    return inv


# -- ingest -------------------------------------------------------------------------------
@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, feeds, or - for JSONL on stdin.")],
    prune: Annotated[bool, typer.Option(help="Remove articles whose files are gone from the folders given.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Add articles to the store (unchanged ones are skipped, changed ones replaced)."""

    def run() -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        engine = build_engine(invocation(ctx).settings())
        total = engine.estimate(paths)
        columns = [TextColumn("[bold]ingesting"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=True, disable=as_json or not err.is_terminal) as bar:
            task = bar.add_task("ingest", total=total, rate="")
            counts = {"articles": 0, "chunks": 0}

            def progress(articles: int, chunks: int) -> None:
                counts["articles"] += articles
                counts["chunks"] += chunks
                elapsed = max(bar.tasks[0].elapsed or 1e-9, 1e-9)
                rate = f"{counts['articles'] / elapsed:.1f} articles/s, {counts['chunks'] / elapsed:.0f} chunks/s"
                bar.update(task, advance=articles, rate=rate)

            report = engine.ingest(paths, progress, stdin=sys.stdin, prune=prune)
        if as_json:
            print(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            from bot.frontends.terminal import print_report

            print_report(console, report, err)
        if report.failed:
            raise typer.Exit(1)

    guarded(ctx, run)


# -- ask and chat -------------------------------------------------------------------------
def scope(since: str | None, until: str | None, source: list[str] | None, as_of: str | None
          ) -> tuple[Filters, date | None]:
    """The search filters and the as-of day from the flags, checked before the engine is built,
    so a bad date fails without loading the model."""
    from bot.engine import Engine

    return Engine.filters(since, until, source), Engine.day(as_of)


SinceOpt = Annotated[str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option(help="Only articles published on or before YYYY-MM-DD.")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", help="Only this outlet (repeatable).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Answer as of YYYY-MM-DD: later articles do not exist "
                                             "yet, fresher ones are preferred [today].")]


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer and citations as JSON.")] = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: SourceOpt = None,
    as_of: AsOfOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Answer one question with numbered citations."""

    def run() -> None:
        from bot.engine import InputError

        if not question.strip():
            raise InputError('the question is empty: ask something, e.g. newsbot ask "What did Lavrov demand?"')
        filters, day = scope(since, until, source, as_of)
        inv = invoked(ctx, verbose)
        engine = build_engine(inv.settings(), answering=True)
        from bot.frontends.terminal import DraftView, print_answer

        # Only a person at a terminal watches the model write, in a view the checked answer
        # replaces; a pipe, a file or --json get the checked answer alone.
        if engine.streams and not as_json and console.is_terminal:
            with DraftView(console) as draft:
                answer = engine.ask(question, filters=filters, on_token=draft, as_of=day)
        else:
            answer = engine.ask(question, filters=filters, as_of=day)
        if as_json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
            return
        print_answer(console, answer, inv.verbose)

    guarded(ctx, run)


@app.command()
def chat(ctx: typer.Context, since: SinceOpt = None, until: UntilOpt = None, source: SourceOpt = None,
         as_of: AsOfOpt = None, verbose: VerboseOpt = False) -> None:
    """Ask questions in a loop; follow-ups keep the context. Quit with Ctrl-D or /quit."""

    def run() -> None:
        from bot.frontends.chat import ChatSession

        filters, day = scope(since, until, source, as_of)
        inv = invoked(ctx, verbose)
        with err.status("loading the model and the articles…"):
            engine = build_engine(inv.settings(), answering=True)
            engine.warm()
        ChatSession(engine, filters, console, err, inv.verbose, as_of=day).loop()

    guarded(ctx, run)


@app.command()
def timeline(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help='The story, e.g. "Blinken Lavrov talks".')],
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: SourceOpt = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as JSON.")] = False,
) -> None:
    """List a story's events oldest to newest, one dated, cited line each, with the outlets reporting it."""

    def run() -> None:
        filters, day = scope(since, until, source, as_of)
        result = build_engine(invocation(ctx).settings(), answering=True).timeline(topic, as_of=day, filters=filters)
        if as_json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        from bot.frontends.terminal import print_timeline

        print_timeline(console, result)

    guarded(ctx, run)


PeriodOpt = Annotated[str | None, typer.Option(help="From this day: YYYY-MM-DD, today, yesterday, last week or 3d.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@contextmanager
def placing() -> Iterator[Callable[[int, int], None]]:
    """A progress bar for placing a store's articles in stories (those stored before stories
    existed: a whole year's store takes about a minute); it shows only once there is work."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("[bold]placing articles in stories"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("stories", total=None, visible=False)
        yield lambda n, total: bar.update(task, advance=n, total=total, visible=True)


def period(since: str | None, as_of: str | None) -> tuple[date | None, date | None]:
    """The (since, as-of) days from the flags, checked before the engine is built."""
    from bot.engine import Engine

    day = Engine.day(as_of)
    return Engine.since(since, day), day


@app.command()
def stories(
    ctx: typer.Context,
    since: PeriodOpt = None,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(min=1, help="List at most this many stories.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """List the stories (articles grouped as they were ingested), latest report first."""

    def run() -> None:
        start, day = period(since, as_of)
        with placing() as progress:
            listed = build_engine(invocation(ctx).settings()).stories(start, day, progress)[:limit]
        if as_json:
            print(json.dumps([s.to_dict() for s in listed], ensure_ascii=False, indent=2))
            return
        from bot.frontends.terminal import stories_table

        console.print(stories_table(listed))

    guarded(ctx, run)


@app.command()
def digest(
    ctx: typer.Context,
    since: PeriodOpt = None,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many stories.")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """The period's top stories (since yesterday by default), each with cited sentences and the figures outlets differ on."""

    def run() -> None:
        start, day = period(since, as_of)
        with placing() as progress:
            result = build_engine(invocation(ctx).settings()).digest(start, day, limit, progress)
        if as_json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        from bot.frontends.terminal import print_digest

        print_digest(console, result)

    guarded(ctx, run)


@app.command()
def quotes(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help='Who, as news names them: "Lavrov" or "Sergei Lavrov".')],
    since: PeriodOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What a person said, oldest to newest, each statement quoted exactly with its citation."""

    def run() -> None:
        start, day = period(since, as_of)
        result = build_engine(invocation(ctx).settings()).quotes(person, start, day)
        if as_json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        from bot.frontends.terminal import print_quotes

        print_quotes(console, result)

    guarded(ctx, run)


# -- eval ---------------------------------------------------------------------------------
@app.command("eval")
def eval_(
    ctx: typer.Context,
    corpus: Annotated[str, typer.Option(help="Corpus to ingest: JSONL, a file or a folder.")],
    questions: Annotated[Path, typer.Option(help="Questions JSONL (id, question, answers, doc_ids ...).")],
    store: Annotated[Path | None, typer.Option(help="Reuse this NEWSBOT_HOME instead of a fresh temporary one.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    per_question: Annotated[bool, typer.Option("--per-question", help="Also show every question's outcome.")] = False,
    date_blind: Annotated[bool, typer.Option("--date-blind", help="Ignore question dates and the recency prior.")] = False,
    off_corpus: Annotated[bool, typer.Option(
        "--off-corpus", help="The questions are about news the store never reported (another year's questions): "
        "count how often the answer says the articles do not cover it, and how often it asserts one anyway.")] = False,
) -> None:
    """Measure retrieval and answers on a question set (hit@k, MRR, accuracy, citations, abstention, latency)."""

    def run() -> None:
        import tempfile
        from dataclasses import asdict

        from bot.engine import load_questions, off_corpus_questions

        qs = load_questions(questions)  # a bad file fails before the model loads
        if off_corpus:
            qs = off_corpus_questions(qs)
        with tempfile.TemporaryDirectory(prefix="newsbot-eval-") as tmp:
            home = store or Path(tmp)
            s = invocation(ctx).settings().with_overrides(home=home).embedded()
            result = build_engine(s).evaluate(qs, corpus=corpus, date_blind=date_blind)
        metrics = dict(result.metrics)
        parts = result.breakdown()
        if as_json:
            metrics.update(parts)
            if per_question:
                metrics["per_question"] = [asdict(r) for r in result.rows]
            print(json.dumps(metrics, ensure_ascii=False))
            return
        from bot.frontends.terminal import breakdown_table, metrics_table, rows_table

        if per_question:
            console.print(rows_table(result.rows))
        console.print(metrics_table(metrics))
        for name, groups in parts.items():
            console.print(breakdown_table(name.replace("_", " "), groups))

    guarded(ctx, run)


# -- discord ------------------------------------------------------------------------------
@app.command()
def discord(ctx: typer.Context) -> None:
    """Run the Discord bot (token from DISCORD_TOKEN); stop with Ctrl-C or SIGTERM."""

    def run_bot() -> None:
        from bot.frontends import discord_app

        s = invocation(ctx).settings()
        discord_app.token_of(s)  # a missing token fails before the model loads
        discord_app.run(build_engine(s), s)

    guarded(ctx, run_bot)


@app.command()
def status(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print the state as JSON.")] = False
           ) -> None:
    """Health check: exit 0 when the store answers and (if a Discord bot runs on this home) it is
    connected; exit 1 otherwise, with what is down."""

    def run() -> None:
        from bot.engine import store_health
        from bot.frontends import discord_app

        s = invocation(ctx).settings()
        store_ok, store_line = store_health(s)
        state = discord_app.read_state(s.home)
        bot_ok, bot_line = True, "discord: no bot has run on this home"
        if state is not None:
            alive = _process_alive(int(state.get("pid") or 0))
            bot_ok = bool(state.get("connected")) and alive
            bot_line = ("discord: connected" if bot_ok else
                        "discord: the bot is not running" if not alive else "discord: disconnected")
        if as_json:
            console.print_json(json.dumps({"ok": store_ok and bot_ok, "store": store_line, "discord": bot_line}))
        else:
            for ok, line in ((store_ok, store_line), (bot_ok, bot_line)):
                console.print(f"{'[green]ok[/green]' if ok else '[red]down[/red]'}  {_escape(line)}")
        if not (store_ok and bot_ok):
            raise typer.Exit(1)

    guarded(ctx, run)


def _process_alive(pid: int) -> bool:
    """Is process ``pid`` running on this machine (Linux's /proc: no signal is sent)?"""
    return pid > 0 and Path(f"/proc/{pid}").exists()


# -- sources ------------------------------------------------------------------------------
@sources_app.callback()
def sources_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List stored articles (id, title, outlet, date, chunks)."""
    if ctx.invoked_subcommand is not None:
        return

    def run() -> None:
        articles = build_engine(invocation(ctx).settings()).sources()
        if as_json:
            from dataclasses import asdict

            print(json.dumps([asdict(a) for a in articles], ensure_ascii=False, indent=2))
        else:
            from bot.frontends.terminal import sources_table

            console.print(sources_table(articles))

    guarded(ctx, run)


@sources_app.command("remove")
def sources_remove(ctx: typer.Context, ids: Annotated[list[str], typer.Argument(help="Article ids (see `newsbot sources`).")]) -> None:
    """Delete articles with all their chunks."""

    def run() -> None:
        from bot.engine import InputError

        missing = build_engine(invocation(ctx).settings()).remove(ids)
        removed = len(ids) - len(missing)
        console.print(f"removed {removed} article(s)")
        if missing:
            raise InputError(f"not stored: {', '.join(missing)} (see `newsbot sources`)")

    guarded(ctx, run)


@app.command()
def check(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option("--repair", help="Fix what differs, from the store.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Compare the store, the keyword index and the articles; exit 1 when they differ (unrepaired)."""

    def run() -> None:
        audit, after = build_engine(invocation(ctx).settings()).check(repair)
        final = after or audit
        if as_json:
            print(json.dumps({"found": audit.as_dict(), "after_repair": after.as_dict() if after else None},
                             ensure_ascii=False, indent=2))
        else:
            console.print(f"{audit.articles} articles, {audit.chunks} chunks in the store", highlight=False)
            for line in audit.lines():
                console.print(f"- {line}", highlight=False, markup=False)
            if audit.clean:
                console.print("the keyword index and the articles agree with the store", highlight=False)
            elif after is None:
                console.print("run `newsbot check --repair` to fix this from the store", highlight=False)
            elif after.clean:
                console.print("repaired: the keyword index was rebuilt from the store", highlight=False)
            else:
                console.print("still differing after the repair: " + "; ".join(after.lines()), highlight=False,
                              markup=False)
        if not final.clean:
            raise typer.Exit(1)

    guarded(ctx, run)


# -- feeds and watch ------------------------------------------------------------------------
@feeds_app.callback()
def feeds_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the subscriptions as JSON.")] = False,
) -> None:
    """List feed subscriptions (interval, last poll, articles added)."""
    if ctx.invoked_subcommand is not None:
        return

    def run() -> None:
        from bot.engine import feeds as subscribed

        feeds = subscribed(invocation(ctx).settings())
        if as_json:
            print(json.dumps([f.public() for f in feeds], ensure_ascii=False, indent=2))
        else:
            from bot.frontends.terminal import feeds_table

            console.print(feeds_table(feeds))

    guarded(ctx, run)


@feeds_app.command("add")
def feeds_add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="RSS or Atom feed URL.")],
    every: Annotated[str | None, typer.Option(help="How often to poll it: 30m, 2h, 1d [30m].")] = None,
    no_check: Annotated[bool, typer.Option("--no-check", help="Subscribe without fetching the feed now.")] = False,
) -> None:
    """Subscribe to a feed (fetched once now to check it is one); `newsbot watch` (or the Discord bot) polls it."""

    def run() -> None:
        from bot.engine import add_feed

        feed, new = add_feed(invocation(ctx).settings(), url, every, probe=not no_check)
        verb = "subscribed to" if new else "updated"
        console.print(f"{verb} {_escape(feed.url)} (every {feed.interval}); run `newsbot watch` to poll it")

    guarded(ctx, run)


@feeds_app.command("remove")
def feeds_remove(ctx: typer.Context, url: Annotated[str, typer.Argument(help="The feed URL.")]) -> None:
    """Unsubscribe from a feed (its articles stay; `newsbot sources remove` deletes them)."""

    def run() -> None:
        from bot.engine import InputError, remove_feed

        if not remove_feed(invocation(ctx).settings(), url):
            raise InputError(f"not subscribed to {url} (see `newsbot feeds`)")
        console.print(f"unsubscribed from {_escape(url)}")

    guarded(ctx, run)


@app.command()
def watch(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once now and exit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per poll instead of a line.")] = False,
) -> None:
    """Poll the subscribed feeds as they fall due and ingest new articles; stop with Ctrl-C."""

    def run() -> None:
        import time as clock

        settings = invocation(ctx).settings()
        engine = build_engine(settings)
        if not engine.feeds():
            from bot.engine import InputError

            raise InputError("no feeds to watch: add one with `newsbot feeds add URL`")
        from bot.engine import BusyError

        while True:
            try:
                results = engine.poll_feeds(everything=once)
            except BusyError as busy:
                if once:
                    raise
                err.print(f"[dim]{_escape(str(busy))}[/dim]")
                results = []
            for result in results:
                if as_json:
                    print(json.dumps(result.as_dict(), ensure_ascii=False), flush=True)
                else:
                    style = "red" if result.status == "failed" else ("green" if result.added else "dim")
                    err.print(f"[{style}]{_escape(result.line())}[/{style}]")
            if once:
                if results and all(r.status == "failed" for r in results):
                    raise typer.Exit(1)  # every feed failed: a script running --once must see it
                return
            feeds = engine.feeds()
            if not feeds:
                return
            wait = min(f.next_poll for f in feeds) - clock.time()
            clock.sleep(min(max(wait, 1.0), settings.feed_check_seconds))  # subscriptions may change meanwhile

    guarded(ctx, run)


def run() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    run()
