"""Crashes and bad data folders: kill -9 at several points of an ingest, a keyword-index build
killed half-way, a damaged, an unwritable and a full data folder. Nothing stored is lost, every
article ends up exactly once, and the keyword index always agrees with the vector store."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.engine import Engine
from bot.frontends import cli
from retrieval.index.embeddings import Embedder
from tests.conftest import SEEDS, chunk_versions, make_engine, write_corpus

pytestmark = pytest.mark.slow
EXE = Path(sys.executable).with_name("newsbot")
ARTICLES = 150


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "NEWSBOT_HOME": str(home)}


def kill_after(home: Path, args: list[str], marker: str, times: int) -> None:
    """Run ``newsbot -v ARGS`` and SIGKILL it when ``marker`` has appeared ``times`` times in its log."""
    proc = subprocess.Popen([str(EXE), "-v", *args], env=env_for(home), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    seen = 0
    for line in proc.stderr:
        if marker in line:
            seen += 1
            if seen == times:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"


def assert_whole(engine: Engine, articles: int, content_hashes: set[str] | None = None) -> None:
    """Every article exactly once, all its chunks present, and both indexes agreeing."""
    versions = chunk_versions(engine.store)
    assert len(versions) == articles and all(len(v) == 1 for v in versions.values())
    stored = {a.id: a for a in engine.sources()}
    assert all(sum(v.values()) == stored[a].chunks for a, v in versions.items())
    if content_hashes is not None:
        assert {a.content_hash for a in stored.values()} <= content_hashes
    assert sorted(engine.lexical.ids()) == sorted(engine.store.ids())


@pytest.mark.parametrize("batches", [1, 2])
def test_kill_during_a_first_ingest_then_rerun(home: Path, tmp_path: Path, embedder: Embedder, batches: int) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, ARTICLES)
    kill_after(home, ["ingest", str(corpus)], "stored", batches)
    partial = make_engine(home, embedder)
    survived = chunk_versions(partial.store)
    assert 0 < len(survived) < ARTICLES
    assert all(len(v) == 1 for v in survived.values())  # no article half-stored
    del partial

    rerun = subprocess.run([str(EXE), "ingest", "--json", str(corpus)], env=env_for(home), capture_output=True,
                           text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["unchanged"] == len(survived) and report["added"] == ARTICLES - len(survived)
    assert_whole(make_engine(home, embedder), ARTICLES)


def test_kill_while_replacing_changed_articles(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    first, second = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    write_corpus(first, ARTICLES)
    write_corpus(second, ARTICLES, edition=" (corrected)")
    make_engine(home, embedder).ingest([str(first)])
    kill_after(home, ["ingest", str(second)], "stored", 1)  # new versions stored, old not all dropped

    engine = make_engine(home, embedder)
    assert set(chunk_versions(engine.store)) == {f"doc{i}" for i in range(ARTICLES)}  # nothing lost meanwhile
    report = engine.ingest([str(second)])
    assert not report.failed and len(report.updated) + len(report.unchanged) == ARTICLES
    hashes = {a.content_hash for a in engine.sources()}
    assert_whole(engine, ARTICLES, hashes)
    assert all("corrected" in p.text for p in engine.search("harbour council report", 20))


def test_kill_during_the_keyword_index_build(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    """The keyword index is gone (a new cache folder); a process catching up with the store is
    killed halfway: the next one finishes the job, and both indexes agree."""
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, ARTICLES)
    make_engine(home, embedder).ingest([str(corpus)])
    cache = home / "cache" / "lexical"
    shutil.rmtree(cache)
    proc = subprocess.Popen([str(EXE), "ask", "What does report 7 mention?"], env=env_for(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):  # kill it once it has begun filling the keyword index
        if proc.poll() is not None or indexed_chunks(cache) > 0:
            break
        time.sleep(0.02)
    proc.kill()
    proc.wait(timeout=60)
    engine = make_engine(home, embedder)
    # Ranked by fusion, where the keyword index weighs most: these synthetic reports share every
    # word but their numbers, and the learned stage has no feature for a report's number.
    answer = engine.configured(ranking="fusion").ask("What does report 7 mention?")
    assert answer.citations and answer.citations[0].article_id == "doc7"
    assert_whole(engine, ARTICLES)


def indexed_chunks(cache: Path) -> int:
    """Chunks the keyword index file in ``cache`` holds so far (0 while there is none)."""
    import sqlite3

    for file in cache.glob("*.sqlite3") if cache.exists() else []:
        try:
            with sqlite3.connect(file, timeout=1) as db:
                return int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
        except sqlite3.Error:
            return 0
    return 0


def test_damaged_store_is_one_line(home: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    make_engine(home, embedder).ingest([str(SEEDS)])
    (home / "chroma" / "chroma.sqlite3").write_bytes(os.urandom(4096))
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))
    result = CliRunner().invoke(cli.app, ["ask", "What did Lavrov demand?"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert "cannot open the Chroma store" in line and "move its folder away" in line


def test_full_disk_is_one_line_and_keeps_what_was_stored(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    make_engine(home, embedder).ingest([str(SEEDS)])
    corpus = tmp_path / "more.jsonl"
    write_corpus(corpus, ARTICLES)
    room = (home / "chroma" / "chroma.sqlite3").stat().st_size + 50_000

    def full_disk() -> None:  # files may not grow past ``room`` bytes: a nearly full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    result = subprocess.run([str(EXE), "ingest", str(corpus)], env=env_for(home), capture_output=True, text=True,
                            timeout=600, preexec_fn=full_disk)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "cannot write to the Chroma store" in line and "free disk space" in line
    engine = make_engine(home, embedder)
    assert any(a.title.startswith("Russia-US Talks") for a in engine.sources())
    answer = engine.ask("What did Lavrov demand?")
    assert "security guarantees" in answer.text


def _read_only(home: Path, *args: str) -> list[str]:
    """``newsbot ARGS`` in a private mount namespace where ``home`` is mounted read-only."""
    script = ('mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(home), str(EXE), *args]


def test_read_only_data_folder_is_one_line_and_keeps_the_store(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    make_engine(home, embedder).ingest([str(SEEDS)])
    probe = subprocess.run(_read_only(home, "--help"), capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip(f"no private read-only mount here: {probe.stderr.strip()[:120]}")
    corpus = tmp_path / "more.jsonl"
    write_corpus(corpus, 5)
    result = subprocess.run(_read_only(home, "ingest", str(corpus)), env=env_for(home), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "Chroma store" in line and "writable folder" in line
    engine = make_engine(home, embedder)
    assert [a.title[:15] for a in engine.sources()] == ["Russia-US Talks"]
