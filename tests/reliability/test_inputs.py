"""Inputs that used to be mishandled: huge paragraphs and files, one-line texts, broken front
matter, odd JSONL values, footer years taken for dates, the same page under many URLs, and
what the data folder looks like from outside."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from bot.engine import Engine
from retrieval.index.chunking import split_sentences
from retrieval.index.embeddings import Embedder
from retrieval.models import Article
from retrieval.sources.fetch import Fetcher, FetchPolicy
from retrieval.sources.loaders import load
from retrieval.sources.web import article_from_html, canonical
from tests.conftest import SEEDS, make_engine
from tests.httpserver import serve

POLICY = FetchPolicy.parse("127.0.0.0/8", 10_000_000, 20.0)


def load_one(path: Path) -> list:
    return list(load([str(path)], Fetcher(POLICY)))


def test_a_300_kb_paragraph_splits_into_exact_sentences() -> None:
    sentence = "The minister said on Tuesday that the talks in Geneva would go on. "
    text = sentence * (300_000 // len(sentence))
    spans = split_sentences(text, 0, len(text))
    assert len(spans) == text.count("Geneva")
    assert all(text[s:e] == sentence.strip() for s, e in spans)


def test_a_30_mb_file_is_refused_in_one_line_naming_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "w") as fh:
        for _ in range(30):
            fh.write("word " * 200_000 + "\n")
    [failure] = load_one(big)
    assert "size limit of 10 MB" in failure.reason and "NEWSBOT_MAX_SOURCE_MB" in failure.reason
    assert "\n" not in failure.reason


def test_a_one_line_text_is_body_not_title(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("The council approved the new tram line on Monday after a long debate.\n")
    [article] = load_one(path)
    assert isinstance(article, Article) and article.title == ""
    assert [article.text[s:e] for s, e in article.citable_spans()] == [path.read_text().strip()]


def test_unclosed_front_matter_is_a_one_line_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: Tram\nauthor: Ann\n\nThe council approved the tram line on Monday.\n")
    [failure] = load_one(path)
    assert "never closes" in failure.reason and "\n" not in failure.reason


def test_jsonl_reasons_say_exactly_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([json.dumps({"id": "a", "text": 12345}), json.dumps({"id": "b", "text": None}),
                               json.dumps({"id": "c"}), json.dumps({"id": "d", "text": "  "}), '{"id": "e", "text": "x"',
                               json.dumps({"id": "f", "text": "The council approved the tram line."})]) + "\n")
    reasons = {f.item: f.reason for f in load_one(path) if not isinstance(f, Article)}
    assert reasons[f"{path}:1"] == "has a 'text' that is a number, not a string"
    assert reasons[f"{path}:2"] == "has a 'text' that is null, not a string"
    assert reasons[f"{path}:3"] == "has no 'text' field"
    assert reasons[f"{path}:4"] == "has an empty 'text'"
    assert reasons[f"{path}:5"].startswith("is not valid JSON: Expecting ',' delimiter at column")


def test_footer_copyright_year_is_not_a_publication_date() -> None:
    body = "<p>" + "The bridge reopened after two years of repairs, the mayor said on the quay. " * 6 + "</p>"
    page = f"<html><head><title>Bridge</title></head><body><article>{body}</article>" \
           "<footer>Copyright 2022 The Coastal Times. All rights reserved.</footer></body></html>"
    assert article_from_html(page, source="s", url="https://news.example/bridge").published == ""
    dated = page.replace("<head>", '<head><meta property="article:published_time" content="2022-06-14T08:00:00Z">')
    assert article_from_html(dated, source="s", url="https://news.example/bridge").published == "2022-06-14"


def test_the_same_page_under_many_urls_is_stored_once(home: Path, embedder: Embedder) -> None:
    body = "<p>" + "The ferry timetable changes on Monday, the harbour master said at the quay. " * 6 + "</p>"
    engine = make_engine(home, embedder, allow_networks="127.0.0.0/8")
    routes: dict = {}
    with serve(routes) as base:
        page = (f'<html><head><title>Ferry</title><link rel="canonical" href="{base}/ferry"></head>'
                f"<body><article>{body}</article></body></html>").encode()
        routes.update({p: (200, "text/html", page) for p in ("/ferry", "/ferry?utm_source=x", "/ferry?fbclid=1",
                                                            "/amp/ferry", "/ferry?ref=home")})
        report = engine.ingest([f"{base}/ferry?utm_source=x", f"{base}/ferry?fbclid=1", f"{base}/amp/ferry",
                                f"{base}/ferry?ref=home", f"{base}/ferry#top"])
    assert [a.id for a in engine.sources()] == [f"{base}/ferry"]
    assert len(report.added) == 1 and len(report.unchanged) == 4
    assert canonical("https://Example.org/a?utm_campaign=x&page=2#c") == "https://example.org/a?page=2"


def test_data_folder_is_private_and_holds_no_pickle(home: Path, embedder: Embedder) -> None:
    engine: Engine = make_engine(home, embedder)
    engine.ingest([str(SEEDS)])
    engine.ask("What did Lavrov demand?")  # builds and saves the keyword index
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(home / "chroma").st_mode) == 0o700
    cached = [p for p in (home / "cache").rglob("*") if p.is_file()]
    assert cached and not [p for p in cached if p.suffix in (".pkl", ".pickle")]
    for p in cached:
        assert not p.read_bytes().startswith(b"\x80")  # no pickle stream under any name
