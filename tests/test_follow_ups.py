"""Follow-ups: a question is rewritten from the conversation only when it cannot stand alone."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.answering.conversation import Conversation, carry_over, follow_up_reason, full_names, speaks_of
from tests.test_cli import newsbot  # noqa: F401  (the CLI fixture)

# (the question before, the follow-up, how it must be searched)
FOLLOW_UPS = [
    ("What did Blinken tell Lavrov?", "Where did they meet?", "Where did Blinken and Lavrov meet?"),
    ("What did Zelensky say?", "What did he ask for?", "What did Zelensky ask for?"),
    ("Why did Liz Truss resign?", "When did she take office?", "When did Liz Truss take office?"),
    ("What did Lavrov demand?", "And how did NATO respond?", "How did NATO respond (Lavrov)?"),
    ("What happened in Fiji?", "How many people died there?", "How many people died there (Fiji)?"),
    ("Which company did Elon Musk buy?", "How much did he pay?", "How much did Elon Musk pay?"),
    ("What did the Federal Reserve decide?", "When was it announced?", "When was it announced (Federal Reserve)?"),
    ("Who won the Champions League final in Paris?", "Who scored?", "Who scored (Champions League final, Paris)?"),
    ("What did Apple announce?", "When will it go on sale?", "When will it go on sale (Apple)?"),
    ("Where did the Artemis rocket launch?", "Why was it delayed?", "Why was it delayed (Artemis rocket)?"),
    ("What did Pope Francis say about Canada?", "What about Indigenous leaders?",
     "Indigenous leaders (Pope Francis, Canada)?"),
    ("What did Boris Johnson announce?", "Why did he resign?", "Why did Boris Johnson resign?"),
    ("Which team did Serena Williams play?", "Did she win?", "Did Serena Williams win?"),
    ("Who is the new prime minister of Italy?", "What is her party?", "What is her party (Italy)?"),
    ("What did Shinzo Abe do before he died?", "Where was he shot?", "Where was Shinzo Abe shot?"),
    ("What was found in Yellowstone?", "Why did this happen?", "Why did this happen (Yellowstone)?"),
    ("Which country hosted the World Cup?", "Who won it?", "Who won it (World Cup)?"),
    ("What did Taylor Swift announce?", "And when does the tour start?", "When does the tour start (Taylor Swift)?"),
    ("What did Biden sign into law?", "What did his critics say?", "What did his critics say (Biden)?"),
    ("Why did the Kia recall happen?", "How many were recalled then?", "How many were recalled then (Kia recall)?"),
    ("What happened in Fiji on Monday, February 6?", "How many people died there?", "How many people died there (Fiji)?"),
]

# (the question before, the answer it asserted in bold, the follow-up, how it must be searched)
ANSWERED = [
    ("Who won the Super Bowl?", "Kansas City Chiefs", "Who did they beat?", "Who did Kansas City Chiefs beat?"),
    ("Which team won the Super Bowl?", "Kansas City Chiefs", "Who did they beat?", "Who did Kansas City Chiefs beat?"),
    ("Who is the new prime minister of Italy?", "Giorgia Meloni", "What is her party?",
     "What is her party (Giorgia Meloni)?"),
    ("Who did Blinken meet?", "Lavrov", "Where did they meet?", "Where did Blinken and Lavrov meet?"),
    ("Who did Blinken meet?", "Lavrov", "What did he say?", "What did Blinken say?"),
    ("Which team did Serena Williams play?", "Venus Williams", "Did she win?", "Did Serena Williams win?"),
    ("What did Apple announce?", "iPhone 14", "When will it go on sale?", "When will it go on sale (Apple)?"),
    ("Who won the Super Bowl?", "", "Who did they beat?", "Who did they beat (Super Bowl)?"),  # no answer asserted
]

# Questions that name their own subject: searched as asked whatever came before.
STANDALONE = [
    "Which national park was hit by severe flooding?",
    "Which leader announced his resignation?",
    "What did the protesters say they wanted?",
    "Which country said its army would leave?",
    "Which company announced it would cut 10,000 jobs this week?",
    "What did Sweden say about joining NATO?",
    "How did Biden react to the ruling?",
    "Which wildly popular show was recently green lit for a new season?",
    "What is the name of the storm that hit Florida this week?",
    "How much did the cost of raising a child rise, according to economists?",
]


@pytest.mark.parametrize(("before", "question", "searched"), FOLLOW_UPS)
def test_a_follow_up_is_rewritten_from_the_turn_before(before: str, question: str, searched: str) -> None:
    conversation = Conversation()
    conversation.add(before, before, "an answer")
    assert conversation.reason(question)
    assert conversation.standalone(question) == searched


@pytest.mark.parametrize(("before", "lead", "question", "searched"), ANSWERED)
def test_a_follow_up_points_at_who_the_turn_before_was_answered_with(before: str, lead: str, question: str,
                                                                     searched: str) -> None:
    conversation = Conversation()
    conversation.add(before, before, f"{lead} — a quote." if lead else "a quote.", lead)
    assert conversation.standalone(question) == searched


@pytest.mark.parametrize("question", STANDALONE)
def test_a_question_with_its_own_subject_is_searched_as_asked(question: str) -> None:
    conversation = Conversation()
    conversation.add("What happened in Fiji?", "What happened in Fiji?", "Floods hit Fiji.")
    assert follow_up_reason(question) == ""
    assert conversation.standalone(question, rewriter=lambda history, q: "a rewrite nobody asked for") == question


def test_nothing_is_a_follow_up_of_nothing() -> None:
    assert Conversation().standalone("Where did they meet?") == "Where did they meet?"


def test_an_unrelated_question_in_chat_is_answered_as_if_asked_alone(newsbot, tmp_path: Path) -> None:  # noqa: F811
    """The real chat through its stdin: a follow-up of a question about Fiji is rewritten and /why
    says why; then a question about a flooded national park is answered from the Yellowstone
    article, and /why says it was searched as asked."""
    corpus = tmp_path / "floods.jsonl"
    articles = [
        {"id": "fiji", "title": "Cyclone batters Fiji", "outlet": "Pacific Wire", "published": "2022-06-14",
         "text": "A cyclone battered Fiji on Monday, flattening villages on the island of Vanua Levu. "
                 "Officials in Suva said four people died and thousands were moved to shelters."},
        {"id": "park", "title": "Yellowstone closes after floods", "outlet": "Mountain Daily",
         "published": "2022-06-14",
         "text": "Yellowstone National Park was hit by severe flooding that washed out roads and bridges. "
                 "All five entrances to the park were closed as rivers rose to record levels."},
    ]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    assert newsbot("ingest", str(corpus)).exit_code == 0
    alone = newsbot("ask", "--json", "Which national park was hit by severe flooding?")
    assert "Yellowstone" in json.loads(alone.stdout)["answer"]

    chat = newsbot("chat", input="What happened in Fiji?\nHow many people died there?\n/why\n"
                                 "Which national park was hit by severe flooding?\n/why\n/quit\n")
    assert chat.exit_code == 0, chat.output
    turns = [" ".join(t.split()) for t in chat.output.split("you> ")[1:]]
    assert "four people died" in turns[1]
    assert turns[2].startswith("read as a follow-up (“there” refers to something asked before), searched for: "
                               "How many people died there (Fiji)?")
    assert "Yellowstone" in turns[3] and "Fiji" not in turns[3]
    assert turns[4].startswith("searched as asked: Which national park was hit by severe flooding?")


# A question naming nothing of its own, the best report found for it with the last topic, whether it
# speaks of it: it must name the topic and hold the question's words.
BRIDGE = ("Baltimore bridge collapse", "Six people died when the Key Bridge in Baltimore collapsed on Tuesday.")
SPEAKS_OF = [
    ("How many people died?", "How many people died (Baltimore bridge)?", BRIDGE, True),
    ("Which band released a new album?", "Which band released a new album (Baltimore bridge)?",
     ("Weezer returns", "The band released a new album on Friday."), False),  # the album's report names no bridge
    ("How many people died?", "How many people died (Baltimore bridge)?",
     ("Flu season", "Many people died of the flu in Baltimore this winter."), False),  # Baltimore, not its bridge
    ("Which country won the most gold medals?", "Which country won the most gold medals (Paris Olympics)?",
     ("Medal table", "The United States won the most gold medals at the Paris Olympics, 40."), True),  # 4 of 5
    ("Which company cut jobs?", "Which company cut jobs (Super Bowl)?",
     ("Super Bowl ads", "Every company that bought a Super Bowl ad cut its prices."), False),  # 2 of 3
    ("What was the name of the ship?", "What was the name of the ship (Baltimore bridge)?",
     ("Ship hits bridge", "The ship Dali struck the bridge in Baltimore."), True),  # "name" asks, it is not asked about
    ("How many people died?", "How many people died (Baltimore bridge)?", None, False),  # nothing found
]


@pytest.mark.parametrize(("question", "carried", "report", "speaks"), SPEAKS_OF)
def test_a_question_naming_nothing_follows_the_topic_only_where_its_best_report_speaks_of_it(
        question: str, carried: str, report: tuple[str, str] | None, speaks: bool) -> None:
    assert speaks_of(question, carried, report) is speaks


# The names a follow-up carries: a name after "the" keeps the noun it qualifies, not a verb.
TOPICS = [
    ("What happened with the Baltimore bridge?", ["Baltimore bridge"]),
    ("Why did the Kia recall happen?", ["Kia recall"]),
    ("Where did the Artemis rocket launch?", ["Artemis rocket"]),
    ("Where is the Baltimore bridge?", ["Baltimore bridge"]),
    ("What did the Federal Reserve decide?", ["Federal Reserve"]),
    ("What did the Supreme Court rule on abortion?", ["Supreme Court"]),
    ("What did the Pentagon say about the balloon?", ["Pentagon"]),
    ("Did the Chiefs win the game?", ["Chiefs"]),
    ("What is the Pentagon doing?", ["Pentagon"]),
    ("Who won the Champions League final in Paris?", ["Champions League final", "Paris"]),
    ("What did Blinken tell Lavrov?", ["Blinken", "Lavrov"]),
    ("Twitter lifted the suspension on Trump's account. True or false?", ["Twitter", "Trump"]),
]


@pytest.mark.parametrize(("question", "names"), TOPICS)
def test_the_topic_a_follow_up_carries_is_the_name_with_its_noun(question: str, names: list[str]) -> None:
    assert full_names(question) == names


def test_a_question_naming_nothing_may_be_about_each_earlier_topic_the_latest_first() -> None:
    conversation = Conversation()
    for asked in ("What happened to the Baltimore bridge?", "Which band released a new album?",
                  "What did Weezer release?", "Who leads Hamas?", "What did Weezer say?"):
        conversation.add(asked, asked, "an answer")
    assert conversation.topics("How many people died?") == [
        "How many people died (Weezer)?", "How many people died (Hamas)?", "How many people died (Baltimore bridge)?"]
    assert conversation.topics("How many people died?", most=1) == ["How many people died (Weezer)?"]
    assert Conversation().topics("How many people died?") == []


def test_a_follow_up_prefers_the_days_around_the_answer_it_follows() -> None:
    conversation = Conversation()
    assert conversation.window() is None
    conversation.add("Who won the Super Bowl?", "Who won the Super Bowl?", "an answer", day=date(2023, 2, 13))
    assert conversation.window() == (date(2023, 1, 14), date(2023, 2, 20))
    conversation.add("Where is it held?", "Where is it held (Super Bowl)?", "undated answer")
    assert conversation.window() is None  # the last answer cited no dated report


def test_a_question_naming_nothing_in_chat_stays_on_the_story_and_its_time(newsbot, tmp_path: Path) -> None:  # noqa: F811
    """The real chat through its stdin, real embeddings and store: "How many people died?" after a
    question about the Baltimore bridge is answered from the bridge report, though a flu report
    matches its words better, and /why says why; "Which band released a new album?" is still
    searched as asked. Asked about the 2023 Super Bowl, "Who performed at halftime?" is about the
    Super Bowl (not the winner the answer named, nor answered with it in bold) and ranks that
    year's report first, though the next year's is newer and holds the question's words."""
    corpus = tmp_path / "news.jsonl"
    articles = [
        {"id": "bridge", "title": "Key Bridge collapses in Baltimore", "outlet": "Harbor Post", "published": "2024-03-26",
         "text": "A container ship struck the Key Bridge in Baltimore before dawn on Tuesday and the bridge collapsed "
                 "into the river. Six construction workers on the bridge died; officials said no other people "
                 "were on the span."},
        {"id": "flu", "title": "How many people died of the flu?", "outlet": "Health Wire", "published": "2024-03-26",
         "text": "How many people died of the flu this winter? Health officials said 4,000 people died of the flu, "
                 "and more people died in nursing homes than in hospitals."},
        {"id": "band", "title": "Weezer returns", "outlet": "Music Daily", "published": "2024-03-25",
         "text": "The band Weezer released a new album on Friday, its first in three years."},
        {"id": "sb2023", "title": "Chiefs win Super Bowl 57", "outlet": "Sports Desk", "published": "2023-02-13",
         "text": "The Kansas City Chiefs beat the Philadelphia Eagles 38-35 to win the Super Bowl in Arizona. "
                 "Rihanna performed the halftime show, her first live performance in five years."},
        {"id": "sb2024", "title": "Who performed at the Super Bowl halftime show?", "outlet": "Sports Desk",
         "published": "2024-02-12",
         "text": "Usher performed at the Super Bowl halftime show in Las Vegas, singing a medley of his hits "
                 "with Alicia Keys."},
    ]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    assert newsbot("ingest", str(corpus)).exit_code == 0
    chat = newsbot("chat", input="What happened to the Baltimore bridge?\nHow many people died?\n/why\n"
                                 "Which band released a new album?\n/why\nWhat did Weezer release?\n"
                                 "How many people died?\n/why\nWhat's the latest on the bridge?\n/why\n/new\n"
                                 "Who won the Super Bowl in February 2023?\nWho performed at halftime?\n/why\n/quit\n")
    assert chat.exit_code == 0, chat.output
    turns = [" ".join(t.split()) for t in chat.output.split("you> ")[1:]]
    assert "Six construction workers" in turns[1] and "flu" not in turns[1]
    assert turns[2].startswith("read as a follow-up (it names nothing of its own, and the reports on what was "
                               "asked before speak of it), searched for: How many people died (Baltimore bridge)?")
    assert "2024-02-25 to 2024-04-02, around the answer before" in turns[2]
    assert "Weezer" in turns[3] and "bridge" not in turns[3].split("Sources")[0]
    assert turns[4].startswith("searched as asked: Which band released a new album?")
    # Weezer's reports do not speak of deaths: the topic before it does
    assert turns[7].startswith("read as a follow-up (it names nothing of its own, and the reports on what was "
                               "asked before speak of it), searched for: How many people died (Baltimore bridge)?")
    assert "2024-03-26: " in turns[8] and "Key Bridge" in turns[8]  # the bridge story's newest events
    assert "searched for: What's the latest on the bridge (Baltimore bridge)?" in turns[9]
    assert "[1] Chiefs win Super Bowl 57 — Sports Desk, 2023-02-13" in turns[12]  # not the newer Usher report
    assert not turns[12].startswith("Kansas City Chiefs")  # the answer it follows is known: not what it asks
    assert turns[13].startswith("read as a follow-up (it names nothing of its own, and the reports on what was "
                               "asked before speak of it), searched for: Who performed at halftime (Super Bowl)?")
    assert "2023-01-14 to 2023-02-20, around the answer before" in turns[13]


