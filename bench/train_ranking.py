"""Learn the ranking stage's weights from questions whose right article is known.

    python bench/train_ranking.py --data dev=STORE:QUESTIONS[:CORPUS] --data 2023=STORE:QUESTIONS[:CORPUS] ...
        [--out retrieval/weights/ranking.json] [--c 1.0] [--json]

Each STORE is a data folder that already holds that question set's corpus (``newsbot eval
--corpus ... --store STORE`` builds it once). For every question, asked as of its own date, the
candidate articles and their features come from the engine (``Engine.ranking_rows``), exactly
as the stage sees them when answering. Pairs (a right article, a wrong one ranked among the
candidates) train a logistic regression on feature differences: a linear ranking model, whose
standardisation and weights are written as JSON with the command and the data that made them.

A question's right articles are those its set names (``doc_ids``): in the yearly sets, the pages
of the question's own web search that state the answer. Another question's page may state it
too (the same week's news, run by another outlet), and nothing the product sees tells the two
apart: with CORPUS (the set's ``corpus.jsonl``) such a page is left out of the question's
training pairs instead of being taught as wrong. The report judges every set on all candidates,
as ``newsbot eval`` does.

Only training years belong here (2022 dev, 2023, 2024); the validation year is measured whole
with ``newsbot eval`` after, never trained on. The report gives hit@1 of the content order and
of the model per set, and each set's hit@1 with the model trained on the other sets alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.corpus import records  # noqa: E402
from bench.learning import BLIND_DAY, Group, Model, first_right, learnable, other_sets, training_settings  # noqa: E402
from bench.learning import fit as learn  # noqa: E402
from bot.engine import RANKING_FEATURES, Engine, LinearModel, contains_any, load_questions, write_model  # noqa: E402

NEGATIVES = 10  # wrong articles paired with each right one: the highest-ranked candidates
# Features and weights are rounded to this many decimals: a question's vector differs in its last
# float bits between runs, which moved the sixth decimal of the weights; rounded, a re-run
# writes the same file.
ROUND = 4


def corpus_texts(path: Path) -> dict[str, str]:
    """Each page's title and text by id, from a corpus JSONL file."""
    if not path.is_file():
        raise SystemExit(f"{path} does not exist: give the set's corpus.jsonl after its questions file")
    return {str(r["id"]): f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records(path)}


def groups_of(spec: str, blind: bool = False) -> tuple[str, list[Group], list[Group]]:
    """The candidate groups of one question set ``NAME=STORE:QUESTIONS[:CORPUS]`` (questions whose
    right article is among the candidates, and is not the only candidate): those to learn from
    (with CORPUS, pages that state the answer without being named right are left out) and those
    to judge by (every candidate). With ``blind`` each question is asked a second time as of a
    fixed day after the news (``BLIND_DAY``), as a user who does not say when would ask it, so
    the model also learns to rank when the right article is not the freshest."""
    name, _, rest = spec.partition("=")
    store, questions, corpus = (rest.split(":") + [""])[:3]
    texts = corpus_texts(Path(corpus)) if corpus else {}
    engine = Engine(training_settings(store))
    learn_from: list[Group] = []
    judge_by: list[Group] = []
    for q in load_questions(Path(questions)):
        days = {q.question_date or BLIND_DAY, BLIND_DAY} if blind else {q.question_date or BLIND_DAY}
        states: dict[str, bool] = {}
        for day in sorted(days):
            articles, rows = engine.ranking_rows(q.question, day)
            gold = np.array([a in set(q.doc_ids) for a in articles], dtype=np.float64)
            if not 0 < gold.sum() < len(gold):
                continue
            rows = rows.astype(np.float64).round(ROUND)
            judge_by.append((rows, gold))
            for a in articles:
                if a not in states:
                    states[a] = a not in q.doc_ids and a in texts and contains_any(texts[a], q.answers)
            learn_from.append(learnable(rows, gold, np.array([states[a] for a in articles])))
    return name, learn_from, judge_by


def fit(groups: list[Group], c: float) -> Model:
    """A linear ranking model learned from ``groups`` (each right article against the
    ``NEGATIVES`` highest-ranked wrong ones)."""
    return learn(groups, c, NEGATIVES)


def hit1(groups: list[Group], model: Model | str) -> float:
    """Share of groups whose first article is right, by ``model`` or by one feature's order
    ("fused_rank": fusion by content alone; "baseline": the hand-tuned order)."""
    if isinstance(model, str):
        return first_right(groups, [rows[:, list(RANKING_FEATURES).index(model)] for rows, _ in groups])
    linear = LinearModel(RANKING_FEATURES, *model)
    return first_right(groups, [linear.scores(rows) for rows, _ in groups])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="NAME=STORE:QUESTIONS[:CORPUS] (repeat)")
    parser.add_argument("--out", type=Path, default=Path("retrieval/weights/ranking.json"))
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--blind", action="store_true", help="also learn from each question asked as of a fixed day after the news (BLIND_DAY)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    loaded = [groups_of(spec, args.blind) for spec in args.data]
    learn_from = {name: gs for name, gs, _ in loaded}
    sets = {name: gs for name, _, gs in loaded}
    everything = [g for gs in learn_from.values() for g in gs]
    model = fit(everything, args.c)
    report: dict[str, dict[str, float]] = {}
    for name, gs in sets.items():
        others = other_sets(learn_from, name)
        held_out = hit1(gs, fit(others, args.c)) if others else float("nan")
        report[name] = {"questions": len(gs), "content_hit@1": round(hit1(gs, "fused_rank"), 4),
                        "baseline_hit@1": round(hit1(gs, "baseline"), 4),
                        "model_hit@1": round(hit1(gs, model), 4), "held_out_hit@1": round(held_out, 4)}
    mean, scale, weights = model
    made_by = ("python bench/train_ranking.py " + " ".join(f"--data {d}" for d in args.data) + f" --c {args.c}"
               + (" --blind" if args.blind else ""))
    write_model(args.out, RANKING_FEATURES, mean, scale, weights, made_by, ROUND,
                trained_on={name: r["questions"] for name, r in report.items()},
                note="candidate groups are questions whose right article is among the candidates; "
                     "hit@1 here is within those groups, not over all questions")
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"ranking model written to {args.out}", title_justify="left")
    for col in ("set", "groups", "content hit@1", "baseline hit@1", "model hit@1", "held out hit@1"):
        table.add_column(col, justify="left" if col == "set" else "right")
    for name, r in report.items():
        table.add_row(name, str(r["questions"]), f"{r['content_hit@1']:.3f}", f"{r['baseline_hit@1']:.3f}",
                      f"{r['model_hit@1']:.3f}",
                      f"{r['held_out_hit@1']:.3f}")
    Console().print(table)
    weights_table = Table(title="weights (standardised features)", title_justify="left")
    weights_table.add_column("feature")
    weights_table.add_column("weight", justify="right")
    for name, w in sorted(zip(RANKING_FEATURES, weights), key=lambda t: -abs(t[1])):
        weights_table.add_row(name, f"{w:+.3f}")
    Console().print(weights_table)


if __name__ == "__main__":
    main()
