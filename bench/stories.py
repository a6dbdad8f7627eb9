"""How well stories group a year of news, and what grouping costs.

    python bench/stories.py --store STORE --questions QUESTIONS [--corpus CORPUS] [--json]

With ``--corpus`` the corpus is ingested first (articles already stored are skipped) and the
report gives the ingest time and the part of it spent placing articles in stories. Articles
stored before stories existed are placed once (``catch_up``, oldest first), timed apart;
``--again`` forgets every story first (a fresh lead collection, so that a placement repeats), to
place the whole store again, oldest first or in the corpus's own order (``--order corpus``, the
order its ingest places them in).

Two numbers judge the grouping, from a question set with ``result_ids`` (RealTimeQA 2023-2025):
- together: of the pairs of pages one search returned for a question that both state its answer
  (its ``doc_ids``), the share that share a story (they report one thing: higher is better);
- apart: of 20,000 random pairs of pages published more than 30 days apart, the share that
  share a story (unrelated news glued together: lower is better);
- loose: of the pairs of pages that share a story, the share whose leads are no closer than
  ``LOOSE`` (a story about nothing in particular: lower is better). Two pages that state one
  quiz answer are that far apart 6% of the time, two random pages 92% of the time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.corpus import records  # noqa: E402
from bot.engine import Engine, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402

RANDOM_PAIRS = 20000
APART_DAYS = 30
LOOSE = 0.25  # the lead cosine below which two pages of one story count as unrelated


def grouping(stories: dict[str, str], published: dict[str, str], doc_sets: list[list[str]],
             seed: int = 1) -> dict[str, float]:
    """The together and apart shares (see the module docstring) of one grouping."""
    together = [stories[a] == stories[b] for ids in doc_sets for a, b in itertools.combinations(ids, 2)
                if a in stories and b in stories]
    dated = [a for a in stories if len(published.get(a, "")) == 10]
    days = {a: date.fromisoformat(published[a]).toordinal() for a in dated}
    rng = random.Random(seed)
    apart: list[bool] = []
    for _ in range(RANDOM_PAIRS * 50):
        if len(apart) >= RANDOM_PAIRS or len(dated) < 2:
            break
        a, b = rng.choice(dated), rng.choice(dated)
        if abs(days[a] - days[b]) > APART_DAYS:
            apart.append(stories[a] == stories[b])
    sizes = Counter(stories.values())
    return {"together": round(sum(together) / max(1, len(together)), 4), "together_pairs": len(together),
            "apart": round(sum(apart) / max(1, len(apart)), 4), "apart_pairs": len(apart),
            "articles": len(stories), "stories": len(sizes), "largest_story": max(sizes.values(), default=0)}


def loose(stories: dict[str, str], leads: dict[str, np.ndarray]) -> float:
    """The share of pairs of pages in one story whose leads are further apart than ``LOOSE``."""
    members: dict[str, list[np.ndarray]] = {}
    for article_id, story in stories.items():
        if article_id in leads:
            members.setdefault(story, []).append(leads[article_id])
    pairs = far = 0
    for vectors in members.values():
        if len(vectors) < 2:
            continue
        block = np.array(vectors) @ np.array(vectors).T
        upper = block[np.triu_indices(len(vectors), 1)]
        pairs += len(upper)
        far += int((upper < LOOSE).sum())
    return round(far / max(1, pairs), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--corpus")
    parser.add_argument("--again", action="store_true", help="forget the stories and place every article again")
    parser.add_argument("--order", choices=("date", "corpus"), default="date",
                        help="place articles oldest first, or in the order of --corpus (as its ingest would)")
    parser.add_argument("--join", type=float, help="the lead cosine at which an article joins a story (NEWSBOT_STORY_JOIN)")
    parser.add_argument("--centre", type=float,
                        help="the cosine to a story's mean lead an article needs to join it (NEWSBOT_STORY_CENTRE)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store, story_join=args.join, story_centre=args.centre).embedded())
    report: dict[str, float] = {}
    if args.corpus:
        ingested = engine.ingest([args.corpus])
        report.update(ingest_seconds=round(ingested.seconds, 1), stories_seconds=round(engine.indexes.stories.seconds, 1),
                      added=len(ingested.added))
    if args.again:
        with engine.indexes.writing():
            engine.indexes.stories.reset()
    started = time.perf_counter()
    order = None
    if args.order == "corpus":
        if not args.corpus:
            parser.error("--order corpus needs --corpus")
        order = [r["id"] for r in records(Path(args.corpus))]
    report["caught_up"] = engine.place_in_stories(order=order)
    report["catch_up_seconds"] = round(time.perf_counter() - started, 1)
    members, vectors = engine.indexes.stories.members(with_vectors=True)
    stories = {m.article_id: m.story for m in members}
    published = {m.article_id: m.published for m in members}
    doc_sets = [q.doc_ids for q in load_questions(args.questions)]
    report.update(grouping(stories, published, doc_sets))
    report["loose"] = loose(stories, dict(zip(stories, vectors if vectors is not None else [])))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"stories of {args.store}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in report.items():
        table.add_row(key, str(value))
    Console().print(table)


if __name__ == "__main__":
    main()
