"""What the engine returns: an Answer with numbered Citations that quote the stored text.

An answerer returns a ``Draft`` (what it concluded); the engine alone turns a draft into the
``Answer`` a front end sees, adding the question, the passages and the timings. The
``Answerer`` protocol is the whole contract between the engine and an answerer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from retrieval.models import Passage
from retrieval.text import site_of, title_for

if TYPE_CHECKING:
    from bot.answering.question import Question

NOT_COVERED = "The articles I have do not cover this."
REPORTS_DIFFER = "Reports differ"  # the bold lead of an answer that sets two reports' answers side by side


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
            title=passage.title or title_for(passage.url, passage.text),  # never a bare id
            outlet=passage.outlet or site_of(passage.url),
            published=passage.published,
            url=passage.url,
            quote=quote,
            start=start,
            end=end,
            chunk_id=passage.chunk_id,
        )


TokenSink = Callable[[str], None]
History = list[tuple[str, str]]  # (question, answer) of the turns so far


@dataclass
class Draft:
    """What an answerer concluded: text with ``[n]`` markers and the citations they resolve to."""

    text: str
    citations: list[Citation]
    abstained: bool
    answerer: str
    related: list[Citation] = field(default_factory=list)
    notice: str = ""
    support: float = 0.0
    lead: str = ""  # the short span the question asks for, verbatim from the first cited sentence
    hedged: bool = False  # below the hedge confidence: what the closest report says, not asserted
    covered: float | None = None  # the chance the articles are about the question at all (None: not measured)
    span: str = ""  # the likeliest answering span, bolded as ``lead`` or not (below the bold threshold)
    span_chance: float | None = None  # its chance of holding the answer (None: no span was weighed)


class Answerer(Protocol):
    """Turns a question (read once, before the search) and its passages into a Draft.

    ``streams`` says whether ``on_token`` is called with the text as it is written (an LLM);
    ``rewrite`` makes a follow-up standalone, or returns None to let the engine's rules do it.
    What an answerer needs besides (the embedding model, its thresholds, a fallback) is handed to
    it when it is built, never fetched from another answerer.
    """

    name: str
    streams: bool

    def answer(self, question: Question, passages: list[Passage], on_token: TokenSink | None = None) -> Draft: ...

    def rewrite(self, history: History, question: str) -> str | None: ...


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
    as_of: str = ""  # the day the question was answered as of (YYYY-MM-DD)
    lead: str = ""  # the short span the question asks for (the text begins with it)
    dates: str = ""  # how a date phrase in the question was read ('"this week" → 2022-06-10 … 2022-06-16')
    follow_up: str = ""  # why the question was read as a follow-up and rewritten ("" when searched as asked)
    ranked_by: list[tuple[str, float]] = field(default_factory=list)  # the learned ranking's top reasons for the first article
    older_than_window: bool = False  # every cited report predates the window the question names (said in ``notice``)
    old_news: bool = False  # naming no time, answered only by reports long before the latest news stored (``notice``)
    hedged: bool = False  # what the closest report says, not asserted (the confidence was below the hedge threshold)
    covered: float | None = None  # the chance the articles are about the question (an abstention below the threshold)
    span: str = ""  # the likeliest answering span, whether or not it leads in bold
    span_chance: float | None = None  # its chance of holding the answer (bolded at the lead threshold and above)

    @classmethod
    def from_draft(cls, draft: Draft, *, question: str, standalone: str, passages: list[Passage],
                   timings: dict[str, float], as_of: str = "", dates: str = "", follow_up: str = "",
                   ranked_by: list[tuple[str, float]] | None = None, older_than_window: bool = False,
                   old_news: bool = False) -> Answer:
        """The one place an Answer is made (by the engine, from an answerer's draft)."""
        return cls(question=question, text=draft.text, citations=draft.citations, abstained=draft.abstained,
                   standalone_question=standalone, passages=passages, related=draft.related,
                   answerer=draft.answerer, notice=draft.notice, support=draft.support, timings=timings,
                   as_of=as_of, dates=dates, lead=draft.lead, follow_up=follow_up, ranked_by=ranked_by or [],
                   older_than_window=older_than_window, old_news=old_news, hedged=draft.hedged, covered=draft.covered,
                   span=draft.span, span_chance=draft.span_chance)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "follow_up": self.follow_up,
            "ranked_by": [{"feature": f, "weight": w} for f, w in self.ranked_by],
            "as_of": self.as_of,
            "dates": self.dates,
            "answer": self.text,
            "lead": self.lead,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "related": [asdict(c) for c in self.related],
            "answerer": self.answerer,
            "notice": self.notice,
            "older_than_window": self.older_than_window,
            "old_news": self.old_news,
            "hedged": self.hedged,
            "support": round(self.support, 4),
            "covered": None if self.covered is None else round(self.covered, 4),
            "span": self.span,
            "span_chance": None if self.span_chance is None else round(self.span_chance, 4),
            "timings_ms": {k: round(v * 1000, 1) for k, v in self.timings.items()},
        }
