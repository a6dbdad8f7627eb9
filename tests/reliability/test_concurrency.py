"""Concurrency: two processes ingesting into one store while a third answers, and many
questions at once through one engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.engine import Engine
from retrieval.index.embeddings import Embedder
from tests.conftest import chunk_versions, make_engine, write_corpus

EXE = Path(sys.executable).with_name("newsbot")


def corpus_with_prefix(path: Path, n: int, prefix: str) -> None:
    write_corpus(path, n)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    with open(path, "w", encoding="utf-8") as fh:
        for rec in lines:
            rec["id"] = f"{prefix}-{rec['id']}"
            rec["text"] = rec["text"].replace("Report", f"{prefix.title()} report")
            fh.write(json.dumps(rec) + "\n")


@pytest.mark.slow
def test_two_ingests_and_a_reader_on_one_store(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    make_engine(home, embedder).ingest([str(Path(__file__).parents[2] / "seeds")])
    east, west = tmp_path / "east.jsonl", tmp_path / "west.jsonl"
    corpus_with_prefix(east, 60, "east")
    corpus_with_prefix(west, 60, "west")
    env = {**os.environ, "NEWSBOT_HOME": str(home)}
    reader = textwrap.dedent(f"""
        import sys, time
        from bot.engine import Engine
        from bot.settings import load_settings
        engine = Engine(load_settings(home={str(home)!r}))
        answered = 0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and answered < 40:
            answer = engine.ask("What did Lavrov demand?")
            assert "security guarantees" in answer.text, answer.text
            answered += 1
        print(answered)
    """)
    procs = [subprocess.Popen([str(EXE), "ingest", "--json", str(c)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in (east, west)]
    asker = subprocess.Popen([sys.executable, "-c", reader], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=Path(__file__).parents[2])
    outs = [p.communicate(timeout=600) for p in procs]
    asked = asker.communicate(timeout=600)
    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 0, err
        assert json.loads(out)["added"] == 60
    assert asker.returncode == 0, asked[1]
    assert int(asked[0]) == 40  # answers kept coming, all right, during both ingests

    engine = make_engine(home, embedder)
    versions = chunk_versions(engine.store)
    assert len(versions) == 121 and all(len(v) == 1 for v in versions.values())
    assert sorted(engine.lexical.ids()) == sorted(engine.store.ids())
    for side in ("east", "west"):  # both writers' articles are found by keyword search
        hits = engine.searcher.lexical.search(f"{side} report 42 harbour", 5)
        assert hits and hits[0].article_id == f"{side}-doc42"


@pytest.mark.slow
def test_fifty_questions_at_once_get_their_own_answers(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "reports.jsonl"
    write_corpus(corpus, 25)
    engine: Engine = make_engine(home, embedder)
    engine.ingest([str(corpus)])
    questions = [f"What does report {i % 25} sentence {i % 7} mention?" for i in range(50)]
    alone = {q: engine.ask(q) for q in questions}  # one at a time: the reference
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(engine.ask, questions))
    for q, answer in zip(questions, together):
        assert answer.question == q
        assert answer.text == alone[q].text
        assert [(c.article_id, c.start, c.end) for c in answer.citations] == \
            [(c.article_id, c.start, c.end) for c in alone[q].citations]
    cited = {a.citations[0].article_id for a in together if a.citations}
    assert len(cited) >= 15  # the answers differ from question to question (19 of 25 articles), so mixing would show
