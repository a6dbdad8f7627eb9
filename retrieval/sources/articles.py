"""Building an Article from raw text: the one step every loader (files, records, web) shares.

It lives apart from the loaders so that the file loaders and the web loaders can both use it
without importing each other.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.dates import iso_date
from retrieval.models import Article
from retrieval.sources.cleaning import clean_text

BINARY_SNIFF_BYTES = 8192  # a NUL byte in this many leading bytes means "binary"


@dataclass
class LoadFailure:
    """One item that could not become an article, and why (one line)."""

    item: str
    reason: str


# C0 and C1 control characters but tab, newline and carriage return: an escape sequence in an
# article would reach a reader's terminal (colours, a cleared screen, a rewritten line).
_CONTROLS = dict.fromkeys(c for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\t\n\r")


def readable(text: str) -> str:
    """``text`` with control characters removed and its accents composed (NFC): a page may write
    "é" as "e" and a combining accent, which no name, word or question typed as "é" would match
    ("Copa América" so written was read as the name "Copa Ame"). What a reader sees is unchanged."""
    return unicodedata.normalize("NFC", text.translate(_CONTROLS))


def article_from_text(
    text: str, *, id: str, source: str, title: str = "", has_title_line: bool = True, **meta: Any
) -> Article:
    """An Article whose citable spans come from ``clean_text``; given metadata wins. Control
    characters go first and accents are composed, in the text and every field shown, so spans
    index the stored text."""
    text = readable(text)
    cleaned = clean_text(text, has_title_line=has_title_line)
    return Article(
        id=id,
        text=text,
        title=readable(title or cleaned.title),
        url=readable(meta.get("url") or ""),
        outlet=readable(meta.get("outlet") or cleaned.outlet),
        authors=[readable(a) for a in (meta.get("authors") or cleaned.authors)],
        published=iso_date(meta.get("published")),
        source=source,
        spans=cleaned.spans,
    )


def decode_text(data: bytes) -> str:
    """Bytes as text; ValueError with a one-line reason when they are not usable text."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise ValueError("is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"is not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8 and retry"
        ) from None
    if not text.strip():
        raise ValueError("is empty")
    return text


def read_text_file(path: Path) -> str:
    """The file as text; ValueError with a one-line reason when it is not usable text."""
    return decode_text(path.read_bytes())


def split_authors(value: Any) -> list[str]:
    """Author names from a list, or from "A, B and C"."""
    if not value:
        return []
    if isinstance(value, str):
        return [a.strip() for a in value.replace(" and ", ",").split(",") if a.strip()]
    if isinstance(value, list | tuple):
        return [str(a) for a in value if a is not None and str(a).strip()]
    return []  # a number or a flag is no author
