"""How widely the store's HNSW graph is searched: wide enough that a question finds the same
neighbours in every process, for stores made now and for stores made before."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.index.store import EF_SEARCH, Store, _local_client
from retrieval.index.stories import SUFFIX, StoryIndex


def _ef_search(store: Store) -> int:
    """The breadth the collection is stored with, read afresh (not the copy opened before a widening)."""
    return int(store.client.get_collection(store.collection.name).configuration["hnsw"]["ef_search"])


def test_a_new_store_is_searched_widely(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma", None, "news")
    assert EF_SEARCH > 100  # Chroma's default, which missed neighbours differently run to run
    assert _ef_search(store) == EF_SEARCH


def test_a_store_made_at_chromas_default_is_widened_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "chroma"
    path.mkdir(mode=0o700)
    tmp_path.chmod(0o700)
    old = _local_client(str(path), path.stat().st_ino).create_collection(
        "news", embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    vectors = np.random.default_rng(0).normal(size=(20, 8))
    old.add(ids=[f"c{i}" for i in range(20)], embeddings=vectors.tolist(), documents=["text"] * 20)
    assert old.configuration["hnsw"]["ef_search"] == 100
    store = Store(path, None, "news")
    assert _ef_search(store) == EF_SEARCH
    assert store.count() == 20  # only the search setting changed
    nearest = store.nearest(vectors[3], 3, None)
    assert nearest[0][0] == "c3" and abs(nearest[0][1] - 1.0) < 1e-6


def _ef_of(store: Store, name: str) -> int:
    return int(store.client.get_collection(name).configuration["hnsw"]["ef_search"])


def test_the_stories_are_searched_as_widely_as_the_chunks(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma", None, "news")
    StoryIndex(store)
    assert _ef_of(store, "news" + SUFFIX) == EF_SEARCH


def test_stories_made_at_chromas_default_are_widened_when_opened(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma", None, "news")
    old = store.client.create_collection("news" + SUFFIX, embedding_function=None,
                                         configuration={"hnsw": {"space": "cosine"}})
    old.add(ids=["a1"], embeddings=[[1.0, 0.0, 0.0]], metadatas=[{"story": "s1"}])
    assert old.configuration["hnsw"]["ef_search"] == 100
    StoryIndex(store)
    assert _ef_of(store, "news" + SUFFIX) == EF_SEARCH
    assert store.client.get_collection("news" + SUFFIX).count() == 1  # only the search setting changed


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_an_exact_store_finds_the_true_neighbours_and_breaks_ties_by_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma", None, "news", exact=True)
    rng = np.random.default_rng(1)
    vectors = _unit(rng.normal(size=(300, 16)))
    vectors[200] = vectors[100]  # the same vector twice (a page stored under two links)
    ids = [f"c{i:03d}" for i in range(300)]
    order = rng.permutation(300)  # stored in another order than the ids sort in
    store.collection.add(ids=[ids[i] for i in order], embeddings=vectors[order].tolist())
    probe = vectors[100] + 0.01 * rng.normal(size=16)
    probe /= np.linalg.norm(probe)
    got = store.nearest(probe, 10, None)
    truth = np.argsort(-(vectors @ probe), kind="stable")[:10]
    assert [cid for cid, _ in got] == [ids[i] for i in truth]
    assert [cid for cid, _ in got[:2]] == ["c100", "c200"]  # equal similarity: by id
    assert np.allclose([s for _, s in got], (vectors @ probe)[truth], atol=1e-5)


def test_an_exact_store_reads_its_vectors_again_after_a_write(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma", None, "news", exact=True)
    vectors = _unit(np.random.default_rng(2).normal(size=(21, 8)))
    store.collection.add(ids=[f"c{i}" for i in range(20)], embeddings=vectors[:20].tolist())
    store.bump()
    assert store.nearest(vectors[20], 1, None)[0][0] != "c20"
    store.collection.add(ids=["c20"], embeddings=[vectors[20].tolist()])
    store.bump()  # what every write does: the generation changes
    assert store.nearest(vectors[20], 1, None)[0][0] == "c20"
