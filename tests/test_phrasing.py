"""How an extractive answer is worded around its quote: the lead span, the person a pronoun stands
for, the work a sentence only describes, and whether the next sentence spells out what was said."""

import pytest

from bot.answering.phrasing import (
    name_described,
    name_subject,
    name_surnames,
    name_work,
    named_before,
    quoted_names,
    refers_to_content,
    spells_out,
)
from bot.answering.question import read
from bot.answering.spans import lead_span, person


@pytest.mark.parametrize(("question", "sentence", "lead"), [
    ("How many troops has Russia massed?", "Russia has massed about 127,000 troops near the border.", "about 127,000"),
    ("When will the talks resume?", "The talks will resume on January 21, 2022 in Geneva.", "January 21, 2022"),
    ("Which country did she visit?", "She crossed into Moldova from Uzhhorod, Ukraine.", "Moldova"),
    ("Who leads the delegation?", "The delegation is led by Deputy Minister Sergei Ryabkov.", "Sergei Ryabkov"),
    ("Why did the talks fail?", "The talks failed over NATO expansion.", ""),
])
def test_the_lead_is_the_span_asked_for(question: str, sentence: str, lead: str) -> None:
    assert lead_span(read(question), sentence) == lead


def test_titles_are_not_part_of_a_name() -> None:
    assert person("U.S. Secretary of State Antony Blinken") == "Antony Blinken"


def test_a_leading_pronoun_gets_its_person_in_brackets() -> None:
    assert name_subject("He said talks would go on.", ["Sergei Lavrov"]) == "He [Sergei Lavrov] said talks would go on."
    assert name_subject("He said talks would go on.", []) == "He said talks would go on."
    before = "Russian Foreign Minister Sergei Lavrov met his US counterpart. "
    assert name_subject("He said talks would go on.", ["Lavrov"], before) == "He [Sergei Lavrov] said talks would go on."
    assert name_subject("He said talks would go on.", ["Lavrov"]) == "He [Lavrov] said talks would go on."


def test_a_pronoun_is_not_named_after_a_speaker_the_sentence_names_itself() -> None:
    # "He" is the host who left; "Trump" only announced something in the same sentence.
    sentence = "He signed off the show in 2015 less than two months after Trump announced his campaign."
    assert name_subject(sentence, ["Trump"]) == sentence


_STORY = ("The comedian will return to host the show every Monday, the network announced. "
          "Jon Stewart first hosted it in 1999.")


def test_a_person_the_sentence_only_describes_is_named_from_the_headline() -> None:
    question = read("Which comedian announced he will return to late-night TV?")
    named = name_described("The comedian will return to host the show every Monday.",
                           "Jon Stewart 'Daily Show' return: host is back", question, _STORY)
    assert named == "The comedian [Jon Stewart] will return to host the show every Monday."


def test_a_kind_written_in_capitals_is_named_too() -> None:
    story = "The CEO stepped down on Friday. Sarah Kim led the firm for a decade."
    named = name_described("The CEO stepped down on Friday.", "Sarah Kim steps down as chief of Acme",
                           read("Which CEO stepped down this week?"), story)
    assert named == "The CEO [Sarah Kim] stepped down on Friday."


@pytest.mark.parametrize(("question", "sentence", "title"), [
    # a headline in title case: every word looks like a name
    ("Which comedian announced he will return?", "The comedian will return.", "Jon Stewart Returns To Host The Daily Show"),
    # one of several, not the story's subject
    ("Which team has played the most games?", "The next closest team is far behind.", "Detroit Lions keep a tradition alive"),
    # the sentence names the person already
    ("Which comedian announced he will return?", "The comedian Stewart will return.", "Jon Stewart 'Daily Show' return"),
    # the headline does not open with the name
    ("Which comedian announced he will return?", "The comedian will return.", "Why late night wants Jon Stewart back"),
    # the name is not in the passage as the article writes it
    ("Which automaker reached a deal?", "The automaker reached a deal.", "Dozens of GM workers rally"),
])
def test_a_description_stays_unnamed_when_the_headline_does_not_say_who(question: str, sentence: str,
                                                                        title: str) -> None:
    assert name_described(sentence, title, read(question), _STORY + " GM workers rallied.") == sentence


def test_a_work_the_sentence_only_describes_is_named_from_the_title() -> None:
    question = read("Which wildly popular show was green lit for a new season?")
    named = name_work("The wildly popular show will return.", "'Squid Game' is green lit for season 2", question)
    assert named == "The wildly popular show [Squid Game] will return."


