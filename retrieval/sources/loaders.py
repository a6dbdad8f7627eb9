"""Turn what a user names (files, folders, JSONL, stdin, URLs, feeds) into Articles.

Loading never raises for a bad item: it yields a ``LoadFailure`` naming the item (file and
line for JSONL) and the reason in one line, and the batch goes on.

The disk is a door for the machine's own user only (the CLI): front ends that serve other
people hand in URLs, which go through the guarded fetcher, and uploaded files as bytes. A
folder stays a folder: a link pointing out of it, and anything that is not a regular file
(devices, FIFOs, ``/proc``), is never read, and sizes are counted on what is read.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import frontmatter
import yaml

from retrieval.models import Article
from retrieval.sources import web
from retrieval.sources.articles import LoadFailure, article_from_text, decode_text, split_authors
from retrieval.sources.fetch import Fetcher

TEXT_SUFFIXES = {".txt"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".json", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
ALL_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | FEED_SUFFIXES
FRONT_MATTER_CHARS = 64_000  # of a Markdown file's front matter: metadata, never a document
SYSTEM_FOLDERS = ("/proc/", "/sys/", "/dev/")  # files there are views of the running machine


@dataclass
class Sources:
    """What a load touched: folders given (for ``--prune``) and every source seen there."""

    roots: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: a few hundred bytes of nested aliases expand without bound."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("it uses YAML aliases (*name), which newsbot does not expand")
        return super().compose_node(parent, index)


class _FrontMatterYAML(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        if len(fm) > FRONT_MATTER_CHARS:
            raise yaml.YAMLError(f"it is longer than {FRONT_MATTER_CHARS:,} characters")
        return yaml.load(fm, Loader=_NoAliases)  # noqa: S506 - a SafeLoader without aliases


def load_txt(text: str, name: str, article_id: str) -> Article:
    return article_from_text(text, id=article_id, source=name)


def load_markdown(raw: str, name: str, article_id: str) -> Article:
    """A Markdown article with optional front matter, stored as ``article_id`` (what the front
    matter says of its id or link is shown, never claimed: it could name another article)."""
    handler = frontmatter.detect_format(raw, frontmatter.handlers)
    if isinstance(handler, frontmatter.YAMLHandler):
        handler = _FrontMatterYAML()
    try:
        post = frontmatter.loads(raw, handler=handler)
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ValueError(f"has unreadable front matter ({first})") from None
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
        id=article_id,
        source=name,
        title=title,
        has_title_line=not title,
        url=url,
        outlet=str(meta.get("outlet") or ""),
        authors=split_authors(meta.get("authors") or meta.get("author")),
        published=meta.get("published") or meta.get("date"),
    )


def article_from_record(record: Any, where: str, source: str, scope: str = "") -> Article:
    """One JSON record (``id``, ``text``, optional metadata) as an Article; ``scope`` prefixes its
    id (an uploaded file's records cannot take the ids of articles stored from elsewhere)."""
    if not isinstance(record, dict):
        raise ValueError("is not a JSON object")
    if "text" not in record:
        raise ValueError("has no 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise ValueError(f"has a 'text' that is {_json_kind(text)}, not a string")
    if not text.strip():
        raise ValueError("has an empty 'text'")
    article_id = scope + str(record.get("id") or record.get("url") or where)
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


def iter_records(stream: IO[str], name: str, source: str, scope: str = "") -> Iterator[Article | LoadFailure]:
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
            yield article_from_record(record, where, source, scope)
        except ValueError as exc:
            yield LoadFailure(where, str(exc))


def load_records_file(path: Path) -> Iterator[Article | LoadFailure]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            yield from _records(fh, path)
    except UnicodeDecodeError:
        yield LoadFailure(str(path), "is not UTF-8 text; convert it to UTF-8 and retry")


def _records(fh: IO[str], path: Path, scope: str = "") -> Iterator[Article | LoadFailure]:
    """A records file's articles: one JSON document when a ``.json`` file opens with ``[`` or
    ``{``, else JSONL."""
    head = fh.read(1).lstrip()
    fh.seek(0)
    if path.suffix.lower() == ".json" and head in ("[", "{"):
        yield from _json_document(fh, path, scope)
    else:
        yield from iter_records(fh, str(path), str(path), scope)


def _json_document(fh: IO[str], path: Path, scope: str = "") -> Iterator[Article | LoadFailure]:
    try:
        data = json.load(fh)
    except json.JSONDecodeError as exc:
        fh.seek(0)
        if exc.lineno > 1:  # maybe JSONL with a .json name
            yield from iter_records(fh, str(path), str(path), scope)
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
            yield article_from_record(record, where, str(path), scope)
        except ValueError as exc:
            yield LoadFailure(where, str(exc))


def _json_kind(value: Any) -> str:
    kinds = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def load_file(path: Path, fetcher: Fetcher) -> Iterator[Article | LoadFailure]:
    """Every article in one regular file, chosen by its suffix.

    A file read whole (anything but JSONL, which is streamed line by line) is read up to one
    byte past the source limit, whatever its size claims (``/proc`` files claim 0), so memory
    stays bounded.
    """
    suffix = path.suffix.lower()
    try:
        _regular(path)
        if suffix in RECORD_SUFFIXES:
            yield from load_records_file(path)
            return
        with open(path, "rb") as fh:
            data = fh.read(fetcher.policy.max_bytes + 1)
        yield from load_bytes(data, str(path), fetcher)
    except ValueError as exc:
        yield LoadFailure(str(path), str(exc))
    except OSError as exc:
        yield LoadFailure(str(path), f"cannot be read ({exc.strerror or exc})")


def load_bytes(data: bytes, name: str, fetcher: Fetcher, scope: str = "") -> Iterator[Article | LoadFailure]:
    """The articles of one file's content (``name`` gives its kind by suffix and names it);
    ``scope`` prefixes every id it gives (an upload's articles live in their own namespace)."""
    suffix = Path(name).suffix.lower()
    try:
        if len(data) > fetcher.policy.max_bytes:
            raise ValueError(fetcher.policy.too_large())
        if suffix in RECORD_SUFFIXES:
            yield from _records(io.StringIO(decode_text(data)), Path(name), scope)
            return
        if suffix in FEED_SUFFIXES:
            yield from web.load_feed(data, name, fetcher)
            return
        text = decode_text(data)
        own_id = scope + name
        if suffix in HTML_SUFFIXES:
            article = web.article_from_html(text, source=name, url="", id=own_id)
        elif suffix in MARKDOWN_SUFFIXES:
            article = load_markdown(text, name, own_id)
        else:
            article = load_txt(text, name, own_id)
        article.located = article.id == own_id  # named by where it was found: the same text elsewhere is one article
        yield article
    except ValueError as exc:
        yield LoadFailure(name, str(exc))


def _regular(path: Path) -> None:
    """ValueError unless ``path`` is a regular file outside the machine's system views."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("is not a regular file (a device, pipe or socket); give an article file")
    if str(path.resolve()).startswith(SYSTEM_FOLDERS):
        raise ValueError("is a system file, not an article")


def load(targets: list[str], fetcher: Fetcher, sources: Sources | None = None, stdin: IO[str] | None = None,
         local: bool = True) -> Iterator[Article | LoadFailure]:
    """Articles from every target: a URL; and with ``local`` (the machine's own user) a file, a
    folder (recursively) or ``-`` (JSONL on stdin).

    Without ``local`` anything but an http(s) URL is refused without looking at the disk, so a
    caller cannot learn which paths exist.
    """
    sources = sources if sources is not None else Sources()
    for target in targets:
        if target.startswith(("http://", "https://")):
            yield from web.load_url(target, fetcher)
        elif not local:
            yield LoadFailure(target, "is not a web address; give an http:// or https:// URL")
        elif target == "-":
            yield from iter_records(stdin or sys.stdin, "stdin", "stdin")
        else:
            path = Path(target).expanduser()
            if path.is_dir():
                root = path.resolve()
                sources.roots.append(str(root) + os.sep)
                for file in _folder_files(root):
                    if isinstance(file, LoadFailure):
                        yield file
                        continue
                    sources.seen.add(str(file))
                    yield from load_file(file, fetcher)
            elif path.exists():
                yield from load_file(path.resolve(), fetcher)
            else:
                yield LoadFailure(target, "does not exist; give a file, a folder, a URL or -")


def _folder_files(root: Path) -> Iterator[Path | LoadFailure]:
    """The article files below ``root`` in name order, hidden ones left out; a link is followed
    only while it stays inside ``root``, and only regular files are read."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            file = Path(folder) / name
            if name.startswith(".") or file.suffix.lower() not in ALL_SUFFIXES:
                continue
            if file.is_symlink() and not file.resolve().is_relative_to(root):
                yield LoadFailure(str(file), "is a link out of the folder; not followed")
                continue
            try:
                regular = stat.S_ISREG(file.stat().st_mode)
            except OSError:
                regular = False
            if regular:
                yield file


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
            files = [f for f in _folder_files(path.resolve()) if isinstance(f, Path)]
        else:
            files = [path] if path.is_file() else []  # is_file: a regular file (never a pipe that would block)
        for f in files:
            if f.suffix.lower() in RECORD_SUFFIXES:
                with open(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total
