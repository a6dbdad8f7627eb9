"""The extractive answer says the point: the sentence that answers what is asked (a cause, the new
figure), the person a pronoun stands for, the content a demand refers to, the span asked for in
front, and answers about the article itself from its metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engine import Answer, Engine
from retrieval.index.embeddings import Embedder
from tests.conftest import FIXTURES, make_engine

ARTICLES = {a["id"]: a for a in map(json.loads, (FIXTURES / "answers.jsonl").read_text().splitlines())}


@pytest.fixture(scope="module")
def answers_home(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    home = tmp_path_factory.mktemp("answers") / "home"
    assert not make_engine(home, embedder).ingest([str(FIXTURES / "answers.jsonl")]).failed
    return home


@pytest.fixture
def engine(answers_home: Path, embedder: Embedder) -> Engine:
    return make_engine(answers_home, embedder)


def first_quote(answer: Answer) -> str:
    assert answer.citations, answer.text
    c = answer.citations[0]
    assert ARTICLES[c.article_id]["text"][c.start:c.end] == c.quote  # quotes stay exact
    return c.quote


def test_why_is_answered_with_the_cause(engine: Engine) -> None:
    answer = engine.ask("Why were the Kia and Hyundai SUVs recalled?")
    first_quote(answer)
    assert any("fire" in c.quote for c in answer.citations), answer.text  # the cause is quoted and cited
    assert "So why" not in answer.text  # a question in the article is never an answer


def test_the_new_figure_not_the_old_one(engine: Engine) -> None:
    question = "How much does it cost to raise a child to 17, per the new estimate?"
    answer = engine.ask(question)
    assert "$310,605" in first_quote(answer) and "$233,610" not in answer.text
    assert answer.span == "$310,605"  # the likeliest span, whether or not its chance reaches the bold threshold
    # its chance sits near the threshold (0.29-0.30 as the models are re-made): bolded below it
    bolded = engine.configured(lead_threshold=0.2).ask(question)
    assert bolded.lead == "$310,605" and bolded.text.startswith("$310,605 — ")


def test_a_pronoun_subject_is_named_in_brackets(engine: Engine) -> None:
    answer = engine.ask("How many Russian troops are near the border, and who expressed concern?")
    assert "He [Antony Blinken] expressed concerns" in answer.text
    assert first_quote(answer).startswith("He expressed concerns")  # the quote is the source's text
    assert answer.span == "an estimated 127,000"  # the likeliest span, near the bold threshold (0.25-0.3 today)
    bolded = engine.configured(lead_threshold=0.2).ask("How many Russian troops are near the border, and who expressed concern?")
    assert bolded.lead == "an estimated 127,000"


def test_a_demand_is_spelled_out_by_the_next_sentence(engine: Engine) -> None:
    answer = engine.ask("What did Lavrov demand?")
    quote = first_quote(answer)
    assert "security guarantees" in quote and "shouldn't expand into Ukraine" in quote
    assert "ninety minutes" not in answer.text  # no padding


@pytest.mark.parametrize(("question", "expected"), [
    ("Who wrote the article about the SUV recall?", "was written by Jane Roe"),
    ("When was the article about the SUV recall published?", "was published on 2022-09-28"),
    ("Which outlet published the story about the SUV recall?", "was published by Motor Desk"),
    ("Where can I read the article about the SUV recall?", "is at https://motor.example/recall"),
    ("Who wrote the article about the cost of raising a child?", "does not name its author"),
])
def test_questions_about_the_article_come_from_its_metadata(engine: Engine, question: str, expected: str) -> None:
    answer = engine.ask(question)
    assert expected in answer.text and not answer.abstained
    assert answer.citations and answer.citations[0].article_id in ("recall", "child")
    first_quote(answer)


@pytest.mark.parametrize(("question", "lead"), [
    ("How many SUVs did Kia and Hyundai recall?", "485,000"),
    ("Where did Blinken and Lavrov meet?", ""),  # the article never says: no made-up place
])
def test_the_span_asked_for_leads(engine: Engine, question: str, lead: str) -> None:
    answer = engine.configured(lead_threshold=0.1).ask(question)  # which span leads, not how sure it must be
    assert answer.lead == lead
    if lead:
        assert answer.text.startswith(f"{lead} — ") and lead in first_quote(answer)
        assert engine.ask(question).span == lead  # the same span at the default, bolded or not


def test_a_pronoun_with_nobody_to_refer_to_gets_a_question_back(engine: Engine) -> None:
    from bot.engine import Conversation

    answer = engine.ask("Who is he?", conversation=Conversation())
    assert answer.abstained and answer.text.startswith("Who do you mean by “he”?") and not answer.citations
    assert engine.ask("What did they agree?").text.startswith("Who do you mean by “they”?")


def test_a_follow_up_carries_the_previous_names(engine: Engine) -> None:
    from bot.engine import Conversation

    conversation = Conversation()
    engine.ask("What did Blinken warn Lavrov about?", conversation=conversation)
    follow = engine.ask("Where did they meet?", conversation=conversation)
    assert follow.standalone_question == "Where did Blinken and Lavrov meet?"
    assert not follow.text.startswith("Who do you mean")


def test_a_follow_up_points_at_who_the_last_answer_named(engine: Engine) -> None:
    from bot.engine import Conversation

    conversation = Conversation()
    bolding = engine.configured(lead_threshold=0.1)  # the answer is asserted in bold whatever its chance
    assert bolding.ask("Who made a surprise trip to Moldova?", conversation=conversation).lead == "Ann Carter"
    follow = bolding.ask("Where did she host a lunch?", conversation=conversation)
    assert follow.standalone_question == "Where did Ann Carter host a lunch?"  # not "Where did Moldova ..."
    assert "White House" in first_quote(follow)


def test_us_in_the_question_is_found_as_u_s_in_the_article(engine: Engine) -> None:
    answer = engine.ask("Where in the US is it illegal to pump your own gas?")
    assert not answer.abstained, answer.text  # "US" is written "U.S." there: the name is covered
    assert "New Jersey" in first_quote(answer)


def test_what_was_left_out_is_answered_by_what_is_missing(engine: Engine) -> None:
    answer = engine.ask("Which measure did the senators leave out of the gun safety framework?")
    first_quote(answer)
    assert any("ban on assault-style rifles" in c.quote for c in answer.citations), answer.text


def test_the_show_a_sentence_describes_is_named_from_the_title(engine: Engine) -> None:
    answer = engine.ask("Which acclaimed crime drama was renewed for another season?")
    assert "the acclaimed Danish crime drama [Glass Harbor] is renewed" in answer.text
    assert "[Glass Harbor]" not in first_quote(answer)  # the quote stays the source's text


def test_which_country_wants_a_country_not_a_building(engine: Engine) -> None:
    answer = engine.ask("First lady Ann Carter met with the first lady of which country?")
    assert answer.span == "Moldova" and "Moldova" in first_quote(answer)  # the likeliest span, bolded or not


def test_figures_are_read_spelled_or_not() -> None:
    from bot.answering.features import shared_figures
    from bot.answering.question import read, stated_figures

    asked = read("After agreeing to a two-year contract extension, who became the highest paid?")
    assert asked.figures == {"2-year"}
    assert shared_figures(asked, "James agreed to a 2-year extension with the Lakers.") == 1.0
    assert shared_figures(asked, "The five-year deal makes him the highest-paid player.") == 0.0
    assert stated_figures("Covid-19 hit 2.9 million people") == {"2.9"}  # "Covid-19" is a name


def test_a_country_qualifier_the_article_never_spells_out_does_not_abstain(tmp_path: Path, embedder: Embedder) -> None:
    article = {"id": "box-office", "title": "Sky Pirates sails to the top of the box office", "outlet": "Screen Notes",
               "published": "2022-07-10",
               "text": "“Sky Pirates” made an estimated $98 million domestically in its opening weekend, according to "
                       "the studio. Analysts had expected about $90 million for the weekend. The animated sequel "
                       "opens in Japan next month."}
    (tmp_path / "box.jsonl").write_text(json.dumps(article) + "\n")
    engine = make_engine(tmp_path / "home", embedder)
    assert not engine.ingest([str(tmp_path / "box.jsonl")]).failed
    answer = engine.ask("Which film topped the US box office this weekend?")
    assert not answer.abstained, answer.text  # "domestically" is how box-office news says "US"
    assert "Sky Pirates" in answer.text
    # a name the articles never mention still abstains
    assert engine.ask("Which film did Macron praise at the box office?").abstained


def test_which_age_group_is_answered_with_an_age(engine: Engine) -> None:
    answer = engine.ask("Covid-19 vaccinations began for which age group this week?")
    assert "under 5" in first_quote(answer) and answer.span == "under 5"


@pytest.mark.parametrize(("question", "sentence", "lead"), [
    ("How much have gas prices risen?", "So just the 63-cent increase will cost more.", "63-cent"),  # not "63"
    ("Which region faces the cuts?", "A professor at the University of Utah said cuts fall hardest in the Lower Basin.", "Lower Basin"),
    ("Where did they meet?", "They spoke at the Ministry of Defence.", ""),  # where someone works is no answer
])
def test_a_lead_span_is_the_whole_amount_or_a_real_place(question: str, sentence: str, lead: str) -> None:
    from bot.answering.question import read
    from bot.answering.spans import lead_span

    assert lead_span(read(question), sentence) == lead
