"""Candidate answer spans on fixture sentences: names, titles, figures, days, full names."""

from datetime import date

from bot.answering.question import read
from bot.answering.spans import (
    abbreviation_in_full,
    dated_day,
    full_name,
    is_subject,
    last_day,
    lead_span,
    names,
    opening_name,
    people,
    person,
    places,
    plural_in_full,
    set_beside,
    spans_of,
    without_possessive,
)


def test_names_are_runs_of_capitalised_words_and_quoted_titles() -> None:
    sentence = "Fire crews battled the Park Fire near Chico on Tuesday, and Netflix renewed “Glass Harbor.”"
    found = names(sentence)
    assert "Park Fire" in found and "Chico" in found and "Netflix" in found and "Glass Harbor" in found
    assert "Tuesday" not in found and "Fire" not in found  # a weekday, and a lone word opening the sentence


def test_a_common_nouns_initials_are_no_name() -> None:
    found = names("She worked in TV for years before the CEO said GDP grew, and NASA agreed.")
    assert "NASA" in found and not {"TV", "CEO", "GDP"} & set(found)


def test_a_which_question_leads_with_the_name_nearest_its_own_words() -> None:
    question = read("Which band announced a farewell tour?")
    assert question.wants == "name"
    sentence = "Rock group Silver Lanterns announced a farewell tour on Monday, manager Dana Ruiz said."
    assert lead_span(question, sentence) == "Silver Lanterns"


def test_a_name_the_question_already_gives_is_not_the_answer() -> None:
    question = read("Which company did Silver Lanterns sign with?")
    assert lead_span(question, "Silver Lanterns signed with Harbor Records, the band said.") == "Harbor Records"


def test_typed_questions_take_the_span_of_their_kind() -> None:
    assert lead_span(read("How many people did the floods kill?"), "The floods killed 25 people on Monday.") == "25"
    assert lead_span(read("When will the bridge reopen?"), "The bridge will reopen on March 3, officials said.") == "March 3"
    assert lead_span(read("Which country hosted the summit?"), "Leaders met in Nairobi, Kenya, for the summit.") == "Kenya"
    assert lead_span(read("Which official is facing impeachment?"),
                     "House Republicans moved against Homeland Security Secretary Alex Moreno on Wednesday.") == "Alex Moreno"
    assert lead_span(read("Which official statement was read?"), "The statement was read.") == ""  # not a person


def test_a_body_someone_works_for_is_not_a_place_but_a_venue_is() -> None:
    assert places("Ana Ruiz, a fellow at the Northern Europe Program of a think tank, spoke.") == []
    assert places("The talks in Geneva, Switzerland, ended.") == ["Geneva, Switzerland"]
    assert places("He spoke at the Harbor Arts Center and at the Lakeside Policy Institute.") == ["Harbor Arts Center"]
    assert lead_span(read("Where were the talks held?"),
                     "Ana Ruiz, a fellow at the Northern Europe Program, said the talks in Geneva failed.") == "Geneva"


def test_a_surname_is_given_in_full_when_the_article_named_the_person_before() -> None:
    before = "The Richardson family watched. Senior hitter Anna Richardson led Smyrna all season. "
    assert full_name("Richardson", before) == "Anna Richardson"
    assert full_name("Richardson", "Nobody was named in full.") == "Richardson"
    assert full_name("Anna Richardson", before) == "Anna Richardson"  # already whole
    assert person("U.S. Secretary of State Antony Blinken") == "Antony Blinken"


def test_a_word_that_opens_a_clause_or_a_quote_is_not_part_of_a_name() -> None:
    assert names("“What Harlow Motors is trying to convey to the employees is clear.”") == ["Harlow Motors"]
    assert names("“What Ford is trying to convey to the employees, and to the market, is a shift.”") == ["Ford"]
    assert "Joe Biden" in names("When Joe Biden spoke in Paris, the crowd cheered.")
    assert person("When Joe Biden") == "Joe Biden"
    assert names("The Pentagon said on Monday it would send more troops.") == ["Pentagon"]  # not the sentence's first word
    assert names("Pentagon officials said the troops would stay.") == []  # is
    assert names("Riverton The Harbor National Bank raised rates.", trimmed=True) == ["Harbor National Bank"]  # a dateline
    # a quantifier after a dateline opens the sentence's clause: no name
    assert names("Riverton (Harbor News) Some welcome news: prices are falling.") == ["Harbor News"]
    assert names("Harbor (Riverton News) More change is coming: ads are next.") == ["Riverton News"]


