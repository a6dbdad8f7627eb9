"""What the engine returns: an Answer with numbered Citations that quote the stored text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from retrieval.models import Passage

NOT_COVERED = "The articles I have do not cover this."


@dataclass
class Citation:
    """Source ``[n]``: an article and the exact span of its text that supports the claim."""

    n: int
    article_id: str
    title: str
    outlet: str
    published: str
    url: str
    quote: str  # exact substring of the article text at [start, end)
    start: int
    end: int
    chunk_id: str

    @classmethod
    def from_passage(cls, n: int, passage: Passage, start: int, end: int) -> Citation:
        quote = passage.text[start - passage.start : end - passage.start]
        return cls(
            n=n,
            article_id=passage.article_id,
            title=passage.title,
            outlet=passage.outlet,
            published=passage.published,
            url=passage.url,
            quote=quote,
            start=start,
            end=end,
            chunk_id=passage.chunk_id,
        )


@dataclass
class Answer:
    """An answer text with ``[n]`` markers; ``abstained`` when the articles do not answer."""

    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    standalone_question: str = ""
    passages: list[Passage] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    answerer: str = "extractive"
    notice: str = ""
    support: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "related": [asdict(c) for c in self.related],
            "answerer": self.answerer,
            "notice": self.notice,
            "support": round(self.support, 4),
            "timings_ms": {k: round(v * 1000, 1) for k, v in self.timings.items()},
        }