def test_a_reference_to_demands_and_the_sentence_that_spells_them_out() -> None:
    assert refers_to_content("Moscow repeated its demands.")
    assert not refers_to_content("Moscow repeated that NATO must stop.")
    assert spells_out("Moscow says NATO should not expand.", read("What did Lavrov demand?"))
    assert not spells_out("It was cold in Geneva.", read("What did Lavrov demand?"))


def test_a_month_keeps_its_year() -> None:
    assert lead_span(read("When did the pause begin?"), "The pause was put into place in March 2020.") == \
        "in March 2020"


def test_a_place_name_with_a_particle_stays_whole() -> None:
    assert lead_span(read("Where was the event?"), "Police in Coeur d’Alene, Idaho, arrested 31 men.") == \
        "Coeur d’Alene, Idaho"


@pytest.mark.parametrize(("title", "names"), [
    ("'Squid Game' is green lit for season 2", ["Squid Game"]),
    # the comma a headline keeps inside the quote is no part of the name
    ("'Succession,' 'The Bear' lead Emmy nominations", ["Succession", "The Bear"]),
    # an apostrophe for a dropped g does not end the quote
    ("Brenda Lee's 'Rockin' Around the Christmas Tree' tops the chart", ["Rockin' Around the Christmas Tree"]),
    ("Rock 'n' roll hall inducts six", []),
    # a name ending in "in" is no dropped g when the headline goes on as a sentence
    ("'Putin' says 'no' to talks", ["Putin", "no"]),
    ("'Putin' dismisses critics' claims", ["Putin"]),
])
def test_the_names_a_headline_quotes(title: str, names: list[str]) -> None:
    assert quoted_names(title) == names


_EAGLES = "Philadelphia Eagles quarterback Jalen Hurts is about to get paid. His coach Nick Sirianni said so. "


def test_a_surname_alone_is_given_the_full_name_the_passage_gave_before() -> None:
    who = read("Which quarterback agreed to a five-year deal this week?")
    said = "Hurts and the Philadelphia Eagles have agreed on a five-year deal, Sirianni said."
    assert name_surnames(said, _EAGLES, who) == ("Hurts [Jalen Hurts] and the Philadelphia Eagles have agreed on a "
                                                 "five-year deal, Sirianni [Nick Sirianni] said.")


@pytest.mark.parametrize(("question", "sentence", "before"), [
    ("Which team agreed to a five-year deal?", "Hurts agreed on a deal.", _EAGLES),  # not asked who
    ("Who agreed to a deal?", "Hurts agreed on a deal.", "He is about to get paid. "),  # never named in full
    ("Who agreed to a deal?", "Jalen Hurts agreed on a deal; Hurts said so.", _EAGLES),  # named whole already
    ("Did Jalen Hurts agree to a deal?", "Hurts agreed on a deal.", _EAGLES),  # the question names him
    ("Who agreed to a deal?", "He thanked the Eagles.", _EAGLES),  # a team, no person
    ("Who visited the country?", "He toured the States.", "He flew to the United States. "),  # a place
])
def test_no_full_name_where_none_is_wanted_or_known(question: str, sentence: str, before: str) -> None:
    assert name_surnames(sentence, before, read(question)) == sentence


def test_at_most_two_surnames_are_given_in_full() -> None:
    before = "Ann Lee, Bo Park and Cy Young met. "
    said = name_surnames("Lee, Park and Young agreed.", before, read("Who agreed?"))
    assert said == "Lee [Ann Lee], Park [Bo Park] and Young agreed."


def test_a_star_is_the_person_of_the_kind_asked_for() -> None:
    sentence = 'The "Top Gun" star, 62, on Tuesday received the award.'
    title = "Tom Cruise receives public service award from US Navy"
    named = name_described(sentence, title, read("Which actor received the award?"), f"Tom Cruise came. {sentence}")
    assert named == 'The "Top Gun" star [Tom Cruise], 62, on Tuesday received the award.'
    assert name_described(sentence, title, read("Which company received the award?"), f"Tom Cruise. {sentence}") == sentence


def test_a_full_name_the_answer_gave_before_is_not_bracketed_again() -> None:
    said = "Lincoln [Abraham Lincoln] was not the first. He [Abraham Lincoln] wrote it."
    assert named_before(said, "President Abraham Lincoln declared a holiday. [1]") == \
        "Lincoln was not the first. He [Abraham Lincoln] wrote it."  # a pronoun's person stays
    assert named_before(said, "President Joe Biden declared a holiday. [1]") == said
    pronoun = "He [Lavrov] added that talks would go on."
    assert named_before(pronoun, "Foreign Minister Sergei Lavrov said so. [1]") == "He [Sergei Lavrov] added that talks would go on."
    assert named_before(pronoun, "Moscow said so. [1]") == pronoun
