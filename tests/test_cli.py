"""The `newsbot` command: in-process through Typer's runner, and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.engine import Engine
from bot.frontends import cli
from bot.settings import Settings, load_settings
from retrieval.index.embeddings import Embedder
from tests.conftest import SEED_FILE, SEEDS

runner = CliRunner()


@pytest.fixture
def newsbot(home: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch):
    """Invoke the CLI in-process with the session's model (flags still parsed for real)."""
    monkeypatch.setattr(cli, "build_engine", lambda s, answering=False: Engine(s, embedder=embedder, answering=answering))

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli.app, list(args), input=input)

    return invoke


def test_ingest_ask_json_sources(newsbot, seed_text: str) -> None:
    result = newsbot("ingest", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "added 1" in result.output

    result = newsbot("ask", "--json", "What did Lavrov demand?")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["abstained"] is False
    assert "security guarantees" in data["answer"]
    assert data["citations"]
    for c in data["citations"]:
        assert c["quote"] in seed_text
        assert seed_text[c["start"] : c["end"]] == c["quote"]
        assert set(c) >= {"n", "article_id", "title", "quote", "start", "end"}

    result = newsbot("sources", "--json")
    listed = json.loads(result.stdout)
    assert [a["chunks"] > 0 for a in listed] == [True]

    result = newsbot("ingest", "--json", str(SEEDS))
    assert json.loads(result.stdout)["unchanged"] == 1


def test_ask_prints_sources(newsbot) -> None:
    newsbot("ingest", str(SEED_FILE))
    result = newsbot("ask", "What did Lavrov demand?")
    assert result.exit_code == 0
    assert "[1]" in result.stdout and "Sources" in result.stdout
    assert "Russia-US Talks On Invasion Threat End Without Breakthrough" in result.stdout


def test_missing_path_is_one_line_error(newsbot, tmp_path: Path) -> None:
    result = newsbot("ingest", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any("nope.txt does not exist" in line for line in lines)
    assert "Traceback" not in result.output


def test_empty_question_is_one_line_error(newsbot) -> None:
    result = newsbot("ask", "  ")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "question is empty" in result.output
    for command, said in (("timeline", "the topic is empty: name a story"), ("quotes", "the person is empty: name someone")):
        result = newsbot(command, " ")
        assert result.exit_code == 1 and result.output.strip().count("\n") == 0
        assert said in result.output  # what was empty, in the command's own words


def test_bad_date_filter(newsbot) -> None:
    result = newsbot("ask", "--since", "yesterdayish", "What happened?")
    assert result.exit_code == 1
    assert "YYYY-MM-DD" in result.output


def test_sources_remove(newsbot) -> None:
    newsbot("ingest", str(SEED_FILE))
    article_id = json.loads(newsbot("sources", "--json").stdout)[0]["id"]
    result = newsbot("sources", "remove", article_id, "not-there")
    assert result.exit_code == 1 and "not stored: not-there" in result.output
    assert json.loads(newsbot("sources", "--json").stdout) == []


def test_chat_loop(newsbot) -> None:
    newsbot("ingest", str(SEED_FILE))
    result = newsbot("chat", input="What did Lavrov demand?\n/why\nWhich band released a new album?\n/why\n/quit\n")
    assert result.exit_code == 0
    assert "security guarantees" in result.output
    assert "searched as asked: What did Lavrov demand?" in result.output
    lavrov, band = result.output.split("do not cover this")  # the second question's answer between them
    assert "about the question" in lavrov and "not about it" not in lavrov
    assert "(too little: the articles found are not about it)" in band


@pytest.mark.slow
def test_console_script_as_a_real_process(home: Path, seed_text: str) -> None:
    """The installed entry point, fresh process, no shared model: what a user runs."""
    exe = Path(sys.executable).with_name("newsbot")
    env = {**os.environ, "NEWSBOT_HOME": str(home)}
    ingest = subprocess.run([str(exe), "ingest", str(SEEDS)], env=env, capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    ask = subprocess.run([str(exe), "ask", "--json", "What did Lavrov demand?"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert ask.returncode == 0, ask.stderr
    data = json.loads(ask.stdout)
    assert all(c["quote"] in seed_text for c in data["citations"]) and data["citations"]
    missing = subprocess.run([str(exe), "ingest", "/no/such/dir"], env=env, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_eval_command_on_tiny_corpus(newsbot) -> None:
    from tests.conftest import FIXTURES

    result = newsbot("eval", "--json", "--corpus", str(FIXTURES / "tiny-corpus.jsonl"),
                     "--questions", str(FIXTURES / "tiny-questions.jsonl"))
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    from bot.measure.evaluate import METRIC_KEYS

    assert list(m) == [*METRIC_KEYS, "by_source", "by_answer_type", "by_named_pages", "by_confidence"]
    assert sum(g["questions"] for g in m["by_answer_type"].values()) == 4
    assert m["questions"] == 4
    assert m["hit@1"] == 1.0 and m["mrr@10"] == 1.0
    assert m["answer_accuracy"] == 1.0 and m["citation_precision"] == 1.0
    assert m["abstention_accuracy"] == 1.0 and m["false_abstention_rate"] == 0.0
    assert m["ingest_seconds"] > 0 and m["query_ms_p50"] > 0


def test_eval_seed_folder_matches_doc_id_by_stem(newsbot, tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "x", "question": "What did Lavrov demand?", "answers": ["security guarantee"],
                                     "doc_ids": ["000_eafbea3ddc6ea182"]}) + "\n")
    result = newsbot("eval", "--json", "--corpus", str(SEEDS), "--questions", str(questions))
    m = json.loads(result.stdout)
    assert m["hit@1"] == 1.0 and m["answer_accuracy"] == 1.0


def test_eval_off_corpus_counts_answers_to_questions_the_store_never_reported(newsbot, tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    questions = tmp_path / "q.jsonl"
    asked = ["Which band released a new album?", "Who won the world cup?", "What did Lavrov demand?"]
    questions.write_text("".join(json.dumps({"id": str(i), "question": q, "answers": ["x"], "doc_ids": ["y"]}) + "\n"
                                 for i, q in enumerate(asked)))
    result = newsbot("eval", "--json", "--off-corpus", "--corpus", str(SEEDS), "--questions", str(questions))
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    assert m["answer_accuracy"] is None and m["hit@1"] is None  # nothing here is judged as answerable
    assert m["abstention_accuracy"] == round(2 / 3, 4)  # Lavrov's is about the seed article: answered
    assert m["unanswerable_asserted"] == round(1 / 3, 4)


def test_discord_without_token_is_one_line(newsbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    result = newsbot("discord")
    assert result.exit_code == 1
    assert result.output.strip() == "error: no Discord token: set DISCORD_TOKEN (or discord_token in the config file)"


def test_config_file_and_token_never_shown(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text('top_k = 3\ndiscord_token = "secret-token-value"\n')
    s = load_settings()
    assert s.top_k == 3 and s.discord_token is not None
    assert s.discord_token.get_secret_value() == "secret-token-value"
    assert "secret-token-value" not in repr(s) and "secret-token-value" not in str(s.model_dump())
    monkeypatch.setenv("DISCORD_TOKEN", "from-env")
    assert load_settings().discord_token.get_secret_value() == "from-env"  # the environment wins


def test_ask_with_an_llm_shows_only_checked_text(newsbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a pipe only the checked answer is printed; at a terminal the reply is drafted in a
    live view that the checked answer replaces."""
    import io

    from rich.console import Console

    from tests.llmserver import FakeLLM, passage_number, serve_llm

    newsbot("ingest", str(SEED_FILE))

    def reply(messages: list[dict]) -> str:
        n = passage_number(messages, "Lavrov said Moscow was still waiting")
        return f"Moscow wants a written response on security guarantees [{n}][9]. Russia invented this [{n}]."

    llm = ("--llm", "openai:fake")
    with serve_llm(FakeLLM(reply=reply)) as url:
        piped = newsbot(*llm, "--llm-base-url", url, "ask", "What did Lavrov demand?")
        screen = io.StringIO()
        monkeypatch.setattr(cli, "console", Console(file=screen, force_terminal=True, width=100))
        at_terminal = newsbot(*llm, "--llm-base-url", url, "ask", "What did Lavrov demand?")
    assert piped.exit_code == 0 and at_terminal.exit_code == 0, piped.output
    assert "[9]" not in piped.stdout and "drafting" not in piped.stdout  # nothing unchecked into a pipe
    assert "guarantees [1]" in piped.stdout and "Sources" in piped.stdout and "[unsupported]" in piped.stdout
    shown = screen.getvalue()
    assert "drafting" in shown and "[9]" in shown  # the draft was on screen while it was written ...
    final = shown.rsplit("drafting; shown once its citations are checked)", 1)[1]
    assert "[9]" not in final and "guarantees" in final and "Sources" in final  # ... then replaced


def test_ctrl_c_cancels_only_the_current_answer(seeded: Engine) -> None:
    import gc
    import io
    import os
    import signal
    import time

    from rich.console import Console

    from bot.frontends.chat import ChatSession

    class Interrupted(Engine):
        """The real engine; the first question is interrupted by a real SIGINT while it is answered."""

        hits = 0

        def ask(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            Interrupted.hits += 1
            if Interrupted.hits == 1:
                # With the collector off the interrupt cannot land in some object's __del__ (where Python
                # only prints it): it is raised in the sleep, as a user's Ctrl-C during an answer would be.
                gc.disable()
                try:
                    os.kill(os.getpid(), signal.SIGINT)
                    time.sleep(5)
                finally:
                    gc.enable()
            return super().ask(*args, **kwargs)

    engine = Interrupted(seeded.settings, embedder=seeded.embedder, store=seeded.store)
    lines = iter(["What did Blinken warn of?", "What did Lavrov demand?", "/quit"])
    out, err = io.StringIO(), io.StringIO()
    # Python's own Ctrl-C handler, as a user's chat has it: a test run started in the background
    # inherits SIGINT ignored, and then no interrupt would reach the chat at all.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        ChatSession(engine, None, Console(file=out, width=200), Console(file=err, width=200)).loop(lambda _: next(lines))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "cancelled" in err.getvalue()
    assert "security guarantees" in out.getvalue()  # the next question is answered


def test_ask_as_of_a_day(newsbot) -> None:
    newsbot("ingest", str(SEED_FILE))
    result = newsbot("ask", "--json", "--as-of", "2022-01-22", "What did Lavrov demand?")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2022-01-22" and "security guarantees" in data["answer"]
    shown = newsbot("ask", "--as-of", "2022-01-22", "What did Lavrov demand?")
    assert "(as of 2022-01-22)" in shown.output
    bad = newsbot("ask", "--as-of", "someday", "What did Lavrov demand?")
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output


@pytest.mark.slow
def test_feeds_need_no_store_and_a_closed_pipe_is_no_error(home: Path) -> None:
    """`newsbot feeds` reads the subscriptions file alone (no store folder appears), and output
    into a pipe whose reader has gone (`| head`) ends quietly instead of "failed unexpectedly"."""
    exe = Path(sys.executable).with_name("newsbot")
    env = {**os.environ, "NEWSBOT_HOME": str(home)}
    for i in range(3):
        added = subprocess.run([str(exe), "feeds", "add", "--no-check", f"https://example.com/feed{i}.xml"], env=env,
                               capture_output=True, text=True, timeout=120)
        assert added.returncode == 0, added.stderr
    assert not (home / "chroma").exists()
    read, write = os.pipe()
    os.close(read)  # every write to the pipe now fails with EPIPE
    try:
        listed = subprocess.run([str(exe), "feeds", "--json"], env=env, stdout=write, stderr=subprocess.PIPE,
                                text=True, timeout=120)
    finally:
        os.close(write)
    assert "unexpectedly" not in listed.stderr and "Traceback" not in listed.stderr
    assert listed.returncode == 1


def test_watch_once_fails_when_every_feed_failed(newsbot) -> None:
    from tests.httpserver import closed_port_url

    assert newsbot("feeds", "add", closed_port_url() + "/feed.xml").exit_code == 1  # checked when added ...
    assert newsbot("feeds", "add", "--no-check", closed_port_url() + "/feed.xml").exit_code == 0  # ... unless told
    result = newsbot("watch", "--once")
    assert result.exit_code == 1 and "failed" in result.output


def test_verbose_is_taken_before_or_after_the_command(newsbot) -> None:
    newsbot("ingest", str(SEED_FILE))
    plain = newsbot("ask", "What did Lavrov demand?")
    for args in (("-v", "ask", "What did Lavrov demand?"), ("ask", "-v", "What did Lavrov demand?")):
        result = newsbot(*args)
        assert result.exit_code == 0, result.output
        assert "(as of " in result.stdout and "(as of " not in plain.stdout  # how it was read, shown
        assert "(extractive; confidence 0." in result.stdout  # the calibrated chance, named as such
    where = newsbot("-v", "ask", "Where did Blinken and Lavrov hold their talks?").stdout
    told = json.loads(newsbot("ask", "--json", "Where did Blinken and Lavrov hold their talks?").stdout)
    assert "Geneva" in told["span"] and 0 < told["span_chance"] < 1
    bolded = told["span_chance"] >= Settings().lead_threshold
    assert told["lead"] == (told["span"] if bolded else "")  # bolded only when likely enough
    # how likely the likeliest span is, which the answer text does not show
    assert f"span “{told['span']}” {told['span_chance']:.2f} ({'bold' if bolded else 'not bolded'})" in " ".join(where.split())


def test_output_into_a_pipe_keeps_links_whole_and_names_untitled_articles(newsbot, tmp_path: Path) -> None:
    """A JSONL record with a link but no title or outlet is shown by its link's words and site;
    into a pipe no line is cut, so the link and the quote stay on one line each."""
    url = "https://www.harbour-gazette.example/2022/06/26/local/north-pier-closes-for-crane-repairs/index.html"
    corpus = tmp_path / "untitled.jsonl"
    corpus.write_text(json.dumps({"id": "pier", "url": url, "published": "2022-06-26",
                                  "text": "The harbour board will close the north pier on 3 March to repair its "
                                          "cranes, and ferry crews were told to use the south pier instead."}) + "\n")
    newsbot("ingest", str(corpus))
    shown = newsbot("ask", "When will the north pier close?").stdout
    assert any(url in line for line in shown.splitlines())  # the whole link on one line
    quotes = [line for line in shown.splitlines() if line.startswith("    “")]
    assert quotes and quotes[0].rstrip().endswith("use the south pier instead.”")  # the quote whole too
    assert "North pier closes for crane repairs — harbour-gazette.example, 2022-06-26" in shown
    assert "pier" not in [line.split(" — ")[0].removeprefix("[1] ") for line in shown.splitlines()]
    listed = newsbot("sources").stdout
    assert "harbour-gazette.example" in "".join(listed.split()) or "harbour-gazette" in listed


def test_a_failing_llm_is_one_note_not_a_log_line_too(newsbot) -> None:
    from tests.llmserver import FakeLLM, serve_llm

    newsbot("ingest", str(SEED_FILE))
    with serve_llm(FakeLLM(mode="500")) as url:
        result = newsbot("--llm", "openai:fake", "--llm-base-url", url, "ask", "What did Lavrov demand?")
    assert result.exit_code == 0
    assert result.output.count("the language model failed") == 1 and "WARNING" not in result.output
    assert "security guarantees" in result.stdout
