"""Turn what a user names (files, folders, JSONL, stdin, URLs, feeds) into Articles.

Loading never raises for a bad item: it yields a ``LoadFailure`` naming the item (file and
line for JSONL) and the reason in one line, and the batch goes on.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import frontmatter

from retrieval import web
from retrieval.articles import LoadFailure, article_from_text, read_text_file, split_authors
from retrieval.fetch import Fetcher
from retrieval.models import Article

TEXT_SUFFIXES = {".txt"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".json", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
ALL_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | FEED_SUFFIXES


@dataclass
class Sources:
    """What a load touched: folders given (for ``--prune``) and every source seen there."""

    roots: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def load_txt(path: Path) -> Article:
    return article_from_text(read_text_file(path), id=str(path), source=str(path))


def load_markdown(path: Path) -> Article:
    raw = read_text_file(path)
    try:
        post = frontmatter.loads(raw)
    except Exception as exc:
        raise ValueError(f"has unreadable front matter ({str(exc).splitlines()[0]})") from None
    if raw.lstrip("\ufeff").startswith("---") and not post.metadata:
        raise ValueError("opens front matter with --- but never closes it; end the metadata with a --- line")
    meta = post.metadata
    body = post.content
    if not body.strip():
        raise ValueError("has front matter but no article text")
    title = str(meta.get("title") or "")
    url = str(meta.get("url") or "")
    return article_from_text(
        body,
        id=str(meta.get("id") or url or path),
        source=str(path),
        title=title,
        has_title_line=not title,
        url=url,
        outlet=str(meta.get("outlet") or ""),
        authors=split_authors(meta.get("authors") or meta.get("author")),
        published=meta.get("published") or meta.get("date"),
    )


def article_from_record(record: Any, where: str, source: str) -> Article:
    """One JSON record (``id``, ``text``, optional metadata) as an Article."""
    if not isinstance(record, dict):
        raise ValueError("is not a JSON object")
    if "text" not in record:
        raise ValueError("has no 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise ValueError(f"has a 'text' that is {_json_kind(text)}, not a string")
    if not text.strip():
        raise ValueError("has an empty 'text'")
    article_id = str(record.get("id") or record.get("url") or where)
    return article_from_text(
        text,
        id=article_id,
        source=source,
        title=str(record.get("title") or ""),
        has_title_line=False,
        url=str(record.get("url") or ""),
        outlet=str(record.get("outlet") or ""),
        authors=split_authors(record.get("authors")),
        published=record.get("published"),
    )


def iter_records(stream: IO[str], name: str, source: str) -> Iterator[Article | LoadFailure]:
    """A JSONL stream, one article per line; a bad line is named by its line number."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LoadFailure(where, f"is not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        try:
            yield article_from_record(record, where, source)
        except ValueError as exc:
            yield LoadFailure(where, str(exc))


def load_records_file(path: Path) -> Iterator[Article | LoadFailure]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            head = fh.read(1).lstrip()
            fh.seek(0)
            if path.suffix.lower() == ".json" and head in ("[", "{"):
                yield from _json_document(fh, path)
            else:
                yield from iter_records(fh, str(path), str(path))
    except UnicodeDecodeError:
        yield LoadFailure(str(path), "is not UTF-8 text; convert it to UTF-8 and retry")


def _json_document(fh: IO[str], path: Path) -> Iterator[Article | LoadFailure]:
    try:
        data = json.load(fh)
    except json.JSONDecodeError as exc:
        fh.seek(0)
        if exc.lineno > 1:  # maybe JSONL with a .json name
            yield from iter_records(fh, str(path), str(path))
            return
        yield LoadFailure(f"{path}:{exc.lineno}", f"is not valid JSON: {exc.msg} at column {exc.colno}")
        return
    records = data.get("articles", [data]) if isinstance(data, dict) else data
    if not isinstance(records, list):
        yield LoadFailure(str(path), "holds no list of articles")
        return
    for i, record in enumerate(records, start=1):
        where = f"{path}[{i}]"
        try:
            yield article_from_record(record, where, str(path))
        except ValueError as exc:
            yield LoadFailure(where, str(exc))


def _json_kind(value: Any) -> str:
    kinds = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def load_file(path: Path, fetcher: Fetcher) -> Iterator[Article | LoadFailure]:
    """Every article in one file, chosen by its suffix.

    A file read whole (anything but JSONL, which is streamed line by line) larger than the source
    limit is refused before it is read, so memory stays bounded.
    """
    suffix = path.suffix.lower()
    try:
        if not (suffix in RECORD_SUFFIXES and suffix != ".json") and path.stat().st_size > fetcher.policy.max_bytes:
            raise ValueError(fetcher.policy.too_large())
        if suffix in RECORD_SUFFIXES:
            yield from load_records_file(path)
        elif suffix in FEED_SUFFIXES:
            yield from web.load_feed(path.read_bytes(), str(path), fetcher)
        elif suffix in HTML_SUFFIXES:
            yield web.article_from_html(read_text_file(path), source=str(path), url="")
        elif suffix in MARKDOWN_SUFFIXES:
            yield load_markdown(path)
        else:
            yield load_txt(path)
    except ValueError as exc:
        yield LoadFailure(str(path), str(exc))
    except OSError as exc:
        yield LoadFailure(str(path), f"cannot be read ({exc.strerror or exc})")


def load(targets: list[str], fetcher: Fetcher, sources: Sources | None = None, stdin: IO[str] | None = None
         ) -> Iterator[Article | LoadFailure]:
    """Articles from every target: a file, a folder (recursively), ``-`` (JSONL) or a URL."""
    sources = sources if sources is not None else Sources()
    for target in targets:
        if target == "-":
            yield from iter_records(stdin or sys.stdin, "stdin", "stdin")
        elif target.startswith(("http://", "https://")):
            yield from web.load_url(target, fetcher)
        else:
            path = Path(target).expanduser()
            if path.is_dir():
                root = path.resolve()
                sources.roots.append(str(root) + os.sep)
                for file in sorted(root.rglob("*")):
                    if file.is_file() and file.suffix.lower() in ALL_SUFFIXES and not _hidden(file, root):
                        sources.seen.add(str(file))
                        yield from load_file(file, fetcher)
            elif path.is_file():
                yield from load_file(path.resolve(), fetcher)
            else:
                yield LoadFailure(target, "does not exist; give a file, a folder, a URL or -")


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


def count_articles(targets: list[str]) -> int | None:
    """How many articles ``targets`` probably hold (for a progress bar); None if unknowable.

    A JSONL file counts its non-blank lines, any other article file counts one; URLs and stdin
    cannot be counted in advance.
    """
    total = 0
    for target in targets:
        if target == "-" or target.startswith(("http://", "https://")):
            return None
        path = Path(target).expanduser()
        if path.is_dir():
            files = [f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in ALL_SUFFIXES]
        else:
            files = [path] if path.is_file() else []
        for f in files:
            if f.suffix.lower() in RECORD_SUFFIXES:
                with open(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total
