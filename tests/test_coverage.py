"""A store asked about news it never reported says so: the answer model's coverage withholds an
answer the articles are not about, on the real embedding model and a real store, and the eval
counts it (``--off-corpus``)."""

from __future__ import annotations

import pytest

from bot.answering.extractive import OFF_SUBJECT, UNSURE
from bot.engine import Engine, EvalQuestion, off_corpus_questions
from bot.measure.evaluate import Row, summarize

OFF_TOPIC = ["Which band released a new album?", "Who won the world cup?", "How many people died in the earthquake?"]
ON_TOPIC = {"What did Lavrov demand?": "security guarantees", "Where did Blinken and Lavrov hold their talks?": "Geneva",
            "How many troops has Russia massed near Ukraine's border?": "127,000"}


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_a_question_the_article_is_not_about_is_withheld(seeded: Engine, question: str) -> None:
    answer = seeded.ask(question)
    assert answer.abstained and not answer.citations, answer.text
    assert answer.covered is not None and answer.covered < seeded.settings.cover_threshold
    assert answer.to_dict()["covered"] == round(answer.covered, 4)
    unguarded = seeded.configured(cover_threshold=0.0).ask(question)
    assert not unguarded.abstained  # what the coverage prevents: an answer from the only article there is


@pytest.mark.parametrize(("question", "said"), ON_TOPIC.items())
def test_questions_the_article_is_about_are_still_answered(seeded: Engine, question: str, said: str) -> None:
    answer = seeded.ask(question)
    assert not answer.abstained and not answer.hedged and said in answer.text
    assert answer.covered is not None and answer.covered >= seeded.settings.cover_hedge_threshold


def test_between_the_two_thresholds_an_answer_is_hedged(seeded: Engine) -> None:
    question = "What did Lavrov demand?"  # about the article, in few words: its coverage is low
    covered = seeded.ask(question).covered
    assert covered is not None
    doubtful = seeded.configured(cover_hedge_threshold=covered + 0.01).ask(question)
    assert doubtful.hedged and not doubtful.abstained and "security guarantees" in doubtful.text
    assert not doubtful.lead
    assert doubtful.notice == OFF_SUBJECT  # says why: not "low confidence", the articles may be about other news
    unsure = seeded.configured(hedge_threshold=0.99).ask(question)
    assert unsure.hedged and unsure.notice == UNSURE


def test_off_corpus_questions_count_as_ones_to_abstain_on() -> None:
    asked = [EvalQuestion(id="1", question="Who won?", answers=["Spain"], doc_ids=["a"]),
             EvalQuestion(id="2", question="Which band?", answers=["Blur"], doc_ids=["b"])]
    off = off_corpus_questions(asked)
    assert [q.answerable for q in off] == [False, False] and all(not q.doc_ids and not q.answers for q in off)
    rows = [Row("1", "Who won?", None, "The articles I have do not cover this.", None, True, 0, 0, 5.0),
            Row("2", "Which band?", None, "Blur — ...", None, False, 1, 0, 5.0)]
    m = summarize(rows, off, 0.0)
    assert m["abstention_accuracy"] == 0.5 and m["unanswerable_asserted"] == 0.5
    hedged = [rows[0], Row("2", "Which band?", None, "The closest report ...", None, False, 1, 0, 5.0, hedged=True)]
    assert summarize(hedged, off, 0.0)["unanswerable_asserted"] == 0.0  # said, not asserted



def test_the_trial_answers_the_answer_command_fits_on_are_never_withheld_or_hedged(seeded: Engine) -> None:
    from datetime import date

    from bot.answering.extractive import HEDGE

    strict = seeded.configured(cover_threshold=1.0, cover_hedge_threshold=1.0)
    assert strict.ask("What did Lavrov demand?").abstained  # the settings would withhold it ...
    given = strict.answering_input("What did Lavrov demand?", date(2026, 12, 4))
    assert given is not None
    trial = strict.trial_answer(*given, strict.scorer.model)
    assert "security guarantees" in trial.text and not trial.text.startswith(HEDGE)  # ... the trial gives it
    assert 0 < trial.closest <= 1 and 0 < trial.words <= 1


def test_a_store_knows_how_close_unrelated_questions_come_and_remembers_it(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval.index.store import Store

    unrelated = seeded.unrelated_closeness()
    assert unrelated is not None and 0 < unrelated < 0.3  # one article on diplomacy: everyday news finds little
    known = seeded.ask("What did Lavrov demand?").covered
    monkeypatch.setattr(Engine, "unrelated_closeness", lambda self: None)
    unknown = seeded.configured().ask("What did Lavrov demand?").covered
    assert known is not None and unknown is not None and known > unknown  # read against the store, it is nearer
    monkeypatch.undo()
    again = seeded.configured()  # another process: the measure is read back, not taken again
    monkeypatch.setattr(Store, "nearest", lambda *a, **k: pytest.fail("measured again"))
    assert again.unrelated_closeness() == unrelated
    monkeypatch.undo()
    seeded.ingest([str(_other_news(seeded))])  # a write: a new generation, measured again
    assert seeded.unrelated_closeness() != unrelated


def _other_news(engine: Engine) -> object:
    path = engine.settings.home / "sport.txt"
    path.write_text("Harbour City won the championship game\n\nHarbour City won the basketball championship game on "
                    "Sunday, beating the Rivertown Rockets 101-99 after a last-second shot by guard Mia Torres.\n",
                    encoding="utf-8")
    return path
