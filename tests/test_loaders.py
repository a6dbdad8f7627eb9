"""Loading every kind of source into Articles (no model needed)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from retrieval.models import Article
from retrieval.sources.fetch import Fetcher, FetchPolicy
from retrieval.sources.loaders import LoadFailure, Sources, load
from tests.conftest import FIXTURES, SEED_FILE
from tests.httpserver import closed_port_url, serve

LOOPBACK_ALLOWED = FetchPolicy.parse("127.0.0.0/8", 5_000_000, 20.0)  # the test servers live there


def load_all(targets: list[str], **kwargs) -> list:
    return list(load(targets, Fetcher(LOOPBACK_ALLOWED), **kwargs))


def articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def failures(items: list) -> list[LoadFailure]:
    return [i for i in items if isinstance(i, LoadFailure)]


def cited(article: Article) -> str:
    return "\n".join(article.text[s:e] for s, e in article.citable_spans())


def test_txt_seed() -> None:
    [article] = load_all([str(SEED_FILE)])
    assert isinstance(article, Article)
    assert article.id == str(SEED_FILE) and article.title.startswith("Russia-US Talks")
    assert article.text == SEED_FILE.read_text(encoding="utf-8")  # never rewritten


def test_markdown_front_matter() -> None:
    [article] = load_all([str(FIXTURES / "frontmatter.md")])
    assert isinstance(article, Article)
    assert article.title == "Tram Line Approved for the East Side"
    assert article.id == str(FIXTURES / "frontmatter.md") and article.url == "https://example.org/news/tram"
    assert article.published == "2022-06-20"
    assert article.authors == ["Lee Wong", "Priya Shah"]
    assert article.outlet == "Metro Daily"
    assert "title:" not in cited(article) and "fourteen stops" in cited(article)


def test_html_file() -> None:
    [article] = load_all([str(FIXTURES / "article.html")])
    assert isinstance(article, Article)
    assert article.title == "Harbour Bridge Reopens After Two Years of Repairs"
    assert article.published == "2022-06-14"
    assert article.authors == ["Maria Lopez"]
    assert article.outlet == "The Coastal Times"
    text = cited(article)
    assert "212 steel cables" in text
    assert "Home" not in text and "Copyright" not in text and "recipes" not in text


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    good = {"id": "a1", "title": "T", "text": "A long enough article sentence here. And another one.",
            "published": "June 3, 2022", "authors": ["X Y"], "url": "https://e.org/a1"}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"id": "a2"}) + "\n\n"
                    + json.dumps({**good, "id": "a3"}) + "\n")
    items = load_all([str(path)])
    assert [a.id for a in articles(items)] == ["a1", "a3"]
    assert articles(items)[0].published == "2022-06-03"
    bad = failures(items)
    assert [f.item for f in bad] == [f"{path}:2", f"{path}:3"]
    assert "not valid JSON" in bad[0].reason and "no 'text'" in bad[1].reason


def test_json_array_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": "j1", "text": "One sentence of news. Another sentence."}]))
    assert [a.id for a in articles(load_all([str(path)]))] == ["j1"]
    stdin = io.StringIO(json.dumps({"id": "s1", "text": "From standard input. Really."}) + "\n")
    assert [a.id for a in articles(load_all(["-"], stdin=stdin))] == ["s1"]


def test_folder_recursive_by_type(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Title A\n\nBody sentence one. Body sentence two.\n")
    (tmp_path / "sub" / "b.md").write_text("---\ntitle: B\n---\nBody of b. More body.\n")
    (tmp_path / "notes.csv").write_text("x,y\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("Hidden\n\nShould not load.\n")
    sources = Sources()
    items = load_all([str(tmp_path)], sources=sources)
    assert sorted(Path(a.source).name for a in articles(items)) == ["a.txt", "b.md"]
    assert not failures(items)
    assert sources.roots and len(sources.seen) == 2


def test_bad_files_each_get_one_line(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news\n\nSome text.".encode("latin-1"))
    (tmp_path / "ok.txt").write_text("Fine\n\nA fine sentence here. And more.\n")
    (tmp_path / "notnews.html").write_text("<html><body><p>Click here</p></body></html>")
    items = load_all([str(tmp_path), str(tmp_path / "missing.txt")])
    reasons = {Path(f.item).name: f.reason for f in failures(items)}
    assert reasons["binary.txt"] == "is a binary file, not text"
    assert reasons["empty.txt"] == "is empty"
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "no article text" in reasons["notnews.html"]
    assert "does not exist" in reasons["missing.txt"]
    assert all("\n" not in r for r in reasons.values())
    assert [Path(a.source).name for a in articles(items)] == ["ok.txt"]


def test_url_and_feed_over_http() -> None:
    page = (FIXTURES / "article.html").read_bytes()
    second = (FIXTURES / "second.html").read_bytes()
    routes = {"/news/bridge": (200, "text/html; charset=utf-8", page),
              "/news/library": (200, "text/html; charset=utf-8", second),
              "/broken": (500, "text/plain", b"oops"),
              "/tiny": (200, "text/html", b"<html><body>Subscribe!</body></html>")}
    with serve(routes) as base:
        feed = (FIXTURES / "feed.xml").read_text().replace("http://HOST", base).encode()
        routes["/feed.xml"] = (200, "application/rss+xml", feed)
        items = load_all([f"{base}/news/bridge#comments", f"{base}/feed.xml", f"{base}/broken",
                           f"{base}/tiny", closed_port_url()])
    got = {a.title: a for a in articles(items)}
    bridge = got["Harbour Bridge Reopens After Two Years of Repairs"]
    assert bridge.id == bridge.url == f"{base}/news/bridge"  # fragment dropped: canonical
    assert bridge.published == "2022-06-14" and bridge.authors == ["Maria Lopez"]
    library = got["City Library Extends Its Opening Hours"]  # summary-only entry: page fetched
    assert library.url == f"{base}/news/library" and library.published == "2022-06-16"
    assert library.authors == ["Tom Reed"] and "ten in the evening" in cited(library)
    fleet = got["Fishing Fleet Returns Early"]  # full content in the feed
    assert fleet.published == "2022-06-17" and fleet.authors == ["Ana Silva"]
    assert fleet.outlet == "The Coastal Times" and "Captain Rui Costa" in cited(fleet)
    reasons = {f.item: f.reason for f in failures(items)}
    assert reasons[f"{base}/news/gone"] == "answered HTTP 404"
    assert reasons[f"{base}/broken"] == "answered HTTP 500"
    assert "no article text" in reasons[f"{base}/tiny"]
    assert any("unreachable" in r for r in reasons.values())
