"""How closely timelines keep to their topic, on a year of news.

    python bench/timelines.py --store STORE --questions QUESTIONS [--limit 200] [--names 0.5] [--json]

Each question of a set with ``result_ids`` (RealTimeQA 2023-2025) is taken as a topic and its
timeline built as of the question's date. The pages its own search returned are about it; pages
from other questions' searches mostly are not (some are: the same story found again). The report
gives the events' articles, and how many come from the question's own search (higher share: a
timeline that keeps to its topic; more of them: one that misses less).

``--names`` is the share of the topic's names an article must name (``timeline_names`` in
settings, rounded up): 0 (meaning alone, as before names counted), 0.01 (any), 0.5 (the default) or 1
(every one).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from bench.learning import training_settings  # noqa: E402
from bot.engine import Engine, load_questions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=200, help="the set's first N questions")
    parser.add_argument("--names", type=float, help="share of the topic's names an article must name (default: the setting's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = training_settings(args.store)
    if args.names is not None:
        settings = settings.with_overrides(timeline_names=args.names)
    engine = Engine(settings)
    searched = {}  # each question's own search results (the shared format's loader keeps only doc_ids)
    for line in args.questions.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            searched[str(record.get("id"))] = set(record.get("result_ids") or [])
    events = own = topics = 0
    for q in load_questions(args.questions)[: args.limit]:
        if not q.question_date or not searched.get(q.id):
            continue
        topics += 1
        timeline = engine.timeline(q.question, as_of=q.question_date)
        ids = [c.article_id for e in timeline.events for c in [e.citation, *e.also]]
        events += len(ids)
        own += sum(i in searched[q.id] for i in ids)
    report = {"names": settings.timeline_names, "topics": topics, "articles": events, "own_search": own,
              "own_share": round(own / max(1, events), 3)}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        Console().print(f"names {settings.timeline_names}: {topics} topics, {events} articles in their timelines, {own} from the "
                        f"topic's own search ({report['own_share']:.3f})")


if __name__ == "__main__":
    main()
