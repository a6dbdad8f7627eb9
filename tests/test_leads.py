"""The answer's bold span: the candidate spans of a sentence, the shipped lead model, a damaged
weights file, and the threshold below which nothing is bolded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.answering.extractive import AnswerConfig, ExtractiveAnswerer, leading
from bot.answering.leads import (
    FEATURES,
    MEANING_SPANS,
    WEIGHTS,
    LeadModel,
    asks_for,
    candidates,
    first_look,
    masthead,
    outlet_of,
)
from bot.answering.mismatches import (
    asked_about,
    asks_chosen,
    body_not_asked,
    event_not_asked,
    feature_not_asked,
    kind_not_asked,
    other_side,
    said_chosen,
    said_to_win,
    sourced_to,
    won_or_beaten,
)
from bot.answering.question import read
from bot.answering.scoring import WEIGHTS as ANSWER_WEIGHTS
from bot.answering.scoring import AnswerModel
from bot.answering.sentences import SentenceScorer
from bot.answering.spans import (
    an_age,
    counts_another,
    counts_asked,
    counts_in_words,
    counts_nothing,
    outcomes,
    person,
    seat_of_body,
    spans_of,
)
from retrieval.models import Passage
from retrieval.trees import TreeModel
from tests.passages import passage
from tests.standin import StandInEmbedder
from tests.weights import damaged

FIRE = passage("The Park Fire, which officials said spread toward Chico overnight, became the largest blaze in "
               "California this year. Crews expect rain on Friday.",
               article_id="fire", title="Park Fire grows into the largest blaze of the year", published="2024-07-30")
QUESTION = read("Which wildfire became the largest in California this year?")
CONFIG = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0)


def answerer(leads: LeadModel | None, config: AnswerConfig = CONFIG) -> ExtractiveAnswerer:
    scorer = SentenceScorer(StandInEmbedder().embed_cached, AnswerModel.load(ANSWER_WEIGHTS))
    return ExtractiveAnswerer(scorer, config, same_claim=0.8, leads=leads)


def spans_and_rows(passages: list[Passage]) -> tuple[list[str], np.ndarray]:
    answering = answerer(None)
    ranked = answering.scorer.score(QUESTION, passages)
    spans, rows = candidates(QUESTION, answering.chosen(leading(QUESTION, ranked, passages)), passages)
    return [s.text for s in spans], rows


def test_the_spans_of_a_sentence_and_their_kinds() -> None:
    found = spans_of(read("How many people were hurt?"),
                     "Officials said Dr. Ana Ruiz treated more than 40 people at Mercy Hospital in Tulsa on "
                     "March 3, 2024, and that “Storm Watch” aired live.")
    assert found["more than 40"] == {"number"}
    assert "person" in found["Ana Ruiz"]  # without the title before it
    assert "date" in found["March 3, 2024"]
    assert "name" in found["Storm Watch"]  # a quoted title
    assert "place" in found["Tulsa"]
    assert person("At Augusta National") == "Augusta National"  # a sentence's first word is no name
    assert person("U.S. Secretary of State Antony Blinken") == "Antony Blinken"
    assert person("An American") == "American"  # an article and a people's adjective name no one
    assert "An American" not in spans_of(read("Who was freed?"), "An American considered wrongfully detained was freed.")


def test_the_rows_say_what_each_span_is_to_the_question() -> None:
    spans, rows = spans_and_rows([FIRE])
    assert rows.shape == (len(spans), len(FEATURES))
    column = {s: dict(zip(FEATURES, r)) for s, r in zip(spans, rows)}
    assert column["California"]["asked"] == 1.0  # the question names it: rarely the answer
    assert column["Park Fire"]["title"] == 1.0 and column["Chico"]["title"] == 0.0
    assert column["Park Fire"]["kind"] == 1.0  # a name, as "which wildfire" wants


def test_the_shipped_model_bolds_the_right_span_where_the_rule_does_not() -> None:
    learned = LeadModel.load(WEIGHTS)
    assert isinstance(learned.model, TreeModel) and "bench/train_answers.py" in learned.model.made_by
    assert learned.chance(3.0) > learned.chance(0.0) > learned.chance(-3.0)  # calibrated, increasing
    assert answerer(LeadModel.rule()).answer(QUESTION, [FIRE]).lead == "Chico"  # nearest the question's words
    draft = answerer(learned).answer(QUESTION, [FIRE])
    assert draft.lead == "Park Fire" and draft.text.startswith("Park Fire — ")
    assert draft.citations[0].quote in FIRE.text


def test_below_the_lead_threshold_nothing_is_bolded() -> None:
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, lead=0.99)
    draft = answerer(LeadModel.load(WEIGHTS), config).answer(QUESTION, [FIRE])
    assert draft.lead == "" and draft.text.startswith("The Park Fire") and draft.citations
    # the likeliest span and its chance are still told (what `-v` and --json show), bolded or not
    assert draft.span == "Park Fire" and draft.span_chance is not None and 0.0 < draft.span_chance < 0.99


def test_the_span_chance_is_the_one_the_threshold_is_held_to() -> None:
    learned = LeadModel.load(WEIGHTS)
    draft = answerer(learned).answer(QUESTION, [FIRE])
    assert draft.lead == draft.span == "Park Fire" and draft.span_chance is not None
    just_above = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0,
                              lead=draft.span_chance + 1e-6)
    assert answerer(learned, just_above).answer(QUESTION, [FIRE]).lead == ""
    at = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, lead=draft.span_chance)
    assert answerer(learned, at).answer(QUESTION, [FIRE]).lead == "Park Fire"
    nothing = read("Why did the fire grow?")  # asks for no kind of span: none is weighed
    assert answerer(learned).answer(nothing, [FIRE]).span_chance is None


@pytest.mark.parametrize("damage", ["", "{not json", '{"features": ["rule"], "mean": [0], "scale": [1], "weights": [1]}',
                                    '{"kind": "trees", "features": ["rule"], "trees": []}'])
def test_a_damaged_weights_file_is_one_line_and_the_engine_bolds_by_the_rule(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str) -> None:
    weights = tmp_path / "leads.json"
    engine, line = damaged(weights, damage, LeadModel.load, caplog, lead_weights=weights)
    assert "lead weights" in line and "pattern rule" in line
    assert engine.leads.model.made_by == "rule"


def test_a_work_named_only_by_the_title_can_lead() -> None:
    """"the wildly popular show" is named from the title in the quote ("[Night Ferry]"): that name
    is a candidate, and the one bolded."""
    show = passage("The streaming service said on Sunday that the wildly popular Danish show is green lit for a "
                   "second season. Filming starts in the spring.",
                   article_id="show", title="'Night Ferry': streaming service green lights season 2",
                   published="2024-06-12")
    question = read("Which wildly popular show was recently green lit for a new season?")
    draft = answerer(LeadModel.load(WEIGHTS)).answer(question, [show])
    assert "show [Night Ferry] is green lit" in draft.text
    assert draft.lead == "Night Ferry" and draft.text.startswith("Night Ferry — ")


def test_a_day_asked_for_leads_with_the_date_its_weekday_names() -> None:
    """"When ...?" answered "Friday" is a guess at which Friday: the lead names the day, read
    against the report's date; the quote keeps the article's word."""
    talks = passage("Envoys from both countries failed to reach an agreement on Friday in Geneva after two days "
                    "of talks. Both sides pledged to keep negotiating.",
                    article_id="talks", title="Geneva talks end without a deal", published="2022-01-22")
    draft = answerer(LeadModel.load(WEIGHTS)).answer(read("When did the envoys fail to reach an agreement?"), [talks])
    assert draft.span == "Friday [January 21, 2022]"
    assert "agreement on Friday in Geneva" in draft.citations[0].quote  # the quote stays verbatim


def test_a_question_asking_for_two_gets_the_pair_its_sentence_names() -> None:
    from bot.answering.leads import Span, paired
    from bot.answering.sentences import Scored
    merger = passage("Honda and Nissan are discussing a possible merger. Toyota declined to comment.")
    first = Scored(merger, 0, 0, 1.0, *merger.sentences[0])
    second = Scored(merger, 1, 0, 0.5, *merger.sentences[1])
    spans = [Span("Honda", first), Span("Nissan", first), Span("Toyota", second)]
    assert read("Which two automakers are discussing a possible merger?").pair
    assert not read("Which automaker is discussing a merger?").pair
    assert paired(spans[0], spans) == paired(spans[1], spans) == "Honda and Nissan"
    assert paired(spans[2], spans) == "Toyota"  # its sentence names no pair


def test_a_guild_a_tour_or_a_bowl_is_no_person() -> None:
    who = read("Who will headline the show?")
    for sentence, body in [("The Screen Actors Guild announced a strike.", "Screen Actors Guild"),
                           ("Fans of the Eras Tour cheered.", "Eras Tour"),
                           ("Snoop Dogg will perform at Super Bowl LVIII in Las Vegas.", "Super Bowl LVIII")]:
        assert "person" not in spans_of(who, sentence).get(body, set()), body


def test_a_name_set_beside_the_news_is_never_bolded_however_it_scores() -> None:
    from bot.answering.sentences import Scored
    from retrieval.linear import LinearModel
    won = passage("The Kansas City Chiefs beat the San Francisco 49ers in overtime, the first time since the "
                  "New England Patriots that a team has won back-to-back titles.")
    lead = Scored(won, 0, 0, 1.0, *won.sentences[0])
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("position")] = 1.0  # the later in its sentence, the likelier: the Patriots would lead
    late = LeadModel(LinearModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), weights, made_by="test"))
    shown, chance = late.best(read("Which team won the Super Bowl?"), [lead], [won])
    assert chance is not None and shown and "Patriots" not in shown


def _shown_by_kind(question: str, lead: Passage, passages: list[Passage]) -> str:
    """The bold span a model that only prefers a span of the asked kind shows, the lead sentence
    being ``lead``'s first."""
    from bot.answering.sentences import Scored
    from retrieval.linear import LinearModel
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("kind")] = 1.0  # a name, as "which team" wants
    named = LeadModel(LinearModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), weights, made_by="test"))
    return named.best(read(question), [Scored(lead, 0, 0, 1.0, *lead.sentences[0])], passages)[0]