def test_initials_in_brackets_after_a_name_are_not_a_second_name() -> None:
    found = names("Shares fell after Orchard Networks (ORCN) announced it would cut 20% of its staff.")
    assert found == ["Orchard Networks"]


def test_a_weekday_gets_the_day_it_names_read_against_the_report_date() -> None:
    talks = "The top diplomats failed to reach an agreement Friday on preventing a conflict."
    assert dated_day("Friday", talks, date(2022, 1, 21)) == "Friday [January 21, 2022]"  # published that day
    assert dated_day("Friday", talks, date(2022, 1, 24)) == "Friday [January 21, 2022]"  # the Monday after
    vote = "The council will vote Tuesday on the budget."
    assert dated_day("Tuesday", vote, date(2022, 1, 21)) == "Tuesday [January 25, 2022]"  # what will be: ahead
    assert dated_day("Sunday", "The polls are scheduled to open Sunday.", date(2022, 1, 21)) == "Sunday [January 23, 2022]"
    # set for the day, whatever else the sentence says happened
    court = "A court on Monday scheduled the pilot's trial to start Friday and ruled his detention be extended."
    assert dated_day("Friday", court, date(2022, 6, 27)) == "Friday [July 1, 2022]"
    assert dated_day("Friday", "He failed to appear Friday and was arrested.", date(2022, 6, 27)) == "Friday [June 24, 2022]"


def test_a_weekday_is_left_as_said_where_its_day_cannot_be_told() -> None:
    published = date(2022, 1, 21)
    assert dated_day("Friday", "The talks failed Friday.", None) == "Friday"  # an undated report
    assert dated_day("Friday", "Talks resumed last Friday.", published) == "Friday"  # not the nearest one
    twice = "The IRS said Monday it would start accepting returns on Monday, Jan. 24."
    assert dated_day("Monday", twice, published) == "Monday"  # which of the two Mondays the span is: unknown
    assert dated_day("Friday", "The minister said Friday that she will resign.", published) == "Friday"  # both ways
    assert dated_day("Sunday", "Polls open Sunday.", published) == "Sunday"  # present tense: either way
    last_shot = "Monday is your last shot of seeing a total eclipse for 20 years."  # "shot": no past here
    assert dated_day("Monday", last_shot, date(2024, 4, 6)) == "Monday"
    assert dated_day("March 3", "The talks failed on March 3.", published) == "March 3"  # only bare weekdays


