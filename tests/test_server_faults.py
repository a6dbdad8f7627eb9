"""A Chroma server lost mid-work: one line, nothing half-kept, and chat goes on when it is back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.engine import Engine, StoreError
from bot.frontends.chat import ChatSession
from bot.settings import Settings
from retrieval.index.embeddings import Embedder
from tests.chroma_server import ChromaServer
from tests.conftest import SEED_FILE, chunk_versions, write_corpus

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path / "chroma-data").start()
    try:
        yield running
    finally:
        running.stop()


def test_losing_the_server_mid_ingest_is_one_line_and_a_rerun_completes(server: ChromaServer, tmp_path: Path,
                                                                         embedder: Embedder) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 120)  # several batches
    settings = Settings(home=tmp_path / "home", chroma_url=server.url, collection="faults")
    engine = Engine(settings, embedder=embedder)

    def lose_server(articles: int, chunks: int) -> None:
        if chunks:  # the first batch is stored: the server goes away under the next
            server.stop()

    with pytest.raises(StoreError) as lost:
        engine.ingest([str(corpus)], progress=lose_server)
    message = str(lost.value)
    assert "\n" not in message and message.startswith(f"lost the Chroma server at {server.url}")

    server.start()
    again = Engine(settings, embedder=embedder).ingest([str(corpus)])
    assert len(again.added) + len(again.unchanged) == 120 and not again.failed
    fresh = Engine(settings, embedder=embedder)
    stored = fresh.store.articles()
    versions = chunk_versions(fresh.store)
    assert len(stored) == 120 and all(list(versions[a.id].values()) == [a.chunks] for a in stored)  # whole, once
    assert sorted(fresh.store.ids()) == sorted(fresh.lexical.ids())  # both indexes agree


def test_chat_answers_the_fault_and_goes_on_when_the_server_is_back(server: ChromaServer, tmp_path: Path,
                                                                    embedder: Embedder) -> None:
    settings = Settings(home=tmp_path / "home", chroma_url=server.url, collection="chat-faults")
    engine = Engine(settings, embedder=embedder)
    engine.ingest([str(SEED_FILE)])
    lines = iter(["What did Lavrov demand?", "What did Lavrov demand?", "What did Lavrov demand?", "/quit"])
    asked = [0]

    def read(prompt: str) -> str:
        asked[0] += 1
        if asked[0] == 2:
            server.stop()
        if asked[0] == 3:
            server.start()
        return next(lines)

    out, err = io.StringIO(), io.StringIO()
    ChatSession(engine, None, Console(file=out, width=200), Console(file=err, width=200)).loop(read)
    answers = out.getvalue()
    assert answers.count("security guarantees") >= 2  # before the loss and after the return
    problems = [line for line in err.getvalue().splitlines() if line.strip()]
    assert len(problems) == 1 and "lost the Chroma server" in problems[0]