def test_a_team_bolded_by_its_short_name_is_given_as_another_passage_names_it() -> None:
    short = passage("Goff threw two touchdowns as the Lions won a playoff game for the first time in 32 years.",
                    article_id="short")
    full = passage("The Detroit Lions have won one playoff game in the Super Bowl era.", article_id="full")
    question = "Which NFL team won its first playoff game in 32 years?"
    assert _shown_by_kind(question, short, [short, full]) == "Detroit Lions"
    assert _shown_by_kind(question, short, [short]) == "Lions"  # never named in full: as said


def test_bold_initials_are_shown_with_the_name_a_passage_spells_out() -> None:
    short = passage("Officials said TMC will end its robotaxi program after a decade.", article_id="short")
    spelled = passage("Shares of Tarrow Motor Company (TMC) fell on Tuesday.", article_id="spelled")
    question = "Which automaker will end its robotaxi program?"
    assert _shown_by_kind(question, short, [short, spelled]) == "Tarrow Motor Company (TMC)"
    assert _shown_by_kind(question, short, [short]) == "TMC"  # never spelled out: as said


def test_a_bold_name_drops_the_possessive_the_passages_also_use_it_without() -> None:
    owned = passage("The council adopted Ana Ruiz’s transit plan on Monday.", article_id="owned")
    bare = passage("Ana Ruiz said the plan would add bus lines.", article_id="bare")
    question = "Which council member's transit plan was adopted?"
    assert _shown_by_kind(question, owned, [owned, bare]) == "Ana Ruiz"
    assert _shown_by_kind(question, owned, [owned]) == "Ana Ruiz’s"  # never named without it: as said


