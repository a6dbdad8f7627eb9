"""Sentence vectors made at ingest: pooled from the chunk's own forward pass, stored with the
chunk, and used when answering, so an answer embeds nothing but the question."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.engine import ConfigError, Engine
from retrieval.index.embeddings import Embedder
from retrieval.index.ingest import OPENING_CHARS, embed_input
from retrieval.index.store import stored_vectors
from retrieval.models import Article, Chunk
from tests.conftest import SEEDS, make_engine

TEXT = "Lavrov met Blinken in Geneva on Friday. The talks lasted ninety minutes. NATO was not invited."


def _record_embeds(embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the embedder is asked to embed from now on, in order."""
    embedded: list[str] = []
    real = embedder.embed

    def counting(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedder, "embed", counting)
    return embedded


def test_span_vectors_come_from_the_same_pass(embedder: Embedder) -> None:
    spans = [[(0, 39), (40, 71), (72, len(TEXT))], [(0, 5)], []]
    texts = [TEXT, "Hello world", "Nothing asked"]
    vectors, pooled = embedder.embed_with_spans(texts, spans)
    assert np.allclose(vectors, embedder.embed(texts), atol=1e-5)  # the chunk vectors are unchanged
    assert [p.shape for p in pooled] == [(3, 384), (1, 384), (0, 384)]
    assert np.allclose(np.linalg.norm(pooled[0], axis=1), 1.0, atol=1e-5)
    alone = embedder.embed([TEXT[s:e] for s, e in spans[0]])
    similar = (pooled[0] * alone).sum(axis=1)
    assert similar.min() > 0.6  # each pooled sentence is near its own meaning ...
    assert similar[1] > float(pooled[0][1] @ alone[0]) and similar[1] > float(pooled[0][1] @ alone[2])  # ... not another's


def test_a_span_cut_off_by_the_token_limit_is_a_zero_row(embedder: Embedder) -> None:
    long = "word " * 400
    _, pooled = embedder.embed_with_spans([long], [[(0, 4), (1900, 1990)]])
    assert np.linalg.norm(pooled[0][0]) > 0.99 and not pooled[0][1].any()


@pytest.mark.slow  # loads torch
def test_torch_gives_each_sentence_alone(embedder: Embedder) -> None:
    torch_side = Embedder(backend="torch")
    fp32 = Embedder(cache_dir=embedder.onnx.folder.parent.parent, precision="fp32")  # type: ignore[union-attr]
    vectors, pooled = torch_side.embed_with_spans([TEXT], [[(0, 39)]])
    assert np.allclose(pooled[0][0], fp32.embed_one(TEXT[:39]), atol=1e-4)
    assert vectors.shape == (1, 384)


def test_embed_input_spans_match_the_sentences() -> None:
    text = "First one  here.\n\nSecond\nline  two. Third."
    article = Article(id="a", text=text, title="Title")
    chunk = Chunk(article_id="a", text=text, start=0, end=len(text), position=0,
                  sentences=[(0, 16), (18, 35), (36, 42)])
    embedded, spans = embed_input(article, chunk, with_title=True)
    assert embedded.startswith("Title. ")
    assert [embedded[s:e] for s, e in spans] == ["First one here.", "Second line two.", "Third."]


