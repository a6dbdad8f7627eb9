"""Find the citable body of a plain-text article, and the metadata around it.

The text itself is never rewritten: cleaning returns spans (offsets into the original text),
so every quote stays an exact substring of what the user gave. What is left out of the spans:
the title line, image captions and credits, photo galleries, headings in capitals, the byline,
the dateline prefix and the site footer (share appeals, copyright and syndication lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.models import Span

_BLOCK_SPLIT = re.compile(r"\n[ \t\r\f\v]*\n")
_BYLINE = re.compile(r"^\s*by\s+(?P<names>[^\n]{2,150})$", re.IGNORECASE)
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z/.,' \-]{1,60}?)\s*(?:\((?P<outlet>[^)]{2,60})\)|(?P<outlet2>CNN|AP|Reuters|AFP))?"
    r"\s*[–—]\s*|(?P<place3>[A-Z][A-Z/.,' \-]{2,40})\s*\((?P<outlet3>[^)]{2,60})\)\s*-\s*"
)
_FOOTER = re.compile(
    r"CENSORED|copyright\s|©|all rights reserved|syndication|sydication|SHARE!!!|"
    r"sign up for (?:our|the) newsletter|subscribe to our|follow us on",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’')\]]\s*$")
_GALLERY_OPENS = re.compile(r"(?:Photos:|Hide Caption)\s")
_GALLERY_MARK = re.compile(r"Hide Caption \d{1,4} of \d{1,4}\b")


@dataclass
class Cleaned:
    """The citable spans of a text, plus the metadata found around them."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    dateline: str = ""
    outlet: str = ""
    spans: list[Span] = field(default_factory=list)


def blocks(text: str) -> list[Span]:
    """Paragraph blocks (separated by blank lines) as stripped spans."""
    out: list[Span] = []
    pos = 0
    for match in [*_BLOCK_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        s, e = _strip(text, pos, end)
        if e > s:
            out.append((s, e))
        if match:
            pos = match.end()
    return out


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_heading(block: str) -> bool:
    """A one-line block in capitals ("UNITED RESPONSE")."""
    letters = [c for c in block if c.isalpha()]
    return "\n" not in block and len(letters) >= 3 and all(c.isupper() for c in letters)


def is_fragment(block: str) -> bool:
    """A short one-line block that is not a sentence: a caption, a photo credit, a label."""
    return (
        "\n" not in block.strip()
        and len(block.split()) <= 12
        and not _SENTENCE_END.search(block)
    )


def is_gallery(block: str) -> bool:
    """A photo gallery's captions run together ("Photos: Deadly flooding in western Europe Two
    brothers embrace ... Hide Caption 1 of 38 Photos: ..."): slideshow text around the article,
    quoted with its markers, read as one long sentence and repeating the gallery's title."""
    return bool(_GALLERY_OPENS.match(block)) and _GALLERY_MARK.search(block) is not None


def parse_byline(block: str) -> list[str]:
    """Author names from "By NAME, Job Title" or "By A and B"."""
    match = _BYLINE.match(block)
    if not match:
        return []
    names = match.group("names")
    first = names.split(",")[0]
    parts = re.split(r"\s+and\s+|\s*&\s*", first)
    return [p.strip() for p in parts if p.strip()]


def clean_text(text: str, *, has_title_line: bool = True) -> Cleaned:
    """Split ``text`` into citable spans and metadata (see the module docstring)."""
    result = Cleaned()
    found = blocks(text)
    lone_line = len(found) == 1 and "\n" not in text[found[0][0] : found[0][1]]
    if has_title_line and found and not lone_line:  # a text of one line is all body, no title
        s, e = found[0]
        newline = text.find("\n", s, e)
        title_end = newline if newline != -1 else e
        result.title = " ".join(text[s:title_end].split())
        rest = _strip(text, title_end, e)
        found = ([rest] if rest[1] > rest[0] else []) + found[1:]

    footer_at = _footer_start(text, found)
    body: list[Span] = []
    for s, e in found[:footer_at]:
        block = text[s:e]
        if not result.authors and not body and (names := parse_byline(block)):
            result.authors = names
            continue
        if is_heading(block) or is_fragment(block) or is_gallery(block):
            continue
        if not body and not result.dateline:
            s = _take_dateline(text, s, e, result)
        if s < e:  # a block that was all dateline ("AA\n–") leaves no text to cite
            body.append((s, e))
    result.spans = body
    return result


def _footer_start(text: str, found: list[Span]) -> int:
    """Index of the first footer block in the last part of the article (or len(found))."""
    half = len(found) // 2
    for i in range(half, len(found)):
        s, e = found[i]
        if _FOOTER.search(text[s:e]) and len(text[s:e]) < 400:
            return i
    return len(found)


def _take_dateline(text: str, s: int, e: int, result: Cleaned) -> int:
    """Record a leading dateline ("KYIV (Worthy News) – ") and return where the prose starts."""
    match = _DATELINE.match(text, s, e)
    if not match or match.end() - s > 80:
        return s
    place = match.group("place") or match.group("place3") or ""
    outlet = match.group("outlet") or match.group("outlet2") or match.group("outlet3") or ""
    result.dateline = " ".join(text[s : match.end()].split()).rstrip(" –—-")
    if outlet and not result.outlet:
        result.outlet = outlet.strip()
    if not place.strip():
        return s
    return match.end()