def test_a_surname_in_a_wrapped_sentence_is_named_from_the_text_before_it() -> None:
    """The text before a quoted sentence is read from where the sentence sits: a hard-wrapped
    sentence is not found by its flattened words, and the full name before it would be lost."""
    eagles = passage("Jalen Hurts signed a new deal on Monday. The team said Hurts will lead\nthe Philadelphia "
                     "Eagles again next season.", article_id="eagles", published="2024-04-29")
    draft = answerer(LeadModel.load(WEIGHTS)).answer(read("Who will lead the Philadelphia Eagles next season?"),
                                                     [eagles])
    assert "Hurts [Jalen Hurts] will lead the Philadelphia Eagles" in draft.text


def test_what_is_a_thing_leads_with_what_the_passage_says_it_is() -> None:
    """A role beats the bold-span model's pick: "What is OPEC+?" wants no other name."""
    cut = passage("Saudi Arabia and Russia agreed on Sunday to cut output again. OPEC+, the group of oil-exporting "
                  "nations led by Saudi Arabia, will meet in Vienna in June.", article_id="opec", published="2023-04-03")
    draft = answerer(LeadModel.load(WEIGHTS)).answer(read("What is OPEC+?"), [cut])
    assert draft.lead == "OPEC+, the group of oil-exporting nations led by Saudi Arabia"
    assert draft.text.startswith(f"{draft.lead} — OPEC+, the group") and "agreed on Sunday" not in draft.text


def test_who_is_a_name_the_quotes_give_without_a_role_bolds_no_other_name() -> None:
    cover = passage("Martha Stewart is upholding her icon status, this time as a cover model for Sports Illustrated "
                    "Swimsuit. The issue goes on sale in May.", article_id="cover", published="2023-05-16")
    draft = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.0)).answer(read("Who is Martha Stewart?"), [cover])
    assert draft.lead == "" and "Martha Stewart is upholding" in draft.text  # quoted, no other name in bold
    assert not draft.text.startswith("Sports Illustrated")
    other = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.0)).answer(read("Who is on the cover?"), [cover])
    assert other.lead  # asked who is on the cover, a name is bolded


def test_a_day_already_past_is_not_bolded_for_a_day_to_come() -> None:
    regatta = passage("The Riverton regatta will be held on April 23, 2022, the rowing club said.",
                      article_id="regatta", title="Riverton regatta set for spring", published="2022-03-10")
    question = read("When will the Riverton regatta be held?")
    rule = answerer(LeadModel.rule())
    assert rule.answer(replace(question, as_of=date(2022, 3, 20)), [regatta]).lead == "April 23, 2022"
    assert "April" not in rule.answer(replace(question, as_of=date(2022, 6, 1)), [regatta]).lead
    assert rule.answer(replace(read("When was the Riverton regatta held?"), as_of=date(2022, 6, 1)),
                       [regatta]).lead == "April 23, 2022"


def test_a_day_of_history_is_not_bolded_for_when_the_news_happened() -> None:
    """"When was King Aldric crowned?" is not "in 1661", when the crown his report describes was
    made; asked when it was first made, that day may be the answer."""
    crown = passage("The Harbor crown was made for King Aldric II in 1661, and King Aldric IV wore it when he was "
                    "crowned.", article_id="crown", title="King Aldric IV crowned", published="2023-05-07")
    rule = answerer(LeadModel.rule(), replace(CONFIG, lead=0.0))
    assert rule.answer(read("When was King Aldric crowned?"), [crown]).lead != "in 1661"
    assert rule.answer(read("When was the Harbor crown first made?"), [crown]).lead == "in 1661"


