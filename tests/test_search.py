"""Search: rank fusion, article support, diversity and filters (pure parts), then a real store."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine import Engine
from retrieval.models import Passage
from retrieval.search import RRF_K, Filters, by_article, diversify, fuse
from tests.conftest import make_engine


def passage(cid: str, article: str, dense: float | None = None, lexical: float | None = None) -> Passage:
    return Passage(chunk_id=cid, article_id=article, text="t", start=0, end=1, position=0, sentences=[(0, 1)],
                   speakers=[[]], dense=dense, lexical=lexical)


def test_fuse_adds_weighted_reciprocal_ranks_and_keeps_both_scores() -> None:
    dense = [passage("a", "A", dense=0.9), passage("b", "B", dense=0.8)]
    lexical = [passage("b", "B", lexical=7.0), passage("c", "C", lexical=3.0)]
    fused = fuse(dense, lexical, 1.0, 1.5)
    assert [p.chunk_id for p in fused] == ["b", "c", "a"]  # c: 1.5/(K+2) beats a: 1/(K+1)
    b = fused[0]
    assert b.dense == 0.8 and b.lexical == 7.0
    assert abs(b.score - (1.0 / (RRF_K + 2) + 1.5 / (RRF_K + 1))) < 1e-12


def test_by_article_lifts_articles_with_several_matching_chunks() -> None:
    ranked = [passage("x1", "X"), passage("y1", "Y"), passage("y2", "Y"), passage("y3", "Y")]
    for p, score in zip(ranked, (1.0, 0.9, 0.5, 0.5)):
        p.score = score
    assert [p.article_id for p in by_article(ranked, 0.3)][0] == "Y"
    assert by_article(ranked, 0.0) is ranked


def test_diversify_caps_per_article_and_tops_up() -> None:
    ranked = [passage(f"a{i}", "A") for i in range(3)] + [passage("b0", "B")]
    assert [p.chunk_id for p in diversify(ranked, 2, 1)] == ["a0", "b0"]
    assert [p.chunk_id for p in diversify(ranked, 4, 1)] == ["a0", "b0", "a1", "a2"]


def test_diversify_puts_another_outlets_copy_after_the_other_articles() -> None:
    """A wire story run word for word by two outlets takes one place in the top, not two."""
    story = "Rescuers pulled 14 survivors from the collapsed hotel in Taipei on Tuesday, officials said."
    ranked = [passage("a0", "A"), passage("b0", "B"), passage("c0", "C")]
    ranked[0].text, ranked[1].text = story, story.replace("Tuesday", "Tuesday morning")
    ranked[2].text = "The central bank left its main rate at 2 percent and signalled a cut in June."
    assert [p.chunk_id for p in diversify(ranked, 2, 1)] == ["a0", "c0"]
    assert [p.chunk_id for p in diversify(ranked, 3, 1)] == ["a0", "c0", "b0"]
    ranked[1].text = "Rescuers in Taipei searched the hotel's lower floors after the quake, the fire service said."
    assert [p.chunk_id for p in diversify(ranked, 2, 1)] == ["a0", "b0"]  # the same story in other words stays
    ranked[1].text = story.replace("14", "23")
    assert [p.chunk_id for p in diversify(ranked, 2, 1)] == ["a0", "b0"]  # a new figure is news, not a copy


def accepts(filters: Filters, day: int, outlet: str = "") -> bool:
    """Does one chunk pass ``filters.sql()`` (as the keyword index runs it)?"""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE chunks(day INTEGER, outlet TEXT)")
    db.execute("INSERT INTO chunks VALUES (?, ?)", (day, outlet))
    sql, params = filters.sql() or ("1", [])
    return db.execute(f"SELECT count(*) FROM chunks WHERE {sql}", params).fetchone()[0] == 1


def test_filters_where_and_sql_agree() -> None:
    f = Filters(since=date(2022, 1, 1), until=date(2022, 1, 31), outlets=["CNN"])
    assert f.where() == {"$and": [{"published_day": {"$gte": 20220101}}, {"published_day": {"$lte": 20220131}},
                                  {"published_day": {"$gt": 0}}, {"outlet": {"$in": ["CNN"]}}]}
    assert Filters(until=date(2022, 1, 31)).where() == {  # undated is outside a range on both sides
        "$and": [{"published_day": {"$lte": 20220131}}, {"published_day": {"$gt": 0}}]}
    as_of = Filters(as_of=date(2022, 1, 31))
    assert as_of.where() == {"published_day": {"$lte": 20220131}}  # ... but exists as of any day
    assert accepts(as_of, 0) and not accepts(as_of, 20220201)
    assert accepts(f, 20220115, "CNN") and not accepts(f, 20220115, "BBC")
    assert not accepts(f, 20220201, "CNN")
    assert not accepts(f, 0, "CNN")  # undated is outside any date range
    assert not Filters() and Filters().where() is None and Filters().sql() is None


def test_engine_filters_reject_unreadable_dates() -> None:
    import pytest

    from bot.engine import InputError

    assert Engine.filters("2022-06-01", None, ["CNN"]).since == date(2022, 6, 1)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        Engine.filters("not a date")


def test_configured_engine_shares_parts_and_changes_ranking(seeded: Engine) -> None:
    dense_only = seeded.configured(lexical_weight=0.0)
    assert dense_only.store is seeded.store and dense_only.embedder is seeded.embedder
    assert dense_only.settings.lexical_weight == 0.0 and seeded.settings.lexical_weight == 1.5
    hits = dense_only.search("What did Lavrov demand?", 3)
    assert hits and all(p.lexical is None for p in hits)
    assert any(p.lexical is not None for p in seeded.search("What did Lavrov demand?", 3))


@pytest.mark.parametrize("exact", [False, True])
def test_filtered_dense_search_equals_chromas_filtered_query(home, embedder, tmp_path, exact) -> None:  # type: ignore[no-untyped-def]
    """A filter is applied to unfiltered neighbours (fast) and falls back to Chroma's own filtered
    query when too few pass (or, searching exactly, to every vector compared): either way the
    result is what Chroma's filter would give (on 40 articles its graph search misses nothing)."""
    import json

    engine = make_engine(home, embedder, exact_search=exact)

    corpus = tmp_path / "dated.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for i in range(40):
            fh.write(json.dumps({"id": f"d{i}", "title": f"Harbour report {i}", "published": f"2022-01-{i % 28 + 1:02d}",
                                 "outlet": "CNN" if i % 2 else "BBC",
                                 "text": f"The harbour council met about ferry {i}. Budget item {i} was approved."}) + "\n")
    engine.ingest([str(corpus)])
    searcher = engine.configured(candidates=5).searcher  # 5 of 40: the as-of filter passes 20 wide neighbours
    question = "harbour council ferry budget"
    vector = engine.embedder.embed_one(question)
    n = searcher.config.candidates
    for filters in (Filters(as_of=date(2022, 1, 27)), Filters(since=date(2022, 1, 3), until=date(2022, 1, 4)),
                    Filters(outlets=["CNN"])):
        want = [cid for cid, _ in engine.store.nearest(vector, n, filters.where())]
        assert len(want) == (4 if filters.since else 5)  # a two-day window holds 4: the fallback
        assert [p.chunk_id for p in searcher.dense(question, filters)] == want


def test_the_first_articles_opening_is_handed_on_beside_what_matched(seeded: Engine) -> None:
    """A quiz question often asks in other words about what only the article's first paragraphs
    say: its opening chunks join the matching ones, in article order, never twice."""
    question = "What did Zelensky say about minor incursions?"
    top, support = seeded.configured(opening_chunks=0).searcher.find(question, 3)
    first = top[0]
    held = {p.position for p in top + support if p.article_id == first.article_id}
    missing = [position for position in (0, 1) if position not in held]
    assert missing, "the fixture question must match past the article's opening"
    top2, support2 = seeded.configured(opening_chunks=2).searcher.find(question, 3)
    assert [p.chunk_id for p in top2] == [p.chunk_id for p in top]
    assert [p.chunk_id for p in support2[: len(support)]] == [p.chunk_id for p in support]
    added = support2[len(support):]
    assert [(p.article_id, p.position) for p in added] == [(first.article_id, position) for position in missing]
    assert all(p.text and p.sentence_vectors is not None for p in added)
