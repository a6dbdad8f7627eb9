"""How close a question about nothing in particular comes to a store.

The coverage reads a question's closest cosine against this: a year of news holds some passage
within about 0.6 of any question, a user's handful of articles nothing past about 0.2 for a
question they are not about. The questions below are everyday news questions about no story in
particular (sport, business, courts, weather, science, culture); the median of their closest
cosines is the store's closeness for unrelated questions. A median, so that the few a store
happens to be about (a store of election reports and "Who won the election?") do not move it.
The engine measures it once per store generation and keeps it in a small file beside the
keyword index (``remember``), keyed so that another store state, model or search measures again.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import threading
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("newsbot.unrelated")

PROBES: tuple[str, ...] = (
    "Which team won the championship game?", "Who was elected mayor?",
    "What did the central bank decide about interest rates?", "Which company announced layoffs?",
    "Where did the earthquake strike?", "Who won the award for best actress?",
    "What new species did scientists discover?", "Which singer announced a world tour?",
    "How many people died in the storm?", "Which country launched a rocket to the moon?",
    "Who resigned as prime minister?", "What did the court rule?", "Which airline cancelled flights?",
    "What record did the athlete break?", "Which city hosted the summit?",
    "What did the president sign into law?", "Which streaming service raised its prices?",
    "Who was arrested for the robbery?", "What caused the wildfire?",
    "Which museum returned the stolen artwork?", "Who is the new coach?", "What did the company recall?",
    "Which state passed the abortion law?", "How much did the painting sell for?",
    "Which film topped the box office?", "What did researchers find about sleep?", "Who won the election?",
    "Which country hosted the World Cup?", "What was the inflation rate?", "Who died at the age of 90?",
    "Which bridge collapsed?", "What did the union go on strike over?", "Which animal escaped from the zoo?",
    "Who was named the new CEO?", "Which video game sold the most copies?", "What did the senator propose?",
    "Where was the plane crash?", "Which restaurant chain closed stores?", "What did the pope say?",
    "Which band reunited?",
)


def typical(closest: Iterable[float]) -> float | None:
    """The store's closeness for unrelated questions, from each probe's closest cosine (None
    for an empty store)."""
    found = list(closest)
    return float(statistics.median(found)) if found else None


def remembered(path: Path | None, key: dict[str, object]) -> float | None:
    """The closeness ``path`` keeps for ``key`` (None when it keeps none for it: another store
    generation, embedding model or search)."""
    if path is None:
        return None
    try:
        held = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = held.get("value") if isinstance(held, dict) and held.get("key") == key else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def remember(path: Path | None, key: dict[str, object], value: float | None) -> None:
    """Keep ``value`` for ``key`` in ``path``, whole or not at all; a folder that cannot be written
    only means measuring it again next time."""
    if path is None or value is None:
        return
    part = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(json.dumps({"key": key, "value": value}), encoding="utf-8")
        os.replace(part, path)
    except OSError as exc:
        log.debug("could not keep the store's unrelated closeness in %s: %s", path, exc)
