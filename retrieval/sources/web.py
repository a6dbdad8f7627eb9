"""Articles from the web: HTML pages (trafilatura), URLs, and RSS/Atom feeds (feedparser).

Every download goes through a ``Fetcher``, which refuses internal addresses and caps size and time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

import feedparser
import trafilatura

from retrieval.dates import iso_date
from retrieval.models import Article
from retrieval.sources.articles import LoadFailure, article_from_text
from retrieval.sources.fetch import Fetcher

MIN_ARTICLE_CHARS = 200
FEED_SNIFF_BYTES = 2048  # where a feed's root element must appear
_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_TAGS = re.compile(r"<[^<>]*>")  # [^<>]: a "<" with no ">" fails at the next "<", so this stays linear
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|cmpid|smid|"
                       r"ocid|taid|at_medium|at_campaign|cid)$", re.IGNORECASE)
# Only structured dates (meta tags, <time>, the URL): a full-text search reads "Copyright 2022" as 2022-01-01.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def canonical(url: str) -> str:
    """The URL without fragment and tracking parameters: the same page read twice gets the same id."""
    parts = urlsplit(urldefrag(url.strip())[0])
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, urlencode(query), ""))


def page_identity(fetched: str, declared: str | None) -> str:
    """The page's own canonical URL when it names one on the same site, else the fetched URL.

    A page from another site cannot claim an id it does not own (that would replace the other
    site's stored article).
    """
    mine = canonical(fetched)
    if declared and declared.startswith(("http://", "https://")):
        theirs = canonical(declared)
        if urlsplit(theirs).netloc == urlsplit(mine).netloc:
            return theirs
    return mine


def article_from_html(html: str | bytes, source: str, url: str, **given: Any) -> Article:
    """The main text and metadata of a news page; ValueError if it holds no article."""
    doc = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params=DATE_PARAMS,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_ARTICLE_CHARS:
        raise ValueError("holds no article text (is it a news page?)")
    title = given.get("title") or getattr(doc, "title", None) or ""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    body = "\n\n".join(lines)
    declared = getattr(doc, "url", None)
    page_url = page_identity(url, declared) if url else canonical(declared or "")
    author = given.get("authors") or getattr(doc, "author", None) or ""
    authors = author if isinstance(author, list) else [a.strip() for a in re.split(r";|,| and ", author) if a.strip()]
    # A file's id is its own name: a canonical link it declares is shown as its link, never claimed.
    own_id = page_url if url else source
    return article_from_text(
        body,
        id=given.get("id") or own_id or source,
        source=source,
        title=title,
        has_title_line=not title,
        url=page_url,
        outlet=given.get("outlet") or getattr(doc, "sitename", None) or "",
        authors=authors,
        published=given.get("published") or getattr(doc, "date", None),
    )


def load_url(url: str, fetcher: Fetcher) -> Iterator[Article | LoadFailure]:
    """A page or a feed, told apart by content type and content."""
    try:
        page = fetcher.get(url)
    except ValueError as exc:
        yield LoadFailure(url, str(exc))
        return
    if any(t in page.content_type for t in ("rss", "atom", "xml")) or _FEED_SNIFF.search(page.content[:FEED_SNIFF_BYTES]):
        yield from load_feed(page.content, url, fetcher)
        return
    try:
        article = article_from_html(page.text, source=canonical(page.url), url=page.url)  # id: page_identity
        article.located = True
        yield article
    except ValueError as exc:
        yield LoadFailure(url, str(exc))


def load_feed(data: bytes, source: str, fetcher: Fetcher, skip: Callable[[str], bool] | None = None
              ) -> Iterator[Article | LoadFailure]:
    """Every entry of an RSS/Atom feed (but those whose ``entry_key`` ``skip`` accepts); an entry
    with only a summary gets its page fetched."""
    feed = parse_feed(data)
    if not feed.entries:
        reason = "is not an RSS or Atom feed" if feed.bozo else "is a feed with no entries"
        yield LoadFailure(source, reason)
        return
    outlet = feed.feed.get("title", "")
    home = urlsplit(canonical(source)).netloc if source.startswith(("http://", "https://")) else ""
    for i, entry in enumerate(feed.entries, start=1):
        link = canonical(entry.get("link", ""))
        name = link or f"{source}#{i}"
        if skip is not None and skip(entry_key(entry)):
            continue
        try:
            yield _entry_article(entry, link, source, outlet, fetcher, home)
        except ValueError as exc:
            yield LoadFailure(name, str(exc))


def entry_key(entry: Any) -> str:
    """What identifies a feed entry across polls: its link (canonical), else its id, else its title."""
    return canonical(entry.get("link", "")) or str(entry.get("id") or entry.get("title") or "")


def entry_keys(data: bytes) -> list[str]:
    """The keys of every entry of a feed, in feed order."""
    return [entry_key(e) for e in parse_feed(data).entries]


def parse_feed(data: bytes) -> Any:
    """A feed parsed from memory. feedparser takes a string or bytes argument for a file name or
    a URL when it can, so a body such as ``/etc/passwd`` would be read from disk: a stream never is."""
    return feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)


def entry_id(entry: Any, link: str, source: str, home: str) -> str:
    """The id an entry's inline text is stored under: its link when the link is on the feed's own
    site, else a name scoped to the feed, so one feed cannot replace another site's article."""
    if link and home and urlsplit(link).netloc == home:
        return link
    return f"{canonical(source) if home else source}#{link or entry.get('id') or entry.get('title') or ''}"


def _entry_article(entry: Any, link: str, source: str, outlet: str, fetcher: Fetcher, home: str) -> Article:
    published = iso_date(entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published"))
    authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    meta = {
        "title": entry.get("title", ""),
        "outlet": outlet,
        "published": published,
        "authors": authors,
    }
    content = " ".join(c.get("value", "") for c in entry.get("content", []))
    if len(_TAGS.sub("", content)) >= MIN_ARTICLE_CHARS:
        return article_from_html(f"<html><body><article>{content}</article></body></html>",
                                 source=link or source, url=link, id=entry_id(entry, link, source, home), **meta)
    if not link:
        raise ValueError("carries only a summary and no link to the article")
    page = fetcher.get(link)  # the page's id is where it was actually fetched from (``page_identity``)
    return article_from_html(page.text, source=canonical(page.url), url=page.url, **meta)
