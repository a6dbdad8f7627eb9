"""Sentence-aware chunks with exact character offsets.

Sentences come from pysbd (a rule-based splitter that knows "U.S." and "Dr."), run on each
citable span with its whitespace flattened in place, so offsets map one to one onto the
original text. Chunks are runs of whole sentences inside one span group and never cross a
left-out region (a heading, a caption), so a chunk is always quotable as it stands.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.utils import TextSpan

from retrieval.index.speakers import attribute
from retrieval.models import Article, Chunk, Span
from retrieval.text import MONTHS, MONTHS_SHORT

_WS = re.compile(r"\s")
# pysbd's time grows with the square of the text it is given; it is given windows of at most this
# many characters, cut where a sentence visibly ends, so splitting stays linear in the text length.
SEGMENT_WINDOW = 5000
SEGMENT_CACHE = 100_000  # paragraphs whose sentence spans are remembered (pysbd takes ~3 ms each); realtimeqa-dev has 64,539
_BOUNDARY = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


# pysbd reads a day after its month as a numbered list's item when another such day follows ("8 p.m.
# Saturday, March" and "24. The Pressroom ..."; "for Tuesday, March" and "26. For the latest ...").
_MONTH_ENDS = re.compile(rf"\b(?:{'|'.join(MONTHS)}|(?:{'|'.join(MONTHS_SHORT)})\.?)$")
_DAY_OPENS = re.compile(r"(?:[1-9]|[12]\d|3[01])\.(?=\s)")

SPLIT_RULES = 3  # raised when the same text would split differently: stored articles re-index on their next ingest
RE_CACHE = 4096  # compiled patterns Python keeps (pysbd's rules overflow the default 512)


class _Segmenter(pysbd.Segmenter):  # type: ignore[misc]
    """pysbd's splitter, finding each sentence in the text with ``str.find`` instead of a regex.

    pysbd locates every sentence it returns by compiling the sentence itself as a pattern. Those
    patterns are new for every sentence, so they also push pysbd's own rules out of Python's
    pattern cache: over half of the splitting time went to compiling patterns. The search below
    returns exactly what pysbd's does (checked over all of realtimeqa-dev's paragraphs)."""

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        text = self.original_text
        spans: list[TextSpan] = []
        prior_end = 0
        for sent in sentences:
            at = 0
            while (start := text.find(sent, at)) != -1:
                end = start + len(sent)
                while end < len(text) and text[end].isspace():  # the pattern's trailing ``\s*``
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                at = end if end > start else start + 1  # matches do not overlap
        return spans


def enlarge_regex_cache() -> None:
    """Let Python keep more compiled patterns, for the whole process, deliberately.

    pysbd passes its several hundred rules to ``re`` as strings on every call; with Python's
    default cache of 512 they are compiled again each time, most of its run time (splitting the
    dev gold corpus takes half as long with the larger cache). ``re`` offers no per-caller cache,
    so the one global setting is raised (never lowered), once, when the segmenter is built.
    """
    if getattr(re, "_MAXCACHE", RE_CACHE) < RE_CACHE:
        re._MAXCACHE = RE_CACHE  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    enlarge_regex_cache()
    return _Segmenter(language="en", clean=False)


def windows(text: str, start: int, end: int, size: int = SEGMENT_WINDOW) -> list[Span]:
    """``text[start:end]`` cut into pieces of at most ``size`` characters: after a sentence end if
    there is one, else at a space, else anywhere."""
    out: list[Span] = []
    while end - start > size:
        limit = start + size
        cut = max((m.end() for m in _BOUNDARY.finditer(text, start + size // 2, limit)), default=0)
        if not cut:
            space = text.rfind(" ", start + size // 2, limit)
            cut = space + 1 if space != -1 else limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans (absolute, stripped) inside ``text[start:end]``."""
    out: list[Span] = []
    for s, e in windows(text, start, end):
        out += _segment(text, s, e)
    return _mend(out, text)


def _segment(text: str, start: int, end: int) -> list[Span]:
    return [(start + s, start + e) for s, e in _sentence_spans(_WS.sub(" ", text[start:end]))]


