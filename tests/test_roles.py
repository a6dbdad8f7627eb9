"""What someone or something is: a "Who is X?" or "What is X?" question read, and the role a
sentence gives X."""

from __future__ import annotations

import pytest

from bot.answering.question import read
from bot.answering.roles import Described, described, mentions, name_in, named_first, role_of
from tests.passages import passage


@pytest.mark.parametrize(("question", "name"), [
    ("Who is Lavrov?", "Lavrov"), ("Who is Sergei Lavrov?", "Sergei Lavrov"), ("who's Taylor Swift", "Taylor Swift"),
    ("Who was Robert F. Kennedy?", "Robert F. Kennedy"),
    ("Who is the new coach?", ""), ("Who won the vote?", ""), ("Who was Lavrov's deputy?", ""), ("Who is he?", ""),
    ("Who is Lavrov meeting in Geneva?", ""), ("who is sergei lavrov", "sergei lavrov"),  # typed in lower case
    ("who is responsible for the attack?", ""), ("who is in charge", ""), ("Who is Lavrov's deputy?", ""),
])
def test_a_question_only_naming_a_person_asks_who_they_are(question: str, name: str) -> None:
    expected = Described(name, True) if name else None
    assert described(question) == expected and read(question).described == expected


@pytest.mark.parametrize(("question", "name"), [
    ("What is OPEC+?", "OPEC+"), ("What is the Wagner Group?", "Wagner Group"), ("what's NATO", "NATO"),
    ("What is the name of the band?", ""), ("What is NATO doing?", ""), ("What is Trump's plan?", ""),
    ("what is nato", "nato"), ("what is going on?", ""), ("what is the latest?", ""),
])
def test_a_question_only_naming_a_thing_asks_what_it_is(question: str, name: str) -> None:
    assert described(question) == (Described(name, False) if name else None)


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
    ("Police pulled Miami Dolphins wide receiver Tyreek Hill from his car.", "Tyreek Hill",
     "Miami Dolphins wide receiver Tyreek Hill"),
    ('"Everything Everywhere" star Michelle Yeoh is a favorite.', "Michelle Yeoh",
     '"Everything Everywhere" star Michelle Yeoh'),  # a work's title in quotes is part of the title run
    ("Jane Roe — the company's chief executive — said sales rose.", "Roe", "Jane Roe — the company's chief executive"),
    ("Chase Oliver, a former Democrat from Georgia, was selected.", "Chase Oliver",
     "Chase Oliver, a former Democrat from Georgia"),
    ("Lavrov, Blinken and the president met in Geneva.", "Lavrov", ""),  # other names beside him, no role
    ("Jane Roe is expected to win.", "Roe", ""),  # said to do something, not to be someone
    ("He said Lavrov would attend.", "Lavrov", ""),
    ("The White House later tried to clean up Biden’s remarks.", "Biden", ""),
    ("Russian Foreign Minister Sergei Lavrov said so.", "Blinken", ""),  # not named at all
    ("Messages from the laptop of President Joe Biden's son were read.", "Hunter Biden", ""),  # another Biden
    ("President Joe Biden's son spoke.", "Joe Biden", ""),  # what is his, not what he is
    ("Hunter Biden, the president's son, testified.", "Hunter Biden", "Hunter Biden, the president's son"),
])
def test_the_role_a_sentence_gives_a_person_is_read_as_written(sentence: str, name: str, role: str) -> None:
    assert role_of(sentence, Described(name, True)) == role
    if role:
        assert role in sentence  # the words of the sentence, never reworded


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("OPEC+, the group of oil-exporting nations, cut output.", "OPEC+", "OPEC+, the group of oil-exporting nations"),
    ("The Wagner Group is a Russian private military company.", "Wagner Group", "Wagner Group is a Russian private military company"),
    ("Mercenaries of the Wagner Group, led by Yevgeny Prigozhin, took the town.", "Wagner Group", ""),  # led by: no role
    ("The group said it would cut output.", "Wagner Group", ""),  # "Group" alone names nothing
    ("NATO Secretary General Jens Stoltenberg spoke.", "NATO", ""),  # a title before a thing is someone else's
])
def test_the_role_a_sentence_gives_a_thing_is_read_as_written(sentence: str, name: str, role: str) -> None:
    assert role_of(sentence, Described(name, False)) == role


def test_a_person_is_named_by_their_last_name_a_thing_by_its_whole_name() -> None:
    assert mentions("Lavrov's demands were read out.", Described("Sergei Lavrov", True))
    assert not mentions("The Lavrova case was heard.", Described("Lavrov", True))
    assert not mentions("President Joe Biden spoke.", Described("Hunter Biden", True))
    assert mentions("Biden spoke.", Described("Hunter Biden", True))  # a surname alone may be him
    assert mentions("Lavrov spoke.", Described("lavrov", True))  # typed in lower case, written as a name
    assert not mentions("The group spoke of a wagner.", Described("wagner", False))  # not written as a name
    assert not mentions("Anything at all.", Described("", True))
    assert mentions("Fighters of the Wagner Group advanced.", Described("Wagner Group", False))
    assert not mentions("The group advanced.", Described("Wagner Group", False))
    assert not mentions("OPEC++ is no name.", Described("OPEC+", False))


