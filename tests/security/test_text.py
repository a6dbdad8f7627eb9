"""Hostile text: every pattern that reads article text or questions runs in linear time, and
front matter cannot expand without bound. Budgets are generous (2 s on 100 KB); the quadratic
versions these replace took from 10 s to hours on the same input."""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot import citations
from bot.answering import conversation, digest, phrasing, question, quotes, roles, scoring, spans, when
from retrieval import text as rtext
from retrieval.index import speakers
from retrieval.models import Passage
from retrieval.sources import cleaning, web
from retrieval.sources.fetch import Fetcher, FetchPolicy
from retrieval.sources.loaders import LoadFailure, load

pytestmark = pytest.mark.serial  # time budgets: measured with no other test running

SIZE = 100_000
BUDGET = 2.0
UNITS = ["A", "Aa ", "AA", "<", "a", " ", "!", "1", "1,", "1.", "1 1 ", "'", '"', "\u201c", "\u201ca", "’",
         "Aa, ", "Aa. ", "Aa-", "Aa of Aa ", "said ", "Aa said ", "He said ", "Aa Aa, aa aa, said ", "\n", "!\n",
         "a-", "( ", "$1 ", "the ", "U.S.", "Mr. ", "— ", "Jan 1 ", "one ", "? ", "...", "<p>", "--", "a1"]
ANCHORED = {"retrieval.sources.cleaning._DATELINE"}  # used with .match at a paragraph's start only


def hostile(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def patterns() -> list[tuple[str, re.Pattern]]:
    found = []
    for package in ("bot", "retrieval"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if info.ispkg or info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            found += [(f"{module.__name__}.{name}", value) for name, value in vars(module).items()
                      if isinstance(value, re.Pattern) and value not in [v for _, v in found]]
    return found


def sentences_of(text: str, size: int = 300) -> Passage:
    """``text`` as one stored chunk cut into sentences of ``size`` characters."""
    spans = [(i, min(i + size, len(text))) for i in range(0, len(text), size)]
    return Passage(chunk_id="h#h#0", article_id="h", text=text, start=0, end=len(text), position=0,
                   sentences=spans, speakers=[[] for _ in spans])


def worst(run: Callable[[str], object]) -> tuple[float, str]:
    slowest = (0.0, "")
    for unit in UNITS:
        text = hostile(unit)
        started = time.perf_counter()
        run(text)
        slowest = max(slowest, (time.perf_counter() - started, unit))
    return slowest


@pytest.mark.slow
@pytest.mark.parametrize("name,pattern", patterns(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_pattern_is_linear_on_hostile_text(name: str, pattern: re.Pattern) -> None:
    def run(text: str) -> None:
        subject: str | bytes = text.encode() if isinstance(pattern.pattern, bytes) else text
        if name in ANCHORED:
            pattern.match(subject)
            return
        for _ in pattern.finditer(subject):
            pass

    took, unit = worst(run)
    assert took < BUDGET, f"{name} took {took:.2f} s on 100 KB of {unit!r}"


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "entities": question.entities,
    "names together": question.entity_runs,
    "a name named": lambda s: question.mentions_name(s, ("Aa", "Bb")),
    "spells_out": lambda s: phrasing.spells_out(s, question.read("What did Lavrov demand?")),
    "speakers": lambda s: speakers.attribute([s, s[:5000]]),
    "clean_text": cleaning.clean_text,
    "read_dates": lambda s: when.read_dates(s, date(2022, 6, 1)),
    "content_tokens": rtext.content_tokens,
    "metadata_kind": question.metadata_kind,
    "split_claims": citations.split_claims,
    "feed tags": lambda s: web._TAGS.sub("", s),
    "quotes of a person": lambda s: quotes.statements("Aa", [sentences_of(s)]),
    "roles": quotes.roles,
    "same statement": lambda s: quotes.same_statement(s, s[::-1]),
    "counts": digest.counts,
    "headline": lambda s: digest.headline([s, s[:50_000]]),
    "names": spans.names,
    "name span": lambda s: spans.lead_span(question.read("Which band announced a farewell tour?"), s),
    "person span": lambda s: spans.lead_span(question.read("Who won the race?"), s),
    "full name": lambda s: spans.full_name("Aa", s),
    "surnames in full": lambda s: phrasing.name_surnames(s, s, question.read("Who won the race?")),
    "headline name": lambda s: phrasing.name_described(s, s[:300], question.read("Which comedian will return?"), s),
    "role of a person": lambda s: roles.role_of(s, roles.Described("Aa", True)),
    "role of a thing": lambda s: roles.role_of(s, roles.Described("Aa Bb", False)),
    "who is": roles.described,
    "whole name written": lambda s: roles.named_whole(s, roles.Described("Aa Bb", True)),
    "topic of a question": conversation.full_names,
    "a follow-up's topic reported": lambda s: conversation.speaks_of("How many people died?", s, (s[:200], s)),
    "kind asked": lambda s: question.read(f"Which comedian {s[:2000]}"),
    "sentence features": lambda s: scoring.rows(question.read("Which band announced a tour in 2024?"),
                                                [scoring.Candidate(sentences_of(s), 0, 0, s[:20_000], 0.5, [])]),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.slow
def test_text_functions_are_linear_on_hostile_text(name: str) -> None:
    took, unit = worst(FUNCTIONS[name])
    assert took < BUDGET, f"{name} took {took:.2f} s on 100 KB of {unit!r}"


def test_entities_of_a_long_question_grow_linearly() -> None:
    """Reading names looked back over the whole question for each name: cubic in its length."""
    small, large = hostile("Aa. ", 5_000), hostile("Aa. ", 50_000)
    started = time.perf_counter()
    question.entities(small)
    t_small = time.perf_counter() - started
    started = time.perf_counter()
    question.entities(large)
    t_large = time.perf_counter() - started
    assert t_large < max(40 * t_small, 0.5), (t_small, t_large)  # 10x the text: far from 100x or 1000x


def test_a_yaml_alias_bomb_in_front_matter_is_refused_at_once(tmp_path: Path) -> None:
    lines = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    lines += ["title: Boom", "---", "The council met on Monday and approved the budget for the new year."]
    bomb = tmp_path / "bomb.md"
    bomb.write_text("\n".join(lines))
    assert bomb.stat().st_size < 1024
    started = time.perf_counter()
    [item] = list(load([str(bomb)], Fetcher(FetchPolicy.parse("", 10_000_000, 10))))
    assert time.perf_counter() - started < BUDGET
    assert isinstance(item, LoadFailure) and "aliases" in item.reason


def test_plain_front_matter_still_reads(tmp_path: Path) -> None:
    page = tmp_path / "ok.md"
    page.write_text("---\ntitle: Tram Line\nauthors: [Lee Wong]\n---\nThe council approved a tram line on Monday.\n")
    [item] = list(load([str(page)], Fetcher(FetchPolicy.parse("", 10_000_000, 10))))
    assert not isinstance(item, LoadFailure) and item.title == "Tram Line" and item.authors == ["Lee Wong"]
