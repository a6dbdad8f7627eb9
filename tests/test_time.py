"""Time-aware answers: as-of cut-offs, the recency prior, dates named in questions, the newest
figure first, and question dates in the eval."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.engine import ANSWER_OLD_NEWS, ANSWER_WEIGHTS, Engine, EvalQuestion, InputError
from retrieval.index.embeddings import Embedder
from tests.conftest import ingested, make_engine

STORY = [
    {"id": "toll-early", "title": "Flood in Riverton", "published": "2022-03-01", "outlet": "Valley News",
     "text": "Floods in Riverton have killed 10 people, the regional governor said on Tuesday. "
             "Rescue teams are searching the flooded districts near the river."},
    {"id": "toll-late", "title": "Riverton flood toll rises", "published": "2022-03-08", "outlet": "Valley News",
     "text": "Floods in Riverton have killed 25 people, the regional governor said on Tuesday. "
             "Rescue teams are still searching the flooded districts near the river."},
    {"id": "lighthouse", "title": "Old lighthouse restored", "published": "2019-05-02", "outlet": "Coast Weekly",
     "text": "The Kestrel Point lighthouse, built in 1868, reopened after a restoration by volunteer "
             "masons who replaced its granite steps."},
    {"id": "undated", "title": "Ferry timetable", "text": "The island ferry now leaves the harbour at seven "
                                                            "in the morning on weekdays, the operator said."},
    {"id": "budget-march", "title": "Riverton council passes budget", "published": "2022-03-15",
     "outlet": "Valley News", "text": "The Riverton council approved a budget that funds two new bus lines "
                                      "and a library extension, the mayor said."},
    {"id": "budget-june", "title": "Riverton council revises budget", "published": "2022-06-20",
     "outlet": "Valley News", "text": "The Riverton council approved a revised budget that cuts the library "
                                      "extension and adds flood barriers, the mayor said."},
] + [
    {"id": f"fresh-{i}", "title": f"Market report {i}", "published": "2022-03-08", "outlet": "Valley News",
     "text": f"Vegetable prices at the Riverton market rose by {i} percent this week, traders said on Monday."}
    for i in range(6)
]


@pytest.fixture
def news(home: Path, embedder: Embedder, tmp_path: Path) -> Engine:
    path = tmp_path / "story.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in STORY) + "\n")
    engine = make_engine(home, embedder)
    engine.ingest([str(path)])
    return engine


def cited(engine: Engine, question: str, as_of: date | None) -> list[str]:
    return [c.article_id for c in engine.ask(question, as_of=as_of).citations]


def test_articles_after_the_as_of_day_do_not_exist(news: Engine) -> None:
    answer = news.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 5))
    assert answer.as_of == "2022-03-05" and answer.to_dict()["as_of"] == "2022-03-05"
    assert all(p.article_id != "toll-late" and not p.article_id.startswith("fresh") for p in answer.passages)
    assert "10 people" in answer.text
    assert "ferry" in news.ask("When does the island ferry leave?", as_of=date(2000, 1, 1)).text  # undated stays


def test_the_latest_report_wins_when_both_exist(news: Engine) -> None:
    assert cited(news, "How many people have the Riverton floods killed?", date(2022, 3, 9))[0] == "toll-late"
    blind = news.configured(recency_weight=0.0)
    ranked = [p.article_id for p in blind.search("How many people have the Riverton floods killed?", 2)]
    assert set(ranked) == {"toll-early", "toll-late"}  # without the prior both are close calls


def test_an_old_article_that_is_the_only_match_still_wins(news: Engine) -> None:
    assert cited(news, "Who restored the Kestrel Point lighthouse?", date(2022, 3, 9))[0] == "lighthouse"


def test_default_as_of_is_today(news: Engine) -> None:
    assert news.ask("How many people have the Riverton floods killed?").as_of == date.today().isoformat()


def test_eval_asks_as_of_the_question_date_unless_date_blind(news: Engine) -> None:
    q = EvalQuestion(id="q", question="How many people have the Riverton floods killed?", answers=["25"],
                 doc_ids=["toll-late"], question_date=date(2022, 3, 5))
    dated = news.evaluate([q]).rows[0]
    assert dated.rank is None and dated.correct is False  # the 25 report did not exist yet
    blind = news.evaluate([q], date_blind=True).rows[0]
    assert blind.rank is not None


def test_unreadable_as_of_is_one_line() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        Engine.day("next tuesday-ish")


def test_this_week_prefers_the_weeks_articles(news: Engine) -> None:
    content_only = news.configured(recency_weight=0.0)  # so only the phrase can tell the reports apart
    question = "How many people have the Riverton floods killed this week?"
    answer = content_only.ask(question, as_of=date(2022, 3, 9))
    assert answer.dates == "“this week” → 2022-03-03 … 2022-03-09"
    assert answer.to_dict()["dates"] == answer.dates
    assert answer.passages[0].article_id == "toll-late"
    without = content_only.configured(date_window_weight=0.0).ask(question, as_of=date(2022, 3, 9))
    assert without.dates == "“this week” → 2022-03-03 … 2022-03-09"  # read, but not used
    assert {p.article_id for p in without.passages[:2]} == {"toll-early", "toll-late"}


def test_a_named_month_beats_the_recency_prior(news: Engine) -> None:
    as_of = date(2022, 6, 30)
    assert cited(news, "What did the Riverton council approve?", as_of)[0] == "budget-june"
    answer = news.ask("What did the Riverton council approve in March 2022?", as_of=as_of)
    assert answer.citations[0].article_id == "budget-march"
    assert "bus lines" in answer.text


def test_an_answer_from_reports_older_than_the_named_window_says_so(news: Engine) -> None:
    question = "What did the Riverton council approve this week?"
    stale = news.ask(question, as_of=date(2022, 6, 30))  # the newest budget report is from 2022-06-20
    assert stale.citations and stale.citations[0].article_id == "budget-june"
    assert stale.notice.startswith("No cited report falls in “this week” (2022-06-24 to 2022-06-30)")
    assert "2022-06-20" in stale.to_dict()["notice"]
    assert news.ask(question, as_of=date(2022, 6, 22)).notice == ""  # that week's report
    assert news.ask("What did the Riverton council approve?", as_of=date(2022, 6, 30)).notice == ""  # no window
    hedged = news.configured(hedge_threshold=0.99).ask(question, as_of=date(2022, 6, 30))
    assert hedged.notice.startswith("Low confidence") and "; no cited report falls in “this week”" in hedged.notice
    # the window counts against the answer's confidence only when no cited report falls in it
    within = news.ask("What did the Riverton council approve in June 2022?", as_of=date(2022, 6, 30))
    assert within.citations[0].article_id == "budget-june" and within.notice == ""
    assert stale.support < within.support
    between = news.configured(hedge_threshold=(stale.support + within.support) / 2)
    doubtful = between.ask(question, as_of=date(2022, 6, 30))
    assert doubtful.text.startswith("The closest report may not answer") and doubtful.to_dict()["hedged"] is True
    assert not between.ask("What did the Riverton council approve in June 2022?", as_of=date(2022, 6, 30)).notice


def test_an_answer_from_undated_reports_asked_about_a_window_says_their_date_is_unknown(news: Engine) -> None:
    question = "When does the island ferry leave the harbour this week?"
    asked = news.ask(question, as_of=date(2022, 6, 30))
    assert [c.article_id for c in asked.citations] == ["undated"] and "seven" in asked.text
    assert asked.notice.lower().endswith(  # after a low-confidence warning when the model is unsure
        "the cited report carries no date, so whether it tells of “this week” (2022-06-24 to 2022-06-30) cannot be "
        "known; this may be older news.")
    assert not asked.to_dict()["older_than_window"]  # not counted as older: its day is unknown
    assert "no date" not in news.ask("When does the island ferry leave the harbour?", as_of=date(2022, 6, 30)).notice


def test_the_latest_on_a_story_gives_its_newest_reports_first(news: Engine) -> None:
    latest = news.ask("What's the latest on the Riverton floods?", as_of=date(2022, 3, 10))
    assert latest.answerer == "latest" and not latest.abstained
    assert latest.text.startswith("2022-03-08: “") and latest.citations[0].n == 1
    days = [c.published for c in latest.citations]
    assert days == sorted(days, reverse=True) and len(days) <= 3  # newest first, a few
    cited = [c.article_id for c in latest.citations]
    assert "toll-late" in cited and cited.index("toll-late") < cited.index("toll-early")
    assert "[1]" in latest.text and all(f"[{c.n}]" in latest.text for c in latest.citations)
    before = news.ask("What's the latest on the Riverton floods?", as_of=date(2022, 3, 5))
    assert before.citations[0].article_id == "toll-early"  # as of then, the first report was the latest
    nothing = news.ask("What's the latest on the Atlantis volcano?", as_of=date(2022, 3, 10))
    assert nothing.abstained and nothing.answerer != "latest"  # no story: searched, and not covered


def test_the_eval_counts_answers_older_than_their_window_and_how_often_they_are_right(news: Engine) -> None:
    stale = EvalQuestion(id="stale", question="What did the Riverton council approve this week?",
                         answers=["flood barriers"], doc_ids=["budget-june"], question_date=date(2022, 6, 30))
    fresh = EvalQuestion(id="fresh", question="What did the Riverton council approve this week?",
                         answers=["flood barriers"], doc_ids=["budget-june"], question_date=date(2022, 6, 22))
    result = news.evaluate([stale, fresh])
    assert [r.older for r in result.rows] == [True, False]
    assert result.metrics["older_than_window"] == 0.5
    assert result.metrics["answer_accuracy_older_than_window"] == (1.0 if result.rows[0].correct else 0.0)
    assert news.ask(stale.question, as_of=date(2022, 6, 30)).to_dict()["older_than_window"] is True


def test_an_answer_only_reports_older_than_the_latest_news_give_says_so(news: Engine, tmp_path: Path) -> None:
    question = "When was the Kestrel Point lighthouse built?"
    old = news.ask(question, as_of=date(2022, 6, 30))  # the store's latest news is of 2022-06-20
    assert old.citations and {c.article_id for c in old.citations} == {"lighthouse"}
    assert old.notice == ("The newest cited report is from 2019-05-02, about 3 years older than the latest news "
                          "stored (2022-06-20); newer reports may say otherwise.")
    assert old.to_dict()["old_news"] is True and "1868" in old.text
    assert news.ask(question, as_of=date(2019, 6, 1)).notice == ""  # then, it was the latest news
    assert news.configured(old_news_days=0).ask(question, as_of=date(2022, 6, 30)).notice == ""
    assert news.ask("What did the Riverton council approve?", as_of=date(2022, 6, 30)).notice == ""  # recent
    # its confidence counts it, by the weights file's term: hedged, and nothing in bold, when the term is large
    weights = json.loads(ANSWER_WEIGHTS.read_text())
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**weights, ANSWER_OLD_NEWS: -20.0}))
    doubted = news.configured(answer_weights=path)
    hedged = doubted.ask(question, as_of=date(2022, 6, 30))
    assert hedged.hedged and hedged.text.startswith("The closest report may not answer") and hedged.lead == ""
    assert hedged.support < 0.01 < old.support
    assert not doubted.ask(question, as_of=date(2019, 6, 1)).hedged  # then, it was the latest news
    rows = news.evaluate([EvalQuestion(id="old", question=question, answers=["1868"], doc_ids=["lighthouse"],
                                       question_date=date(2022, 6, 30))])
    assert rows.rows[0].old_news is True and rows.metrics["old_news"] == 1.0
    assert rows.metrics["answer_accuracy_old_news"] == 1.0


def test_the_eval_groups_questions_by_how_old_their_right_pages_are(news: Engine) -> None:
    question = "What did the Riverton council approve?"
    recent = EvalQuestion(id="recent", question=question, answers=["flood barriers"], doc_ids=["budget-june"],
                          question_date=date(2022, 6, 30))  # the page is ten days old
    older = EvalQuestion(id="older", question=question, answers=["bus lines"], doc_ids=["budget-march"],
                         question_date=date(2022, 6, 30))  # three months old
    result = news.evaluate([recent, older])
    assert [r.pages for r in result.rows] == ["within 30 days", "older"]
    assert set(result.breakdown()["by_named_pages"]) == {"within 30 days", "older"}


def test_a_named_day_beats_the_recency_prior(news: Engine) -> None:
    answer = news.ask("How many people had the Riverton floods killed on March 1, 2022?", as_of=date(2022, 3, 9))
    assert answer.passages[0].article_id == "toll-early"


def test_given_since_until_replace_the_phrase(news: Engine) -> None:
    filters = Engine.filters(since="2022-03-01", until="2022-03-31")
    answer = news.ask("What did the Riverton council approve this week?", filters=filters, as_of=date(2022, 6, 30))
    assert answer.dates == "" and answer.citations[0].article_id == "budget-march"


def test_the_newest_figure_leads_and_says_as_of_when(news: Engine) -> None:
    content_only = news.configured(recency_weight=0.0)
    answer = content_only.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 9))
    lead, _, rest = answer.text.removeprefix(f"{answer.lead} — " if answer.lead else "").partition("[1]")
    assert lead.startswith("As of March 8, 2022:") and "25 people" in lead and "10 people" not in lead
    assert "Earlier, on March 1, 2022:" in rest and "10 people" in rest
    assert [c.article_id for c in answer.citations] == ["toll-late", "toll-early"]
    for c in answer.citations:
        assert c.quote in next(a["text"] for a in STORY if a["id"] == c.article_id)


def test_one_report_is_not_dressed_as_a_timeline(news: Engine) -> None:
    answer = news.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 5))
    assert not answer.text.startswith("As of") and len(answer.citations) == 1


def test_why_and_verbose_show_how_the_dates_were_read(news: Engine) -> None:
    from rich.console import Console

    from bot.frontends.chat import ChatSession
    from bot.frontends.terminal import print_answer

    console = Console(record=True, width=200)
    session = ChatSession(news, None, console, console, as_of=date(2022, 3, 9))
    session.handle("How many people have the Riverton floods killed this week?")
    session.handle("/why")
    shown = console.export_text()
    assert "as of: 2022-03-09" in shown and "dates: “this week” → 2022-03-03 … 2022-03-09" in shown
    assert session.last is not None
    print_answer(console, session.last, verbose=True)
    assert "(dates: “this week” → 2022-03-03 … 2022-03-09, preferred)" in console.export_text()


def test_a_figure_from_a_report_the_story_went_on_after_says_so(home: Path, embedder: Embedder, tmp_path: Path) -> None:
    """Naming no time, a figure answered from a report the story went on after (reports that may
    give a newer figure, though the answer did not find one) carries a notice; not when the
    question names its window, nor before the later report existed."""
    story = [STORY[0],
             {"id": "rebuild", "title": "Riverton flood victims begin to rebuild", "published": "2022-03-12",
              "outlet": "Valley News", "text": "Floods in Riverton left families without homes, and volunteers "
                                               "began rebuilding the flooded districts near the river on Saturday."}]
    engine = ingested(home, embedder, tmp_path, story)
    later = engine.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 20))
    assert [c.article_id for c in later.citations] == ["toll-early"] and "10 people" in later.text
    assert "A later report of this story (the latest from 2022-03-12)" in later.notice
    before = engine.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 10))
    assert "later report" not in before.notice
    windowed = engine.ask("How many people have the Riverton floods killed this month?", as_of=date(2022, 3, 20))
    assert "later report" not in windowed.notice


def test_a_day_to_come_is_not_answered_with_one_already_past(home: Path, embedder: Embedder, tmp_path: Path) -> None:
    """Asked when something will be, a day the reports give is the answer only while it is still to
    come: asked after it, the day is not bolded and the answer says every day it quotes is past.
    (Bolded here from a chance of 0.2: the day's is about a quarter, as a learned model re-made
    puts it; the past day is left out for being past, not for its chance.)"""
    story = [{"id": "regatta", "title": "Riverton regatta set for spring", "published": "2022-03-10",
              "outlet": "Valley News", "text": "The Riverton regatta will be held on April 23, 2022, the rowing "
                                               "club said. Rowers from six towns have entered the races."}]
    engine = ingested(home, embedder, tmp_path, story, lead_threshold=0.2)
    before = engine.ask("When will the Riverton regatta be held?", as_of=date(2022, 3, 20))
    assert before.lead == "April 23, 2022" and "before" not in before.notice
    after = engine.ask("When will the Riverton regatta be held?", as_of=date(2022, 6, 1))
    assert after.citations[0].article_id == "regatta" and after.lead == ""
    assert after.notice.startswith("Every day the cited reports give is before 2022-06-01")
    past = engine.ask("When was the Riverton regatta held?", as_of=date(2022, 6, 1))
    assert "Every day" not in past.notice  # asked of the past, a past day answers it


def test_a_figure_asked_naming_no_time_is_answered_from_the_newest_report_stating_one(
        home: Path, embedder: Embedder, tmp_path: Path) -> None:
    """Naming no time, a figure asserted from an early report of a story that went on is answered
    from the story's newest later report that asserts one; the early one stays where the later did
    not exist yet. (Every span is bolded here: the lead threshold is 0.)"""
    story = [STORY[0],
             {"id": "toll-rises", "title": "Riverton flood victims begin to rebuild", "published": "2022-03-12",
              "outlet": "Valley News", "text": "Volunteers began rebuilding the flooded districts near the river on "
                                               "Saturday. The toll from the Riverton floods now stands at 31 dead, "
                                               "officials said."}]
    engine = ingested(home, embedder, tmp_path, story, lead_threshold=0.0)
    later = engine.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 20))
    assert later.lead == "31" and [c.article_id for c in later.citations] == ["toll-rises"]
    assert later.notice.startswith("The best match (2022-03-01) gave 10; the newest report of its story giving a "
                                   "figure (2022-03-12) answers.")
    before = engine.ask("How many people have the Riverton floods killed?", as_of=date(2022, 3, 10))
    assert [c.article_id for c in before.citations] == ["toll-early"] and "10 people" in before.text
