"""The extractive answerer now against its first (foundation) version, same store, one run.

    python bench/answerers.py --store HOME --questions QUESTIONS.jsonl [--corpus CORPUS] [--json]

Each profile is an engine configured with ``answer_profile``; retrieval is the same for both
(same store, same search settings), so only the answerer differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import ANSWER_PROFILES, Engine, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402

KEYS = ("answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention_rate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, action="append", required=True)
    parser.add_argument("--corpus", help="ingest this first (skipped when unchanged)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store).embedded())
    if args.corpus:
        engine.ingest([args.corpus])
    questions = [q for path in args.questions for q in load_questions(path)]
    rows: dict[str, dict[str, object]] = {}
    for name in ANSWER_PROFILES:
        metrics = engine.configured(answer_profile=name).evaluate(questions).metrics
        rows[name] = {k: metrics[k] for k in KEYS}
    if args.json:
        print(json.dumps(rows))
    else:
        for name, row in rows.items():
            print(f"{name:12s} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
