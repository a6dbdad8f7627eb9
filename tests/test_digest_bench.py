"""The digest bench's measure: a quiz question is covered when a page stating its answer, from
the quiz's period, is in one of the digest's first stories."""

from datetime import date

from bench.digests import coverage
from bot.answering.digest import Story, ranked_for_digest, stories
from bot.measure.evaluate import EvalQuestion
from retrieval.index.stories import Member


def test_a_question_counts_when_its_page_is_in_the_first_stories_of_its_week() -> None:
    members = [Member(a, s, a, "AP", "", day) for a, s, day in [
        ("big1", "big", "2024-03-02"), ("big2", "big", "2024-03-03"), ("big3", "big", "2024-03-04"),
        ("last", "late", "2024-03-07"), ("old", "big", "2024-01-01")]]
    quiz = [EvalQuestion("q1", "?", ["x"], ["big2"], question_date=date(2024, 3, 7)),
            EvalQuestion("q2", "?", ["x"], ["last"], question_date=date(2024, 3, 7)),
            EvalQuestion("q3", "?", ["x"], ["old"], question_date=date(2024, 3, 7))]  # before the week: not coverable
    def listing(since: date, day: date) -> list[Story]:
        return ranked_for_digest(stories(members, since, day))

    got = coverage(listing, quiz, limit=1, days=7)
    assert got["shipped"]["coverable"] == 2 and got["shipped"]["questions"] == 3
    assert got["shipped"]["questions_covered"] == 1 and got["outlets, fresher, bigger"]["questions_covered"] == 1
    assert got["shipped"]["pages_shown"] == 3.0 and got["outlets, fresher, bigger"]["pages_shown"] == 1.0
    assert coverage(listing, quiz, limit=2, days=7)["shipped"]["questions_covered"] == 2
