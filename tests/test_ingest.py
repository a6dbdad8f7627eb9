"""Ingest bookkeeping against a real Chroma: idempotence, updates, prune, remove, interruption."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from retrieval.index.embeddings import Embedder
from tests.conftest import FIXTURES, SEEDS, chunk_versions, make_engine, write_corpus


def write(path: Path, title: str, body: str) -> None:
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def test_changed_article_replaces_old_chunks(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    write(folder / "a.txt", "Alpha", "The river flooded the old town on Monday. Shops were closed.")
    write(folder / "b.txt", "Beta", "The festival drew ten thousand visitors. Traffic was heavy.")
    first = engine.ingest([str(folder)])
    assert len(first.added) == 2 and first.chunks > 0
    write(folder / "a.txt", "Alpha", "The river flooded the old town on Tuesday. Schools were closed.")
    second = engine.ingest([str(folder)])
    assert len(second.updated) == 1 and len(second.unchanged) == 1
    versions = chunk_versions(engine.store)
    assert all(len(v) == 1 for v in versions.values())  # the old version is gone
    ids = [a.id for a in engine.sources()]  # what ingest checks is read from the keyword index's copy
    assert engine.indexes.versions(ids) == engine.store.versions(ids) != {}
    answer = engine.ask("When did the river flood the old town?")
    assert "Tuesday" in answer.text and "Monday" not in answer.text


def test_prune_and_remove(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    write(folder / "a.txt", "Alpha", "The council met on Monday to discuss parking. Nothing was decided.")
    write(folder / "b.txt", "Beta", "A new bakery opened on Main Street. It sells rye bread.")
    engine.ingest([str(folder)])
    (folder / "b.txt").unlink()
    kept = engine.ingest([str(folder)])  # without --prune nothing goes
    assert not kept.removed and len(engine.sources()) == 2
    pruned = engine.ingest([str(folder)], prune=True)
    assert len(pruned.removed) == 1 and [a.title for a in engine.sources()] == ["Alpha"]
    assert engine.remove([engine.sources()[0].id, "nope"]) == ["nope"]
    assert engine.store.count() == 0 and engine.sources() == []


def test_lexical_index_follows_the_store(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    write(path, "Zebra crossing", "A zebra escaped from the zoo on Friday. Keepers caught it.")
    engine.ingest([str(path)])
    assert engine.lexical.search("zebra", 5)
    engine.remove([str(path)])
    assert engine.lexical.search("zebra", 5) == []


def test_feed_ingest_with_metadata(engine: Engine, tmp_path: Path) -> None:
    feed = (FIXTURES / "feed.xml").read_text().replace("http://HOST", "http://127.0.0.1:9")
    path = tmp_path / "local.rss"
    path.write_text(feed)
    report = engine.ingest([str(path)])
    # the full-content entry is stored; the two summary-only entries point to a dead port
    assert len(report.added) == 1 and len(report.failed) == 2
    [stored] = engine.sources()
    assert stored.title == "Fishing Fleet Returns Early" and stored.published == "2022-06-17"


def test_date_and_outlet_filters(engine: Engine) -> None:
    from datetime import date

    from retrieval.search import Filters

    engine.ingest([str(FIXTURES / "tiny-corpus.jsonl")])
    everything = {p.article_id for p in engine.search("news about the city", k=10)}
    assert everything == {"bridge", "library", "fleet"}
    june_15_on = Filters(since=date(2022, 6, 15))
    assert {p.article_id for p in engine.search("news about the city", 10, june_15_on)} == {"library", "fleet"}
    until_16 = Filters(until=date(2022, 6, 16), outlets=["Coastal Times"])
    assert {p.article_id for p in engine.search("news about the city", 10, until_16)} == {"bridge", "library"}
    metro = Filters(outlets=["Metro Daily"])
    answer = engine.ask("How many steel cables were replaced?", filters=metro)
    assert all(c.article_id == "fleet" for c in answer.citations)
    assert [a.published for a in engine.sources()] == ["2022-06-17", "2022-06-16", "2022-06-14"]


def test_changed_index_settings_reindex(home: Path, embedder, tmp_path: Path) -> None:
    from tests.conftest import make_engine

    path = tmp_path / "a.txt"
    write(path, "Alpha", " ".join(f"Sentence {i} about the harbour and its ferries." for i in range(30)))
    first = make_engine(home, embedder).ingest([str(path)])
    again = make_engine(home, embedder).ingest([str(path)])
    assert first.added and again.unchanged
    smaller = make_engine(home, embedder, chunk_chars=200)
    report = smaller.ingest([str(path)])
    assert report.updated and report.chunks > first.chunks
    versions = chunk_versions(smaller.store)
    assert len(versions[str(path)]) == 1  # only the re-chunked version is left


def test_repair_reads_only_what_the_journal_names(engine: Engine, tmp_path: Path, monkeypatch) -> None:
    import json

    from retrieval.index.store import JOURNAL

    engine.ingest([str(SEEDS)])  # the first repair scanned the (empty) store once
    store = engine.store

    def no_scan(*a, **k):
        raise AssertionError("repair scanned the whole store")

    monkeypatch.setattr(store, "iter_chunks", no_scan)
    assert engine.indexes.repair() == 0 and not json.loads(store.collection.metadata[JOURNAL])
    # a writer that died after journalling a half-stored article: only that article is looked at
    [article] = engine.sources()
    victim = store.collection.get(where={"article_id": article.id}, include=[])["ids"]
    store.collection.delete(ids=victim[:1])
    store.journal([article.id])
    assert engine.indexes.repair() == 1
    assert engine.sources() == [] and not json.loads(store.collection.metadata[JOURNAL])


def test_embedding_cache_gives_the_same_vectors_without_the_model(home: Path, tmp_path: Path, embedder: Embedder,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With NEWSBOT_EMBEDDING_CACHE, a corpus ingested into a second collection is not embedded again."""
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 6)
    first = make_engine(home, embedder, embedding_cache=True)
    first.ingest([str(corpus)])

    def no_model(*_: object, **__: object) -> None:
        raise AssertionError("the model was called")

    monkeypatch.setattr(embedder, "embed", no_model)
    monkeypatch.setattr(embedder, "embed_with_spans", no_model)
    second = make_engine(home, embedder, embedding_cache=True, collection="again")
    report = second.ingest([str(corpus)])
    assert len(report.added) == 6
    monkeypatch.undo()
    probe = embedder.embed_one("harbour council budget")
    assert first.store.nearest(probe, 5, None) == second.store.nearest(probe, 5, None)
    one = first.store.collection.get(ids=[first.store.nearest(probe, 1, None)[0][0]], include=["metadatas"])
    two = second.store.collection.get(ids=one["ids"], include=["metadatas"])
    assert one["metadatas"][0]["sentence_vectors"] == two["metadatas"][0]["sentence_vectors"]


