"""The embedding cache: vectors kept by model and text, so text ingested again is not embedded again."""

from pathlib import Path

import numpy as np

from retrieval.index.embedding_cache import EmbeddingCache


def test_vectors_come_back_as_stored_and_keys_depend_on_model_text_and_spans(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite3", "model-a", 4)
    key = cache.key("Talks opened.", [(0, 13)])
    assert key != cache.key("Talks opened.", None) != cache.key("Talks closed.", [(0, 13)])
    assert key != EmbeddingCache(tmp_path / "f.sqlite3", "model-b", 4).key("Talks opened.", [(0, 13)])
    vector = np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32)
    sentences = np.array([[1, 0, 0, 0]], dtype=np.float32)
    cache.put([(key, vector, sentences), (cache.key("x", None), vector, None)])
    got = cache.get([key, cache.key("x", None), cache.key("missing", None)])
    assert set(got) == {key, cache.key("x", None)}
    assert np.allclose(got[key][0], vector) and got[key][1] is not None and np.allclose(got[key][1], sentences)
    assert got[cache.key("x", None)][1] is None


def test_it_survives_a_reopen(tmp_path: Path) -> None:
    first = EmbeddingCache(tmp_path / "e.sqlite3", "m", 2)
    first.put([(first.key("t", None), np.array([1.0, 0.0], dtype=np.float32), None)])
    again = EmbeddingCache(tmp_path / "e.sqlite3", "m", 2)
    assert again.key("t", None) in again.get([again.key("t", None)])
