"""newsbot against the LangChain tutorial pipeline, same corpus, same questions, one run.

    python bench/compare.py --corpus CORPUS.jsonl --questions QUESTIONS.jsonl \
        [--store DIR] [--peer-store DIR] [--json]

Each side's ingest runs in a process of its own (so its peak memory is its own), one after the
other, then both are measured by the same ``evaluate``. ``--store`` / ``--peer-store`` keep (and
reuse) each side's index: a side whose store already holds the corpus is not ingested again,
and its ingest columns are left empty. Nothing else CPU-heavy should run meanwhile.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.corpus import records  # noqa: E402
from bench.peer import Peer  # noqa: E402
from bot.engine import METRIC_KEYS, Engine, evaluate, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402

SIDES = ("newsbot", "langchain-tutorial")
INGEST_KEYS = ["ingest_seconds", "chunks", "chunks_per_second", "chars_per_second", "peak_memory_mb"]


def corpus_chars(corpus: Path) -> int:
    """Characters of title and text in the corpus: the work both sides are given."""
    return sum(len(str(r.get("title") or "")) + len(str(r.get("text") or "")) for r in records(corpus))


def ingest_side(side: str, corpus: Path, folder: Path, model: Path) -> dict[str, Any]:
    """Ingest ``corpus`` into ``folder`` as ``side`` does (in this process); its numbers."""
    if side == "newsbot":
        report = Engine(load_settings(home=folder).embedded()).ingest([str(corpus)])
        seconds, chunks = report.seconds, report.chunks
    else:
        peer = Peer(folder, model)
        seconds = peer.ingest(corpus)
        chunks = peer.count()
    return {"ingest_seconds": round(seconds, 1), "chunks": chunks,
            "chunks_per_second": round(chunks / seconds, 1) if seconds else None,
            "chars_per_second": round(corpus_chars(corpus) / seconds) if seconds else None,
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def ingest_in_child(side: str, corpus: Path, folder: Path, model: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--ingest-side", side, "--corpus", str(corpus),
                           "--store", str(folder), "--model", str(model), "--questions", "-"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{side} ingest failed: {done.stderr.strip().splitlines()[-1:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--store", type=Path, help="newsbot home to reuse/keep")
    parser.add_argument("--peer-store", type=Path, help="peer Chroma folder to reuse/keep")
    parser.add_argument("--json", action="store_true", help="print {'newsbot': {...}, 'langchain-tutorial': {...}}")
    parser.add_argument("--ingest-side", choices=SIDES, help=argparse.SUPPRESS)  # the child's job
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ingest_side:
        print(json.dumps(ingest_side(args.ingest_side, args.corpus, args.store, args.model)))
        return 0

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        home = args.store or Path(tmp) / "newsbot"
        peer_dir = args.peer_store or Path(tmp) / "peer"
        ingests: dict[str, dict[str, Any]] = {side: {"ingest_seconds": None} for side in SIDES}
        fresh = {"newsbot": not (home / "chroma").exists(), "langchain-tutorial": not peer_dir.exists()}
        engine = Engine(load_settings(home=home).embedded())
        for side, folder in zip(SIDES, (home, peer_dir)):
            if fresh[side]:
                ingests[side] = ingest_in_child(side, args.corpus, folder, engine.model_path)
        ours = engine.evaluate(questions, corpus=str(args.corpus)).metrics
        peer = Peer(peer_dir, engine.model_path)
        theirs = evaluate(peer, questions, peer.ingest(args.corpus)).metrics

    rows = {"newsbot": {**ours, **ingests["newsbot"]}, "langchain-tutorial": {**theirs, **ingests["langchain-tutorial"]}}
    if args.json:
        print(json.dumps(rows))
        return 0
    table = Table(title=f"{args.corpus.name} / {args.questions.name}", title_justify="left")
    table.add_column("metric")
    for name in rows:
        table.add_column(name, justify="right")
    for key in [k for k in METRIC_KEYS if k != "ingest_seconds"] + INGEST_KEYS:
        table.add_row(key, *("—" if r.get(key) is None else str(r[key]) for r in rows.values()))
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
