"""What a person is: a "Who is X?" question read, and the role a sentence gives X."""

from __future__ import annotations

import pytest

from bot.answering.question import read
from bot.answering.roles import described, names_person, role_of


@pytest.mark.parametrize(("question", "name"), [
    ("Who is Lavrov?", "Lavrov"), ("Who is Sergei Lavrov?", "Sergei Lavrov"), ("who's Taylor Swift", "Taylor Swift"),
    ("Who was Robert F. Kennedy?", "Robert F. Kennedy"),
    ("Who is the new coach?", ""), ("Who won the vote?", ""), ("Who was Lavrov's deputy?", ""), ("Who is he?", ""),
    ("Who is Lavrov meeting in Geneva?", ""),
])
def test_a_question_only_naming_a_person_asks_who_they_are(question: str, name: str) -> None:
    assert described(question) == name
    assert read(question).described == name


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("With Europe closer to war, U.S. Secretary of State Antony Blinken warned of a response.", "Blinken",
     "U.S. Secretary of State Antony Blinken"),
    ("On Friday Russian Foreign Minister Sergei Lavrov said Moscow was waiting.", "Sergei Lavrov",
     "Russian Foreign Minister Sergei Lavrov"),  # a day opening the sentence is no title
    ("Sergei Lavrov, Russia's top diplomat, said talks would go on.", "Lavrov", "Sergei Lavrov, Russia's top diplomat"),
    ("Jane Roe, 45, the company's chief executive, said sales rose.", "Roe", "Jane Roe, 45, the company's chief executive"),
    ("Jane Roe is the new mayor of Riverton, officials said.", "Roe", "Jane Roe is the new mayor of Riverton"),
    ("Biden and Russian President Vladimir Putin spoke.", "Putin", "Russian President Vladimir Putin"),
    ("Florida Gov. Ron DeSantis signed the bill.", "DeSantis", "Florida Gov. Ron DeSantis"),
    ("pop star Taylor Swift announced a tour.", "Swift", "pop star Taylor Swift"),
    ("Lavrov, Blinken and the president met in Geneva.", "Lavrov", ""),  # other names beside him, no role
    ("Jane Roe is expected to win.", "Roe", ""),  # said to do something, not to be someone
    ("He said Lavrov would attend.", "Lavrov", ""),
    ("The White House later tried to clean up Biden’s remarks.", "Biden", ""),
    ("Russian Foreign Minister Sergei Lavrov said so.", "Blinken", ""),  # not named at all
])
def test_the_role_a_sentence_gives_a_person_is_read_as_written(sentence: str, name: str, role: str) -> None:
    assert role_of(sentence, name) == role
    if role:
        assert role in sentence  # the words of the sentence, never reworded


def test_a_person_is_named_by_their_last_name_whole() -> None:
    assert names_person("Lavrov's demands were read out.", "Sergei Lavrov")
    assert not names_person("The Lavrova case was heard.", "Lavrov")
    assert not names_person("Anything at all.", "")
