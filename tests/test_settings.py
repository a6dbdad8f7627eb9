"""Settings: environment, config file, flags, and the one place defaults live."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.frontends import cli
from bot.settings import Settings, choices, load_settings
from retrieval.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NEWSBOT_HOME", "NEWSBOT_CONFIG", "NEWSBOT_TOP_K", "NEWSBOT_LLM", "DISCORD_TOKEN",
                "NEWSBOT_ALLOW_NETWORKS", "NEWSBOT_EMBEDDING_BACKEND", "NEWSBOT_SENTENCE_VECTORS", "NEWSBOT_UNSUPPORTED"):
        monkeypatch.delenv(var, raising=False)


def test_environment_and_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_HOME", str(tmp_path))
    monkeypatch.setenv("NEWSBOT_TOP_K", "7")
    s = load_settings(top_k=None, collection="other")  # None means "flag not given"
    assert s.home == tmp_path and s.top_k == 7 and s.collection == "other"
    assert load_settings(top_k=9).top_k == 9  # a flag beats the environment


def test_bad_value_is_one_line_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_TOP_K", "lots")
    with pytest.raises(ConfigError, match="NEWSBOT_TOP_K") as caught:
        load_settings()
    assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError, match="NEWSBOT_TOP_K"):
        load_settings(top_k=0)


def test_home_flag_reads_its_config_file_like_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "config.toml").write_text("top_k = 3\ncollection = \"from-file\"\n")
    by_flag = load_settings(home=home)
    monkeypatch.setenv("NEWSBOT_HOME", str(home))
    by_env = load_settings()
    assert (by_flag.top_k, by_flag.collection) == (by_env.top_k, by_env.collection) == (3, "from-file")
    monkeypatch.setenv("NEWSBOT_TOP_K", "4")
    assert load_settings(home=home).top_k == 4  # the environment beats the file


def test_explicit_config_file_wins_over_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "other.toml").write_text("top_k = 11\n")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(tmp_path / "other.toml"))
    assert load_settings(home=tmp_path / "nowhere").top_k == 11


def test_with_overrides_validates_and_keeps_the_rest(tmp_path: Path) -> None:
    base = Settings(home=tmp_path, top_k=6)
    changed = base.with_overrides(answer_gap=0.5, abstain_threshold=0.4, llm=None)
    assert (changed.answer_gap, changed.abstain_threshold, changed.top_k) == (0.5, 0.4, 6)
    assert base.answer_gap == 1.75
    with pytest.raises(ConfigError):
        base.with_overrides(max_sentences=0)


def test_every_field_is_described() -> None:
    missing = [name for name, f in Settings.model_fields.items() if not f.description]
    assert missing == []


def test_secrets_never_in_repr(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, discord_token="tok-123", llm_api_key="key-456")  # type: ignore[arg-type]
    assert "tok-123" not in repr(s) and "key-456" not in repr(s)
    assert "tok-123" not in str(s.model_dump())


# Every setting whose value is one of a few words, and the others read as a choice of form.
CHOICES = [name for name in Settings.model_fields if choices(name)]
FORMED = {"NEWSBOT_LLM": ("llama3", "extractive"), "NEWSBOT_ALLOW_NETWORKS": ("10.0.0.0/33", "10.0.0.0/8")}


def test_the_choice_settings_are_found() -> None:
    assert {"embedding_backend", "sentence_vectors", "unsupported"} <= set(CHOICES)


@pytest.mark.parametrize("field", CHOICES)
def test_a_bad_choice_is_one_line_naming_the_variable_and_the_allowed_values(
        field: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    variable = f"NEWSBOT_{field.upper()}"
    monkeypatch.setenv(variable, "bogus")
    result = CliRunner().invoke(cli.app, ["--home", str(tmp_path), "feeds"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert variable in lines[0] and "'bogus'" in lines[0]
    assert all(value in lines[0] for value in choices(field)), lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("variable", sorted(FORMED))
def test_a_badly_formed_value_is_one_line_too(variable: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad, good = FORMED[variable]
    monkeypatch.setenv(variable, bad)
    result = CliRunner().invoke(cli.app, ["--home", str(tmp_path), "feeds"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1, result.output
    assert variable in result.output and bad in result.output
    monkeypatch.setenv(variable, good)
    assert CliRunner().invoke(cli.app, ["--home", str(tmp_path), "feeds"]).exit_code == 0


def test_the_groups_carry_the_settings(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, top_k=6, candidates=40, chunk_chars=500, abstain_threshold=0.4, llm="ollama:x",
                 discord_rate_limit=2, allow_networks="10.0.0.0/8")
    assert s.search.candidates == 40 and s.ingest.chunk_chars == 500 and s.answer.threshold == 0.4
    assert s.chat_model.model == "ollama:x" and s.discord.rate_limit == 2
    assert s.fetch.allows(ipaddress.ip_address("10.1.2.3")) and not s.fetch.allows(ipaddress.ip_address("127.0.0.1"))
