"""How much the answer model's answers move when its training rows move a little.

    python bench/steadiness.py --data dev=STORE:QUESTIONS --data 2023=STORE:QUESTIONS ... [--bags 5] [--drops 3] [--json]

A change to a feature or a span pattern changes a few rows, and re-grown trees then move answers
that the change never touched: a gain or loss smaller than that movement cannot be told from it.
Each set is answered by a model learned on the other sets (held out, as ``train_answers.py``
reports), once on all of their questions and then ``--drops`` times without a random 5% of them
(seeds 1, 2, ...). The report gives the held-out answers right each time and, for every pair of
runs, how many questions one answers right and the other wrong: the movement. ``--bags`` is the
number of models averaged (``bench/learning.py``'s ``BAGS`` by default; 1 for a single model).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from bench.learning import BAGS, other_sets  # noqa: E402
from bench.train_answers import answered, collect, groups_of, learn_trees, model_of  # noqa: E402

DROPPED = 0.05  # the share of training questions each run leaves out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="NAME=STORE:QUESTIONS (repeat)")
    parser.add_argument("--bags", type=int, default=BAGS)
    parser.add_argument("--drops", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = {}
    engine = None
    for spec in args.data:
        name, engine, sets[name] = collect(spec)
    assert engine is not None
    grouped = {name: groups_of(engine, asked) for name, asked in sets.items()}
    runs: list[list[bool]] = []
    for seed in range(args.drops + 1):  # 0: every training question
        right: list[bool] = []
        for name, asked in sets.items():
            others = other_sets(grouped, name)
            if seed:
                draw = random.Random(seed)
                others = [g for g in others if draw.random() >= DROPPED]
            right += [o.right for o in answered(engine, model_of(learn_trees(others, args.bags)), asked)]
        runs.append(right)
    moved = [sum(a != b for a, b in zip(x, y)) for x, y in itertools.combinations(runs, 2)]
    report = {"bags": args.bags, "questions": len(runs[0]), "right": [sum(r) for r in runs], "moved": moved}
    if args.json:
        print(json.dumps(report))
    else:
        Console().print(f"{args.bags} model(s) averaged: held-out answers right {report['right']} of "
                        f"{report['questions']}; answers moved between runs {moved}")


if __name__ == "__main__":
    main()
