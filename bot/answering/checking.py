"""Checking a generated answer against the passages it cites.

Invented markers go, every sentence is compared with the sentences of the passages it cites
(meaning by embeddings, words by stemmed overlap), an unsupported sentence is marked or dropped,
and the citations quote the stored sentence that best supports each claim. Sources nobody
cites are not listed.
"""

from __future__ import annotations

import re
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
    sentence supports a claim at cosine ``supports`` (the embedding model's) or above.

    Each citation quotes the sentence that supports the claim it is attached to: two claims
    backed by different sentences of one passage get a number each. A marker whose passage does
    not back its claim goes, and an unsupported claim keeps no marker at all (nothing backs it)."""
    valid = set(range(1, len(passages) + 1))
    text, first = renumber(text, valid)  # invented markers removed; renumbered by first use
    passage_of = {new: old - 1 for old, new in first.items()}  # marker -> passage index
    kept: list[str] = []
    sources: dict[tuple[int, int, int], int] = {}  # (passage index, sentence start, end) -> citation number
    unsupported = supported = 0
    for claim in split_claims(text):
        bare = MARKER.sub("", claim).strip()
        if not bare:
            continue
        backing: dict[int, tuple[int, int, int]] = {}  # marker -> the supporting sentence
        for n in dict.fromkeys(markers(claim)):
            if n in passage_of:
                found = _support(bare, passages[passage_of[n]], embed, supports)
                if found is not None:
                    backing[n] = (passage_of[n], *found)
        if not backing:
            unsupported += 1
            if not drop_unsupported:
                kept.append(f"{bare} {UNSUPPORTED}")
            continue
        supported += 1
        numbers = {n: sources.setdefault(key, len(sources) + 1) for n, key in backing.items()}
        kept.append(_markers_as(claim, numbers))
    citations = [Citation.from_passage(n, passages[i], start, end) for (i, start, end), n in sources.items()]
    return Checked(" ".join(kept), citations, unsupported, supported)


def _markers_as(claim: str, numbers: dict[int, int]) -> str:
    """``claim`` with each marker renumbered by ``numbers`` (a marker not in it removed)."""
    def swap(match: re.Match[str]) -> str:
        n = numbers.get(int(match.group(1)))
        lead = match.group(0)[0] if match.group(0)[0].isspace() else ""
        return f"{lead}[{n}]" if n is not None else ""

    out = re.sub(r"(\[\d+\])(?:\1)+", r"\1", MARKER.sub(swap, claim))
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", out).strip()


def _support(claim: str, passage: Passage, embed: Embed, supports: float) -> tuple[int, int] | None:
    """The sentence of ``passage`` that best supports ``claim`` (its span), or None when the
    passage does not support it, by meaning (cosine ``supports``) or by the claim's words."""
    tokens = content_tokens(claim)
    texts = [passage.sentence_text(i) for i in range(len(passage.sentences))]
    vectors = embed([claim, *texts])
    sims = vectors[1:] @ vectors[0]
    overlaps = [len(tokens & content_tokens(t)) / len(tokens) if tokens else 0.0 for t in texts]
    scores = [max(float(sim) / supports, overlap / OVERLAP) for sim, overlap in zip(sims, overlaps)]
    best = max(range(len(texts)), key=scores.__getitem__)
    whole = len(tokens & content_tokens(passage.text)) / len(tokens) if tokens else 0.0
    if scores[best] >= 1.0 or whole >= OVERLAP:
        return passage.sentences[best]
    return None
