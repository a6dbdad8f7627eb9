"""The extractive answerer now against its first (foundation) version, same store, one run.

    python bench/answerers.py --store HOME --questions QUESTIONS.jsonl [--corpus CORPUS] [--json]

Retrieval is shared (each question is searched once); only the answerer's profile differs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import evaluate  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.extractive import PROFILES  # noqa: E402
from bot.settings import load_settings  # noqa: E402

KEYS = ("answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention_rate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, action="append", required=True)
    parser.add_argument("--corpus", help="ingest this first (skipped when unchanged)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings().model_copy(update={"home": args.store, "chroma_url": None}))
    if args.corpus:
        engine.ingest([args.corpus])
    questions = [q for path in args.questions for q in evaluate.load_questions(path)]
    retrieved = {q.question: engine.search(q.question, 10) for q in questions}
    rows: dict[str, dict[str, object]] = {}
    for name in PROFILES:
        engine.extractive.profile = name
        judged = []
        for q in questions:
            passages = retrieved[q.question]
            answer = engine.extractive.answer(q.question, passages[: engine.settings.top_k])
            answer.passages = passages
            judged.append(evaluate.judge(q, answer, {p.chunk_id: p for p in passages}, 0.0))
        metrics = evaluate.summarize(judged, questions, 0.0)
        rows[name] = {k: metrics[k] for k in KEYS}
    if args.json:
        print(json.dumps(rows))
    else:
        for name, row in rows.items():
            print(f"{name:12s} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
