"""Sweep retrieval and answer settings on an already ingested store (no re-embedding).

    python bench/tune.py --store HOME --questions QUESTIONS.jsonl [--unanswerable EXTRA.jsonl]

Prints hit@k / MRR for fusion weights, candidate counts and per-article caps, then answer
accuracy, citation precision and abstention for a range of abstention thresholds and for the
answerer's scoring profiles, so every default in settings can be traced to a number.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot import evaluate  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.extractive import PROFILES  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from retrieval.search import SearchConfig  # noqa: E402


def retrieval_rows(engine: Engine, questions: list[evaluate.Question], grid: list[SearchConfig]) -> Table:
    table = Table(title="retrieval", title_justify="left")
    for col in ("dense w", "lexical w", "candidates", "per article", "hit@1", "hit@4", "hit@10", "mrr@10"):
        table.add_column(col, justify="right")
    answerable = [q for q in questions if q.doc_ids]
    for cfg in grid:
        engine.searcher.config = cfg
        ranks = [evaluate.first_gold_rank(engine.search(q.question, 10), q.doc_ids) for q in answerable]
        n = len(ranks)
        hit = {k: sum(1 for r in ranks if r and r <= k) / n for k in (1, 4, 10)}
        mrr = sum(1 / r for r in ranks if r) / n
        table.add_row(str(cfg.dense_weight), str(cfg.lexical_weight), str(cfg.candidates), str(cfg.per_article),
                      *(f"{hit[k]:.3f}" for k in (1, 4, 10)), f"{mrr:.3f}")
    return table


def answer_rows(engine: Engine, questions: list[evaluate.Question], thresholds: list[float]) -> Table:
    table = Table(title="answers", title_justify="left")
    for col in ("profile", "threshold", "answer_acc", "cite_prec", "abst_acc", "false_abst"):
        table.add_column(col, justify="right")
    for profile in PROFILES:
        engine.extractive.profile = profile
        for t in thresholds:
            engine.extractive.threshold = t
            rows = evaluate.run_questions(lambda q: engine.ask(q, k=10), questions)
            m = evaluate.summarize(rows, questions, 0.0)
            table.add_row(profile, f"{t:.2f}", *(str(m[k]) for k in ("answer_accuracy", "citation_precision",
                                                                       "abstention_accuracy", "false_abstention_rate")))
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--unanswerable", type=Path, help="extra questions (e.g. answerable=false) for abstention")
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--thresholds", default="0.30,0.35,0.40,0.45")
    args = parser.parse_args()
    settings = load_settings().model_copy(update={"home": args.store, "chroma_url": None})
    engine = Engine(settings)
    questions = evaluate.load_questions(args.questions)
    if args.unanswerable:
        questions += evaluate.load_questions(args.unanswerable)
    console = Console()
    if not args.skip_retrieval:
        grid = [SearchConfig(candidates=c, dense_weight=d, lexical_weight=w, per_article=p)
                for d, w in ((1, 0), (0, 1), (1, 1), (1, 0.5), (0.5, 1))
                for c in (50,) for p in (2,)]
        grid += [SearchConfig(candidates=c, per_article=p) for c in (20, 100) for p in (1, 3)]
        console.print(retrieval_rows(engine, questions, grid))
        engine.searcher.config = SearchConfig(candidates=settings.candidates, per_article=settings.per_article)
    console.print(answer_rows(engine, questions, [float(x) for x in args.thresholds.split(",")]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