def test_an_answer_embeds_only_the_question(home: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(home, embedder)
    engine.ingest([str(SEEDS)])
    embedded = _record_embeds(embedder, monkeypatch)
    answer = engine.ask("What did Lavrov demand from the Americans today?")
    assert "security guarantees" in answer.text
    assert embedded == ["What did Lavrov demand from the Americans today?"]


def test_a_store_without_sentence_vectors_still_answers(home: Path, embedder: Embedder) -> None:
    engine = make_engine(home, embedder, sentence_vectors="none")
    engine.ingest([str(SEEDS)])
    assert "security guarantees" in engine.ask("What did Lavrov demand?").text


def test_an_unknown_mode_is_refused_when_settings_load(home: Path) -> None:
    from bot.settings import load_settings

    with pytest.raises(ConfigError, match="NEWSBOT_SENTENCE_VECTORS is 'magic': use one of pooled, separate, none"):
        load_settings(home=home, sentence_vectors="magic")


def test_settings_default_is_pooled(engine: Engine) -> None:
    assert engine.settings.sentence_vectors == "pooled"


def _chunk(text: str, start: int, sentences: list[tuple[int, int]]) -> Chunk:
    return Chunk(article_id="a", text=text, start=start, end=start + len(text), position=3,
                 sentences=[(start + s, start + e) for s, e in sentences])


def test_a_chunk_past_the_lead_is_embedded_by_its_opening() -> None:
    first = "The harbour council voted on Tuesday to raise the cargo toll."
    second = "Fishing boats are exempt from the rise."
    third = "The vote was close, the mayor abstained and two members walked out before the count."
    fourth = "Ships wait."
    text = " ".join([first, second, third, fourth])
    bounds, at = [], 0
    for sentence in (first, second, third, fourth):
        bounds.append((at, at + len(sentence)))
        at += len(sentence) + 1
    article = Article(id="a", text="x" * 5000 + text, title="Harbour toll")
    past = _chunk(text, 5000, bounds)
    embedded, spans = embed_input(article, past, with_title=True, lead_chars=3400)
    assert embedded == f"{first} {second}"  # whole sentences up to about OPENING_CHARS, no title
    assert spans == [(0, len(first)), (len(first) + 1, len(first) + 1 + len(second)), (0, 0), (0, 0)]  # "Ships wait." too
    whole, all_spans = embed_input(article, past, with_title=True, lead_chars=0)
    assert whole == f"Harbour toll. {text}" and (0, 0) not in all_spans
    inside, _ = embed_input(article, past, with_title=True, lead_chars=6000)
    assert inside == whole
    long = ("The harbour council, which met on Tuesday evening in the old customs house for the first time "
            "since the storms of October, voted to raise the cargo toll by a third.")
    opening, spans = embed_input(article, _chunk(long, 5000, [(0, len(long))]), with_title=True, lead_chars=3400)
    assert long.startswith(opening) and len(opening) <= OPENING_CHARS and long[len(opening)] == " "
    assert spans == [(0, len(opening))]


def test_past_the_lead_the_stored_vectors_are_the_openings(home: Path, embedder: Embedder, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    lead = "The port of Veldhaven reopened on Monday after a week of storms closed it to all traffic. " * 4
    tail = ("Harbour officials said on Wednesday that the repairs to the breakwater had cost far less than anyone feared. "
            "The new cargo toll at Veldhaven is 14 krona per tonne, the council said in a statement after its vote. "
            "Fishing boats registered in the town pay nothing, and ferries pay half of the toll until next spring.")
    source = tmp_path / "port.jsonl"
    source.write_text(json.dumps({"id": "port", "title": "Veldhaven port reopens", "text": f"{lead}\n\n{tail}",
                                  "published": "2026-11-20", "url": "https://example.org/port"}) + "\n")
    engine = make_engine(home, embedder, lead_chars=300, chunk_chars=400)
    engine.ingest([str(source)])
    records = {cid: meta for cid, _, meta in engine.store.iter_chunks()}
    past = [cid for cid, meta in records.items() if int(meta["start"]) >= 300]
    assert past
    vectors = {cid: stored_vectors(meta) for cid, _, meta in engine.store.records(past)}
    for cid in past:
        rows = vectors[cid]
        assert rows is not None
        assert np.linalg.norm(rows[0]) > 0.99  # the opening sentence has its vector ...
        assert not rows[1:].any()  # ... the rest were never embedded
    embedded = _record_embeds(embedder, monkeypatch)
    question = "How much is the cargo toll at Veldhaven per tonne?"
    answer = engine.ask(question)
    assert "14 krona" in answer.text  # found by its words, though past the opening
    assert embedded == [question]
