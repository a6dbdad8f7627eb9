"""newsbot against the LangChain tutorial pipeline, same corpus, same questions, one run.

    python bench/compare.py --corpus CORPUS.jsonl --questions QUESTIONS.jsonl \
        [--store DIR] [--peer-store DIR] [--json]

``--store`` / ``--peer-store`` keep (and reuse) each side's index, so a second run skips the
embedding; without them both are built in temporary folders and their ingest time is reported.
Both sides are measured by the same ``evaluate``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.peer import Peer  # noqa: E402
from bot.engine import METRIC_KEYS, Engine, evaluate, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--store", type=Path, help="newsbot home to reuse/keep")
    parser.add_argument("--peer-store", type=Path, help="peer Chroma folder to reuse/keep")
    parser.add_argument("--json", action="store_true", help="print {'newsbot': {...}, 'langchain-tutorial': {...}}")
    args = parser.parse_args(argv)

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        home = args.store or Path(tmp) / "newsbot"
        engine = Engine(load_settings(home=home).embedded())
        ours = engine.evaluate(questions, corpus=str(args.corpus)).metrics
        peer = Peer(args.peer_store or Path(tmp) / "peer", engine.model_path)
        theirs = evaluate(peer, questions, peer.ingest(args.corpus)).metrics

    rows = {"newsbot": ours, "langchain-tutorial": theirs}
    if args.json:
        print(json.dumps(rows))
        return 0
    table = Table(title=f"{args.corpus.name} / {args.questions.name}", title_justify="left")
    table.add_column("metric")
    for name in rows:
        table.add_column(name, justify="right")
    for key in METRIC_KEYS:
        table.add_row(key, *("—" if r[key] is None else str(r[key]) for r in rows.values()))
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
