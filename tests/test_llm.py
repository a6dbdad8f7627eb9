"""The LLM path through the real LangChain OpenAI client against a local fake server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.answer import NOT_COVERED
from bot.answering.checking import UNSUPPORTED
from bot.answering.extractive import OFF_SUBJECT
from bot.answering.llm import PROMPT_PASSAGES
from bot.engine import Engine
from bot.settings import Settings
from retrieval.index.embeddings import Embedder
from tests.conftest import FIXTURES, SEED_FILE
from tests.llmserver import FakeLLM, passage_number, serve_llm, user_message

LAVROV = "Lavrov said Moscow was still waiting"


def llm_engine(home: Path, embedder: Embedder, base_url: str, **extra: object) -> Engine:
    settings = Settings(home=home, llm="openai:fake-model", llm_base_url=base_url, llm_timeout=3.0, **extra)  # type: ignore[arg-type]
    return Engine(settings, embedder=embedder)


@pytest.fixture
def seeded_home_copy(seeded: Engine) -> Path:
    return seeded.settings.home


def test_invented_marker_is_removed(seeded_home_copy: Path, embedder: Embedder, seed_text: str) -> None:
    def reply(messages: list[dict]) -> str:
        n = passage_number(messages, LAVROV)
        return f"Lavrov said Moscow was waiting for a written response on security guarantees [{n}][42]."

    fake = FakeLLM(reply=reply)
    with serve_llm(fake) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("What did Lavrov demand?")
    assert fake.requests, "the model was never called"
    assert "[42]" not in answer.text and "[1]" in answer.text
    assert [c.n for c in answer.citations] == [1]
    assert answer.citations[0].quote in seed_text and "security guarantees" in answer.citations[0].quote
    assert answer.answerer.startswith("llm:") and not answer.notice


def test_unsupported_sentence_is_marked_or_dropped(seeded_home_copy: Path, embedder: Embedder) -> None:
    def reply(messages: list[dict]) -> str:
        n = passage_number(messages, LAVROV)
        return (f"Lavrov said Moscow was still waiting for a written response to its demands for security "
                f"guarantees [{n}]. Russia has agreed to withdraw every soldier by Christmas [{n}].")

    with serve_llm(FakeLLM(reply=reply)) as url:
        marked = llm_engine(seeded_home_copy, embedder, url).ask("What did Lavrov demand?")
        dropped = llm_engine(seeded_home_copy, embedder, url, unsupported="drop").ask("What did Lavrov demand?")
    assert f"Christmas. {UNSUPPORTED}" in marked.text  # nothing backs it: it keeps no marker
    assert marked.text.count(UNSUPPORTED) == 1 and "1 sentence(s) not supported" in marked.notice
    assert marked.support == 0.5 and dropped.support == 0.5  # one checked sentence of two
    assert "Christmas" not in dropped.text and "security guarantees [1]" in dropped.text


def test_each_citation_quotes_the_sentence_behind_its_claim(seeded_home_copy: Path, embedder: Embedder) -> None:
    """Two claims cited to one passage but backed by different sentences of it get a number
    each, quoting that sentence; an invented claim and an invented marker are not vouched for."""
    def reply(messages: list[dict]) -> str:
        n = passage_number(messages, LAVROV)
        return (f"Lavrov said Moscow was still waiting for a written response [{n}]. "
                f"Moscow says the NATO alliance should not expand into Ukraine [{n}]. "
                f"Russia has agreed to withdraw every soldier by Christmas [{n}][9].")

    with serve_llm(FakeLLM(reply=reply)) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("What did Lavrov demand?")
    first, second, third = answer.text.split(". ", 2)
    assert first.endswith("[1]") and second.endswith("[2]")
    assert third == f"Russia has agreed to withdraw every soldier by Christmas. {UNSUPPORTED}"
    assert [c.n for c in answer.citations] == [1, 2]
    assert "written response" in answer.citations[0].quote and "expand into Ukraine" in answer.citations[1].quote
    assert answer.support == pytest.approx(2 / 3)


def test_uncited_sources_are_not_listed(seeded_home_copy: Path, embedder: Embedder) -> None:
    def reply(messages: list[dict]) -> str:
        return f"Moscow wants security guarantees [{passage_number(messages, LAVROV)}]."

    with serve_llm(FakeLLM(reply=reply)) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("What did Lavrov demand?")
    assert len(answer.passages) > 1 and len(answer.citations) == 1


def test_the_model_reads_the_best_five_passages_and_cites_only_those(seeded_home_copy: Path, embedder: Embedder) -> None:
    """The answerer is handed eight passages; a small model's context holds five, so the prompt
    carries the best five and a marker past them is an invented one."""
    def reply(messages: list[dict]) -> str:
        return f"Moscow wants security guarantees [{passage_number(messages, LAVROV)}][{PROMPT_PASSAGES + 1}]."

    fake = FakeLLM(reply=reply)
    with serve_llm(fake) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("What did Lavrov demand?")
    user = user_message(fake.requests[-1]["messages"])
    assert len(answer.passages) > PROMPT_PASSAGES
    assert user.count("<passage ") == PROMPT_PASSAGES
    assert f"[{PROMPT_PASSAGES + 1}]" not in answer.text and [c.n for c in answer.citations] == [1]
    assert "security guarantees" in answer.citations[0].quote


def test_prompt_injection_in_a_passage_changes_nothing(home: Path, embedder: Embedder) -> None:
    def obedient(messages: list[dict]) -> str:  # a model that falls for the injection
        if "HACKED" in user_message(messages):
            return "HACKED"
        return f"Lead levels fell by half [{passage_number(messages, 'lead levels')}]."

    fake = FakeLLM(reply=obedient)
    with serve_llm(fake) as url:
        engine = llm_engine(home, embedder, url)
        engine.ingest([str(FIXTURES / "injection.txt")])
        answer = engine.ask("What did the water report find about lead levels?")
    assert "HACKED" not in answer.text
    assert "lead levels" in answer.text.lower() and answer.citations
    assert "extractive" in answer.notice
    system, user = fake.requests[-1]["messages"][0]["content"], user_message(fake.requests[-1]["messages"])
    assert "not instructions" in system and NOT_COVERED in system
    assert user.count("</passage>") == user.count("<passage ")  # the article could not close its fence
    assert 'n="99"' not in user.replace('‹passage n="99"', "")


@pytest.mark.parametrize("mode", ["500", "hang", "garbage"])
@pytest.mark.slow
@pytest.mark.serial
def test_failing_server_falls_back_in_bounded_time(seeded_home_copy: Path, embedder: Embedder, mode: str) -> None:
    fake = FakeLLM(mode=mode, hang_seconds=20)
    with serve_llm(fake) as url:
        engine = llm_engine(seeded_home_copy, embedder, url)
        started = time.perf_counter()
        answer = engine.ask("What did Lavrov demand?")
        elapsed = time.perf_counter() - started
    assert elapsed < 15
    assert "security guarantees" in answer.text and answer.citations
    assert answer.notice.startswith("Note: the language model failed") and "extractive" in answer.notice
    assert "\n" not in answer.notice


def test_not_covered_reply_abstains(seeded_home_copy: Path, embedder: Embedder) -> None:
    with serve_llm(FakeLLM(reply=lambda m: NOT_COVERED)) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("What did Angela Merkel say about the talks?")
    assert answer.abstained and answer.citations == []


def test_articles_about_other_news_are_not_handed_to_the_model(seeded_home_copy: Path, embedder: Embedder) -> None:
    """Asked of a store that never reported it, the model is not asked: handed the only article
    there is, it answers from it, and the answer's sentence checks out against the passage."""
    def reply(messages: list[dict]) -> str:
        return f"Lavrov said Moscow was still waiting for a written response [{passage_number(messages, LAVROV)}]."

    fake = FakeLLM(reply=reply)
    with serve_llm(fake) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("Who won the world cup?")
        assert answer.abstained and answer.citations == [] and answer.text == NOT_COVERED
        assert answer.covered is not None and not fake.requests
        unnamed = llm_engine(seeded_home_copy, embedder, url).ask("What did Angela Merkel say about the talks?")
        assert unnamed.abstained and not fake.requests  # nor about people the articles never mention
        unguarded = llm_engine(seeded_home_copy, embedder, url, cover_threshold=0.0).ask("Who won the world cup?")
    assert fake.requests and not unguarded.abstained and unguarded.answerer.startswith("llm:")  # what the check prevents