@pytest.mark.parametrize(("question", "bare"), [
    ("Which team won the 2022 NHL Stanley Cup Finals?", "Which team won the 2022?"),
    ("How many people died in the Maui fires?", "How many people died?"),
    ("What did Lavrov demand?", "What did demand?"),
])
def test_the_follow_up_bench_takes_the_names_out_of_a_question(question: str, bare: str) -> None:
    from bench.follow_ups import without_names

    assert without_names(question, full_names(question)) == bare


def test_a_pronoun_of_a_question_naming_nothing_is_its_own_and_the_topic_goes_in_brackets() -> None:
    """"she" of "Which politician announced that she is running?" is the politician asked for, not
    the last topic ("Twitter is running" had been searched)."""
    conversation = Conversation()
    conversation.add("Twitter announced it would lift the suspension.", "Twitter announced it would lift the suspension.",
                     "an answer")
    question = "Which politician announced this week that she is running for president?"
    assert conversation.may_lean(question)
    assert conversation.topics(question) == [
        "Which politician announced this week that she is running for president (Twitter)?"]


@pytest.mark.parametrize(("question", "reads_as"), [("Who is the CEO?", "Who is the CEO (Boeing)?"),
                                                    ("Who is the President?", "Who is the President (Boeing)?")])
def test_a_post_written_as_a_name_names_nobody(question: str, reads_as: str) -> None:
    conversation = Conversation()
    conversation.add("What happened to Boeing?", "What happened to Boeing?", "an answer")
    assert conversation.reason(question) == "it names no subject of its own"
    assert conversation.standalone(question) == reads_as
    assert Conversation().standalone("Who is the CEO of Boeing?") == "Who is the CEO of Boeing?"