def test_a_name_shown_in_bold_loses_the_words_around_it_that_are_not_part_of_it() -> None:
    def shown(sentence: str) -> list[str]:
        return names(sentence, trimmed=True)

    assert shown("Two Harbor County towns flooded overnight.") == ["Harbor County"]  # a count opening the sentence
    assert shown("Most Lantern Cola drinkers stayed loyal.") == ["Lantern Cola"]
    assert shown("Five Harbor men were charged.") == ["Harbor"]  # a count before a plural
    assert shown("Two Harbor towns, officials said, flooded.") == ["Harbor"]
    assert shown("Three Mile Island will restart in 2027.") == ["Three Mile Island"]  # a count that begins a name
    assert shown("Shares of Lantern Cola fell on the news.") == ["Lantern Cola"]  # what the sentence is about
    assert shown("Bank of Harbor said it would close.") == ["Bank of Harbor"]
    assert shown("The song All Summer Long topped the chart.") == ["All Summer Long"]  # past the start: a name
    assert shown("Ridge State Gov. Ana Ruiz signed the bill.") == ["Ridge State", "Ana Ruiz"]  # a short title
    assert shown("The ban on Dana Ruiz Monday ended her season.") == ["Dana Ruiz"]  # the day it happened
    assert shown("Shoppers lined up for Cyber Monday deals in Ohio.") == ["Cyber Monday", "Ohio"]
    assert shown("The governor tested positive for Covid-19 Thursday, aides said.") == ["Covid-19"]  # one word too
    assert shown("Polls closed on Super Tuesday in Harbor.") == ["Super Tuesday", "Harbor"]
    assert "Oct" not in shown("The vote is set for Oct. 3 in Harbor County.")
    assert shown("The derailment in East Harbor Feb. 3 hurt few.") == ["East Harbor"]  # the month dates it
    assert shown("Crowds gathered in Harbor City March 3.") == ["Harbor City"]
    opening = "The Harbor City Lions beat the Ridge State Owls."
    assert is_subject(opening, opening.find("Harbor")) and not is_subject(opening, opening.find("Ridge"))
    assert is_subject("“Harbor City won,” he said.", 1) and not is_subject("Then Harbor City won.", 5)
    assert "Harbor County" in spans_of(read("Which county flooded?"), "Two Harbor County towns flooded.")  # bold candidates
    assert names("Two Harbor County towns flooded overnight.") == ["Two Harbor County"]  # as the answer scorer reads
    question = read("Who won the vote?")
    assert set(spans_of(question, "The vote went to Ridge State Rep. Ana Ruiz.")) == {"Ridge State", "Ana Ruiz"}
    assert "Harbor City" in spans_of(question, "It opened in Harbor City Thursday.")  # a place, trimmed too
    assert full_name("Ruiz", "Two Ruiz fans sued the singer. ") == "Ruiz"  # a count is not a first name


def test_a_name_holds_an_ampersand_and_the_and_of_one_body() -> None:
    sentence = ("Regulators at the Food and Drug Administration met Mars after M&M's and AT&T, then Procter & Gamble "
                "and Blinken and Lavrov spoke about Trinidad and Tobago.")
    found = names(sentence)
    for name in ("Food and Drug Administration", "M&M's", "AT&T", "Procter & Gamble", "Trinidad and Tobago"):
        assert name in found
    assert "Blinken" in found and "Lavrov" in found and "Blinken and Lavrov" not in found
    assert "Drug Administration" not in found and "M's" not in found
    assert places("The final is at AT&T Stadium on Sunday.") == ["AT&T Stadium"]  # a place's name too
    studios = names("The guild reached a deal with the Alliance of Motion Picture and Television Producers on Friday.")
    assert "Alliance of Motion Picture and Television Producers" in studios  # not cut at "and"
    assert "Alliance of Motion Picture" not in studios


def test_a_body_is_no_answer_to_who() -> None:
    sentence = "The Harbor Darts Corporation said Ana Ruiz beat Lee Park, and the House Ethics Committee agreed."
    question = read("Who won the darts final?")
    assert lead_span(question, sentence) == "Ana Ruiz"
    kinds = spans_of(question, sentence)
    assert "person" not in kinds["Harbor Darts Corporation"] and "person" not in kinds["House Ethics Committee"]
    assert "person" in kinds["Lee Park"]  # a surname that is also a word stays a person
    assert "Harbor Darts Corporation" in names(sentence)  # still a name, for "which company"


def test_a_day_of_the_month_or_a_time_of_day_is_no_amount() -> None:
    found = spans_of(read("How many people did the floods kill?"),
                     "The floods had killed 96 people on June 3 at 3:45 p.m., and 1,000 were missing.")
    numbers = {span for span, kinds in found.items() if "number" in kinds}
    assert numbers == {"96", "1,000"} and "June 3" in found  # the day stays a date


def test_digits_written_into_a_name_or_an_ordinal_are_no_amount() -> None:
    found = spans_of(read("How many fans saw the game?"),
                     "The 49ers beat the 76ers' rivals before 70,000 fans, a 3.5bn deal for the 100th A320 jet.")
    numbers = {span for span, kinds in found.items() if "number" in kinds}
    assert numbers == {"70,000"}