@lru_cache(maxsize=SEGMENT_CACHE)
def _sentence_spans(flat: str) -> tuple[Span, ...]:
    """Sentence spans in ``flat`` (one line of text); remembered, because the same paragraph
    recurs (wire copy in several outlets, boilerplate, an article ingested again)."""
    out: list[Span] = []
    cursor = 0
    for piece in _segmenter().segment(flat):
        stripped = piece.strip()
        if not stripped:
            continue
        at = flat.find(stripped, cursor)
        if at == -1:  # pysbd altered the text; fall back to its length
            at = cursor
        out.append((at, at + len(stripped)))
        cursor = at + len(stripped)
    return tuple(out)


def _mend(spans: list[Span], text: str) -> list[Span]:
    """Join to the sentence before it a fragment of under three words (a stray quote mark,
    "Reuters.") and a piece no sentence opens with: a comma, semicolon, colon or closing bracket,
    or (within a line) a small letter. pysbd leaves those after an abbreviation it took for an
    end ("Sen. Marco Rubio, R-Fla." and ", one of the candidates who lost ..."), and a quote of
    the second alone would lose its subject. A day cut from its month goes back to it first."""
    merged: list[Span] = []
    for s, e in _days_to_months(spans, text):
        if merged and (len(text[s:e].split()) < 3 or _continues(text, merged[-1][1], s)):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _days_to_months(spans: list[Span], text: str) -> list[Span]:
    """Move a day that opens a piece ("24. The Pressroom ...") to the end of the sentence before
    when that ends with a month ("... Saturday, March"), within a line: the date is whole again and
    the rest opens its own sentence (or joins the one before when it is a fragment)."""
    out: list[Span] = []
    for s, e in spans:
        day = _DAY_OPENS.match(text, s, e)
        if out and day and _MONTH_ENDS.search(text, out[-1][0], out[-1][1]) and "\n" not in text[out[-1][1]:s]:
            out[-1] = (out[-1][0], day.end())
            s = day.end()
            while s < e and text[s].isspace():
                s += 1
            if s >= e:
                continue
        out.append((s, e))
    return out


def _continues(text: str, prior_end: int, start: int) -> bool:
    """Whether the piece at ``start`` goes on with the sentence ending at ``prior_end``."""
    first = text[start]
    if first in ",;:)]":
        return True
    name = text[start + 1 : start + 2].isupper()  # "iPhone", "eBay" open sentences
    return first.islower() and not name and "\n" not in text[prior_end:start]


def groups(text: str, spans: list[Span]) -> list[list[Span]]:
    """Consecutive spans separated only by whitespace belong to one group."""
    out: list[list[Span]] = []
    prev_end = None
    for s, e in spans:
        if out and prev_end is not None and not text[prev_end:s].strip():
            out[-1].append((s, e))
        else:
            out.append([(s, e)])
        prev_end = e
    return out


def chunk_article(article: Article, max_chars: int, overlap: int) -> list[Chunk]:
    """Cut the article's citable text into chunks of whole sentences, about ``max_chars`` long,
    neighbours sharing ``overlap`` sentences (both from the settings: ``IndexConfig``)."""
    text = article.text
    sentence_groups = [
        [sent for s, e in group for sent in split_sentences(text, s, e)]
        for group in groups(text, article.citable_spans())
    ]
    all_sentences = [sent for group in sentence_groups for sent in group]
    speakers = dict(zip(all_sentences, attribute([text[s:e] for s, e in all_sentences])))

    chunks: list[Chunk] = []
    for group in sentence_groups:
        i = 0
        while i < len(group):
            j = i + 1
            while j < len(group) and group[j][1] - group[i][0] <= max_chars:
                j += 1
            window = group[i:j]
            start, end = window[0][0], window[-1][1]
            chunks.append(
                Chunk(
                    article_id=article.id,
                    text=text[start:end],
                    start=start,
                    end=end,
                    position=len(chunks),
                    sentences=window,
                    speakers=[speakers[s] for s in window],
                )
            )
            if j >= len(group):
                break
            i = max(j - overlap, i + 1)
    return chunks