@pytest.mark.parametrize("question", ["Who was the MVP?", "What was the GDP?"])
def test_an_honour_or_a_measure_written_in_capitals_is_of_the_topic_before(question: str) -> None:
    """"Who was the MVP?" after "Who won the Super Bowl?" asks for the Super Bowl's MVP."""
    conversation = Conversation()
    conversation.add("Who won the Super Bowl?", "Who won the Super Bowl?", "an answer")
    assert conversation.reason(question) == "it names no subject of its own"
    assert "(Super Bowl)" in conversation.standalone(question)
    assert Conversation().standalone("Who was the Super Bowl MVP?") == "Who was the Super Bowl MVP?"


def test_he_or_she_passes_over_a_person_the_answer_calls_the_other() -> None:
    conversation = Conversation()
    conversation.add("What did Donald Trump promise?", "What did Donald Trump promise?",
                     "Former President Donald Trump won a second term. He promised to act fast.")
    conversation.add("What did Kamala Harris say after the election?", "What did Kamala Harris say after the election?",
                     "Vice President Kamala Harris conceded her defeat at Howard University, her alma mater. "
                     "She thanked her supporters.")
    assert conversation.standalone("Did he win Pennsylvania?") == "Did Donald Trump win Pennsylvania?"
    assert conversation.standalone("What did she promise?") == "What did Kamala Harris promise?"
    assert conversation.standalone("Where did they speak?") == "Where did Kamala Harris speak?"
    # the person an earlier "Who won?" was answered with
    after_who = Conversation()
    after_who.add("Who won the 2024 presidential election?", "Who won the 2024 presidential election?",
                  "Donald Trump — Former President Donald Trump won a second term.", "Donald Trump")
    after_who.add("What did Kamala Harris say after the election?", "What did Kamala Harris say after the election?",
                  "Vice President Kamala Harris conceded her defeat at Howard University.")
    assert after_who.standalone("Did he win Pennsylvania?") == "Did Donald Trump win Pennsylvania?"
    after_who.add("Did he win Pennsylvania?", "Did Donald Trump win Pennsylvania?",
                  "But Trump picked up Georgia and Pennsylvania, giving him the votes he needed.")
    assert after_who.standalone("What did she say about it?") == "What did Kamala Harris say about it?"
    # an answer that does not say keeps the latest person
    quiet = Conversation()
    quiet.add("What did Zelensky say?", "What did Zelensky say?", "Zelensky said the talks would go on.")
    assert quiet.standalone("What did she ask for?") == "What did Zelensky ask for?"