def test_a_span_the_chat_already_answered_is_not_bolded_again() -> None:
    """A follow-up asks for something besides the answer it follows ("Who performed at halftime?"
    after "Kansas City Chiefs"): that answer is no candidate, the next likeliest span is."""
    learned = LeadModel.load(WEIGHTS)
    answering = answerer(learned)
    ranked = answering.scorer.score(QUESTION, [FIRE])
    chosen = answering.chosen(leading(QUESTION, ranked, [FIRE]))
    assert learned.best(QUESTION, chosen, [FIRE])[0] == "Park Fire"
    known = replace(QUESTION, known=("the Park Fire",))
    again, _ = learned.best(known, chosen, [FIRE])
    assert again and "Park Fire" not in again
    assert not answerer(learned, replace(CONFIG, lead=0.0)).answer(known, [FIRE]).text.startswith("Park Fire")


@pytest.mark.parametrize(("asked", "sentence", "span", "other"), [
    ("How many people died?", "More than 2 million people remained without power after the storm.",
     "More than 2 million", True),
    ("How many people died?", "The quake killed nine and injured over 1,000 people early Wednesday.", "over 1,000", True),
    ("How many people were injured?", "The quake killed 9 and injured over 1,000 people early Wednesday.", "9", True),
    ("How many people were injured?", "The quake killed 9 and injured over 1,000 people early Wednesday.",
     "over 1,000", False),
    ("How many people died?", "At least 62 people were killed in the quake.", "At least 62", False),
    ("How many people died?", "The toll rose to 80 on Friday.", "80", False),  # its words say nothing of what it counts
    ("How many homes burned?", "More than 2 million people remained without power.", "More than 2 million", False),
    # its own words say nothing; the sentence is about the missing
    ("How many people died?", "No one knows how many people are missing, but estimates put the figure at 1,000 people.",
     "1,000", True),
])
def test_a_count_of_another_outcome_than_the_one_asked(asked: str, sentence: str, span: str, other: bool) -> None:
    assert counts_another(outcomes(asked), sentence, span) is other


def test_a_count_of_another_outcome_is_not_bolded() -> None:
    """"How many people died?" is not answered in bold by the millions left without power."""
    storm = passage("More than 2 million people remained without power on Sunday after Hurricane Tamsin, "
                    "officials said.", article_id="storm", title="Hurricane Tamsin", published="2024-09-29")
    rule = answerer(LeadModel.rule())
    assert rule.answer(read("How many people lost power after Hurricane Tamsin?"), [storm]).lead == "More than 2 million"
    died = rule.answer(read("How many people died after Hurricane Tamsin?"), [storm])
    assert "2 million" not in died.lead and "More than 2 million people remained without power" in died.text


@pytest.mark.parametrize(("sentence", "span", "asked"), [
    ("At least 90 people have died across several states.", "At least 90", True),
    ("The number of deaths resulting from the fires has risen to 80, officials said.", "80", True),
    ("The death toll climbed to 67 on Friday.", "67", True),
    ("The death toll from a historic fire that roared through this coastal town rose to 96 Sunday.", "96", True),
    ("A gunman opened fire on a parade in a suburb, killing at least six people.", "at least six", True),
    ("More than 430,000 in North Carolina lost nothing.", "More than 430,000", False),
    ("The quake killed 9 and injured over 1,000 people.", "over 1,000", False),
])
def test_a_count_said_to_be_of_the_dead(sentence: str, span: str, asked: bool) -> None:
    assert counts_asked(outcomes("How many people died?"), sentence, span) is asked


def test_a_count_said_to_be_of_what_is_asked_is_preferred_to_one_that_says_nothing() -> None:
    """"More than 430,000 in North Carolina" says nothing of what it counts; "At least 90 people
    have died" says it counts the dead: the second is the bold candidate for how many died."""
    storm = passage("More than 430,000 in North Carolina were hit by Hurricane Tamsin, and at least 90 people "
                    "have died across several states, officials said.",
                    article_id="storm", title="Hurricane Tamsin", published="2024-09-29")
    learned = LeadModel.load(WEIGHTS)
    answering = answerer(learned)
    question = read("How many people died in Hurricane Tamsin?")
    chosen = answering.chosen(leading(question, answering.scorer.score(question, [storm]), [storm]))
    assert learned.best(question, chosen, [storm])[0] == "at least 90"


def test_a_section_of_the_reports_own_outlet_is_not_bolded() -> None:
    """"USA TODAY Money and Personal Finance Reporter Medora Lee has the latest" names a byline, not
    who bought the bank; the outlet's name alone may still answer ("CNN fired Don Lemon")."""
    bank = passage("USA TODAY Money reporter Medora Lee has the latest after Riverton Bank was sold to Northgate.",
                   article_id="bank", title="Riverton Bank sold", published="2023-05-02", outlet="usatoday.com")
    rule = answerer(LeadModel.rule(), replace(CONFIG, lead=0.0))
    assert "USA TODAY" not in rule.answer(read("Who bought Riverton Bank?"), [bank]).lead
    named = passage("CNN Business reporters said the network fired the anchor on Monday.", article_id="anchor",
                    title="Anchor fired", published="2023-04-24", outlet="cnn.com")
    assert rule.answer(read("Which network fired the anchor?"), [named]).lead != "CNN Business"
    own = passage("Riverton Bank was sold to Northgate, USA TODAY reported.", article_id="own", outlet="USA TODAY",
                  published="2023-05-02")
    assert masthead("USA TODAY", outlet_of(own)) is False and masthead("USA TODAY Money", outlet_of(own)) is True
    assert masthead("Northgate Capital", outlet_of(own)) is False


