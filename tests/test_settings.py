"""Settings: environment, config file, flags, and the one place defaults live."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from retrieval.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NEWSBOT_HOME", "NEWSBOT_CONFIG", "NEWSBOT_TOP_K", "NEWSBOT_LLM", "DISCORD_TOKEN"):
        monkeypatch.delenv(var, raising=False)


def test_environment_and_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_HOME", str(tmp_path))
    monkeypatch.setenv("NEWSBOT_TOP_K", "7")
    s = load_settings(top_k=None, collection="other")  # None means "flag not given"
    assert s.home == tmp_path and s.top_k == 7 and s.collection == "other"
    assert load_settings(top_k=9).top_k == 9  # a flag beats the environment


def test_bad_value_is_one_line_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_TOP_K", "lots")
    with pytest.raises(ConfigError, match="top_k") as caught:
        load_settings()
    assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError, match="top_k"):
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
    changed = base.with_overrides(answer_profile="foundation", abstain_threshold=0.4, llm=None)
    assert (changed.answer_profile, changed.abstain_threshold, changed.top_k) == ("foundation", 0.4, 6)
    assert base.answer_profile == "full"
    with pytest.raises(ConfigError):
        base.with_overrides(max_sentences=0)


def test_every_field_is_described() -> None:
    missing = [name for name, f in Settings.model_fields.items() if not f.description]
    assert missing == []


def test_secrets_never_in_repr(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, discord_token="tok-123", llm_api_key="key-456")  # type: ignore[arg-type]
    assert "tok-123" not in repr(s) and "key-456" not in repr(s)
    assert "tok-123" not in str(s.model_dump())
