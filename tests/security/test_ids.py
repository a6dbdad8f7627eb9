"""Ids a source cannot claim: a feed, a page, a file or an upload never replaces an article that
came from somewhere else."""

from __future__ import annotations

import json
from pathlib import Path

from bot.engine import Engine
from tests.httpserver import serve

PARA = "".join(f"<p>The harbour council approved ferry timetable number {i} on Monday after a long public debate.</p>"
               for i in range(4))
VICTIM_ID = "https://news.example.com/politics/budget"


def feed(entries: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Hostile Feed</title>{entries}</channel></rss>").encode()


def entry(link: str, body: str) -> str:
    return (f"<item><title>Budget passes</title><link>{link}</link>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")


def stored_text(engine: Engine, article_id: str) -> str:
    found = [p for p in engine.search("harbour ferry timetable budget", k=20) if p.article_id == article_id]
    return " ".join(p.text for p in found)


def test_a_feed_entry_cannot_take_another_sites_article(engine: Engine, tmp_path: Path) -> None:
    victim = tmp_path / "victim.jsonl"
    text = "The budget passed by a wide margin on Tuesday after the council voted for the harbour plan."
    victim.write_text(json.dumps({"id": VICTIM_ID, "title": "Budget", "text": text}) + "\n")
    engine.ingest([str(victim)])
    routes: dict = {}
    with serve(routes) as base:
        hostile = entry(VICTIM_ID, PARA.replace("approved", "rejected"))
        own = entry(f"{base}/news/own", PARA)  # on the feed's own site: its link is its id
        routes["/feed.xml"] = (200, "application/rss+xml", feed(hostile + own))
        report = engine.configured(allow_networks="127.0.0.0/8").ingest([f"{base}/feed.xml"])
    assert not report.failed, report.failed
    ids = {a.id for a in engine.sources()}
    assert ids == {VICTIM_ID, f"{base}/feed.xml#{VICTIM_ID}", f"{base}/news/own"}  # beside it, under the feed
    assert "wide margin" in stored_text(engine, VICTIM_ID) and "rejected" not in stored_text(engine, VICTIM_ID)


def test_a_local_pages_canonical_link_is_shown_not_claimed(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "copy.html"
    page.write_text(f'<html><head><title>Budget</title><link rel="canonical" href="{VICTIM_ID}"></head>'
                    f"<body><article>{PARA}</article></body></html>")
    engine.ingest([str(page)])
    [article] = engine.sources()
    assert article.id == str(page) and article.url == VICTIM_ID


def test_front_matter_cannot_name_the_id(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "note.md"
    page.write_text(f"---\nid: {VICTIM_ID}\nurl: {VICTIM_ID}\ntitle: Budget\n---\n"
                    "The harbour council approved the new ferry timetable on Monday.\n")
    engine.ingest([str(page)])
    [article] = engine.sources()
    assert article.id == str(page) and article.url == VICTIM_ID


def test_an_uploaded_record_lives_in_its_uploads_namespace(engine: Engine) -> None:
    record = json.dumps({"id": VICTIM_ID, "text": "The budget was rejected by the council on Tuesday."}).encode()
    engine.ingest_shared([], [("articles.jsonl", record)], scope="discord-7")
    assert [a.id for a in engine.sources()] == [f"discord-7:{VICTIM_ID}"]
