"""Passages written by hand for pure-logic tests: no store, no model."""

from __future__ import annotations

import re

from retrieval.models import Passage

_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:[\"”’])?")


def passage(text: str, article_id: str = "a", *, title: str = "", outlet: str = "", published: str = "",
            position: int = 0, start: int = 0, speakers: list[list[str]] | None = None) -> Passage:
    """A passage of ``text`` cut into sentences at stops, as if stored from ``start`` on."""
    spans = [(start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip())), start + m.end())
             for m in _SENTENCE.finditer(text)]
    return Passage(chunk_id=f"{article_id}:{position}", article_id=article_id, text=text, start=start,
                   end=start + len(text), position=position, sentences=spans,
                   speakers=speakers or [[] for _ in spans], title=title, outlet=outlet, published=published)
