"""Sweep retrieval and answer settings on an already ingested store (no re-embedding).

    python bench/tune.py --store HOME --questions QUESTIONS.jsonl [--unanswerable EXTRA.jsonl]

Prints hit@k / MRR for fusion weights, candidate counts and per-article caps, then answer
accuracy, citation precision and abstention for a range of abstention thresholds, so every
default in settings can be traced to a number. Each
setting is an engine configured with it (``Engine.configured``), measured by ``evaluate``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot.engine import Engine, EvalQuestion, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402

RETRIEVAL_KEYS = ("hit@1", "hit@4", "hit@10", "mrr@10")
ANSWER_KEYS = ("answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention_rate")


def sweep(engine: Engine, questions: list[EvalQuestion], grid: list[dict[str, Any]], keys: tuple[str, ...],
          title: str, date_blind: bool = False) -> Table:
    """One row per setting combination: the setting values, then the chosen metrics."""
    table = Table(title=title, title_justify="left")
    for col in [*grid[0], *keys]:
        table.add_column(col, justify="right")
    for changes in grid:
        metrics = engine.configured(**changes).evaluate(questions, date_blind=date_blind).metrics
        table.add_row(*(str(v) for v in changes.values()), *(str(metrics[k]) for k in keys))
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--unanswerable", type=Path, help="extra questions (e.g. answerable=false) for abstention")
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--thresholds", default="0.05,0.10,0.15,0.20,0.25")
    parser.add_argument("--recency", action="store_true",
                        help="only sweep the recency prior (questions asked as of their question_date)")
    parser.add_argument("--gaps", action="store_true",
                        help="only sweep how close to the best score (log-odds) an extra answer sentence must be")
    parser.add_argument("--dates", action="store_true",
                        help="only sweep the weight of date phrases in questions (\"this week\")")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store).embedded())
    questions = load_questions(args.questions)
    if args.unanswerable:
        questions += load_questions(args.unanswerable)
    console = Console()
    if args.recency:
        grid = [{"recency_weight": w, "recency_half_life": h} for w in (0.0, 0.5, 1.0, 2.0, 4.0)
                for h in ((7.0,) if w == 0 else (3.0, 7.0, 14.0, 30.0))]
        console.print(sweep(engine, questions, grid, (*RETRIEVAL_KEYS, "answer_accuracy"), "recency"))
        return 0
    if args.gaps:
        grid = [{"answer_gap": g} for g in (0.5, 1.0, 1.5, 2.0, 3.0)]
        for blind in (False, True):
            console.print(sweep(engine, questions, grid, ANSWER_KEYS, f"answer gap (date-blind: {blind})", blind))
        return 0
    if args.dates:
        grid = [{"date_window_weight": w} for w in (0.0, 0.5, 1.0, 2.0, 4.0, 10.0)]
        console.print(sweep(engine, questions, grid, (*RETRIEVAL_KEYS, "answer_accuracy"), "date phrases"))
        return 0
    if not args.skip_retrieval:
        grid = [{"dense_weight": d, "lexical_weight": w, "candidates": 50, "per_article": 2}
                for d, w in ((1, 0), (0, 1), (1, 1), (1, 0.5), (0.5, 1))]
        grid += [{"dense_weight": 1.0, "lexical_weight": 1.5, "candidates": c, "per_article": p}
                 for c in (20, 100) for p in (1, 3)]
        console.print(sweep(engine, questions, grid, RETRIEVAL_KEYS, "retrieval"))
    grid = [{"abstain_threshold": float(t)} for t in args.thresholds.split(",")]
    console.print(sweep(engine, questions, grid, ANSWER_KEYS, "answers"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
