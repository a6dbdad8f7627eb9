"""The same engine against a Chroma server (`chroma run`, shipped with chromadb) on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.settings import Settings
from retrieval.errors import StoreError
from retrieval.index.embeddings import Embedder
from tests.chroma_server import ChromaServer, free_port
from tests.conftest import SEED_FILE


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.mark.slow
def test_ingest_and_ask_through_a_chroma_server(chroma_server: str, tmp_path: Path, embedder: Embedder,
                                                seed_text: str) -> None:
    settings = Settings(home=tmp_path / "home", chroma_url=chroma_server, collection="server-test")
    engine = Engine(settings, embedder=embedder)
    report = engine.ingest([str(SEED_FILE)])
    assert report.added and engine.store.count() == report.chunks
    assert not (tmp_path / "home" / "chroma").exists()  # nothing stored locally
    answer = engine.ask("What did Lavrov demand?")
    assert "security guarantees" in answer.text
    assert all(seed_text[c.start : c.end] == c.quote for c in answer.citations)
    again = Engine(settings, embedder=embedder).ingest([str(SEED_FILE)])  # a second client sees the same store
    assert again.unchanged and not again.added


def test_unreachable_server_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="cannot open the Chroma store at .*chroma run"):
        Engine(Settings(home=tmp_path, chroma_url=url), embedder=embedder)


@pytest.mark.slow
def test_two_processes_share_one_server_and_see_each_others_writes(chroma_server: str, tmp_path: Path,
                                                                   embedder: Embedder) -> None:
    """Engine A here, a `newsbot` process B with its own home (own keyword cache): each finds what
    the other wrote, by meaning and by keyword."""
    from tests.conftest import FIXTURES

    settings = Settings(home=tmp_path / "a", chroma_url=chroma_server, collection="shared")
    a = Engine(settings, embedder=embedder)
    a.ingest([str(SEED_FILE)])
    assert "security guarantees" in a.ask("What did Lavrov demand?").text
    exe = Path(sys.executable).with_name("newsbot")
    b = [str(exe), "--home", str(tmp_path / "b"), "--chroma-url", chroma_server, "--collection", "shared"]
    added = subprocess.run([*b, "ingest", "--json", str(FIXTURES / "lavrov-delhi.txt")], capture_output=True,
                           text=True, timeout=300)
    assert added.returncode == 0 and '"added": 1' in added.stdout, added.stderr
    time.sleep(1.1)  # another process's write may look up to a second old
    a.indexes.current()
    keyword = a.lexical.search("Delhi", 5)
    assert keyword and keyword[0].source.endswith("lavrov-delhi.txt")
    dense = a.searcher.dense("Lavrov visit to India", a.filters())
    assert any(p.source.endswith("lavrov-delhi.txt") for p in dense)

    a.ingest([str(FIXTURES / "everyone.txt")])
    asked = subprocess.run([*b, "ask", "--json", "What did the fan club organisers post on their channel?"],
                           capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    assert '"everyone.txt' in asked.stdout or "everyone" in asked.stdout
    assert sorted(a.store.ids()) == sorted(a.lexical.ids())  # both indexes agree


@pytest.mark.slow
def test_stories_written_through_a_server_are_the_same_for_every_client(chroma_server: str, tmp_path: Path,
                                                                        embedder: Embedder) -> None:
    from tests.news_fixtures import FLOOD_DAY1, FLOOD_DAY2, write_jsonl

    settings = Settings(home=tmp_path / "a", chroma_url=chroma_server, collection="stories-shared")
    Engine(settings, embedder=embedder).ingest([str(write_jsonl(tmp_path / "day1.jsonl", FLOOD_DAY1))])
    other = Engine(Settings(home=tmp_path / "b", chroma_url=chroma_server, collection="stories-shared"),
                   embedder=embedder)  # another machine: its own home, the same server
    other.ingest([str(write_jsonl(tmp_path / "day2.jsonl", FLOOD_DAY2))])
    for engine in (Engine(settings, embedder=embedder), other):
        flood = [s for s in engine.stories() if "flood-cnn" in s.article_ids]
        assert len(flood) == 1 and sorted(flood[0].article_ids) == ["flood-bbc", "flood-cnn", "flood-reuters"]
