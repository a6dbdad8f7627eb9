"""A store ten times the size of a corpus: its articles repeated under new ids, for measuring how
newsbot grows (then run bench/latency.py on it with ``--collection``).

    python bench/growth.py --store HOME --corpus CORPUS.jsonl [--times 10] [--collection x10] [--json]

The embedding cache (``NEWSBOT_EMBEDDING_CACHE``) is on, so a repeated article costs chunking,
a cache lookup and the writes, not the model; ingest the corpus once into the same home first
(any collection) and even the first copy is not embedded again. Reports the ingest's wall time,
chunks and chunks per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from bench.corpus import records  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.settings import load_settings  # noqa: E402


def repeated(corpus: Path, times: int, out: Path) -> int:
    """Write ``corpus`` ``times`` over (copy k's ids end in ``~k``); returns the articles written."""
    originals = list(records(corpus))
    with open(out, "w", encoding="utf-8") as fh:
        for k in range(times):
            for record in originals:
                fh.write(json.dumps({**record, "id": f"{record['id']}~{k}"}) + "\n")
    return len(originals) * times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--collection", default="x10")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store, collection=args.collection, embedding_cache=True).embedded())
    with tempfile.TemporaryDirectory(prefix="newsbot-growth-") as tmp:
        big = Path(tmp) / "repeated.jsonl"
        articles = repeated(args.corpus, args.times, big)
        with Console(stderr=True).status(f"ingesting {articles} articles into {args.collection}…"):
            report = engine.ingest([str(big)])
    row = {"articles": articles, "added": len(report.added), "chunks": report.chunks,
           "seconds": round(report.seconds, 1),
           "chunks_per_second": round(report.chunks / report.seconds, 1) if report.seconds else None}
    print(json.dumps(row) if args.json else row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
