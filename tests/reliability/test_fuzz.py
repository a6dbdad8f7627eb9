"""Fuzzing (hypothesis) the parts that see untrusted text: loaders, the cleaner, the chunker and
citation rendering. Properties, not examples: nothing raises but the documented one-line
errors, and every offset still points at the exact text."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.citations import markers, renumber, shorten, source_line
from bot.engine import Citation
from bot.frontends.discord_render import CONTENT_LIMIT, source_entry, split_text
from retrieval.index.chunking import chunk_article, windows
from retrieval.models import Article
from retrieval.sources.articles import LoadFailure, article_from_text, readable
from retrieval.sources.cleaning import clean_text
from retrieval.sources.fetch import Fetcher, FetchPolicy
from retrieval.sources.loaders import article_from_record, iter_records, load_file

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=12)
prose = st.lists(st.one_of(words, st.sampled_from([". ", "\n", "\n\n", "? ", " — ", "By Ann Lee\n", "CNN —",
                                                   "Copyright 2022", "“", "”", "U.S. ", "  "])),
                 max_size=80).map("".join)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                           max_leaves=12)


def one_line(message: str) -> bool:
    return bool(message) and "\n" not in message


@FUZZ
@given(st.text(max_size=400))
def test_jsonl_stream_never_raises(text: str) -> None:
    for item in iter_records(io.StringIO(text), "fuzz.jsonl", "fuzz.jsonl"):
        assert isinstance(item, Article | LoadFailure)
        if isinstance(item, LoadFailure):
            assert one_line(item.reason) and item.item.startswith("fuzz.jsonl:")


@FUZZ
@given(st.dictionaries(st.sampled_from(["id", "text", "title", "url", "published", "authors", "outlet", "x"]),
                       json_values, max_size=7))
def test_any_record_is_an_article_or_a_one_line_reason(record: dict) -> None:
    try:
        article = article_from_record(record, "r:1", "r")
    except ValueError as exc:
        assert one_line(str(exc))
        return
    assert isinstance(record.get("text"), str) and article.text == readable(record["text"])


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".xml"]))
@pytest.mark.slow
def test_any_file_is_articles_or_one_line_failures(data: bytes, suffix: str) -> None:
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / f"item{suffix}"
        path.write_bytes(data)
        for item in load_file(path, Fetcher(FetchPolicy.parse("", 1_000_000, 1.0))):
            assert isinstance(item, Article | LoadFailure)
            if isinstance(item, LoadFailure):
                assert one_line(item.reason)


@FUZZ
@given(prose, st.booleans())
def test_cleaner_spans_are_ordered_stripped_and_inside(text: str, title_line: bool) -> None:
    spans = clean_text(text, has_title_line=title_line).spans
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        last = e


@FUZZ
@given(prose, st.integers(min_value=100, max_value=900), st.integers(min_value=0, max_value=2))
def test_chunks_quote_the_text_exactly(text: str, size: int, overlap: int) -> None:
    article = article_from_text(text, id="a", source="a") if text.strip() else Article(id="a", text=text)
    for chunk in chunk_article(article, size, overlap):
        assert chunk.text == article.text[chunk.start : chunk.end]
        assert all(chunk.start <= s < e <= chunk.end for s, e in chunk.sentences)


@FUZZ
@given(st.text(alphabet="ab .!?\n", max_size=3000), st.integers(min_value=10, max_value=400))
def test_windows_cover_the_span_without_gaps(text: str, size: int) -> None:
    pieces = windows(text, 0, len(text), size)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    assert all(e - s <= size for s, e in pieces)


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=15), st.integers(0, 12).map(lambda n: f" [{n}]")), max_size=30).map("".join),
       st.sets(st.integers(1, 8), max_size=8))
def test_renumbered_markers_are_valid_and_in_first_use_order(text: str, valid: set[int]) -> None:
    new, mapping = renumber(text, valid)
    assert set(mapping) <= valid
    firsts = list(dict.fromkeys(markers(new)))
    assert firsts == list(range(1, len(firsts) + 1))


@FUZZ
@given(st.text(max_size=6000))
def test_discord_split_keeps_limits_and_markers(text: str) -> None:
    pieces = split_text(text)
    assert all(len(p) <= CONTENT_LIMIT for p in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)


@FUZZ
@given(st.text(max_size=300), st.text(max_size=300), st.text(max_size=40), st.text(max_size=80),
       st.integers(min_value=1, max_value=500))
def test_source_rendering_never_breaks(title: str, quote: str, outlet: str, url: str, limit: int) -> None:
    c = Citation(1, "id", title, outlet, "2022-01-01", url, quote, 0, len(quote), "c")
    assert source_line(c) and source_entry(c).startswith("**[1]**")
    assert len(shorten(quote, limit)) <= max(limit, 1)
    json.dumps(c.__dict__)
