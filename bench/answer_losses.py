"""Where a training set's answers are lost: retrieval, the sentence order, or the answer's wording.

    python bench/answer_losses.py --data 2024=STORE:QUESTIONS [--data ...] [--json]

Each question is asked as of its date and handed the passages the answerer gets (as
``bench/train_answers.py`` collects them). For each set it reports the share of questions whose
passages hold an answer; whose best-scored sentence (the shipped answer model's order), best two or
best three do; whose answer is right (the extractive answer, nothing abstained or hedged); and the
answer's accuracy by where the first right sentence stands. For the questions whose first passage
is from an article the set names right, it also reports whether that article's passages hold an
answer and how often the answer is right: what is lost inside the right article. Only training
years belong here: the validation year is measured whole with ``newsbot eval``, never read this way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.train_answers import Asked, collect  # noqa: E402
from bot.engine import Engine, contains_any  # noqa: E402

PLACES = ("1st", "2nd", "3rd", "4th", "5th or lower", "none")


def losses(engine: Engine, asked: list[Asked]) -> dict[str, object]:
    """The shares of ``asked`` won at each step, and the answer's accuracy by the first right
    sentence's place in the answer model's order."""
    n = len(asked)
    held = top1 = top2 = top3 = right = 0
    first_right = first_held = first_answered = 0
    by_place: dict[str, list[bool]] = {p: [] for p in PLACES}
    for a in asked:
        ranked = engine.scorer.score(a.question, a.passages)
        first = next((i for i, c in enumerate(ranked) if contains_any(c.text, a.answers)), None)
        text = engine.trial_answer(a.question, a.passages, engine.scorer.model).text
        ok = contains_any(text, a.answers)
        held += any(contains_any(p.text, a.answers) for p in a.passages)
        top1 += first == 0
        top2 += first is not None and first < 2
        top3 += first is not None and first < 3
        right += ok
        by_place[PLACES[-1] if first is None else PLACES[min(first, 4)]].append(ok)
        if a.passages and a.passages[0].article_id in a.right_articles:
            lead = a.passages[0].article_id
            first_right += 1
            first_held += any(contains_any(p.text, a.answers) for p in a.passages if p.article_id == lead)
            first_answered += ok
    share = (lambda k: round(k / n, 4)) if n else (lambda k: float("nan"))
    return {"questions": n, "passages_hold": share(held), "best_sentence": share(top1), "best_two": share(top2),
            "best_three": share(top3), "answer": share(right),
            "right_article_first": {"questions": first_right,
                                    "its_passages_hold": round(first_held / first_right, 4) if first_right else None,
                                    "answer": round(first_answered / first_right, 4) if first_right else None},
            "answer_by_first_right": {p: {"questions": len(v), "answer": round(sum(v) / len(v), 4) if v else None}
                                      for p, v in by_place.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="NAME=STORE:QUESTIONS (repeat)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = {}
    for spec in args.data:
        name, engine, asked = collect(spec)
        report[name] = losses(engine, asked)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title="where answers are lost (shares of questions)", title_justify="left")
    for col in ("set", "questions", "passages hold", "best sentence", "best two", "best three", "answer"):
        table.add_column(col, justify="left" if col == "set" else "right")
    places = Table(title="answers right, by the first right sentence's place", title_justify="left")
    places.add_column("set")
    for p in PLACES:
        places.add_column(p, justify="right")
    inside = Table(title="when the first passage is from a right article", title_justify="left")
    for col in ("set", "questions", "its passages hold", "answer"):
        inside.add_column(col, justify="left" if col == "set" else "right")
    for name, r in report.items():
        table.add_row(name, str(r["questions"]), *(f"{r[k]:.3f}" for k in
                                                   ("passages_hold", "best_sentence", "best_two", "best_three", "answer")))
        cells = r["answer_by_first_right"]
        assert isinstance(cells, dict)
        places.add_row(name, *(f"{c['answer']:.2f} ({c['questions']})" if c["answer"] is not None else "-"
                               for c in cells.values()))
        first = r["right_article_first"]
        assert isinstance(first, dict)
        if first["questions"]:
            inside.add_row(name, str(first["questions"]), f"{first['its_passages_hold']:.3f}", f"{first['answer']:.3f}")
    Console().print(table)
    Console().print(places)
    Console().print(inside)


if __name__ == "__main__":
    main()
