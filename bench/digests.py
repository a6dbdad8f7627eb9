"""Whether a week's digest leads with that week's news, judged by the week's news quiz.

    python bench/digests.py --store STORE --questions QUESTIONS [--limit 5] [--days 7] [--json]

A news quiz asks about what its editors thought the week's main news; a digest of the same week
that names those stories first is doing its job. For each quiz day of a question set (RealTimeQA:
``question_date``), the digest's stories from ``--days`` before it to that day are ranked as
``newsbot digest`` ranks them, and each question of that quiz counts as covered when a page that
states its answer (its ``doc_ids``) was published in the period and belongs to one of the first
``--limit`` stories. Only questions with such a page in the period can be covered (``coverable``);
``covered`` is the share of those; ``pages_shown`` is how many of the period's pages the first
stories hold (a bigger story holds more pages, so it covers more by its size alone: read the two
together).

Ranking orders are compared side by side (``ORDERS``): the shipped one and the ones it was
chosen against. Only the ranking is judged: a story without a quotable lead, which a digest
skips, is rare and counted as shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot.engine import DIGEST_STORIES, Engine, EvalQuestion, Story, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402

Order = Callable[[Story], tuple[object, ...]]
ORDERS: dict[str, Order | None] = {
    "shipped": None,  # as ``Engine.digest`` ranks them
    "outlets, fresher, bigger": lambda s: (s.period_outlets, s.latest, len(s.period_ids), s.id),
    "outlets, bigger, fresher": lambda s: (s.period_outlets, len(s.period_ids), s.latest, s.id),
    "bigger, fresher": lambda s: (len(s.period_ids), s.latest, s.id),
}


Listing = Callable[[date, date], list[Story]]  # (since, as of): the stories as a digest ranks them


def coverage(listing: Listing, questions: list[EvalQuestion], limit: int, days: int) -> dict[str, dict[str, float]]:
    """For each order: the share of coverable quiz questions whose answering page is in one of
    the digest's first ``limit`` stories (see the module docstring). ``listing`` is
    ``Engine.stories`` in the digest's order; the other orders re-sort what it lists."""
    by_day: dict[date, list[EvalQuestion]] = {}
    for q in questions:
        if q.question_date and q.doc_ids:
            by_day.setdefault(q.question_date, []).append(q)
    counts = {name: 0 for name in ORDERS}
    pages = {name: 0 for name in ORDERS}
    coverable = asked = 0
    for day, quiz in sorted(by_day.items()):
        since = day - timedelta(days=days - 1)
        listed = listing(since, day)
        in_period_ids = {a for s in listed for a in s.period_ids}
        in_period = [q for q in quiz if in_period_ids.intersection(q.doc_ids)]
        asked += len(quiz)
        coverable += len(in_period)
        for name, order in ORDERS.items():
            first = listed if order is None else sorted(listed, key=order, reverse=True)
            shown = {a for s in first[:limit] for a in s.period_ids}
            counts[name] += sum(1 for q in in_period if shown.intersection(q.doc_ids))
            pages[name] += len(shown)
    return {name: {"covered": round(n / max(1, coverable), 4), "questions_covered": n, "coverable": coverable,
                   "questions": asked, "quizzes": len(by_day),
                   "pages_shown": round(pages[name] / max(1, len(by_day)), 1)} for name, n in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=DIGEST_STORIES)
    parser.add_argument("--days", type=int, default=7, help="the period each quiz's digest covers, ending on its day")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store).embedded())
    engine.place_in_stories()
    report = coverage(lambda since, day: engine.stories(since, day, for_digest=True),
                      load_questions(args.questions), args.limit, args.days)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"digests of {args.store}: the first {args.limit} stories of each {args.days} days",
                  title_justify="left")
    for column in ("order", "covered", "questions covered", "coverable", "questions", "quizzes", "pages shown"):
        table.add_column(column, justify="left" if column == "order" else "right")
    for name, row in report.items():
        table.add_row(name, *(str(v) for v in row.values()))
    Console().print(table)


if __name__ == "__main__":
    main()
