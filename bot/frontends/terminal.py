"""Terminal output with rich: answers with their sources, tables of stored articles, reports.

Article text is always put in ``Text`` objects, never markup strings, so a "[bold]" inside an
article is shown as written.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from bot.citations import earlier_of_same_article, in_quotes, same_article, shorten, source_line
from bot.engine import Answer, Digest, Event, Feed, IngestReport, Quotes, Row, StoredArticle, Story, Timeline

_MARK = re.compile(r"\[\d+\]")
QUOTE_CHARS = 500  # of a cited quote under the answer
RELATED_QUOTE_CHARS = 200  # of a "related" passage's quote
ANSWER_CELL_CHARS = 160  # of an answer in the per-question table
NO_VALUE = "—"


class DraftView:
    """A language model's reply shown as it is written, dimmed, in a live view that vanishes when
    the reply is done: what stays on screen is the checked answer printed after it."""

    def __init__(self, console: Console) -> None:
        self.text = ""
        self._live = Live(Text(""), console=console, transient=True, refresh_per_second=8)

    def __enter__(self) -> DraftView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(None, None, None)

    def __call__(self, token: str) -> None:
        self.text += token
        view = Text(self.text, style="dim")
        view.append("\n(drafting; shown once its citations are checked)", style="dim italic")
        self._live.update(view)


def ranked_by(answer: Answer) -> str:
    """The features that put the answer's first article first, with their weight in its score."""
    return ", ".join(f"{name} {value:+.2f}" for name, value in answer.ranked_by)


def answer_view(answer: Answer, verbose: bool = False, soft_wrap: bool = False) -> Group:
    """The answer, its sources, and with ``verbose`` how it was found. With ``soft_wrap`` (output
    into a pipe) every line is whole: a quote is indented by spaces, as padding would cut it at
    the console's width."""
    parts: list[RenderableType] = []
    if verbose and answer.standalone_question and answer.standalone_question != answer.question:
        parts.append(Text(f"(searched for: {answer.standalone_question})", style="dim"))
    if answer.as_of and (verbose or answer.as_of != date.today().isoformat()):
        parts.append(Text(f"(as of {answer.as_of})", style="dim"))
    if verbose and answer.ranked_by:
        parts.append(Text(f"(first article ranked by: {ranked_by(answer)})", style="dim"))
    if verbose and answer.dates:
        parts.append(Text(f"(dates: {answer.dates}, preferred)", style="dim"))
    if answer.notice:
        parts.append(Text(answer.notice, style="yellow"))
    body = Text(answer.text)
    body.highlight_regex(_MARK, "bold cyan")
    if answer.lead and answer.text.startswith(answer.lead):
        body.stylize("bold", 0, len(answer.lead))
    parts.append(body)
    if answer.citations:
        parts.append(Text())
        parts.append(Text("Sources", style="bold"))
        for c, earlier in zip(answer.citations, earlier_of_same_article(answer.citations)):
            line = Text(f"[{c.n}] ", style="bold cyan")
            if earlier is not None:
                line.append(same_article(earlier), style="dim")
            else:
                line.append(source_line(c))
            parts.append(line)
            quote = Text(in_quotes(shorten(c.quote, QUOTE_CHARS)), style="italic")
            parts.append(Text("    ").append_text(quote) if soft_wrap else Padding(quote, (0, 0, 0, 4), expand=False))
    elif answer.related and verbose:
        parts.append(Text())
        parts.append(Text("Related (not an answer)", style="dim bold"))
        for c in answer.related:
            parts.append(Text(f"  - {source_line(c)}: {in_quotes(shorten(c.quote, RELATED_QUOTE_CHARS))}", style="dim"))
    if verbose and answer.timings:
        ms = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in answer.timings.items())
        # the extractive answer's support is its calibrated chance of being right; an LLM's, the
        # share of its sentences the cited passages support
        measure = "confidence" if answer.answerer == "extractive" else "support"
        about = "" if answer.covered is None else f", about the question {answer.covered:.2f}"
        parts.append(Text(f"({answer.answerer}; {measure} {answer.support:.2f}{about}{span_note(answer)}; {ms})",
                          style="dim"))
    return Group(*parts)


def span_note(answer: Answer) -> str:
    """How likely the answering span is to be right, bolded or not: a bold answer is a guess at
    that chance, which the answer text itself does not show."""
    if answer.span_chance is None or not answer.span:
        return ""
    bolded = "bold" if answer.lead == answer.span else "not bolded"
    return f", span “{answer.span}” {answer.span_chance:.2f} ({bolded})"


def print_answer(console: Console, answer: Answer, verbose: bool = False) -> None:
    console.print(answer_view(answer, verbose, console.soft_wrap))


def print_timeline(console: Console, timeline: Timeline) -> None:
    """One dated line per event, oldest first: the cited quote, then who else reported it."""
    if not timeline.events:
        console.print(Text(f"No dated articles on “{timeline.topic}” as of {timeline.as_of}.", style="yellow"))
        return
    print_events(console, timeline.events)
    if timeline.undated:
        console.print(Text(f"({timeline.undated} undated article(s) on this topic are not placed)", style="dim"))


