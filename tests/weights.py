"""A damaged learned-weights file, as every learned stage's tests give it: refused in one line, and
the engine built with it anyway (falling back, said once in its log)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.settings import Settings
from tests.standin import StandInEmbedder


def damaged(path: Path, damage: str, load: Callable[[Path], object], caplog: pytest.LogCaptureFixture,
            **settings: object) -> tuple[Engine, str]:
    """Write ``damage`` to ``path`` (nothing for ""), check that ``load`` refuses it in one line
    naming the file, and build an engine with ``settings`` pointing at it: the engine and the one
    line it logged."""
    if damage:
        path.write_text(damage)
    with pytest.raises(ValueError) as refused:
        load(path)
    assert "\n" not in str(refused.value) and str(path) in str(refused.value)
    with caplog.at_level(logging.WARNING, logger="newsbot.engine"):
        engine = Engine(Settings(home=path.parent / "home", **settings),  # type: ignore[arg-type]
                        embedder=StandInEmbedder())  # type: ignore[arg-type]
    [line] = [r.getMessage() for r in caplog.records if r.name == "newsbot.engine"]
    assert "\n" not in line
    return engine, line
