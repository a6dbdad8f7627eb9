"""Which country / state / continent a question asks for, and which ones a sentence names."""

import pytest

from bot.answering.places import asks_for_region, names_a_people, names_region, regions_named


@pytest.mark.parametrize(("question", "kind"), [
    ("Which country declared a state of emergency?", "country"),
    ("Flooding hit which state this week?", "state"),
    ("Which European nation joined NATO?", "nation"),
    ("Which continent saw the heat wave?", "continent"),
    ("Where did they meet?", None),
])
def test_the_kind_of_place_asked_for(question: str, kind: str | None) -> None:
    assert asks_for_region(question) == kind


def test_the_longest_name_wins_and_order_is_kept() -> None:
    assert regions_named("state", "Storms hit West Virginia, then Virginia and Texas.") == \
        ["West Virginia", "Virginia", "Texas"]
    assert regions_named("country", "North Korean troops") == ["North Korea"]


def test_a_place_the_question_already_names_is_no_answer() -> None:
    question = "Which country was hit, besides Japan?"
    assert not names_region("country", "The quake also shook Japan.", question)
    assert names_region("country", "The quake also shook Taiwan.", question)


@pytest.mark.parametrize(("entity", "expected"), [
    ("American", True), ("North Korean", True), ("Latin American", True),
    ("America", False), ("South Africa", False), ("Lavrov", False), ("Americans", False),
    ("Brit", True), ("Briton", True), ("Britain", False),
])
def test_a_peoples_adjective_is_told_from_a_name(entity: str, expected: bool) -> None:
    assert names_a_people(entity) is expected