def test_who_won_is_not_answered_in_bold_from_a_report_written_before_the_result() -> None:
    """"The Riverton Rams and the Lakeside Owls are preparing for the final on Sunday" names no
    winner; a report of the result does."""
    rule = answerer(LeadModel.rule(), replace(CONFIG, lead=0.0))
    asked = read("Who won the Harbor Cup final?")
    preview = passage("The Riverton Rams and the Lakeside Owls are preparing for the Harbor Cup final on Sunday.",
                      article_id="preview", title="Harbor Cup final preview", published="2024-02-08")
    result = passage("The Riverton Rams beat the Lakeside Owls 3-1 in the Harbor Cup final on Sunday.",
                     article_id="result", title="Harbor Cup final", published="2024-02-12")
    assert rule.answer(asked, [preview]).lead == ""
    assert rule.answer(asked, [result]).lead == "Riverton Rams"
    assert rule.answer(read("Who will play in the Harbor Cup final?"), [preview]).lead != ""  # not asked who won


@pytest.mark.parametrize(("sentence", "counts"), [
    ("Biden began the day challenging Trump to two debates under his terms.", ["two"]),
    ("Four astronauts arrived at the station on Friday.", ["Four"]),
    ("Officials said nine of the victims were children.", ["nine"]),
    ("The three-time champion lost in the final.", []),  # a compound, no count
    ("Two-thirds of voters backed the plan.", []),
    ("The two was a typo in the release.", []),  # before a verb, no plural
    ("Residents near Three Mile Island were told to stay home.", []),
    ("She won one of the races.", []),  # "one" is mostly "one of"
    ("Three children and three adult staff members were killed.", []),  # parts of a whole no word states
    ("The storm killed two people and injured four others.", ["two", "four"]),
    ("A gunman opened fire, killing at least six people.", ["at least six"]),  # as "at least 6" is read
    ("More than two dozen people were hurt.", []),  # "two dozen" is no two
    ("The wave was six feet high.", ["six"]),  # an irregular plural
    ("Two bonus rounds were added.", ["Two"]),  # "bonus" is no plural, "rounds" is
    ("The two always argue.", []),  # a word ending in "s" that is no plural
])
def test_a_count_written_in_words(sentence: str, counts: list[str]) -> None:
    assert counts_in_words(sentence) == counts


def test_how_many_is_answered_in_bold_by_a_count_written_in_words() -> None:
    """News writes small counts in words ("The two astronauts flying the mission"): for "how many"
    that word is the answer; for "how much" (an amount) and other questions it is no candidate."""
    crew = passage("The two astronauts flying the Starfall mission are Dana Reyes and Omar Haddad, officials said.",
                   article_id="crew", title="Starfall launches", published="2024-06-06")
    rule = answerer(LeadModel.rule(), replace(CONFIG, lead=0.0))
    assert rule.answer(read("How many astronauts flew on the Starfall mission?"), [crew]).lead == "two"
    assert read("How many astronauts flew?").counts and not read("How much did the mission cost?").counts
    assert "two" not in spans_of(read("How much did the Starfall mission cost?"), crew.text)
    assert "two" not in spans_of(read("Who flew on the Starfall mission?"), crew.text)


@pytest.mark.parametrize(("asked", "sentence", "span", "nothing"), [
    ("How many people were charged?", "He was indicted after the 2020 election in Georgia.", "2020", True),
    ("How many people were charged?", "Prices rose in 2020, officials said.", "2020", True),
    ("How many people marched?", "Some 2000 protesters marched on Sunday.", "2000", False),  # before a plural
    ("How many people were aboard?", "Five men left in a 22-foot submersible.", "22", True),
    ("How many days will the ceasefire last?", "Allies called for a 21-day ceasefire.", "21", False),  # the unit asked
    ("How many people died?", "At least 2,000 people died.", "2,000", False),
    ("How many seasons did he play?", "He retires at age 45, the owner of every record.", "45", True),  # an age
    ("How many titles has she won?", "Dana Reyes, 27, will now look ahead.", "27", True),
    ("How old is she?", "Dana Reyes, 27, will now look ahead.", "27", False),
    ("How many homes were sold?", "Dana Reyes, 27, sold two homes.", "27", True),  # "sold" asks no age
    ("How many titles has she won?", "She won her first title in 2001 as a teenager.", "2001", True),  # "as": no plural
])
def test_a_year_or_a_measure_counts_nothing(asked: str, sentence: str, span: str, nothing: bool) -> None:
    assert counts_nothing(asked.lower(), sentence, span) is nothing


def test_how_many_is_not_answered_in_bold_by_a_year_or_a_measure() -> None:
    """"How many people were aboard?" is not "22" of "a 22-foot submersible", nor "2020" of "the
    2020 election"; the count the sentence gives in words is."""
    sub = passage("Five men died aboard a 22-foot submersible diving to the wreck, officials said after the 2020 "
                  "election.", article_id="sub", title="Submersible lost", published="2023-06-23")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.0))
    assert learned.answer(read("How many people were aboard the submersible?"), [sub]).lead == "Five"
    assert learned.answer(read("How long was the submersible?"), [sub]).lead == "22"  # a measure is asked