def test_a_games_score_is_one_figure() -> None:
    question = read("What was the final score of the game between Harbor and Lakeside?")
    sentence = "Harbor beat Lakeside 84–82 on Saturday, its 12th win, after a 3-1-2 run and a COVID-19 delay."
    numbers = {span for span, kinds in spans_of(question, sentence).items() if "number" in kinds}
    assert "84–82" in numbers and not {"84", "82"} & numbers  # not two figures
    assert "3-1-2" not in numbers and lead_span(question, sentence) == "84–82"


def test_a_plural_name_used_short_is_given_as_a_passage_names_it_in_full() -> None:
    passages = ["The Detroit Lions have won one playoff game.", "the Lions won a playoff game"]
    assert plural_in_full("Lions", passages) == "Detroit Lions"
    union = ["The International Brotherhood of Teamsters sent shockwaves.", "And the Teamsters have backed him."]
    assert plural_in_full("Teamsters", union) == "International Brotherhood of Teamsters"
    assert plural_in_full("Cardinals", ["the St. Louis Cardinals won", "When Cardinals fans cheered"]) == \
        "St. Louis Cardinals"  # a word that opens the sentence is no part of the name


def test_a_plural_name_stays_short_when_the_passages_name_two_bodies_or_an_owner() -> None:
    assert plural_in_full("Rangers", ["The Texas Rangers won.", "The New York Rangers lost."]) == "Rangers"
    assert plural_in_full("Jaws", ["Steven Spielberg’s Jaws opened in 1975."]) == "Jaws"  # whose, not its name
    assert plural_in_full("Democrats", ["House Democrats said no."]) == "Democrats"  # some of a party
    assert plural_in_full("Mets", ["the Mets owner spoke"]) == "Mets"  # never named in full


def test_a_name_the_sentence_sets_its_news_beside_is_told_apart_but_a_figure_there_is_not() -> None:
    said = ("The Kansas City Chiefs beat the San Francisco 49ers. It is the first time since the New England "
            "Patriots that a team has won twice in a row.")
    found = spans_of(read("Which team won the Super Bowl?"), said)
    assert "San Francisco 49ers" in found  # a team's number word kept
    assert set_beside("New England Patriots", found["New England Patriots"], said)
    assert not set_beside("Kansas City Chiefs", found["Kansas City Chiefs"], said)
    figures = "More than 1,000 people died, more than Russia said."
    assert not set_beside("More than 1,000", {"number"}, figures) and set_beside("Russia", {"name"}, figures)


def test_an_initial_or_a_short_saint_stays_inside_the_name() -> None:
    sentence = "On Monday, independent Dana R. Whitfield and Sen. J.D. Morrow of Ohio met E. Lynn Carver in St. Petersburg."
    found = names(sentence, trimmed=True)
    assert "Dana R. Whitfield" in found and "E. Lynn Carver" in found and "St. Petersburg" in found
    who = [bare for _, bare in people(sentence, trimmed=True)]
    assert "J.D. Morrow" in who and "Ohio" not in who  # the person, not where they are from
    assert "St. Petersburg" in places(sentence)
    assert lead_span(read("Who met E. Lynn Carver?"), sentence) in {"Dana R. Whitfield", "J.D. Morrow"}
    # initials end no name, nor join the word that opens the next clause
    assert names("Prices rose across the U.S. Now shoppers wait.", trimmed=True) == []
    assert person("Ted Kerr of Texas") == "Ted Kerr" and person("Smith of Reuters") == "Reuters"
    assert person("U.S. Secretary of State Ana Ruiz") == "Ana Ruiz"


def test_a_name_may_hold_a_number_but_a_score_or_a_day_is_none() -> None:
    found = names("Officials ended Title 42 on Thursday, before the Route 9 Harvest festival and Artemis 2.",
                  trimmed=True)
    assert "Title 42" in found and "Route 9 Harvest" in found and "Artemis 2" in found
    scores = names("It ended Hawks 38, Owls 35 after the Hawks 2-1 loss on March 3 in Ohio 4.5 miles away.")
    assert "Hawks" in scores and "Owls" in scores and not any(ch.isdigit() for name in scores for ch in name)


