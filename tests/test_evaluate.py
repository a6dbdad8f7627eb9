"""Every eval metric on hand-made cases where the right number is known."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.answer import Answer, Citation
from bot.engine import Engine
from bot.measure.evaluate import (
    METRIC_KEYS,
    EvalQuestion,
    Row,
    breakdown,
    contains_any,
    fold,
    judge,
    load_questions,
    named_pages,
    summarize,
)
from retrieval.errors import InputError
from retrieval.models import Passage


def passage(article_id: str, text: str = "Some text.", chunk: str | None = None, source: str = "") -> Passage:
    return Passage(chunk_id=chunk or f"{article_id}-c", article_id=article_id, text=text, start=0,
                   end=len(text), position=0, sentences=[(0, len(text))], speakers=[[]], source=source)


def answer(text: str, passages: list[Passage], cites: list[tuple[str, str]] = (), abstained: bool = False) -> Answer:
    citations = [Citation(i, a, "", "", "", "", q, 0, len(q), f"{a}-c") for i, (a, q) in enumerate(cites, 1)]
    return Answer(question="q", text=text, citations=citations, abstained=abstained, passages=passages)


def test_fold_and_contains() -> None:
    assert fold("“Squid Game”!") == "squid game"
    assert contains_any("Netflix renewed “Squid Game” today", ["\"Squid Game\""])
    assert contains_any("demands for security guarantees", ["security guarantee"])
    assert not contains_any("nothing here", ["Europe"])


def test_metrics_known_values() -> None:
    qs = [
        EvalQuestion("1", "q1", answers=["Paris"], doc_ids=["A"]),
        EvalQuestion("2", "q2", answers=["42"], doc_ids=["B"]),
        EvalQuestion("3", "q3", answers=["blue"], doc_ids=["C"], evidence=["sky is blue"]),
        EvalQuestion("4", "q4", answerable=False),
        EvalQuestion("5", "q5", answerable=False),
    ]
    p = passage
    rows = [
        # gold at rank 1, right answer, one good citation
        judge(qs[0], answer("It is Paris [1].", [p("A"), p("X")], [("A", "Paris it is.")]), {}, 10.0),
        # gold at rank 3 (hit@4, not hit@1), wrong answer, citation to a wrong article
        judge(qs[1], answer("It is 41 [1].", [p("X"), p("Y"), p("B")], [("X", "41")]), {}, 20.0),
        # gold at rank 5: hit@10 only; the answerer abstained (a false abstention)
        judge(qs[2], answer("not covered", [p("X"), p("Y"), p("Z"), p("W"), p("C")], abstained=True), {}, 30.0),
        judge(qs[3], answer("not covered", [p("X")], abstained=True), {}, 40.0),
        judge(qs[4], answer("made up [1]", [p("X")], [("X", "x")]), {}, 50.0),
    ]
    m = summarize(rows, qs, ingest_seconds=1.234)
    assert list(m) == METRIC_KEYS
    assert m["questions"] == 5
    assert m["hit@1"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["hit@4"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["hit@10"] == 1.0
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3 + 1 / 5) / 3, abs=1e-4)
    assert m["answer_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["answer_accuracy_when_first"] == 1.0  # the one question whose gold article led was answered
    assert m["citation_precision"] == pytest.approx(1 / 3, abs=1e-4)  # 1 good of 3 citations
    assert m["abstention_accuracy"] == 0.5
    assert m["false_abstention_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["ingest_seconds"] == 1.23
    assert m["query_ms_p50"] == 30.0 and m["query_ms_p95"] == 50.0


def test_hedged_answers_and_the_calibration_of_the_confidence_are_measured() -> None:
    q = EvalQuestion("1", "q", answers=["Paris"], doc_ids=["A"])

    def judged(text: str, confidence: float, hedged: bool = False, abstained: bool = False,
               answerer: str = "extractive") -> Row:
        a = answer(text, [passage("A")], [] if abstained else [("A", text)], abstained=abstained)
        a.support, a.hedged, a.answerer = confidence, hedged, answerer
        return judge(q, a, {}, 1.0)

    # ten answers at 0.85 (eight right: as calibrated would say 8.5), four hedged at 0.3 (one right)
    rows = [judged("Paris" if i < 8 else "Lyon", 0.85) for i in range(10)]
    rows += [judged("Paris" if i == 0 else "Lyon", 0.3, hedged=True) for i in range(4)]
    rows += [judged("not covered", 0.1, abstained=True), judged("Paris, the metadata says", 0.0, answerer="engine")]
    m = summarize(rows, [q] * len(rows), 0.0)
    assert m["hedged"] == pytest.approx(4 / 16, abs=1e-4) and m["answer_accuracy_hedged"] == 0.25
    # |8.5 - 8| + |1.2 - 1| over the 14 extractive answers that were not abstentions
    assert m["calibration_error"] == pytest.approx((0.5 + 0.2) / 14, abs=1e-4)
    bands = breakdown(rows, [q] * len(rows))["by_confidence"]
    assert bands == {"0.3-0.4": {"questions": 4, "confidence": 0.3, "answer_accuracy": 0.25},
                     "0.8-0.9": {"questions": 10, "confidence": 0.85, "answer_accuracy": 0.8}}


def test_questions_are_grouped_by_how_old_their_right_pages_are() -> None:
    days = {"week": date(2024, 3, 1), "month": date(2024, 2, 4), "old": date(2021, 5, 5), "later": date(2024, 4, 1)}
    asked = date(2024, 3, 5)

    def pages(*ids: str, when: date | None = asked) -> str:
        return named_pages(EvalQuestion("q", "q", answers=["x"], doc_ids=list(ids), question_date=when), days.get)

    assert pages("old", "week") == "within 30 days" and pages("month") == "within 30 days"  # 30 days back counts
    assert pages("old") == "older"
    assert pages("later") == "" and pages("missing") == "" and pages("week", when=None) == ""  # cannot tell
    q = EvalQuestion("1", "q", answers=["Paris"], doc_ids=["A"])
    rows = [replace(judge(q, answer("Paris", [passage("A")]), {}, 1.0), pages=p) for p in ("older", "older", "")]
    assert breakdown(rows, [q] * 3)["by_named_pages"] == {
        "older": {"questions": 2, "hit@1": 1.0, "answer_accuracy": 1.0, "answer_accuracy_when_first": 1.0},
        "unknown": {"questions": 1, "hit@1": 1.0, "answer_accuracy": 1.0, "answer_accuracy_when_first": 1.0}}


def test_citation_needs_evidence_when_given() -> None:
    q = EvalQuestion("1", "q", answers=["blue"], doc_ids=["C"], evidence=["the sky is blue"])
    good = judge(q, answer("blue [1]", [p := passage("C")], [("C", "Today the sky is blue.")]), {p.chunk_id: p}, 1)
    bad = judge(q, answer("blue [1]", [p], [("C", "Grass is green.")]), {}, 1)
    assert (good.good_citations, bad.good_citations) == (1, 0)


def test_doc_id_matches_source_stem() -> None:
    q = EvalQuestion("1", "q", answers=["x"], doc_ids=["000_abc"])
    row = judge(q, answer("x", [passage("/some/path/000_abc.txt")]), {}, 1)
    assert row.rank == 1


def test_no_unanswerable_questions_gives_null() -> None:
    qs = [EvalQuestion("1", "q", answers=["x"], doc_ids=["A"])]
    m = summarize([judge(qs[0], answer("x [1]", [passage("A")], [("A", "x")]), {}, 1)], qs, 0)
    assert m["abstention_accuracy"] is None and m["false_abstention_rate"] == 0.0


def test_load_questions_errors(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "Q?", "evidence": "one summary"}) + "\n{bad\n")
    with pytest.raises(InputError, match=r"q.jsonl:2"):
        load_questions(path)
    path.write_text(json.dumps({"id": "a", "question": "Q?", "evidence": "one summary"}) + "\n")
    [q] = load_questions(path)
    assert q.evidence == [] and q.answerable  # a summary string is not a substring test
    with pytest.raises(InputError, match="does not exist"):
        load_questions(tmp_path / "none.jsonl")


@pytest.mark.parametrize(("text", "gold"), [
    ("The bill came to $12,600,000 in all.", "$12.6 million"),
    ("The bill came to $12.6 million.", "$12,600,000"),
    ("Prices rose 50 percent.", "50%"),
    ("Prices rose 50 per cent.", "50%"),
    ("The vote is on Sept. 8, officials said.", "September 8"),
    ("The vote is on September 8.", "Sept. 8"),
    ("They recalled more than two million swings.", "2 million"),
    ("Self-service is banned in New Jersey and Oregon.", "New Jersey & Oregon"),
    ("It reached $5 a gallon.", "$5"),
    ("Drivers may not pump gas in New Jersey. Oregon has a ban too.", "New Jersey & Oregon"),
    ("The uncrewed Artemis I will launch this month.", "Artemis 1"),
    ("After World War 2 the city was rebuilt.", "World War II"),
    ("KFC is trying out a new type of chicken nugget.", "Chicken nuggets"),
])
def test_the_matcher_reads_numbers_dates_and_lists_alike(text: str, gold: str) -> None:
    assert contains_any(text, [gold])


@pytest.mark.parametrize(("text", "gold"), [
    ("The bill came to $1.26 million.", "$12.6 million"),
    ("The bill came to $126 million.", "$12.6 million"),
    ("Prices rose 5%.", "50%"),
    ("Prices rose 150 percent.", "50%"),
    ("The vote is on September 18.", "Sept. 8"),
    ("About 150 people came.", "15"),
    ("About 1.5 million people came.", "15 million"),
    ("It reached $5.25 a gallon.", "$5"),
    ("It recalled 29 million cars.", "2.9 million"),
    ("The crewed Artemis II flies next year.", "Artemis 1"),
    ("Only New Jersey bans it.", "New Jersey & Oregon"),
    ("Then I said no.", "Then 2"),
    ("The shop sold chicken nuggetry.", "Chicken nuggets"),
])
def test_different_numbers_never_match(text: str, gold: str) -> None:
    assert not contains_any(text, [gold])


def test_the_breakdown_is_per_question_source_and_per_answer_type() -> None:
    qs = [EvalQuestion("1", "Who won the race?", answers=["Ana"], doc_ids=["A"], source="CNN"),
          EvalQuestion("2", "How many people came?", answers=["40"], doc_ids=["B"], source="CNN"),
          EvalQuestion("3", "Who lost the race?", answers=["Bo"], doc_ids=["C"], source="THE WEEK")]
    rows = [judge(qs[0], answer("Ana won [1].", [passage("A")]), {}, 1.0),
            judge(qs[1], answer("41 came [1].", [passage("B")]), {}, 1.0),
            judge(qs[2], answer("Cy lost [1].", [passage("X"), passage("C")]), {}, 1.0)]
    parts = breakdown(rows, qs)
    assert parts["by_source"]["CNN"] == {"questions": 2, "hit@1": 1.0, "answer_accuracy": 0.5,
                                         "answer_accuracy_when_first": 0.5}
    assert parts["by_source"]["THE WEEK"]["hit@1"] == 0.0
    assert parts["by_source"]["THE WEEK"]["answer_accuracy_when_first"] is None  # its gold was never first
    assert parts["by_answer_type"]["person"]["questions"] == 2 and parts["by_answer_type"]["number"]["answer_accuracy"] == 0.0
    assert list(parts["by_source"]) == ["CNN", "THE WEEK"]  # largest group first


def test_a_question_record_keeps_its_source(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "1", "question": "Who won?", "answers": ["Ana"], "source": "CNN"}) + "\n")
    assert load_questions(path)[0].source == "CNN"


def test_the_bold_lead_is_judged_apart_from_the_answer() -> None:
    """A right sentence under a wrong bold span is a right answer and a wrong lead; no span shown
    is neither right nor wrong for precision; "Reports differ" is judged on both answers it names."""
    qs = [EvalQuestion(str(n), f"q{n}", answers=["Squid Game"]) for n in range(4)]
    said = "Netflix renewed the South Korean show Squid Game [1]."

    def led(text: str, lead: str) -> Answer:
        return Answer(question="q", text=text, citations=[], abstained=False, passages=[], lead=lead)

    rows = [
        judge(qs[0], led(f"Squid Game — {said}", "Squid Game"), {}, 1.0),
        judge(qs[1], led(f"South Korean — {said}", "South Korean"), {}, 1.0),
        judge(qs[2], led(said, ""), {}, 1.0),
        judge(qs[3], led(f"Reports differ: Squid Game [1]; Hellbound [2]. — {said}", "Reports differ"), {}, 1.0),
    ]
    assert [r.correct for r in rows] == [True, True, True, True]
    assert [r.lead for r in rows] == [True, False, None, True]
    m = summarize(rows, qs, 0.0)
    assert m["answer_accuracy"] == 1.0
    assert m["lead_accuracy"] == 0.5  # 2 of 4 answers lead with the answer
    assert m["lead_precision"] == pytest.approx(2 / 3, abs=1e-4)  # of the 3 that show a lead


def test_the_first_article_is_also_judged_on_its_whole_text() -> None:
    """A set may name right only the pages of the question's own search: a first article that is
    not named but states the answer counts for ``first_states_answer``, not for hit@1; without
    the articles' text nothing is judged."""
    qs = [EvalQuestion(str(n), "Which team won the final?", answers=["Harbour Rovers"], doc_ids=["named"])
          for n in range(3)]
    texts = {"named": "Harbour Rovers won.", "other-outlet": "The final went to Harbour Rovers on Sunday.",
             "preview": "The final is on Sunday."}

    def text_of(p: Passage) -> str:
        return texts[p.article_id]

    rows = [judge(q, answer("Somebody won [1].", [passage(first)]), {}, 1.0, text_of)
            for q, first in zip(qs, ("named", "other-outlet", "preview"))]
    assert [r.rank for r in rows] == [1, None, None]
    assert [r.states for r in rows] == [True, True, False]
    m = summarize(rows, qs, 0.0)
    assert m["hit@1"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["first_states_answer"] == pytest.approx(2 / 3, abs=1e-4)
    assert summarize([judge(qs[0], answer("x", [passage("named")]), {}, 1.0)], qs[:1], 0.0)["first_states_answer"] is None


def test_the_engine_reads_an_articles_whole_stored_text(seeded: Engine) -> None:
    top = seeded.search("What did Zelensky say about minor incursions?", 1)[0]
    whole = seeded.article_text(top)
    assert top.text in whole and top.title in whole
    assert len(whole) > 3 * len(top.text)  # every chunk of the seed article, not the one that matched
