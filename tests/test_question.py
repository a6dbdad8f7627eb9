"""What a question asks about (read once) and what a sentence offers it: names, speech, expected
answer types, new information. Pure functions: no model, no store."""

import pytest

from bot.answering.features import answer_type_match, novelty, states_what_is_asked
from bot.answering.question import entities, mentions, read, script


def test_entities_skip_question_words() -> None:
    assert entities("What did Lavrov demand?") == ["Lavrov"]
    assert entities("How many troops has Russia massed near Ukraine's border?") == ["Russia", "Ukraine"]
    assert entities("what happened today?") == []


def test_speech_and_answer_types() -> None:
    assert read("What did Lavrov demand?").speech and not read("Where is Geneva?").speech
    assert answer_type_match(read("How many troops were there?"), "about 127,000 troops") == 1.0
    assert answer_type_match(read("How many troops were there?"), "many troops") == 0.0
    assert answer_type_match(read("Where did they meet?"), "talks in Geneva, Switzerland") == 1.0
    assert answer_type_match(read("Why did it fail?"), "anything") is None


def test_novelty_wants_something_the_question_does_not_name() -> None:
    q = read("Which show was renewed for a new season?")
    assert novelty(q, "Netflix renewed Wednesday for a second season.") == 1.0
    assert novelty(q, "the show was renewed for a new season.") == 0.0


def test_content_words_and_scripts() -> None:
    def has_content(text: str) -> bool:
        return read(text).has_content

    assert has_content("What did Lavrov demand?") and has_content("NATO?")
    assert not has_content("?!?!...,,;;") and not has_content("🤔❓") and not has_content("x") \
        and not has_content("What is it?")
    assert script("What did Lavrov demand?") == "LATIN" and script("Что потребовал Лавров?") == "CYRILLIC"
    assert script("拉夫罗夫要求什么？") == "CJK" and script("ماذا طالب لافروف؟") == "ARABIC" and script("?!") == ""


@pytest.mark.parametrize(("sentence", "expected"), [
    ("As severe drought persists in the Southwest, cities are cancelling their firework shows.", 1.0),
    ("As the war drags on, prices keep climbing.", 1.0),
    ("The shows were cancelled because of the drought.", 1.0),
    ("Officials are warning the public about the fireworks.", 0.0),
    ("As expected, the city cancelled its show.", 0.0),  # "as" without a persisting condition is no cause
])
def test_a_why_question_looks_for_a_stated_cause(sentence: str, expected: float) -> None:
    assert states_what_is_asked(read("Why did cities cancel their fireworks?"), sentence) == expected


@pytest.mark.parametrize(("text", "entity", "expected"), [
    ("prices in the U.S. rose", "US", True),
    ("the United States said", "US", True),
    ("the US said", "US", True),
    ("tell us more", "US", False),  # the pronoun is no country
    ("a USB drive", "US", False),
    ("the U.K. heat wave", "UK", True),
    ("the European Union agreed", "EU", True),
    ("Lavrov said", "Lavrov", True),
])
def test_a_country_abbreviation_matches_its_other_spellings(text: str, entity: str, expected: bool) -> None:
    assert mentions(text, entity) is expected


@pytest.mark.parametrize(("question", "sentence", "expected"), [
    ("Which country did she visit?", "She held talks at the White House.", 0.0),
    ("Which country did she visit?", "She crossed into Moldova on Sunday.", 1.0),
    ("Which country was hit, besides Japan?", "The quake also shook Japan.", 0.0),  # named in the question
    ("Flooding hit which state?", "Officials in southwestern Virginia said dozens are missing.", 1.0),
    ("Which country declared victory over Covid?", "North Korean leader Kim Jong Un declared victory.", 1.0),
])
def test_which_country_wants_a_country_the_question_does_not_name(question: str, sentence: str,
                                                                  expected: float) -> None:
    assert answer_type_match(read(question), sentence) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("What did Lavrov demand?", True),
    ("How did Zelensky respond to talk of a minor incursion?", True),
    ("Who warned of an invasion?", True),
    ("The CDC announced it has activated an emergency center to respond to which outbreak?", False),
    ("Which automaker announced a recall this week?", False),
])
def test_only_questions_asking_for_words_favour_what_someone_said(question: str, expected: bool) -> None:
    assert read(question).words_asked is expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Regulators signed off on vaccinations for children under 5.", 1.0),
    ("Children ages 5 to 11 are now eligible.", 1.0),
    ("Everyone 6 months and above can get a shot.", 1.0),
    ("Cases among children grew nearly 12% last week.", 0.0),
    ("About 5 to 10 percent of cases were severe.", 0.0),  # a range, but of percentages
])
def test_which_age_group_wants_an_age(sentence: str, expected: float) -> None:
    assert answer_type_match(read("Vaccinations began for which age group this week?"), sentence) == expected