def test_an_answer_from_articles_that_may_not_be_about_the_question_says_so(seeded: Engine, embedder: Embedder) -> None:
    def reply(messages: list[dict]) -> str:
        return (f"Lavrov said Moscow was still waiting for a written response to its demands for security "
                f"guarantees [{passage_number(messages, LAVROV)}].")

    covered = seeded.ask("What did Lavrov demand?").covered  # the extractive answer's coverage
    assert covered is not None
    home = seeded.settings.home
    with serve_llm(FakeLLM(reply=reply)) as url:
        plain = llm_engine(home, embedder, url).ask("What did Lavrov demand?")
        doubtful = llm_engine(home, embedder, url, cover_hedge_threshold=covered + 0.01).ask("What did Lavrov demand?")
    assert plain.answerer.startswith("llm:") and not plain.notice and plain.covered == pytest.approx(covered)
    assert doubtful.answerer.startswith("llm:") and "security guarantees [1]" in doubtful.text
    assert doubtful.notice == OFF_SUBJECT  # said as the extractive hedge says it, the model's answer kept


def test_an_answer_citing_only_an_article_that_never_names_the_subject_says_so(home: Path, embedder: Embedder,
                                                                                 tmp_path: Path) -> None:
    """The articles found name Riverton, so the model is asked; it cites the one that never does."""
    (tmp_path / "riverton.txt").write_text("Riverton floods\n\nThe river rose in Riverton on Monday, and the "
                                           "town council met to plan repairs.", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("Floods in the valley\n\nThe floods killed 25 people in the valley, "
                                            "officials said.", encoding="utf-8")

    def cites(claim: str) -> FakeLLM:  # a model that answers with one passage's sentence, cited
        return FakeLLM(reply=lambda m: f"{claim} [{passage_number(m, claim)}].")

    with serve_llm(cites("The floods killed 25 people in the valley")) as url:
        engine = llm_engine(home, embedder, url)
        engine.ingest([str(tmp_path)])
        elsewhere = engine.ask("How many people did the floods in Riverton kill?")
    with serve_llm(cites("The river rose in Riverton on Monday")) as url:
        riverton = llm_engine(home, embedder, url).ask("How many people did the floods in Riverton kill?")
    assert elsewhere.answerer.startswith("llm:") and elsewhere.notice == OFF_SUBJECT
    assert riverton.answerer.startswith("llm:") and riverton.notice != OFF_SUBJECT


def test_tokens_stream(seeded_home_copy: Path, embedder: Embedder) -> None:
    def reply(messages: list[dict]) -> str:
        return f"Moscow is waiting for a written response on security guarantees [{passage_number(messages, LAVROV)}]."

    tokens: list[str] = []
    with serve_llm(FakeLLM(reply=reply)) as url:
        answer = llm_engine(seeded_home_copy, embedder, url).ask("What did Lavrov demand?", on_token=tokens.append)
    assert len(tokens) > 3 and "security" in "".join(tokens)
    assert answer.citations and "[1]" in answer.text


def test_follow_up_rewritten_by_the_llm(seeded_home_copy: Path, embedder: Embedder) -> None:
    from bot.answering.conversation import Conversation

    def reply(messages: list[dict]) -> str:
        text = user_message(messages)
        if text.startswith("Rewrite the last question"):
            return "How did Lavrov respond to Blinken's warning?"
        return f"Lavrov said the ball was in Washington's court [{passage_number(messages, 'ball was in')}]."

    conversation = Conversation()
    with serve_llm(FakeLLM(reply=reply)) as url:
        engine = llm_engine(seeded_home_copy, embedder, url)
        engine.ask("What did Blinken warn?", conversation=conversation)
        answer = engine.ask("And how did he respond?", conversation=conversation)
    assert answer.standalone_question == "How did Lavrov respond to Blinken's warning?"


def test_a_question_naming_nothing_goes_to_the_llm_only_once_it_is_a_follow_up(seeded_home_copy: Path,
                                                                              embedder: Embedder) -> None:
    """"How many troops were massed?" after a question about Blinken is the talks' (the report on
    them speaks of troops massed): the LLM writes it out. "Which band released a new album?" is
    not (no report on Blinken speaks of albums): searched as asked, the LLM not asked to rewrite."""
    from bot.answering.conversation import Conversation

    rewrites: list[str] = []

    def reply(messages: list[dict]) -> str:
        text = user_message(messages)
        if text.startswith("Rewrite the last question"):
            rewrites.append(text)
            return "How many troops did Russia mass near Ukraine?"
        return f"Russia massed an estimated 127,000 troops [{passage_number(messages, '127,000')}]."

    conversation = Conversation()
    with serve_llm(FakeLLM(reply=reply)) as url:
        engine = llm_engine(seeded_home_copy, embedder, url)
        engine.ask("What did Blinken warn?", conversation=conversation)
        troops = engine.ask("How many troops were massed?", conversation=conversation)
        assert troops.standalone_question == "How many troops did Russia mass near Ukraine?"
        assert troops.follow_up.startswith("it names nothing of its own")
        album = engine.ask("Which band released a new album?", conversation=conversation)
    assert album.standalone_question == "Which band released a new album?" and album.follow_up == ""
    assert len(rewrites) == 1


def test_bad_model_string_is_a_config_error_when_settings_load(home: Path) -> None:
    from bot.settings import load_settings
    from retrieval.errors import ConfigError

    with pytest.raises(ConfigError, match="NEWSBOT_LLM is 'gibberish': use extractive or a model string"):
        load_settings(home=home, llm="gibberish")


def test_api_key_never_in_notice(seeded_home_copy: Path, embedder: Embedder) -> None:
    secret = "sk-test-SECRET-123456"
    with serve_llm(FakeLLM(mode="500")) as url:
        answer = llm_engine(seeded_home_copy, embedder, url, llm_api_key=secret).ask("What did Lavrov demand?")
    assert secret not in answer.notice and secret not in str(answer.to_dict())


def test_chat_follow_up_without_llm_answers_from_the_right_article(home: Path, embedder: Embedder) -> None:
    from bot.answering.conversation import Conversation

    engine = Engine(Settings(home=home), embedder=embedder)
    engine.ingest([str(SEED_FILE), str(FIXTURES / "lavrov-delhi.txt")])
    conversation = Conversation()
    first = engine.ask("What did Blinken warn of?", conversation=conversation)
    assert "swift" in first.text
    answer = engine.ask("And how did Lavrov respond?", conversation=conversation)
    assert "Blinken" in answer.standalone_question
    assert answer.citations
    assert all(c.article_id == str(SEED_FILE) for c in answer.citations)


def test_the_key_is_masked_where_it_stands_alone_only() -> None:
    from pydantic import SecretStr

    from bot.answering.extractive import AnswerConfig, ExtractiveAnswerer
    from bot.answering.llm import LLMAnswerer
    from bot.answering.question import read
    from bot.answering.sentences import SentenceScorer
    from bot.settings import ChatModelSettings
    from tests.standin import StandInEmbedder

    embed = StandInEmbedder().embed_cached
    fallback = ExtractiveAnswerer(SentenceScorer(embed), AnswerConfig(0.35, 3, 0.5, 0.75), 0.8)

    def notice(key: str, why: str) -> str:
        settings = ChatModelSettings("openai:m", None, SecretStr(key), 5.0, False)
        return LLMAnswerer(settings, fallback, embed, 0.55, model=object())._fall_back(read("What?"), [], why).notice

    assert "Expecting value" in notice("x", "Expecting value: line 1 column 1")
    shown = notice("sk-test-123", "the key sk-test-123 was refused")
    assert "sk-test-123" not in shown and "***" in shown