def print_quotes(console: Console, quotes: Quotes) -> None:
    """A person's statements, oldest first, one cited line each (as a timeline's events)."""
    if not quotes.statements:
        console.print(Text(quotes.as_text(), style="yellow"))
        return
    console.print(Text(f"What {quotes.person} said", style="bold"))
    print_events(console, quotes.statements)


def print_events(console: Console, events: list[Event]) -> None:
    """Dated, cited lines with the outlets that reported the same."""
    for event in events:
        c = event.citation
        line = Text(f"{event.day or 'undated'}  ", style="bold")
        line.append(f"[{c.n}] ", style="bold cyan")
        line.append(in_quotes(shorten(c.quote, QUOTE_CHARS)))
        line.append(f" — {source_line(c)}", style="dim")
        if event.also:
            others = ", ".join(event.outlets[1:]) or f"{len(event.also)} more"
            numbers = " ".join(dict.fromkeys(f"[{a.n}]" for a in event.also if a.n != c.n))
            line.append(f" (also reported by {others}{' ' + numbers if numbers else ''})", style="green")
        console.print(line)


def stories_table(stories: list[Story]) -> Table:
    table = Table(title=f"{len(stories)} stories", title_justify="left")
    for col in ("story", "outlets", "articles", "first", "latest"):
        table.add_column(col, justify="right" if col == "articles" else "left", overflow="fold")
    for s in stories:
        table.add_row(Text(s.headline), Text(", ".join(s.outlets)), str(s.articles), s.first or NO_VALUE,
                      s.latest or NO_VALUE)
    return table


def print_digest(console: Console, digest: Digest) -> None:
    """Each story: its headline and outlets, its cited lead sentences, the figures that differ;
    then the sources, numbered as cited."""
    if not digest.items:
        console.print(Text(digest.as_text(), style="yellow"))
        return
    console.print(Text(f"Digest {digest.since} to {digest.as_of}", style="bold"))
    for k, item in enumerate(digest.items, start=1):
        head = Text(f"{k}. {item.story.headline}", style="bold")
        head.append(f"  {', '.join(item.story.outlets)} · {item.story.reported}", style="dim")
        console.print(head)
        console.print(Text(f"   {item.text}"))
        for line in item.differences:
            console.print(Text(f"   Figures differ: {line}", style="yellow"))
    console.print(Text("Sources", style="bold"))
    for c, earlier in zip(digest.citations, earlier_of_same_article(digest.citations)):
        shown = same_article(earlier) if earlier is not None else source_line(c)
        console.print(Text(f"[{c.n}] {shown}", style="dim"))


def sources_table(articles: list[StoredArticle]) -> Table:
    table = Table(title=f"{len(articles)} articles", title_justify="left")
    for col in ("id", "title", "outlet", "date", "chunks"):
        table.add_column(col, justify="right" if col == "chunks" else "left", overflow="fold")
    for a in articles:
        table.add_row(Text(a.id), Text(a.shown_title), Text(a.shown_outlet), a.published, str(a.chunks))
    return table


def feeds_table(feeds: list[Feed]) -> Table:
    table = Table(title=f"{len(feeds)} feeds", title_justify="left")
    for col in ("feed", "every", "last poll", "status", "articles"):
        table.add_column(col, justify="right" if col == "articles" else "left", overflow="fold")
    for f in feeds:
        polled = datetime.fromtimestamp(f.last_poll).strftime("%Y-%m-%d %H:%M") if f.last_poll else NO_VALUE
        table.add_row(Text(f.url), f.interval, polled, Text(f.last_status), str(f.articles))
    return table


def print_report(console: Console, report: IngestReport, err: Console) -> None:
    for item, why in report.failed:
        err.print(Text(f"failed: {item} {why}", style="red"))
    summary = f"{report.summary()}; {report.chunks} chunks written in {report.seconds:.1f} s"
    console.print(Text(summary, style="bold green" if not report.failed else "bold yellow"))


def metrics_table(metrics: dict[str, object]) -> Table:
    table = Table(title="evaluation", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in metrics.items():
        table.add_row(key, NO_VALUE if value is None else str(value))
    return table


def breakdown_table(title: str, groups: dict[str, dict[str, float | int | None]]) -> Table:
    """One row per group (a question source, an answer type) with its measures."""
    table = Table(title=title, title_justify="left")
    table.add_column("group")
    keys = list(next(iter(groups.values()), {}))
    for key in keys:
        table.add_column(key.replace("answer_accuracy", "answers"), justify="right")
    for group, values in groups.items():
        table.add_row(group, *(NO_VALUE if values[k] is None else str(values[k]) for k in keys))
    return table


def rows_table(rows: list[Row]) -> Table:
    table = Table(title="per question", title_justify="left")
    for col in ("id", "rank", "ok", "abst.", "cites", "answer"):
        table.add_column(col, overflow="fold")
    for r in rows:
        ok = NO_VALUE if r.correct is None else ("yes" if r.correct else "no")
        table.add_row(r.id, str(r.rank or NO_VALUE), ok, "yes" if r.abstained else "",
                      f"{r.good_citations}/{r.citations}", Text(shorten(r.answer, ANSWER_CELL_CHARS)))
    return table
