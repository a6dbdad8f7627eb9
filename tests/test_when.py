"""Date phrases in questions, read relative to the as-of day into a window of days (pure: no store)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answering.when import (
    all_before,
    all_past,
    long_ago,
    news_since,
    predates,
    read_dates,
    reports_since,
    undated,
)

AS_OF = date(2022, 6, 16)  # a Thursday


@pytest.mark.parametrize(("question", "since", "until"), [
    ("Who won the vote this week?", date(2022, 6, 10), AS_OF),
    ("What did she say last week?", date(2022, 6, 3), date(2022, 6, 9)),
    ("What happened yesterday in Kyiv?", date(2022, 6, 15), date(2022, 6, 15)),
    ("What did the council decide this month?", date(2022, 6, 1), AS_OF),
    ("Who resigned in March 2022?", date(2022, 3, 1), date(2022, 3, 31)),
    ("Who resigned in December?", date(2021, 12, 1), date(2021, 12, 31)),  # the last December before as-of
    ("What was decided in 2021?", date(2021, 1, 1), date(2021, 12, 31)),
    ("How many have died since June?", date(2022, 6, 1), AS_OF),
    ("What was agreed before March 2022?", None, date(2022, 2, 28)),
    ("What changed after April 2022?", date(2022, 5, 1), AS_OF),
    ("What was said on June 5?", date(2022, 6, 5), date(2022, 6, 5)),
    ("Who spoke in the past three weeks?", date(2022, 5, 27), AS_OF),
    ("Which team won the 2021 Stanley Cup Finals?", date(2021, 1, 1), date(2021, 12, 31)),  # the year of an event
])
def test_date_phrases_are_read_relative_to_the_as_of_day(question: str, since: date | None, until: date) -> None:
    reading = read_dates(question, AS_OF)
    assert reading is not None and (reading.since, reading.until) == (since, until)


def test_an_events_year_is_a_soft_window() -> None:
    reading = read_dates("Which team won the 2021 Stanley Cup Finals?", AS_OF)
    assert reading is not None and not reading.exact  # a timeline of it is not cut at the year's end
    assert read_dates("What was decided in 2021?", AS_OF).exact  # type: ignore[union-attr]


@pytest.mark.parametrize("question", ["What did Lavrov demand?", "Who will win in 2030?", "Who hosts the 2030 Games?",
                                      "May the council vote on it?", "How many people live in Marchmont?"])
def test_questions_without_a_readable_past_date_have_no_window(question: str) -> None:
    assert read_dates(question, AS_OF) is None


def test_the_reading_says_how_it_was_read() -> None:
    reading = read_dates("Who won the vote this week?", AS_OF)
    assert reading is not None and "this week" in reading.describe() and "2022-06-10" in reading.describe()


def test_reports_that_all_predate_the_named_window_are_flagged() -> None:
    week = read_dates("Who won the vote this week?", AS_OF)
    notice = predates(week, [date(2020, 11, 30), date(2021, 3, 2)])
    assert "“this week” (2022-06-10 to 2022-06-16)" in notice and "the newest is from 2021-03-02" in notice
    assert predates(week, [date(2020, 11, 30), date(2022, 6, 12)]) == ""  # one report is this week's
    assert predates(week, [date(2020, 11, 30), None]) == ""  # an undated report may be
    assert predates(week, []) == ""  # nothing cited (an abstention)
    assert predates(None, [date(2020, 11, 30)]) == ""  # no date named
    assert predates(read_dates("What was agreed before March 2022?", AS_OF), [date(2019, 1, 1)]) == ""
    event = read_dates("Which team won the 2021 Stanley Cup Finals?", AS_OF)
    assert predates(event, [date(2020, 12, 1)]) == ""  # a preview of an event is a report of it
    assert predates(read_dates("What changed after April 2022?", AS_OF), [date(2022, 4, 20)]).startswith("No cited")


def test_the_window_an_answer_is_weighed_against_is_the_one_that_bounds_the_reports() -> None:
    assert reports_since(read_dates("Who won the vote this week?", AS_OF)) == date(2022, 6, 10)
    assert reports_since(read_dates("What changed since June?", AS_OF)) == date(2022, 6, 1)
    assert reports_since(read_dates("What was agreed before March 2022?", AS_OF)) is None  # no first day
    assert reports_since(read_dates("Which team won the 2021 Stanley Cup Finals?", AS_OF)) is None  # an event's year
    assert reports_since(None) is None
    since = date(2022, 6, 10)
    assert all_before(since, [date(2021, 1, 1), date(2022, 6, 9)])
    assert not all_before(since, [date(2021, 1, 1), date(2022, 6, 10)])  # the window's first day is inside it
    assert not all_before(since, [date(2021, 1, 1), None]) and not all_before(since, []) and not all_before(None, [date(2021, 1, 1)])


def test_a_question_naming_no_time_knows_where_old_news_ends() -> None:
    question = "Who won the NBA Finals?"
    assert news_since(question, None, AS_OF, 365) == date(2021, 6, 16)  # a year before the latest news stored
    assert news_since("Who won the 2018 NBA Finals?", None, AS_OF, 365) is None  # it asks about that year
    week = read_dates("Who won the vote this week?", AS_OF)
    assert news_since("Who won the vote this week?", week, AS_OF, 365) is None  # ``predates``' job
    assert news_since(question, None, None, 365) is None  # nothing dated stored
    assert news_since(question, None, AS_OF, 0) is None  # switched off


def test_an_answer_only_old_news_gives_says_so_against_the_latest_news_stored() -> None:
    since = date(2021, 6, 16)
    notice = long_ago(since, [date(2020, 12, 15), date(2019, 6, 1)], AS_OF)
    assert notice == ("The newest cited report is from 2020-12-15, over a year older than the latest news stored "
                      "(2022-06-16); newer reports may say otherwise.")
    assert "about 3 years older" in long_ago(since, [date(2019, 6, 1)], AS_OF)
    assert "5 months older" in long_ago(date(2022, 3, 18), [date(2022, 1, 10)], AS_OF)
    assert long_ago(since, [date(2020, 12, 15), date(2022, 6, 1)], AS_OF) == ""  # one is recent
    assert long_ago(since, [date(2020, 12, 15), None], AS_OF) == ""  # an undated report may be new
    assert long_ago(since, [], AS_OF) == ""  # nothing cited
    assert long_ago(None, [date(2020, 12, 15)], AS_OF) == ""  # no old news for this question


def test_reports_without_a_date_asked_about_a_window_are_flagged() -> None:
    week = read_dates("Who won the vote this week?", AS_OF)
    assert undated(week, [None]) == ("The cited report carries no date, so whether it tells of “this week” "
                                     "(2022-06-10 to 2022-06-16) cannot be known; this may be older news.")
    assert undated(week, [None, None]).startswith("No cited report carries a date, so whether they tell")
    mixed = undated(week, [date(2021, 3, 2), None, date(2020, 11, 30)])
    assert "1 of the 3 carries no date" in mixed and "the newest dated one is from 2021-03-02" in mixed
    assert undated(week, [None, date(2022, 6, 12)]) == ""  # a report is dated this week
    assert undated(week, [None, date(2022, 6, 20)]) == ""  # or after it: it may tell of the week
    assert undated(week, [date(2021, 3, 2)]) == ""  # all dated: ``predates`` speaks
    assert undated(None, [None]) == "" and undated(week, []) == ""
    assert undated(read_dates("Which team won the 2021 Stanley Cup Finals?", AS_OF), [None]) == ""  # an event's year


def test_a_day_to_come_asked_for_is_said_to_be_past_only_when_every_day_quoted_is() -> None:
    asked = date(2024, 8, 1)
    eclipse = [("The next one viewable from the contiguous U.S. will be on Aug. 23, 2044.", date(2024, 4, 8))]
    primary = [("April 29: Early voting begins for the Georgia primary election.", date(2024, 3, 1)),
               ("The runoff is in June 2024.", date(2024, 3, 1))]
    assert all_past(True, asked, eclipse) == ""
    assert all_past(True, asked, primary).startswith("Every day the cited reports give is before 2024-08-01")
    assert all_past(False, asked, primary) == ""  # a question about the past
    assert all_past(True, asked, [("Voting begins soon, officials said.", date(2024, 3, 1))]) == ""  # no day given
    # a weekday is read against its report's day and the sentence's tense
    assert all_past(True, asked, [("The polls will open Monday.", date(2024, 3, 1))]) != ""
    assert all_past(True, asked, [("The polls will open Monday.", date(2024, 7, 31))]) == ""
