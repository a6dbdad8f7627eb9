"""Citation markers: parse, validate, renumber and render. Pure functions, no I/O."""

from __future__ import annotations

import re

from bot.answer import Citation
from retrieval.text import flat

MARKER = re.compile(r"\s?\[(\d{1,3})\]")
_SENTENCE = re.compile(r"(?<=[.!?…”\"])(?:\s*(?:\[\d{1,3}\]))*\s+(?=[A-Z“\"‘(])")


def markers(text: str) -> list[int]:
    """The marker numbers in ``text`` in order of appearance (repeats kept)."""
    return [int(m.group(1)) for m in MARKER.finditer(text)]


def renumber(text: str, valid: set[int]) -> tuple[str, dict[int, int]]:
    """Drop markers not in ``valid``; number the rest 1, 2, ... in order of first use.

    Returns the new text and the mapping old number -> new number.
    """
    mapping: dict[int, int] = {}
    for n in markers(text):
        if n in valid and n not in mapping:
            mapping[n] = len(mapping) + 1

    def swap(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in mapping:
            return ""
        lead = match.group(0)[0] if match.group(0)[0].isspace() else ""
        return f"{lead}[{mapping[n]}]"

    new = MARKER.sub(swap, text)
    new = re.sub(r"(\[\d+\])(?:\1)+", r"\1", new)  # "[1][1]" -> "[1]"
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", new).strip(), mapping


def split_claims(text: str) -> list[str]:
    """Sentences of an answer, each keeping the markers that follow it."""
    parts: list[str] = []
    last = 0
    for match in _SENTENCE.finditer(text):
        cut = match.end()
        # keep trailing markers with the sentence they follow
        segment = text[last:cut].rstrip()
        if segment:
            parts.append(segment)
        last = cut
    tail = text[last:].strip()
    if tail:
        parts.append(tail)
    return parts


def shorten(text: str, limit: int) -> str:
    """``text`` folded and cut at a word boundary with an ellipsis beyond ``limit`` chars."""
    text = flat(text)
    if len(text) <= limit:
        return text
    if limit < 2:
        return "…"[:limit]
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def meta_line(*parts: str, sep: str = " · ") -> str:
    """The known parts of an article's metadata ("CNN · 2022-01-21"), in one format everywhere."""
    return sep.join(p for p in parts if p)


def source_line(citation: Citation) -> str:
    """``Title — Outlet, 2022-01-21, https://...`` with whatever is known."""
    bits = meta_line(citation.outlet, citation.published, citation.url, sep=", ")
    title = citation.title or citation.article_id
    return f"{title} — {bits}" if bits else title


def earlier_of_same_article(citations: list[Citation]) -> list[int | None]:
    """For each citation, the number of an earlier one citing the same article (None for the
    first): a source list names an article once and points later quotes from it back there,
    instead of repeating its title, outlet, date and link for every quoted passage."""
    first: dict[str, int] = {}
    earlier: list[int | None] = []
    for c in citations:
        earlier.append(first.get(c.article_id))
        first.setdefault(c.article_id, c.n)
    return earlier


def same_article(earlier: int) -> str:
    """What a source list shows in place of an article it already named under ``[earlier]``."""
    return f"the same article as [{earlier}]"


def quoted_line(quote: str) -> str:
    """A cited sentence as one line of a dated list (quotes, a story's latest): on one line, between
    quotation marks unless it opens with one itself (a statement, "“We will not wait,” he said.")."""
    text = flat(quote)
    return text if text.startswith(("“", '"')) else f"“{text}”"


def in_quotes(text: str) -> str:
    """``text`` between quotation marks, unless it is already one whole quotation ("“…”")."""
    if text.startswith(("“", '"')) and text.endswith(("”", '"')) and len(text) > 1:
        return text
    return f"“{text}”"