def test_a_question_naming_nothing_with_he_or_she_passes_over_a_topic_of_the_other() -> None:
    conversation = Conversation()
    conversation.add("Who won the 2024 presidential election?", "Who won the 2024 presidential election?",
                     "Donald Trump — Former President Donald Trump won a second term.", "Donald Trump")
    conversation.add("What did Kamala Harris say after the election?", "What did Kamala Harris say after the election?",
                     "Vice President Kamala Harris conceded her defeat at Howard University.")
    question = "How many electoral votes did he win?"  # a noun before "he": not a follow-up by its words
    assert conversation.may_lean(question)
    assert conversation.topics(question) == ["How many electoral votes did he win (Donald Trump)?"]
    assert conversation.topics("How many electoral votes were cast?") == [
        "How many electoral votes were cast (Kamala Harris)?"]  # no pronoun: every topic, the latest first


@pytest.mark.parametrize(("question", "reads_as"), [
    ("When was it?", "When was it (Super Bowl, Kansas City Chiefs)?"),  # the game, as the answer found it
    ("Why did this happen?", "Why did this happen (Super Bowl, Kansas City Chiefs)?"),
    ("Where did they play?", "Where did Kansas City Chiefs play?"),  # who won
])
def test_it_after_who_did_something_is_the_thing_done_not_who_did_it(question: str, reads_as: str) -> None:
    assert carry_over(question, ["Who won the Super Bowl?"], "Kansas City Chiefs") == reads_as
    # "Which company ...?" asks for a thing: "it" is the answer
    assert carry_over("When did it announce the recall?", ["Which company recalled cars?"], "Toyota") == \
        "When did it announce the recall (Toyota)?"


@pytest.mark.parametrize("question", ["What caused them?", "Who started them?", "Who beat them?"])
def test_a_pronoun_after_its_verb_leans_on_the_conversation(question: str) -> None:
    """The verb before "them" is nothing "them" can stand for: the question names nothing of its
    own; a noun further back still can ("Which leader said she will resign?")."""
    assert follow_up_reason(question) == "“them” refers to something asked before"
    conversation = Conversation()
    conversation.add("How many people died in the Maui wildfires?", "How many people died in the Maui wildfires?",
                     "an answer")
    assert "Maui" in conversation.standalone(question)
    assert follow_up_reason("Which leader said she will resign?") == ""
