"""What the bold span's model gains from how close a span comes in meaning to what the question asks for.

    python bench/lead_meaning.py --data dev=STORE:QUESTIONS --data 2023=STORE:QUESTIONS ... [--json]

Each training question is asked as of its date and the candidate spans of the sentences the
shipped answer model quotes become rows of ``LEAD_FEATURES`` (as ``bench/train_answers.py``
learns from them). Their ``asked_for`` column, the cosine of the span with what the question asks
for (``leads.asks_for``: "city", "social media platform", "person" for who), is given to no span,
to every span, or to the ``--top`` best by ``leads.first_look`` (the product gives it to
``leads.MEANING_SPANS``: each costs an embedding). Trees are grown as the command grows them, on
every set but one, calibrated on those sets, and judged on the one left out: how often the
likeliest span holds the answer, and how many spans are bolded (chance at least the settings'
lead threshold) and right. Only training years belong here: the validation year is measured
whole, never read this way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.learning import Group, other_sets, training_settings  # noqa: E402
from bench.train_answers import ROUND, best_spans, calibrated_lead, collect  # noqa: E402
from bot.engine import LEAD_FEATURES, asks_for, contains_any, first_look  # noqa: E402

Item = tuple[np.ndarray, np.ndarray, np.ndarray]  # (rows, 1 for a span holding an answer, cosine)


def items(spec: str) -> tuple[str, list[Item]]:
    """One set's questions with a candidate span, as rows, answers and cosines."""
    name, engine, asked = collect(spec)
    out = []
    for a in asked:
        spans, rows = engine.lead_rows(a.question, a.passages, engine.scorer.model)
        if not spans:
            continue
        right = np.array([contains_any(s, a.answers) for s in spans], np.float64)
        wanted = asks_for(a.question)
        cosine = (engine.embedder.embed(spans) @ engine.embedder.embed_one(wanted)) if wanted else np.zeros(len(spans))
        out.append((rows.round(ROUND), right, np.asarray(cosine, np.float64).round(ROUND)))
    return name, out


def groups(its: list[Item], column: bool, top: int | None) -> list[Group]:
    """The rows to learn from or judge: the cosine column given to the ``top`` best spans by
    ``first_look`` (every span when None), or to none (``column`` False)."""
    out = []
    at = list(LEAD_FEATURES).index("asked_for")
    for rows, right, cosine in its:
        kept = cosine.copy() if column else np.zeros(len(cosine))
        if column and top is not None:
            kept[np.argsort(-first_look(rows), kind="stable")[top:]] = 0.0
        rows = rows.copy()
        rows[:, at] = kept
        out.append((rows, right))
    return out


def held_out(sets: dict[str, list[Item]], column: bool, top: int | None, threshold: float) -> dict[str, int]:
    """Over every set judged by trees grown on the others (and calibrated on them, as the command
    does): spans first and right, bolded, bolded right."""
    by_set = {name: [(g, []) for g in groups(its, column, top)] for name, its in sets.items()}
    first = shown = right = 0
    for name, judged in by_set.items():
        _, lead = calibrated_lead(other_sets(by_set, name))
        for score, holds in best_spans(lead, judged):
            first += int(holds)
            if lead.chance(score) >= threshold:
                shown += 1
                right += int(holds)
    return {"first_right": first, "bolded": shown, "bolded_right": right}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="NAME=STORE:QUESTIONS (repeat)")
    parser.add_argument("--top", type=int, action="append", help="spans given the cosine (repeat; default 3 and 5)")
    parser.add_argument("--threshold", type=float, help="the chance bolded spans reach (default: the settings' lead threshold)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = dict(items(spec) for spec in args.data)
    store = args.data[0].partition("=")[2].partition(":")[0]
    threshold = args.threshold if args.threshold is not None else training_settings(store).lead_threshold
    trials: dict[str, tuple[bool, int | None]] = {"without": (False, None), "with, every span": (True, None)}
    trials.update({f"with, the best {k} by the pre-score": (True, k) for k in args.top or [3, 5]})
    report = {"questions": sum(len(its) for its in sets.values()), "threshold": threshold,
              "trials": {label: held_out(sets, column, top, threshold) for label, (column, top) in trials.items()}}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"held out by set, {report['questions']} questions with a candidate span, bolded at a chance "
                        f"of {threshold}", title_justify="left")
    for col in ("the cosine with what is asked for", "likeliest right", "bolded", "bolded right"):
        table.add_column(col, justify="left" if col.startswith("the") else "right")
    for label, r in report["trials"].items():
        table.add_row(label, str(r["first_right"]), str(r["bolded"]), str(r["bolded_right"]))
    Console().print(table)


if __name__ == "__main__":
    main()
