"""Checking an LLM's answer against the passages it cites (real embedding model)."""

from __future__ import annotations

from bot.answering.checking import UNSUPPORTED, check
from retrieval.index.embeddings import Embedder
from retrieval.models import Passage

TEXT = ("Lavrov said Moscow wanted security guarantees from Washington. "
        "Blinken warned of a swift and severe response.")


def passage(cid: str, start: int, end: int) -> Passage:
    sentence_end = TEXT.index(".") + 1
    sentences = [s for s in ((0, sentence_end), (sentence_end + 1, len(TEXT))) if start <= s[0] and s[1] <= end]
    return Passage(chunk_id=cid, article_id="a", text=TEXT[start:end], start=start, end=end, position=0,
                   sentences=sentences, speakers=[[] for _ in sentences], title="Talks")


def passages() -> list[Passage]:
    cut = TEXT.index(".") + 1
    return [passage("c1", 0, cut), passage("c2", cut + 1, len(TEXT))]


def test_supported_claims_kept_and_quoted_exactly(embedder: Embedder) -> None:
    checked = check("Moscow wants security guarantees from Washington [1]. Blinken warned of a severe response [2].",
                    passages(), embedder.embed_cached, embedder.closeness.supports)
    assert checked.unsupported == 0 and checked.supported == 2
    assert [c.n for c in checked.citations] == [1, 2]
    for c in checked.citations:
        assert TEXT[c.start : c.end] == c.quote


def test_invented_marker_removed_and_sources_renumbered_by_first_use(embedder: Embedder) -> None:
    checked = check("Blinken warned of a swift and severe response [2] [9].", passages(), embedder.embed_cached,
                    embedder.closeness.supports)
    assert "[9]" not in checked.text and "[2]" not in checked.text and "[1]" in checked.text
    assert [c.chunk_id for c in checked.citations] == ["c2"]


def test_unsupported_claim_marked_or_dropped(embedder: Embedder) -> None:
    text = "Lavrov wants security guarantees [1]. The moon is made of green cheese [1]."
    marked = check(text, passages(), embedder.embed_cached, embedder.closeness.supports)
    assert marked.unsupported == 1 and UNSUPPORTED in marked.text
    dropped = check(text, passages(), embedder.embed_cached, embedder.closeness.supports, drop_unsupported=True)
    assert "cheese" not in dropped.text and UNSUPPORTED not in dropped.text
