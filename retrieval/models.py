"""The data that flows from a source to an answer: Article, Chunk, Passage."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from retrieval.dates import day_of

Span = tuple[int, int]


@dataclass
class Article:
    """One news article. ``text`` is what citations quote; ``spans`` are its citable regions.

    ``spans`` leaves out the title line, captions, headings, bylines and site footers, so a
    citation can only ever quote body text. None means the whole text is citable.
    """

    id: str
    text: str
    title: str = ""
    url: str = ""
    outlet: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""  # ISO date YYYY-MM-DD, or "" when unknown
    source: str = ""  # where it was loaded from (path, URL, "stdin")
    spans: list[Span] | None = None
    index_signature: str = ""  # how it is chunked and embedded; set by the ingestor
    located: bool = False  # its id is where it was found (a path, a URL), not one its publisher gave

    @property
    def text_hash(self) -> str:
        """The article's words, whatever its location: the same text found at another path or URL
        is the same article."""
        return hashlib.sha256(" ".join(self.text.split()).encode("utf-8")).hexdigest()[:16]

    @property
    def content_hash(self) -> str:
        """Changes whenever anything stored for the article would change, index settings too."""
        payload = json.dumps(
            [self.text, self.title, self.url, self.outlet, self.authors, self.published,
             self.spans, self.index_signature],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def citable_spans(self) -> list[Span]:
        return self.spans if self.spans is not None else [(0, len(self.text))]


@dataclass
class Chunk:
    """Whole sentences of one article, with character offsets into ``Article.text``."""

    article_id: str
    text: str
    start: int
    end: int
    position: int
    sentences: list[Span]  # absolute offsets of each sentence in the article text
    speakers: list[list[str]] = field(default_factory=list)  # who speaks in each sentence


@dataclass
class Passage:
    """A stored chunk retrieved for one question, with its article's metadata and scores."""

    chunk_id: str
    article_id: str
    text: str
    start: int
    end: int
    position: int
    sentences: list[Span]
    speakers: list[list[str]]
    title: str = ""
    url: str = ""
    outlet: str = ""
    published: str = ""
    authors: list[str] = field(default_factory=list)
    source: str = ""
    dense: float | None = None
    lexical: float | None = None
    score: float = 0.0
    sentence_vectors: np.ndarray | None = field(default=None, repr=False)  # one row per sentence, from ingest

    @property
    def day(self) -> date | None:
        """The publication day, or None when the article is undated (or its date unreadable)."""
        return day_of(self.published)

    def sentence_text(self, index: int) -> str:
        """The exact text of sentence ``index``, sliced from the stored chunk."""
        s, e = self.sentences[index]
        return self.text[s - self.start : e - self.start]
