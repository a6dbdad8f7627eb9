"""The keyword index: BM25 from a tantivy index that a write updates in place, never rebuilt.

Each test runs on a real store; the reference is BM25 computed here from scratch over the
chunks the store holds at that moment, with tantivy's formula (k1 1.2, b 0.75).
"""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import pytest

import retrieval.index.indexes as indexes
import retrieval.index.lexical as lexical
from bot.engine import Engine
from retrieval.index.embeddings import Embedder
from retrieval.index.indexes import open_indexes
from retrieval.index.lexical import lexical_text
from retrieval.index.store import Store
from retrieval.text import tokenize
from tests.conftest import make_engine

WORDS = ("harbour council budget storm ferry school bridge market river tram zebra orchard lantern "
         "copper violin meadow").split()
QUESTIONS = ["harbour budget storm", "zebra orchard", "ferry ferry bridge", "copper violin council meeting",
             "What did the river report say about the tram?"]


def write_articles(path: Path, ids: range, edition: str = "") -> None:
    """Articles of a few sentences each, with word frequencies that differ between them."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in ids:
            words = [WORDS[(i * k + 3) % len(WORDS)] for k in range(1, 9)]
            text = " ".join(f"The {w} report {i} {edition} noted the {words[(j + i) % 8]} again." for j, w
                            in enumerate(words))
            text += f" Filed as docket{i}."
            fh.write(json.dumps({"id": f"a{i}", "title": f"Report {i} on the {words[0]}", "text": text}) + "\n")


def reference(store: Store, question: str) -> dict[str, float]:
    """BM25 (k1 1.2, b 0.75, idf ln(1 + (N - df + 0.5) / (df + 0.5))) over every chunk stored
    now, from scratch: id -> score > 0."""
    docs = {cid: tokenize([lexical_text(str(meta.get("title", "")), doc)])[0] for cid, doc, meta in store.iter_chunks()}
    average = sum(map(len, docs.values())) / len(docs)
    wanted = Counter(tokenize([question])[0])
    frequency = {term: sum(term in words for words in docs.values()) for term in wanted}
    out = {}
    for cid, words in docs.items():
        counts = Counter(words)
        score = 0.0
        for term, times in wanted.items():
            tf = counts[term]
            if tf:
                idf = math.log(1 + (len(docs) - frequency[term] + 0.5) / (frequency[term] + 0.5))
                score += times * idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(words) / average))
        if score > 0:
            out[cid] = score
    return out


def assert_same_ranking(engine: Engine, scores: bool = True) -> None:
    """The same chunks found and, unless chunks were removed, scored alike (within 2%: tantivy
    keeps a document's length in one byte). A removed chunk's document counts in tantivy's
    statistics until its segment merges, which moves scores in a corpus this small."""
    for question in QUESTIONS:
        want = reference(engine.store, question)
        got = {p.chunk_id: p.lexical or 0.0 for p in engine.lexical.search(question, 1000)}
        assert got.keys() == want.keys(), question
        if scores:
            assert np.allclose([got[c] for c in want], list(want.values()), rtol=0.02), question


def test_scores_equal_bm25_through_adds_updates_and_removals(engine: Engine, tmp_path: Path) -> None:
    corpus = tmp_path / "a.jsonl"
    write_articles(corpus, range(12))
    engine.ingest([str(corpus)])
    assert_same_ranking(engine)
    write_articles(corpus, range(6), edition="revised")  # six updated, six gone with --prune
    engine.ingest([str(corpus)], prune=True)
    assert_same_ranking(engine, scores=False)  # removed chunks are never found
    engine.remove(["a0"])
    assert_same_ranking(engine, scores=False)


def test_a_write_touches_only_its_own_chunks(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "a.jsonl"
    write_articles(corpus, range(10))
    engine.ingest([str(corpus)])
    assert engine.lexical.search("harbour", 3)

    def whole_store(*_: Any, **__: Any) -> Any:
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(engine.store, "ids", whole_store)
    monkeypatch.setattr(engine.store, "iter_chunks", whole_store)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "quokka", "title": "Quokka census", "text": "Rangers counted 412 quokkas on "
                               "the island this spring. The census runs every five years."}) + "\n")
    engine.ingest([str(new)])
    hits = engine.lexical.search("quokka census", 3)
    assert hits and hits[0].article_id == "quokka"
    answer = engine.ask("How many quokkas did the rangers count?")
    assert answer.citations and answer.citations[0].article_id == "quokka"
    engine.remove(["quokka"])
    assert engine.lexical.search("quokka", 3) == []


def test_many_small_writes_and_removals_keep_the_ranking(engine: Engine, tmp_path: Path) -> None:
    for i in range(6):  # one write (one tantivy commit, one segment) each
        corpus = tmp_path / f"{i}.jsonl"
        write_articles(corpus, range(i, i + 1))
        engine.ingest([str(corpus)])
    assert_same_ranking(engine)
    engine.remove(["a1", "a2"])
    assert_same_ranking(engine, scores=False)
    assert engine.lexical.unsearchable() == []


def test_another_process_writes_are_caught_up_by_id(home: Path, tmp_path: Path, embedder: Embedder,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An index in another cache folder (another machine on a Chroma server) sees the store's
    generation change and fetches only the chunks it lacks."""
    monkeypatch.setattr(indexes, "RECHECK_SECONDS", 0.0)
    writer = make_engine(home, embedder)
    corpus = tmp_path / "a.jsonl"
    write_articles(corpus, range(8))
    writer.ingest([str(corpus)])
    elsewhere = open_indexes(Store(home / "chroma", None, writer.store.collection.name), tmp_path / "other-cache")
    elsewhere.current()
    assert sorted(elsewhere.lexical.ids()) == sorted(writer.store.ids())
    fetched: list[int] = []
    records = elsewhere.store.records
    monkeypatch.setattr(elsewhere.store, "records", lambda ids: fetched.append(len(ids)) or records(ids))
    new = tmp_path / "new.jsonl"
    write_articles(new, range(8, 9))
    writer.ingest([str(new)])
    writer.remove(["a0"])
    elsewhere.current()
    assert sorted(elsewhere.lexical.ids()) == sorted(writer.store.ids())
    assert sum(fetched) == len([c for c in writer.store.ids() if c.startswith("a8#")])  # only the new article's chunks
    assert [p.article_id for p in elsewhere.lexical.search("docket8", 1)] == ["a8"]


def lose_words(path: Path, row: int, stray: str | None = None) -> None:
    """Damage the full-text index beside the keyword file ``path`` as another process would: the
    document of row ``row`` goes, and with ``stray`` a document for no row comes."""
    import tantivy

    writer = tantivy.Index.open(str(path) + ".tantivy").writer(heap_size=20_000_000, num_threads=1)
    writer.delete_documents_by_term("n", row)
    if stray is not None:
        writer.add_document(tantivy.Document(n=10**9, words=stray))
    writer.commit()
    writer.wait_merging_threads()


def ingested(home: Path, tmp_path: Path, embedder: Embedder, n: int) -> Engine:
    """An engine on ``home`` holding ``n`` written articles, its keyword index in a file."""
    engine = make_engine(home, embedder)
    corpus = tmp_path / "a.jsonl"
    write_articles(corpus, range(n))
    engine.ingest([str(corpus)])
    return engine


def test_a_damaged_index_file_is_rebuilt_from_the_store(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    engine = ingested(home, tmp_path, embedder, 5)
    path = engine.lexical.path
    assert path is not None and path.is_file()
    del engine
    path.write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    again = make_engine(home, embedder)
    again.indexes.current()
    assert sorted(again.lexical.ids()) == sorted(again.store.ids())
    assert again.lexical.search("docket3", 1)[0].article_id == "a3"


def test_tokens_are_bm25s_tokens_without_importing_it() -> None:
    """The tokenizer keeps bm25s's rules (what the index was measured with) but not its import
    (scipy and all: a quarter of a second of every cold start)."""
    import subprocess
    import sys

    import Stemmer

    texts = ["What did Lavrov demand?", "U.S. officials said 127,000 troops are near Ukraine's border.",
             "Who is he?", "It's the state-of-the-art AI model; naïve café owners disagreed.", ""]
    want = [list(t) for t in bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"),
                                            return_ids=False, show_progress=False)]
    assert tokenize(texts) == [w if w != [""] else [] for w in want]
    probe = "import sys, bot.engine; print(sorted(m for m in ('bm25s', 'scipy', 'torch') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_removed_and_re_ingested_article_is_found_by_its_words_again(engine: Engine, tmp_path: Path) -> None:
    """A chunk's row number is never reused: a new chunk that took a removed one's number could
    be found by the removed one's words."""
    corpus = tmp_path / "a.jsonl"
    write_articles(corpus, range(3))
    engine.ingest([str(corpus)])
    engine.remove(["a2"])  # the newest rows go
    engine.ingest([str(corpus)])
    assert [p.article_id for p in engine.lexical.search("docket2", 1)] == ["a2"]
    answer = engine.ask("Which report mentions docket2?")  # the engine's search, through its shared indexes
    assert answer.passages and answer.passages[0].article_id == "a2", answer.text


def test_an_index_of_an_older_layout_is_rebuilt(home: Path, tmp_path: Path, embedder: Embedder) -> None:
    engine = ingested(home, tmp_path, embedder, 3)
    assert engine.lexical.path is not None
    engine.lexical._db.execute("UPDATE state SET value = '1' WHERE key = 'format'")
    again = make_engine(home, embedder)
    again.indexes.current()
    assert sorted(again.lexical.ids()) == sorted(again.store.ids())
    sql = again.lexical._db.execute("SELECT sql FROM sqlite_master WHERE name = 'chunks'").fetchone()[0]
    assert "AUTOINCREMENT" in sql


def test_an_index_of_the_hand_written_layout_keeps_its_rows(home: Path, tmp_path: Path, embedder: Embedder,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A keyword index from before tantivy (format 3: its own postings) keeps its copy of the
    chunks and indexes their words again, without reading the store."""
    engine = ingested(home, tmp_path, embedder, 4)
    path = engine.lexical.path
    assert path is not None
    engine.lexical._db.executescript("ALTER TABLE chunks ADD COLUMN length INTEGER NOT NULL DEFAULT 0; "
                                     "CREATE TABLE postings(seq INTEGER PRIMARY KEY); CREATE TABLE dead(n INTEGER); "
                                     "UPDATE state SET value = '3' WHERE key = 'format';")
    del engine
    shutil.rmtree(str(path) + ".tantivy")
    monkeypatch.setattr(Store, "records", lambda *_: (_ for _ in ()).throw(AssertionError("the store was read")))
    again = make_engine(home, embedder)
    again.indexes.current()
    assert sorted(again.lexical.ids()) == sorted(again.store.ids())
    assert again.lexical.search("docket2", 1)[0].article_id == "a2"
    tables = {name for (name,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "postings" not in tables and "dead" not in tables


def test_documents_lost_between_the_two_commits_are_indexed_again(home: Path, tmp_path: Path,
                                                                   embedder: Embedder) -> None:
    """A crash after tantivy's commit and before SQLite's leaves rows without documents: the
    next open finds the counts differ and indexes those rows again."""
    engine = ingested(home, tmp_path, embedder, 4)
    path = engine.lexical.path
    assert path is not None
    first = int(engine.lexical._db.execute("SELECT min(n) FROM chunks WHERE article_id = 'a3'").fetchone()[0])
    del engine
    lose_words(path, first)
    again = make_engine(home, embedder)
    assert again.lexical.unsearchable() == []
    assert again.lexical.search("docket3", 1)[0].article_id == "a3"


@pytest.mark.parametrize("damage", ["meta", "segments"])
def test_a_damaged_full_text_folder_is_indexed_again_from_the_rows(home: Path, tmp_path: Path, embedder: Embedder,
                                                                    damage: str) -> None:
    engine = ingested(home, tmp_path, embedder, 4)
    path = engine.lexical.path
    assert path is not None
    del engine
    folder = Path(str(path) + ".tantivy")
    for file in folder.iterdir():
        if (damage == "meta" and file.name == "meta.json") or (damage == "segments" and file.suffix in (".idx", ".term")):
            file.write_bytes(b"not an index")
    again = make_engine(home, embedder)
    assert again.lexical.unsearchable() == []
    assert again.lexical.search("docket3", 1)[0].article_id == "a3"


def test_damage_found_while_searching_is_mended_once(engine: Engine, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """tantivy reports a damaged segment as a ValueError when a search reads it: the index is made
    anew from the rows and the search answered, not a traceback."""
    corpus = tmp_path / "a.jsonl"
    write_articles(corpus, range(4))
    engine.ingest([str(corpus)])
    index = engine.lexical
    ranked = index._ranked
    calls: list[int] = []

    def damaged_once(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("Data corrupted: checksum mismatch")
        return ranked(*args)

    monkeypatch.setattr(index, "_ranked", damaged_once)
    assert index.search("docket2", 1)[0].article_id == "a2"
    assert len(calls) == 2 and index.unsearchable() == []


def test_an_index_opened_during_another_processs_write_lets_it_finish(home: Path, tmp_path: Path,
                                                                      embedder: Embedder) -> None:
    """A write shows its documents before its rows; an index opened just then must not take them
    for a crash's leftovers and drop them: it waits for the write and finds the counts agree."""
    import threading

    engine = ingested(home, tmp_path, embedder, 3)
    path = engine.lexical.path
    assert path is not None
    [(cid, text, meta)] = engine.store.records([sorted(engine.store.ids())[0]])
    writer = lexical.LexicalIndex(path)  # another process's handle on the same files
    committed, release = threading.Event(), threading.Event()
    commit_text = writer._commit_text

    def slow_commit(*args: Any) -> None:
        commit_text(*args)
        committed.set()
        release.wait(10)

    writer._commit_text = slow_commit  # type: ignore[method-assign]
    writing = threading.Thread(target=writer.stored, args=([("new#0", text + " Filed as docketnew.", meta)],))
    writing.start()
    assert committed.wait(10)
    opened: list[lexical.LexicalIndex] = []
    opening = threading.Thread(target=lambda: opened.append(lexical.LexicalIndex(path)))
    opening.start()
    opening.join(0.5)
    release.set()
    writing.join(10)
    opening.join(10)
    assert opened and opened[0].unsearchable() == []
    assert [p.chunk_id for p in opened[0].search("docketnew", 1)] == ["new#0"]


def test_the_store_is_looked_at_again_after_a_second_or_at_once_after_this_process_writes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Writes:
        writes = 0

    clock = [100.0]
    monkeypatch.setattr(indexes.time, "monotonic", lambda: clock[0])
    store = Writes()
    recheck = indexes.Recheck(store)  # type: ignore[arg-type]
    first = recheck.due()
    assert first is not None  # never looked: due
    recheck.looked(first)
    assert recheck.due() is None  # within the second: the last look holds
    clock[0] += indexes.RECHECK_SECONDS
    assert recheck.due() == (clock[0], 0)  # a second on: another process may have written
    recheck.looked((clock[0], 0))
    store.writes += 1
    assert recheck.due() is not None  # this process wrote: at once
    recheck.looked((clock[0], 1))
    recheck.again()
    assert recheck.due() is not None
