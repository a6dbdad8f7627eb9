"""Shared fixtures: the real embedding model (loaded once), real Chroma stores in temp folders."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.settings import Settings
from retrieval.index.embeddings import Embedder
from retrieval.index.store import Store
from tests.standin import RememberingEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_eafbea3ddc6ea182.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The ONNX export of the model, kept across test runs (keyed inside by the model's checksum) and
# shared with the processes tests start, so a run exports the model at most once.
MODEL_CACHE = Path(os.environ.get("NEWSBOT_TEST_MODEL_CACHE") or ROOT / ".cache" / "test-model")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real model on its default backend (ONNX, exported once and kept across runs); a chunk
    embedded by one test is remembered for the others."""
    return RememberingEmbedder(MODEL_CACHE)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private NEWSBOT_HOME for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("NEWSBOT_HOME", str(path))
    monkeypatch.setenv("NEWSBOT_MODEL_CACHE", str(MODEL_CACHE))
    for var in ("NEWSBOT_CHROMA_URL", "NEWSBOT_LLM", "NEWSBOT_CONFIG", "DISCORD_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return path


def make_engine(home: Path, embedder: Embedder, **overrides: object) -> Engine:
    settings = Settings(home=home, **overrides)  # type: ignore[arg-type]
    return Engine(settings, embedder=embedder)


def ingested(home: Path, embedder: Embedder, folder: Path, articles: list[dict[str, object]],
             **overrides: object) -> Engine:
    """An engine on ``home`` (with settings ``overrides``) holding ``articles`` (the JSONL records a
    user ingests), written to ``folder`` and ingested as a user does."""
    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    engine = make_engine(home, embedder, **overrides)
    assert not engine.ingest([str(path)]).failed
    return engine


@pytest.fixture
def engine(home: Path, embedder: Embedder) -> Engine:
    """An empty engine on a fresh store."""
    return make_engine(home, embedder)


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A store holding the seed article, built once per session."""
    path = tmp_path_factory.mktemp("seeded") / "home"
    report = make_engine(path, embedder).ingest([str(SEEDS)])
    assert not report.failed
    return path


@pytest.fixture
def seeded(seeded_home: Path, embedder: Embedder, tmp_path: Path) -> Iterator[Engine]:
    """An engine over a private copy of the seeded store (tests may write to it)."""
    path = tmp_path / "seeded-home"
    shutil.copytree(seeded_home, path)
    yield make_engine(path, embedder)


@pytest.fixture
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


def write_corpus(path: Path, n: int, edition: str = "") -> None:
    """A JSONL corpus of ``n`` small distinct articles (``edition`` changes every text)."""
    words = "harbour council budget storm ferry school bridge market river tram".split()
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            body = " ".join(
                f"Report {i} sentence {j} mentions the {words[(i + j) % 10]} and the {words[(i * j) % 10]} again{edition}."
                for j in range(14)
            )
            fh.write(json.dumps({"id": f"doc{i}", "title": f"Doc {i}", "text": body}) + "\n")


def chunk_versions(store: Store) -> dict[str, Counter]:
    """article id -> Counter(content hash -> chunks present)."""
    out: dict[str, Counter] = {}
    for _, _, meta in store.iter_chunks(documents=False):
        out.setdefault(str(meta["article_id"]), Counter())[str(meta["content_hash"])] += 1
    return out
