"""The small-store bench's plan and tally: which pages each store holds, what a reader was told."""

from __future__ import annotations

from datetime import date

from bench.small_stores import ASSERTED_COST, MIXED_ARTICLES, Asked, outcome, plan, share, sweep
from bot.engine import Answer, Coverage, EvalQuestion


def question(n: int, docs: list[str]) -> EvalQuestion:
    return EvalQuestion(id=f"q{n}", question=f"Question {n}?", answers=["x"], doc_ids=docs,
                        question_date=date(2023, 1, n))


def test_one_question_stores_hold_its_named_pages_and_mixed_ones_fill_up_to_the_size() -> None:
    pages = {f"p{i}": f'{{"id": "p{i}"}}\n' for i in range(100)}
    questions = [question(n, [f"p{2 * n}", f"p{2 * n + 1}"]) for n in range(1, 9)]
    questions.append(question(9, ["missing"]))  # a named page the corpus lacks: never sampled
    questions.append(EvalQuestion(id="u", question="Unanswerable?", answerable=False))
    stores = plan(questions, pages, stores=3, mixed=1, per_mixed=4, seed=1)
    ones = {k: v for k, v in stores.items() if k.startswith("one-")}
    assert len(ones) == 3 and all(ids == own[0].doc_ids and len(own) == 1 for own, ids in ones.values())
    own, ids = stores["mixed-0"]
    named = [d for q in own for d in q.doc_ids]
    assert len(own) == 4 and ids[: len(named)] == named and len(ids) == MIXED_ARTICLES == len(set(ids))
    asked = {q.id for questions_asked, _ in stores.values() for q in questions_asked}
    assert "q9" not in asked and "u" not in asked and len(asked) == 7  # no store is asked twice the same
    assert plan(questions, pages, stores=3, mixed=1, per_mixed=4, seed=1) == stores  # the same stores again


def test_single_article_stores_hold_the_named_page_that_states_the_answer() -> None:
    pages = {f"p{i}": f'{{"id": "p{i}", "text": "{"it was x" if i % 2 else "nothing"}"}}\n' for i in range(100)}
    questions = [question(n, [f"p{2 * n}", f"p{2 * n + 1}"]) for n in range(1, 9)]
    stores = plan(questions, pages, stores=2, mixed=1, per_mixed=3, seed=1, single=3)
    singles = {k: v for k, v in stores.items() if k.startswith("single-")}
    assert len(singles) == 3
    for own, ids in singles.values():
        assert len(own) == 1 and ids == [own[0].doc_ids[1]]  # the second named page says "x", the first does not
    asked = [q.id for questions_asked, _ in stores.values() for q in questions_asked]
    assert len(asked) == len(set(asked)) == 8  # a single store's question is no other store's
    assert plan(questions, pages, stores=2, mixed=1, per_mixed=3, seed=1) == \
        {k: v for k, v in stores.items() if not k.startswith("single-")}  # the other stores as without singles


def test_what_a_reader_was_told_is_counted_in_shares() -> None:
    def answer(abstained: bool = False, hedged: bool = False) -> Answer:
        return Answer(question="?", text="", citations=[], abstained=abstained, hedged=hedged)

    told = [outcome(answer(abstained=True)), outcome(answer(hedged=True)), outcome(answer()), outcome(answer())]
    assert told == ["withheld", "hedged", "asserted", "asserted"]
    counts = {"withheld": 1, "hedged": 1, "asserted": 2, "right_withheld": 1}
    assert share(counts) == {"withheld": 0.25, "hedged": 0.25, "asserted": 0.5, "n": 4, "right_withheld": 1}


def test_a_shift_keeps_more_own_questions_and_asserts_more_other_news() -> None:
    coverage = Coverage(7.0, 2.0, 0.7, -7.0, shift=0.0, knee=0.6)
    own = [Asked("one", True, i % 2 == 0, 0.35 + 0.02 * i, 0.4, 1.0, 0.2) for i in range(10)]
    other = [Asked("one", False, False, 0.1 + 0.03 * i, 0.2, 0.5, 0.2) for i in range(10)]
    rows = sweep(own + other, coverage, [0.0, 0.5], withhold=0.08, hedge=0.12)
    none, none_mean, half, half_mean = rows
    assert {r["knee"] for r in rows} == {0.6}  # the coverage's own knee when none is given
    assert none_mean["store"] == "mean" and none_mean["cost"] == none["cost"]  # one kind: its own mean
    assert none["shift"] == 0.0 and half["shift"] == 0.5 and none["own"] == 10 == none["other"]
    assert half["own_withheld"] < none["own_withheld"] and half["other_asserted"] >= none["other_asserted"]
    assert half["cost"] == round(half["own_withheld"] + ASSERTED_COST * half["other_asserted"], 4)
    assert none["right"] == 5 and none["right_withheld"] <= 5
    above = sweep(own + other, coverage, [0.0, 0.5], withhold=0.08, hedge=0.12, knees=[0.1])
    assert above[0]["knee"] == 0.1 and above[0]["cost"] == above[2]["cost"]  # the store above the knee: no lift