def test_an_age_answers_no_figure_but_an_age() -> None:
    """"How long was the guard sentenced to?" is not "101" of "a 101-year-old former guard"; "how
    old" is."""
    said = "A 101-year-old former guard was sentenced to five years in prison on Tuesday."
    assert an_age("how long was he sentenced to?", said, "101")
    assert an_age("how much did the fine cost?", "Reyes, who was 77 years old, paid $500.", "77")
    assert not an_age("how old is the guard?", said, "101")
    assert not an_age("how long was he sentenced to?", "He served 12 years in prison.", "12")
    trial = passage(said + " The court fined him $2,000.", article_id="guard", title="Guard sentenced",
                    published="2022-06-28")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.0))
    assert learned.answer(read("How long was the former guard sentenced to?"), [trial]).lead != "101"
    assert learned.answer(read("How old is the former guard?"), [trial]).lead == "101"


@pytest.mark.parametrize(("asked", "span", "about"), [
    ("Who shot at Trump?", "Donald Trump", True),
    ("Who did Biden endorse?", "Joe Biden’s", True),
    ("Which member of the Biden family was convicted?", "Hunter Biden", False),  # a modifier: the family
    ("Which of Biden's sons was convicted?", "Hunter Biden", False),
    ("Which Kennedy is running for president?", "Robert F. Kennedy", False),  # the kind asked for
    ("Which carrier is merging with Alaska Airlines?", "Hawaiian Airlines", False),  # no person's surname
    ("Who beat Alcaraz in the final?", "Novak Djokovic", False),
    ("Which car is Harborline recalling?", "Harborline Motor Sales USA", True),  # a company by its formal name
    ("Which Harborline model was recalled?", "Harborline Motor Sales USA", False),  # the kind asked for
    ("What did Harborline announce?", "Harborline Tide Pro", False),  # a product: no company's word
])
def test_the_person_the_question_asks_about(asked: str, span: str, about: bool) -> None:
    assert asked_about(read(asked), span) is about


def test_the_person_asked_about_is_never_the_bold_answer() -> None:
    """"Who shot at Mayor Dana Reyes?" is not answered "Dana Reyes", however the report leads with
    her; the answer is quoted, nothing bolded."""
    rally = passage("Mayor Dana Reyes survived an attack at a rally on Saturday when a gunman opened fire, "
                    "officials said.", article_id="rally", title="Mayor Dana Reyes survives attack", published="2024-07-14")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.05))
    draft = learned.answer(read("Who shot at Reyes?"), [rally])
    assert draft.lead == "" and draft.span.endswith("Dana Reyes") and draft.span_chance == 0.0
    assert "Mayor Dana Reyes survived an attack" in draft.text
    assert learned.answer(read("Who survived an attack at the rally?"), [rally]).lead.endswith("Dana Reyes")


def test_where_a_reporting_body_sits_is_not_where_it_happened() -> None:
    """"The National Hurricane Center in Miami said Tamsin made landfall near Perry": Miami is
    where the center sits, never the bold answer to where the storm came ashore."""
    storm = passage("The National Hurricane Center in Miami said Hurricane Tamsin made landfall near Perry late "
                    "Thursday.", article_id="landfall", title="Tamsin makes landfall", published="2024-09-27")
    assert seat_of_body("Miami", {"place"}, storm.text) and not seat_of_body("Perry", {"place"}, storm.text)
    assert not seat_of_body("Baghdad", {"place"}, "Rockets hit the U.S. Embassy in Baghdad.")  # where it happened
    for model in (LeadModel.rule(), LeadModel.load(WEIGHTS)):
        draft = answerer(model, replace(CONFIG, lead=0.0)).answer(read("Where did Hurricane Tamsin make landfall?"), [storm])
        assert draft.lead != "Miami" and draft.span != "Miami"


def test_a_body_is_not_the_thing_of_another_kind_asked_for() -> None:
    """"Which vegetable was recalled?" is not answered "Food and Drug Administration"; "which
    agency" may be, and "who" may be too."""
    recall = passage("The Food and Drug Administration said cucumbers grown in Florida were recalled in 14 states.",
                     article_id="recall", title="Cucumber recall", published="2024-06-01")
    assert body_not_asked(read("Which vegetable was recalled in 14 states?"), "Food and Drug Administration")
    assert not body_not_asked(read("Which federal agency announced the recall?"), "Food and Drug Administration")
    assert not body_not_asked(read("Who announced the recall?"), "Food and Drug Administration")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.05))
    assert learned.answer(read("Which vegetable was recalled in 14 states?"), [recall]).lead != "Food and Drug Administration"


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Who won the US Open?", "Western & Southern Open", True),
    ("Which football team won the Harbor Cup final on Sunday?", "Champions League", True),
    ("Which tennis legend retired this week?", "Davis Cup", True),
    ("Kelvin Kiptum set a record by completing which race?", "Chicago Marathon", False),  # an event asked for
    ("Which awards show announced its nominees?", "Emmy Awards", False),
    ("What did Scheffler win?", "Masters", False),
    ("Who won the US Open?", "Coco Gauff", False),  # no event
])
def test_an_event_is_not_who_or_what_of_another_kind_is_asked_for(asked: str, span: str, vetoed: bool) -> None:
    assert event_not_asked(read(asked), span) is vetoed


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Which grove in Yosemite was threatened by the fire?", "Yosemite National Park", True),
    ("Who was rescued after a fall on Sunday?", "Grand Canyon", True),
    ("Which company cut water use last year?", "Lake Mead", True),
    ("Which national park closed after the floods?", "Yellowstone National Park", False),  # a park asked for
    ("Which river flooded the town?", "Mississippi River", False),
    ("Where was the hiker found?", "Death Valley", False),  # a place asked for
    ("Who won the LPGA Championship?", "Inbee Park", False),  # a surname, not a park
    ("Which team won the Stanley Cup?", "Tampa Bay", False),
    ("Which bank raised rates?", "Federal Reserve", False),
])
def test_a_park_or_natural_place_is_not_who_or_what_of_another_kind_is_asked_for(asked: str, span: str,
                                                                                  vetoed: bool) -> None:
    assert feature_not_asked(read(asked), span) is vetoed


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Which union reached a deal with the studios?", "Harbor Producers Alliance", True),  # the side it names
    ("Which union reached a deal with the studios?", "Riverton Writers Guild", False),  # the side it asks for
    ("Which singer signed a deal with Ana Ruiz?", "Harbor Producers Alliance", False),  # named, not described
    ("Who did the union reach a deal with?", "Harbor Producers Alliance", False),  # the other side asked for
    ("Which union went on strike against the studios?", "Harbor Producers Alliance", False),  # no deal asked
])
def test_the_other_side_of_a_deal_the_question_names_is_not_bolded(asked: str, span: str, vetoed: bool) -> None:
    said = "The Riverton Writers Guild announced the deal late Sunday with the Harbor Producers Alliance."
    assert other_side(read(asked), span, said) is vetoed