def test_the_name_a_role_gives_is_what_a_follow_up_stands_for() -> None:
    lavrov = Described("Lavrov", True)
    assert name_in("Russian Foreign Minister Sergei Lavrov", lavrov) == "Sergei Lavrov"
    assert name_in("Sergei Lavrov, Russia's top diplomat", lavrov) == "Sergei Lavrov"
    assert name_in("the minister", lavrov) == "Lavrov"  # not in the span: the question's name
    assert name_in("OPEC+, the group of oil-exporting nations", Described("OPEC+", False)) == "OPEC+"


@pytest.mark.parametrize(("question", "name"), [
    ("Tell me about Lavrov", "Lavrov"), ("tell me more about sergei lavrov.", "sergei lavrov"),
    ("What do we know about the Wagner Group?", "Wagner Group"), ("What about Zelensky?", "Zelensky"),
    ("Tell me about the talks in Geneva", ""), ("Tell me about it", ""),
])
def test_a_request_about_a_name_asks_who_or_what_it_is(question: str, name: str) -> None:
    assert described(question) == (Described(name, None) if name else None)


def test_a_name_that_may_be_a_person_or_a_thing_takes_either_role() -> None:
    either = Described("Lavrov", None)
    assert role_of("Russian Foreign Minister Sergei Lavrov said so.", either) == "Russian Foreign Minister Sergei Lavrov"
    assert role_of("Wagner Group, a private army, advanced.", Described("Wagner Group", None)) == \
        "Wagner Group, a private army"
    assert not mentions("President Joe Biden spoke.", Described("Hunter Biden", None))  # the whole name, unknown kind


def test_who_is_reads_the_reports_writing_the_whole_name_those_giving_a_role_newest_first() -> None:
    subject = Described("Josh Green", True)
    old = passage("Lieutenant Governor Josh Green said the state was near a lockdown.", "old", published="2021-08-18")
    new = passage("Hawaii Governor Josh Green asked visitors to come back to Maui.", "new", published="2023-08-31")
    passing = passage("Josh Green spoke after the meeting.", "passing", published="2023-09-10")  # newest, no role
    bay = passage("The Green Bay Packers beat the Bears.", "bay", published="2023-10-01")
    cavallo = passage("Josh Cavallo spoke about the World Cup.", "cavallo", published="2023-10-02")
    retrieved = [cavallo, old, bay]
    found = named_first(subject, [bay, old, passing, new, cavallo], retrieved, 3)
    assert [p.article_id for p in found] == ["new", "old", "passing"]
    typed = named_first(Described("josh green", True), [passing, new], retrieved, 2)  # typed in lower case
    assert [p.article_id for p in typed] == ["new", "passing"]
    assert named_first(Described("Sam Altman", True), [bay, cavallo], retrieved, 3) == retrieved  # nobody writes it


def test_who_is_of_one_days_reports_reads_what_someone_is_first_and_any_role_newest_first() -> None:
    """Two reports of one day: the one saying what Sarah Fenwick is comes before the one saying what
    she was; a newer report saying only what someone was still comes before an older one saying what
    they are (a person of the past: "Francis Scott Key was a lawyer")."""
    subject = Described("Sarah Fenwick", True)
    was = passage("Sarah Fenwick was the press secretary for a charity.", "was", published="2024-11-07")
    now = passage("Sarah Fenwick, a state senator, won the seat.", "now", published="2024-11-07")
    assert [p.article_id for p in named_first(subject, [was, now], [], 2)] == ["now", "was"]
    key = Described("Francis Scott Key", True)
    lawyer = passage("Francis Scott Key was a lawyer who wrote the anthem.", "lawyer", published="2024-03-26")
    older = passage("Francis Scott Key, the poet, is remembered in Baltimore.", "older", published="2014-07-12")
    assert [p.article_id for p in named_first(key, [older, lawyer], [], 2)] == ["lawyer", "older"]


def test_a_role_is_taken_from_the_newest_report_giving_one() -> None:
    """The first article names the person without a role: the role comes from the newest other
    report giving one, not the best-scored ("Lieutenant Governor" was 2021's)."""
    from bot.answering.extractive import _role_first
    from bot.answering.sentences import Scored

    subject = Described("Josh Green", True)
    first = passage("Josh Green spoke after the meeting.", "first", published="2023-09-10")
    old = passage("Lieutenant Governor Josh Green said the state was near a lockdown.", "old", published="2021-08-18")
    new = passage("Hawaii Governor Josh Green asked visitors to come back to Maui.", "new", published="2023-08-31")
    ranked = [Scored(p, 0, rank, score, p.sentences[0][0], p.sentences[0][1])
              for rank, (score, p) in enumerate(((3.0, first), (2.0, old), (1.0, new)))]
    ordered = _role_first(subject, [ranked[0]], ranked)
    assert ordered[0].passage.article_id == "new"
