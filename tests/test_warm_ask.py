"""A warm question costs one Chroma call (the nearest neighbours): the passages' text, metadata and
sentence vectors come from the keyword index's copy, and writes by other processes are noticed
from the store's generation file. A question with no words costs none, and no embedding."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.engine import Engine
from tests.chroma_calls import count_chroma_calls


@pytest.fixture
def counted(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, Counter[str]]:
    seeded.ask("What did Lavrov demand?")  # warm: the model, the keyword index, the vector index
    return seeded, count_chroma_calls(monkeypatch, seeded.store)


def test_a_warm_ask_reads_only_the_nearest_neighbours_from_chroma(counted: tuple[Engine, Counter[str]]) -> None:
    engine, calls = counted
    answer = engine.ask("What did Blinken warn about?")
    assert answer.citations and not answer.abstained
    assert calls == Counter({"query": 1}), calls
    assert all(p.sentence_vectors is not None for p in answer.passages)  # kept by the keyword index


def test_a_write_by_another_process_is_still_noticed(counted: tuple[Engine, Counter[str]], tmp_path) -> None:
    engine, calls = counted
    other = Engine(engine.settings, embedder=engine.embedder)  # its own store object and keyword index
    (tmp_path / "ferry.txt").write_text("Ferry strike\n\nThe harbour ferry crews of Port Ellis began a strike on "
                                        "Monday over pay, the union said.\n")
    assert len(other.ingest([str(tmp_path / "ferry.txt")]).added) == 1
    engine.indexes._recheck.again()  # as if a second had passed since the last check
    answer = engine.ask("Why did the Port Ellis ferry crews strike?")
    assert "pay" in answer.text, answer.text


def test_a_question_with_no_words_embeds_and_searches_nothing(counted: tuple[Engine, Counter[str]],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    engine, calls = counted
    embedded: list[object] = []
    monkeypatch.setattr(engine.embedder, "embed", lambda texts: embedded.append(texts))
    monkeypatch.setattr(engine.embedder, "embed_one", lambda text: embedded.append(text))
    answer = engine.ask("?!?! 🤔")
    assert answer.abstained and answer.passages == [] and embedded == [] and calls == Counter()
