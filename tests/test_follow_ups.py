"""Follow-ups: a question is rewritten from the conversation only when it cannot stand alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering.conversation import Conversation, follow_up_reason
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
    ("Who won the Champions League final in Paris?", "Who scored?", "Who scored (Champions League, Paris)?"),
    ("What did Apple announce?", "When will it go on sale?", "When will it go on sale (Apple)?"),
    ("Where did the Artemis rocket launch?", "Why was it delayed?", "Why was it delayed (Artemis)?"),
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
    ("Why did the Kia recall happen?", "How many were recalled then?", "How many were recalled then (Kia)?"),
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
