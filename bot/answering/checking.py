"""Checking a generated answer against the passages it cites.

Invented markers go, every sentence is compared with the sentences of the passages it cites
(meaning by embeddings, words by stemmed overlap), an unsupported sentence is marked or dropped,
and the citations quote the stored sentence that best supports each claim. Sources nobody
cites are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer import Citation
from bot.answering.sentences import Embed
from bot.citations import MARKER, markers, renumber, split_claims
from retrieval.models import Passage
from retrieval.text import content_tokens

UNSUPPORTED = "[unsupported]"
OVERLAP = 0.6  # or: this share of the claim's content words appear in the cited passage


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    unsupported: int
    supported: int


def check(text: str, passages: list[Passage], embed: Embed, supports: float, drop_unsupported: bool = False) -> Checked:
    """Validate ``text`` (markers numbered 1..len(passages)) against ``passages``; a cited
    sentence supports a claim at cosine ``supports`` (the embedding model's) or above."""
    valid = set(range(1, len(passages) + 1))
    text, first = renumber(text, valid)  # invented markers removed; renumbered by first use
    passage_of = {new: old - 1 for old, new in first.items()}  # marker -> passage index
    kept: list[str] = []
    quotes: dict[int, tuple[float, int, int]] = {}  # passage index -> (similarity, start, end)
    unsupported = supported = 0
    for claim in split_claims(text):
        cited = sorted({passage_of[n] for n in markers(claim) if n in passage_of})
        bare = MARKER.sub("", claim).strip()
        if not bare:
            continue
        best = {i: _best_sentence(bare, passages[i], embed) for i in cited}
        if not _supported(bare, best, passages, supports):
            unsupported += 1
            if not drop_unsupported:
                kept.append(f"{claim} {UNSUPPORTED}")
            continue
        supported += 1
        kept.append(claim)
        for i, found in best.items():
            if i not in quotes or found[0] > quotes[i][0]:
                quotes[i] = found
    final, second = renumber(" ".join(kept), set(passage_of))
    citations = []
    for old, new in sorted(second.items(), key=lambda kv: kv[1]):
        index = passage_of[old]
        start, end = quotes.get(index, (0.0, *passages[index].sentences[0]))[1:]
        citations.append(Citation.from_passage(new, passages[index], start, end))
    return Checked(final, citations, unsupported, supported)


def _best_sentence(claim: str, passage: Passage, embed: Embed) -> tuple[float, int, int]:
    texts = [passage.sentence_text(i) for i in range(len(passage.sentences))]
    vectors = embed([claim, *texts])
    sims = vectors[1:] @ vectors[0]
    best = int(sims.argmax())
    start, end = passage.sentences[best]
    return float(sims[best]), start, end


def _supported(claim: str, best: dict[int, tuple[float, int, int]], passages: list[Passage], supports: float) -> bool:
    """Does some cited passage support the claim, by meaning or by the claim's words?"""
    tokens = content_tokens(claim)
    for i, (sim, _, _) in best.items():
        overlap = len(tokens & content_tokens(passages[i].text)) / len(tokens) if tokens else 0.0
        if sim >= supports or overlap >= OVERLAP:
            return True
    return False