def test_an_embedding_failure_mid_run_keeps_earlier_batches_whole(engine: Engine, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches are embedded in the background while the one before is written: when the third
    batch's embedding fails, the first two are stored whole, nothing of the third is, no
    background thread is left, and the next run finishes the job."""
    import threading

    import retrieval.index.ingest as ingest

    monkeypatch.setattr(ingest, "CHUNKS_PER_BATCH", 4)
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 12)
    real = engine.embedder.embed_with_spans
    calls: list[int] = []

    def failing(texts, spans):
        calls.append(len(texts))
        if len(calls) == 3:
            raise RuntimeError("the model ran out of memory")
        return real(texts, spans)

    monkeypatch.setattr(engine.embedder, "embed_with_spans", failing)
    with pytest.raises(RuntimeError, match="out of memory"):
        engine.ingest([str(corpus)])
    assert not [t for t in threading.enumerate() if t.name.startswith("newsbot-ingest")]
    stored = chunk_versions(engine.store)
    per_article = {a: sum(c.values()) for a, c in stored.items()}
    assert 0 < len(per_article) < 12
    monkeypatch.setattr(engine.embedder, "embed_with_spans", real)
    full = make_engine(engine.settings.home, engine.embedder, collection=engine.settings.collection)
    report = full.ingest([str(corpus)])
    assert len(report.unchanged) == len(per_article) and len(report.added) == 12 - len(per_article)
    again = chunk_versions(full.store)
    assert {a: sum(c.values()) for a, c in again.items() if a in per_article} == per_article  # whole before
    assert len(again) == 12 and engine.lexical.search("harbour", 50)


def test_a_batch_costs_four_chroma_metadata_calls(seeded: Engine, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Journal, write, drop the replaced versions, and settle with the new generation: the journal
    and the generation are read and written twice a batch, however many articles it holds."""
    from tests.chroma_calls import count_chroma_calls

    write(tmp_path / "a.txt", "Alpha", "The river flooded the old town on Monday. Schools were closed.")
    write(tmp_path / "b.txt", "Beta", "The council met on Tuesday and approved the ferry timetable.")
    seeded.ingest([str(tmp_path)])
    write(tmp_path / "a.txt", "Alpha", "The river flooded the old town on Tuesday. Schools were closed.")
    write(tmp_path / "c.txt", "Gamma", "The harbour reopened on Wednesday after the storm had passed.")
    calls = count_chroma_calls(monkeypatch, seeded.store)
    report = seeded.ingest([str(tmp_path)])
    assert len(report.updated) == 1 and len(report.added) == 1  # one batch: a new article and a changed one
    assert calls["modify"] == 2 and calls["get_collection"] <= 3, calls  # journal, settle (+ the repair's look)
    assert calls["upsert"] == 2 and calls["delete"] == 1, calls  # the chunks, and the articles' story leads


def test_a_pages_furniture_and_media_are_neither_searched_nor_quoted(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "storm.txt"
    write(path, "Storm closes the harbour",
          "The harbour closed on Tuesday after a storm broke the sea wall, the port authority said.\n\n"
          "JUST WATCHED Storm hits the harbour Replay More Videos ... MUST WATCH Storm hits the harbour 02:21\n\n"
          "Prep for the polls: See who is running for mayor and compare where they stand in our Voter Guide.\n\n"
          "Contact Jane Doe at jdoe@example.com. Follow her on X @janedoe.")
    assert engine.ingest([str(path)]).added
    assert engine.lexical.search("harbour", 5) and engine.lexical.search("mayor", 5) == []
    assert engine.lexical.search("jdoe", 5) == [] and engine.lexical.search("WATCHED", 5) == []
    answer = engine.ask("Who is running for mayor?")
    assert "Voter Guide" not in answer.text and "jdoe" not in answer.text


def test_a_record_with_no_article_text_is_named_by_its_id(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"id": "good-1", "title": "Storm", "text": "The harbour closed on Tuesday after a storm."}\n'
                    '{"id": "promo-7", "title": "Deals", "text": "Sign up for our newsletter here."}\n'
                    '{"title": "More deals", "text": "Sign up for our deals newsletter here."}\n', encoding="utf-8")
    report = engine.ingest([str(path)])
    assert len(report.added) == 1
    assert [item for item, _ in report.failed] == [f"{path} [promo-7]", f"{path}:3"]  # no id: its line
    assert all("no article text" in why and "\n" not in why for _, why in report.failed)