def test_initials_are_spelled_out_only_as_the_passages_spell_them_one_way() -> None:
    texts = ["Shares of Tarrow Motor Company (TMC) fell.", "The Office for Rail and Road (ORR) said TMC was fined."]
    assert abbreviation_in_full("TMC", texts) == "Tarrow Motor Company (TMC)"
    assert abbreviation_in_full("ORR", texts) == "Office for Rail and Road (ORR)"
    assert abbreviation_in_full("TMC", [*texts, "Tom M. Cole (TMC) spoke."]) == "TMC"  # two ways: as said
    assert abbreviation_in_full("ABC", ["he said (ABC) no"]) == "ABC" and abbreviation_in_full("Tarrow", texts) == "Tarrow"


def test_a_possessive_leaves_a_bold_name_only_where_the_passages_use_the_name_without_it() -> None:
    texts = ["Ana Ruiz’s plan passed. Ana Ruiz said it would.", "Crumbl's sold cookies at Crumbl's stores."]
    assert without_possessive("Ana Ruiz’s", texts) == "Ana Ruiz"
    assert without_possessive("Crumbl's", texts) == "Crumbl's"  # the name is a possessive
    assert without_possessive("Ana Ruiz", texts) == "Ana Ruiz"


def test_a_possessive_inside_a_run_cuts_whose_it_is_from_what() -> None:
    found = names("Ana Ruiz toured Tarrow’s Glen Falls plant and NASA's Artemis 2 rocket.", trimmed=True)
    assert "Tarrow’s" in found and "Glen Falls" in found and "Artemis 2" in found
    assert "Tarrow’s Glen Falls" not in found and "NASA's Artemis 2" not in found
    kinds = spans_of(read("Who toured the plant?"), "Officials said Tarrow’s Glen Falls plant closed.")
    assert "Tarrow’s Glen Falls" not in kinds and "Glen Falls" in kinds  # nor as a person
    assert "Academy of Motion Picture Arts and Sciences" in names("The Academy of Motion Picture Arts and Sciences met.")


def test_the_last_day_a_date_span_names() -> None:
    report = date(2023, 12, 20)
    assert last_day("Aug. 23, 2044", report) == date(2044, 8, 23)
    assert last_day("Monday [April 8, 2024]", report) == date(2024, 4, 8)  # as ``dated_day`` gives it
    assert last_day("March 2024", report) == date(2024, 3, 31) and last_day("in March 2025", report) == date(2025, 3, 31)
    assert last_day("in 2022", report) == date(2022, 12, 31) and last_day("by 2030", report) == date(2030, 12, 31)
    assert last_day("January 5", report) == date(2024, 1, 5)  # the one nearest the report's day
    assert last_day("Sept. 3", report) == date(2023, 9, 3)
    assert last_day("Monday", report) is None and last_day("in March", report) is None
    assert last_day("January 5", None) is None  # an undated report's day of a month names no year
    assert last_day("February 30, 2024", report) is None and last_day("in 0000", report) is None  # no such day


def test_a_lone_name_opening_its_sentence_is_a_candidate_when_its_passage_writes_it_as_a_name() -> None:
    text = ("Fans cheered in Madrid as Spain lifted the trophy. Spain won Euro 2024 with a 2-1 victory over England. "
            "However, the final was tense. Monday was hot.")
    question = read("Who won Euro 2024?")
    assert "Spain" in spans_of(question, "Spain won Euro 2024 with a 2-1 victory over England.", text)
    assert "Spain" not in spans_of(question, "Spain won Euro 2024 with a 2-1 victory over England.")  # no passage read
    assert opening_name("However, the final was tense.", text) == ""  # a stop word
    assert opening_name("Monday was hot.", "It rained on Monday.") == ""  # a day, not a name
    assert opening_name("Spain's coach smiled.", text) == "Spain"
    assert opening_name("Officials said little.", text) == ""  # never written inside a sentence with a capital
    # a common noun's initials, capitalised wherever they stand, name nothing
    assert opening_name("TV ratings fell.", "Fans watched on TV, and TV ratings fell.") == ""
