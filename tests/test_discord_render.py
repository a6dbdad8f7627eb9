"""Answers as Discord messages: pure splitting and embed rules, no network."""

from __future__ import annotations

import re

import discord

from bot.engine import Answer, Citation, Engine
from bot.frontends.discord_render import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    Part,
    render,
    source_entry,
    split_text,
)


def accepted_by_discord(part: Part) -> bool:
    if part.content is not None and len(part.content) > CONTENT_LIMIT:
        return False
    if part.embed is not None:
        desc = part.embed.description or ""
        return len(desc) <= EMBED_DESCRIPTION_LIMIT and len(part.embed.title or "") + len(desc) <= EMBED_TOTAL_LIMIT
    return True


def test_split_text_never_cuts_a_marker() -> None:
    text = " ".join(f"Claim {i} {'word ' * (i % 40)}ends here [{i % 12 + 1}]." for i in range(200))
    pieces = split_text(text)
    assert len(pieces) > 3 and all(len(p) <= CONTENT_LIMIT for p in pieces)
    assert re.findall(r"\[\d+\]", " ".join(pieces)) == re.findall(r"\[\d+\]", text)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_split_text_cuts_a_monstrous_word() -> None:
    pieces = split_text("x" * (CONTENT_LIMIT * 2 + 5))
    assert [len(p) for p in pieces] == [CONTENT_LIMIT, CONTENT_LIMIT, 5]


def test_source_entry_links_title_and_escapes_markdown() -> None:
    c = Citation(1, "a", "A *bold* title", "CNN", "2022-01-21", "https://example.org/a", "He said **this**.", 0, 17, "c")
    entry = source_entry(c)
    assert entry.startswith("**[1]** [A \\*bold\\* title](https://example.org/a) — CNN · 2022-01-21")
    assert "> He said \\*\\*this\\*\\*." in entry


def test_render_quotes_shortened_and_embeds_in_limits(seeded: Engine) -> None:
    answer: Answer = seeded.ask("What are the three baskets of demands that Russia has made?")
    answer.citations = answer.citations * 40  # many sources: several embeds
    parts = render(answer)
    assert len(parts) > 2 and all(accepted_by_discord(p) for p in parts)
    assert isinstance(parts[0].embed, discord.Embed)
    assert "…" in (parts[0].embed.description or "")  # a long quote is cut with an ellipsis


def test_the_lead_span_is_bold_and_the_rest_stays_escaped() -> None:
    answer = Answer(question="How many?", text="$310,605 — It costs *$310,605* now. [1]", citations=[],
                    abstained=False, lead="$310,605")
    [part] = render(answer)
    assert part.content is not None and part.content.startswith("**$310,605** — It costs \\*$310,605\\* now.")


def test_the_lead_span_is_bold_in_the_terminal() -> None:
    from rich.console import Console

    from bot.frontends.terminal import answer_view

    answer = Answer(question="How many?", text="127,000 — He said 127,000. [1]", citations=[], abstained=False,
                    lead="127,000")
    console = Console(record=True, force_terminal=True, width=100)
    console.print(answer_view(answer))
    assert "\x1b[1m127,000\x1b[0m —" in console.export_text(styles=True)


def test_a_notice_stands_before_the_answer_in_italics() -> None:
    answer = Answer(question="Who won this week?", text="Ada Park — Ada Park won. [1]", citations=[], abstained=False,
                    lead="Ada Park", notice="No cited report falls in “this week” (2024-01-26 to 2024-02-01); "
                                            "the newest is from 2022-11-30, so this may be older news.")
    [part] = render(answer)
    assert part.content is not None
    assert part.content.startswith("*No cited report falls in “this week”") and "\n\n**Ada Park** —" in part.content


def _two_quotes_of_one_article() -> Answer:
    one = dict(article_id="a", title="Harbor bridge reopens", outlet="Coast Weekly", published="2024-01-30",
               url="https://example.org/bridge", chunk_id="c")
    return Answer(question="When?", text="It reopened Monday. [1] Tolls stay. [2] Ferries stop. [3]", abstained=False,
                  citations=[Citation(1, quote="It reopened Monday.", start=0, end=19, **one),  # type: ignore[arg-type]
                             Citation(2, quote="Tolls stay.", start=20, end=31, **one),  # type: ignore[arg-type]
                             Citation(3, "b", "Ferry line ends", "Valley News", "2024-01-29", "", "Ferries stop.", 0, 13,
                                      "d")])


def test_sources_name_an_article_once_and_point_later_quotes_back() -> None:
    from rich.console import Console

    from bot.frontends.terminal import answer_view

    answer = _two_quotes_of_one_article()
    description = render(answer)[0].embed.description or ""  # type: ignore[union-attr]
    assert description.count("Harbor bridge reopens") == 1 and "**[2]** the same article as [1]\n> Tolls stay." in description
    assert "**[3]** Ferry line ends" in description
    console = Console(record=True, width=200)
    console.print(answer_view(answer))
    shown = console.export_text()
    assert shown.count("Harbor bridge reopens") == 1 and "[2] the same article as [1]\n    “Tolls stay.”" in shown


def test_a_statement_that_is_one_whole_quotation_is_quoted_once_everywhere() -> None:
    from rich.console import Console

    from bot.answering.quotes import Quotes
    from bot.answering.timeline import Event
    from bot.frontends.discord_render import quotes_parts
    from bot.frontends.terminal import print_events

    whole = "“We will not back down.”"
    running = "“We will not back down,” she said."
    cite = [Citation(n, "a", "Talks", "Wire", "2024-03-04", "", q, 0, len(q), "a#0") for n, q in ((1, whole), (2, running))]
    events = [Event("2024-03-04", cite[0]), Event("2024-03-05", cite[1])]
    content = quotes_parts(Quotes("Ada Park", "2024-03-06", "", events))[0].content or ""
    console = Console(record=True, width=200)
    print_events(console, events)
    for shown in (content, console.export_text()):
        assert "“We will not back down.” [1]" in shown or "[1] “We will not back down.” —" in shown
        assert "“We will not back down.””" not in shown  # one whole quotation keeps its own marks only
        assert "““We will not back down,” she said.”" in shown  # a quotation and more is wrapped