@pytest.mark.parametrize(("asked", "said", "span"), [
    ("Who won the tennis final on Sunday?", "The Western Harbor Open final on Sunday drew a record crowd in Riverton.",
     "Western Harbor Open"),  # the event
    ("Who won the Harbor Cup final?", "The Harbor Cup final drew fans who remembered the summer the club won the "
     "Northland Shield.", "Northland Shield"),  # what was won elsewhere: a prize, not a winner
])
def test_an_event_or_a_prize_is_not_bolded_for_who_won(asked: str, said: str, span: str) -> None:
    """A report of the final that names no winner gives no bold answer to who won it: the event's
    name is where the news happened, and a prize won elsewhere is no winner."""
    final = passage(said, article_id="final", title="Final", published="2024-09-09")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.05))
    draft = learned.answer(read(asked), [final])
    assert draft.lead == "" and draft.span == span and draft.span_chance == 0.0


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Who won the Harbor Cup?", "Northland Shield", True),  # what the winner of another contest won
    ("Which team won on Sunday?", "Riverton Rams", True),  # who lost
    ("Who won the Harbor Cup?", "Lakeside Lions", False),  # the winner
    ("Which team lost on Sunday?", "Riverton Rams", False),  # not asked who won
    ("Who won the Harbor Cup?", "Bay League", True),  # a contest named before its champions
])
def test_what_was_won_or_who_lost_is_not_who_won(asked: str, span: str, vetoed: bool) -> None:
    """"The Lakeside Lions beat the Riverton Rams to win the Northland Shield": for who won, only the
    Lions; the Rams lost and the Shield is the prize."""
    said = ("The Lakeside Lions, the 2023 Bay League champions, beat the Riverton Rams on Sunday to win the 2024 "
            "Northland Shield.")
    assert won_or_beaten(read(asked), span, said) is vetoed


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Which company launched a vaccine trial?", "French", True),  # a people's adjective
    ("Which retailers are cutting prices?", "Americans", True),
    ("What nationality is the climber?", "French", False),  # asked for
    ("Which language will the lessons be taught in?", "French", False),
    ("Which restaurant chain is redesigning its menu?", "US", True),  # a country, for a business
    ("Which company is leaving the market?", "Ohio", True),
    ("Which country is leaving the market?", "US", False),
    ("Which country's airline is leaving the market?", "US", False),
    ("Which actor died on Tuesday?", "Harbor Lights", True),  # a quoted title, where a person is asked
    ("Who is Tom Reed's son?", "Harbor", True),  # part of one
    ("Which sitcom made him famous?", "Harbor Lights", False),
    ("Which actor died on Tuesday?", "Tom Reed", False),
    ("Who won the scoring title?", "Harbor Hawks", True),  # a team named before a player's role
    ("Which team won the scoring title?", "Harbor Hawks", False),
])
def test_a_kind_the_question_cannot_want_is_not_the_answer(asked: str, span: str, vetoed: bool) -> None:
    said = ("“Harbor Lights” actor Tom Reed, who worked with a French director and many Americans, died on Tuesday, "
            "as Harbor Hawks forward Ana Silva won the scoring title.")
    assert kind_not_asked(read(asked), span, said) is vetoed


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Which team has the richest owners?", "Marlow-Reed", True),  # the family that owns it
    ("Which team has the richest owners?", "Harbor Hawks", False),
    ("Which family owns the richest team?", "Marlow-Reed", False),  # a family asked for
    ("Who owns the richest team?", "Marlow-Reed", False),  # a person asked for: the family is who
])
def test_a_family_is_not_the_thing_asked_for(asked: str, span: str, vetoed: bool) -> None:
    said = "The Harbor Hawks, owned by the Marlow-Reed family since 2022, are worth $7 billion."
    assert kind_not_asked(read(asked), span, said) is vetoed


