"""Answer latency as a user feels it, on an ingested store: warm answers with the other core idle
and busy, a cold `newsbot ask` process, `newsbot --help`, and a write: one new article ingested
and the first answer after it. The writes go to a copy of the store: a removed article leaves
deleted rows behind in both indexes, which shift keyword statistics, so the store measured (and
any model trained on it) is left exactly as it was.

    python bench/latency.py --store HOME --questions QUESTIONS.jsonl [--collection NAME]
        [--cold 5] [--writes 3] [--json]

"Busy" runs a process spinning one core for the whole measurement, as another program would.
Medians and 95th percentiles, in milliseconds; nothing else CPU-heavy should run meanwhile.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot.engine import Engine, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402

NEWSBOT = Path(sys.executable).with_name("newsbot")


def spin() -> None:
    """Keep one core busy until killed."""
    x = 0
    while True:
        x += 1


def warm(engine: Engine, questions: list[str], suffix: str = "") -> list[float]:
    """Milliseconds per answer (as of today), after one warm-up. ``suffix`` makes each question
    new to the embedder's cache, so every run embeds its questions."""
    engine.ask(questions[0] + suffix + " (warm-up)")
    out = []
    for q in (q + suffix for q in questions):
        started = time.perf_counter()
        engine.ask(q)
        out.append((time.perf_counter() - started) * 1000)
    return out


def stages(engine: Engine, questions: list[str]) -> dict[str, list[float]]:
    """Milliseconds per question of the keyword search alone (tantivy's top candidates) and of
    the learned ranking stage alone (features of the fused candidates, their order, and the answer
    model's look at the first four)."""
    searcher = engine.searcher
    out: dict[str, list[float]] = {"keyword search alone": [], "learned ranking stage alone": []}
    for q in questions:
        started = time.perf_counter()
        searcher.lexical.search(q, searcher.config.candidates)
        out["keyword search alone"].append((time.perf_counter() - started) * 1000)
        if searcher.reranker is not None:
            fused = searcher.candidates(q, engine.filters())
            vector = engine.embedder.embed_one(q)
            started = time.perf_counter()
            searcher.reranker.rerank(q, vector, fused, None, None)
            out["learned ranking stage alone"].append((time.perf_counter() - started) * 1000)
    return {what: ms for what, ms in out.items() if ms}


def wall(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        out.append((time.perf_counter() - started) * 1000)
    return out


def new_article(folder: Path, n: int, questions: list[str]) -> Path:
    """A JSONL file with one article the store has never seen (about 3,000 characters)."""
    sentences = [f"{q.rstrip('?')} was reported in bulletin {n}-{time.time_ns()}." for q in questions]
    record = {"id": f"bench-write-{n}-{time.time_ns()}", "title": f"Bench bulletin {n}",
              "published": "2022-03-01", "text": " ".join(sentences[n % 10 : n % 10 + 30])}
    path = folder / f"write-{n}.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def writes(measured: Engine, questions: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds to ingest one new article, and to answer the first question after it, in a
    copy of ``measured``'s store opened as a running bot would have it (model and indexes warm)."""
    ingest_ms, answer_ms = [], []
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(measured.settings.home, copy)
        engine = Engine(measured.settings.with_overrides(home=copy), embedder=measured.embedder)
        engine.warm()  # the copy's keyword index is built here, before anything is timed
        for n in range(runs):
            path = new_article(Path(tmp), n, questions)
            started = time.perf_counter()
            engine.ingest([str(path)])
            ingest_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            engine.ask(questions[n % len(questions)] + " (after a write)")
            answer_ms.append((time.perf_counter() - started) * 1000)
    return ingest_ms, answer_ms


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1), "n": len(ordered)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--collection", help="the store's collection (default: the settings')")
    parser.add_argument("--cold", type=int, default=5, help="cold `newsbot ask` processes to time")
    parser.add_argument("--writes", type=int, default=3, help="new articles to ingest, one at a time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    questions = [q.question for q in load_questions(args.questions)]
    engine = Engine(load_settings(home=args.store, collection=args.collection).embedded())
    results: dict[str, dict[str, float]] = {"warm answer, other core idle": summary(warm(engine, questions))}
    results.update({what: summary(ms) for what, ms in stages(engine, questions).items()})
    busy = multiprocessing.Process(target=spin, daemon=True)
    busy.start()
    try:
        results["warm answer, other core busy"] = summary(warm(engine, questions, " Tell me."))
    finally:
        busy.terminate()
    if args.writes:
        ingest_ms, answer_ms = writes(engine, questions, args.writes)
        results["ingest one new article (in a running bot)"] = summary(ingest_ms)
        results["first answer after it"] = summary(answer_ms)
    env = {**os.environ, "NEWSBOT_HOME": str(args.store), "NEWSBOT_COLLECTION": engine.settings.collection}
    env.pop("NEWSBOT_CHROMA_URL", None)
    if args.cold:  # --cold 0 times warm answers alone
        results["cold `newsbot ask` (process)"] = summary(wall([str(NEWSBOT), "ask", questions[0]], args.cold, env))
    results["`newsbot --help` (process)"] = summary(wall([str(NEWSBOT), "--help"], max(args.cold, 5), env))
    if args.json:
        print(json.dumps(results))
        return 0
    ranking = "the learned ranking stage" if engine.searcher.reranker is not None else "fusion alone"
    table = Table(title=f"latency on {args.store} (ranked by {ranking})", title_justify="left")
    for col in ("what", "p50 ms", "p95 ms", "n"):
        table.add_column(col, justify="left" if col == "what" else "right")
    for what, row in results.items():
        table.add_row(what, str(row["p50"]), str(row["p95"]), str(row["n"]))
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