def test_a_quoted_title_is_not_bolded_for_which_actor() -> None:
    """The show an actor is known for leads his obituary; it is not who died."""
    obituary = passage("“Harbor Lights” actor Tom Reed, who played the lighthouse keeper, died on Tuesday at 77.",
                       article_id="obit", title="Sitcom actor dies", published="2024-03-05")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.05))
    assert learned.answer(read("Which actor who played the lighthouse keeper died?"), [obituary]).lead != "Harbor Lights"


def test_for_who_won_one_said_to_win_comes_before_a_guest() -> None:
    """"Singer Lora Vale won the Harbor Song Contest, but Princess Mira stole the show": for who
    won, no span but one the report says won leads."""
    contest = passage("LIVERPOOL, England − Swedish singer Lora Vale won the Harbor Song Contest with her ballad "
                      "\"Tide,\" but Princess Mira stole the show when she opened the competition.",
                      article_id="song", title="Princess Mira opens song contest", published="2023-05-14")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.0))
    assert learned.answer(read("Who won the Harbor Song Contest?"), [contest]).lead in ("", "Lora Vale")
    asked = read("Who won the Harbor Song Contest?")
    assert said_to_win(asked, "Lora Vale", contest.text) and not said_to_win(asked, "Princess Mira", contest.text)
    assert not said_to_win(asked, "Ana Silva", "Ana Silva won best supporting actress at the Lakeside Awards.")


def test_for_whom_someone_picked_one_said_picked_comes_before_who_speaks_of_it() -> None:
    """"Campaign Chair Dana Reyes criticized Governor Ames's selection of Tom Reed as his running
    mate": the pick is Tom Reed, not who criticized it."""
    said = "Campaign Chair Dana Reyes criticized Governor Ames's selection of Tom Reed as his running mate on Monday."
    asked = read("Who did Governor Ames pick as his running mate?")
    assert asks_chosen(asked.text) and not asks_chosen("Who criticized the pick?")
    assert said_chosen("Tom Reed", said) and not said_chosen("Dana Reyes", said)
    pick = passage(said, article_id="pick", title="Running mate", published="2024-07-15")
    learned = answerer(LeadModel.load(WEIGHTS), replace(CONFIG, lead=0.0))
    assert learned.answer(asked, [pick]).lead in ("", "Tom Reed")


@pytest.mark.parametrize(("asked", "span", "vetoed"), [
    ("Which retailer cut air conditioning in its stores?", "Harbor Bank", True),  # the report's source
    ("Which bank's analysts said the retailer cut air conditioning?", "Harbor Bank", False),  # the source is asked
    ("Which retailer cut air conditioning in its stores?", "Orchard Mart", False),
])
def test_who_the_news_is_sourced_to_is_not_what_it_tells_of(asked: str, span: str, vetoed: bool) -> None:
    said = "A new report from Harbor Bank claims that Orchard Mart has cut air conditioning in its stores."
    assert sourced_to(read(asked), span, said) is vetoed


@pytest.mark.parametrize(("asked", "wanted"), [
    ("Which city was monitoring its drinking water this week?", "city"),
    ("Which social media platform expanded its link-sharing feature?", "social media platform"),
    ("Which type of livestock is being hit by bird flu?", "livestock"),
    ("Florida has been hit by an outbreak of which highly infectious disease?", "highly infectious disease"),
    ("Which state was the first to start early voting?", "state"),
    ("Who won the Masters?", ""),  # it names no kind
    ("What is the name of the storm that hit Louisiana?", ""),  # "what is ..." names no kind
    ("Which of the following is the most polluted city?", ""),
    ("What was spotted over New Jersey?", ""),
])
def test_what_the_question_asks_for(asked: str, wanted: str) -> None:
    assert asks_for(read(asked)) == wanted


def test_the_best_spans_get_their_closeness_to_what_is_asked_for() -> None:
    question = read("Which city was monitoring its water after a chemical spill?")
    spill = passage("Officials in Philadelphia said Bucks County and New Jersey crews watched the Delaware River "
                    "after a chemical spill in Pennsylvania on Friday, and Trenton, Camden and Chester too.",
                    article_id="spill", title="Spill upstream", published="2023-03-26")
    answering = answerer(None)
    chosen = answering.chosen(leading(question, answering.scorer.score(question, [spill]), [spill]))
    at = FEATURES.index("asked_for")
    spans, plain = candidates(question, chosen, [spill])  # no embedder: no closeness
    assert len(spans) > MEANING_SPANS and not plain[:, at].any()
    embedder = StandInEmbedder()
    seen: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        seen.append(texts)
        return embedder.embed(texts)

    spans, rows = candidates(question, chosen, [spill], embed)
    assert seen and seen[0][0] == "city" and len(seen) == 1  # one batch: what is asked for, then the spans
    best = np.argsort(-first_look(rows), kind="stable")[:MEANING_SPANS]
    assert [spans[i].text for i in best] == seen[0][1:]  # the best spans by the fixed first look, no more
    vectors = embedder.embed(["city", *(spans[i].text for i in best)])
    assert np.allclose(rows[best, at], vectors[1:] @ vectors[0], atol=1e-6)
    others = np.setdiff1d(np.arange(len(spans)), best)
    assert not rows[others, at].any()
    assert np.array_equal(np.delete(rows, at, axis=1), np.delete(plain, at, axis=1))  # nothing else moves
