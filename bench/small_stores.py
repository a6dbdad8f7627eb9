"""How the answer treats a small store: a user's handful of articles, not a year of news.

    python bench/small_stores.py --questions ../shared/data/realtimeqa-2023/questions.jsonl \
        --corpus ../shared/data/realtimeqa-2023/corpus.jsonl \
        --other ../shared/data/realtimeqa-2024/questions.jsonl --out DIR [--single 150] \
        [--shifts 0,0.2,0.4,0.6] [--knees 0.3,0.35] [--json]

The coverage (the chance that the articles found are about the question; below the threshold the
answer is withheld) is learned from stores of a year's news, where some passage of other news
always comes fairly close to a question. A small store is another place: its own questions have
no other outlet's report to come close, and unrelated questions find nothing near. This builds,
under ``DIR`` (kept: a re-run with the same arguments reuses the stores), one store per sampled
question holding only the pages its set names right, and a few stores of about 40 articles (the
named pages of several questions and other pages of the year), and with ``--single`` stores of one
page each (the named page that states the answer). Each store is asked its own
questions as of their dates, and ``--asked`` questions of another set as of a day after all the
news (an answer right all the same is left out: that store is about it). It reports, per kind of
store, the shares of its own questions withheld, hedged and asserted (and how many right answers
were withheld), and the same for the other set's questions. ``--shifts`` compares how far the
coverage reads a question's closeness against the store's closeness for unrelated questions
(``Coverage.shift``, below the shipped knee or each of ``--knees``; the shipped knee and shift were
chosen on these stores, ``--single`` ones among them, as the form with the smallest cost, the share of own questions withheld
plus twice the share of other news asserted (a wrong answer given is worse than an answer
withheld), averaged over the kinds of store). Training years only: the validation
year is measured whole with ``newsbot eval``, never read this way.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.learning import BLIND_DAY, training_settings  # noqa: E402
from bot.engine import (  # noqa: E402
    ANSWER_WEIGHTS,
    Answer,
    AnswerModel,
    Coverage,
    Engine,
    EvalQuestion,
    contains_any,
    load_questions,
)

MIXED_ARTICLES = 40  # about a user's folder of saved reports
ASSERTED_COST = 2.0  # other news asserted, against own questions withheld: a wrong answer given is worse
OUTCOMES = ("withheld", "hedged", "asserted")


def outcome(answer: Answer) -> str:
    """What a reader was told: nothing (withheld), what the closest report says (hedged), or an answer."""
    return "withheld" if answer.abstained else "hedged" if answer.hedged else "asserted"


def share(counts: dict[str, int]) -> dict[str, float]:
    """Each outcome's share of the questions counted, their number, and the right ones withheld."""
    n = sum(counts.get(o, 0) for o in OUTCOMES)
    return {**{o: round(counts.get(o, 0) / max(1, n), 4) for o in OUTCOMES}, "n": n,
            "right_withheld": counts.get("right_withheld", 0)}


class Asked(NamedTuple):
    """What the coverage reads of one question asked of a store, and what came of it."""

    kind: str  # "one" or "mixed"
    own: bool  # one of the store's own questions (not another set's)
    right: bool  # the answer, had it been given, holds an answer
    closest: float
    words: float
    best: float
    unrelated: float | None  # the store's closeness for unrelated questions


def inputs(engine: Engine, model: AnswerModel, kind: str, question: EvalQuestion, own: bool) -> Asked | None:
    """The coverage's inputs for ``question`` (own ones as of their date, others' as of a day after
    all the news); None when the answer is not the extractive one, or another set's question is
    answered right all the same."""
    given = engine.answering_input(question.question, question.question_date if own else BLIND_DAY)
    if given is None:
        return None
    trial = engine.trial_answer(*given, model)
    right = contains_any(trial.text, question.answers)
    if right and not own:
        return None
    return Asked(kind, own, right, trial.closest, trial.words, trial.best, engine.unrelated_closeness())


def sweep(asked: list[Asked], coverage: Coverage, shifts: list[float], withhold: float,
          hedge: float, knees: list[float] | None = None) -> list[dict[str, float | str]]:
    """For each knee (the shipped one unless ``knees``) and shift of the coverage (its other weights
    as they are), per kind of store: the share of own questions withheld (and the right answers
    among them) and of other news asserted, and the cost, the first plus ``ASSERTED_COST`` times
    the second (a user as likely to ask either); then the three averaged over the kinds ("mean": a
    one-story store counts as much as a folder)."""
    out: list[dict[str, float | str]] = []
    for knee in knees or [coverage.knee]:
        for shift in shifts:
            moved = replace(coverage, shift=shift, knee=knee)
            rows = []
            for kind in sorted({a.kind for a in asked}):
                own = [a for a in asked if a.kind == kind and a.own]
                other = [a for a in asked if a.kind == kind and not a.own]
                chance = {id(a): moved.chance(a.closest, a.words, a.best, a.unrelated) for a in own + other}
                own_withheld = sum(chance[id(a)] < withhold for a in own) / max(1, len(own))
                other_asserted = sum(chance[id(a)] >= hedge for a in other) / max(1, len(other))
                rows.append({"knee": knee, "shift": shift, "store": kind, "own": len(own),
                             "own_withheld": round(own_withheld, 4),
                             "right_withheld": sum(chance[id(a)] < withhold and a.right for a in own),
                             "right": sum(a.right for a in own), "other": len(other),
                             "other_asserted": round(other_asserted, 4),
                             "cost": round(own_withheld + ASSERTED_COST * other_asserted, 4)})
            out += rows
            out.append({"knee": knee, "shift": shift, "store": "mean",
                        **{k: round(sum(float(r[k]) for r in rows) / len(rows), 4)
                           for k in ("own_withheld", "other_asserted", "cost")}})
    return out


def plan(questions: list[EvalQuestion], pages: dict[str, str], stores: int, mixed: int, per_mixed: int,
         seed: int, single: int = 0) -> dict[str, tuple[list[EvalQuestion], list[str]]]:
    """The stores to build, by name: the questions each is asked and the page ids it holds.
    ``single`` stores hold one page each, the first named page that states an answer (a user's one
    saved report), for questions no other store is asked."""
    rng = random.Random(seed)
    usable = [q for q in questions if q.answerable and q.answers and q.question_date and q.doc_ids
              and all(d in pages for d in q.doc_ids)]
    picked = rng.sample(usable, min(len(usable), stores + mixed * per_mixed))
    out: dict[str, tuple[list[EvalQuestion], list[str]]] = {}
    for q in picked[:stores]:
        out[f"one-{q.id}"] = ([q], list(q.doc_ids))
    ids = sorted(pages)
    for k in range(mixed):
        group = picked[stores + k * per_mixed: stores + (k + 1) * per_mixed]
        named = list(dict.fromkeys(d for q in group for d in q.doc_ids))
        fill = [i for i in rng.sample(ids, MIXED_ARTICLES + len(named)) if i not in named]
        out[f"mixed-{k}"] = (group, named + fill[: max(0, MIXED_ARTICLES - len(named))])
    taken = {q.id for q in picked}
    rest = [q for q in usable if q.id not in taken]
    for q in random.Random(seed + 2).sample(rest, min(len(rest), single)):
        stating = [d for d in q.doc_ids if contains_any(json.loads(pages[d]).get("text", ""), q.answers)]
        out[f"single-{q.id}"] = ([q], [(stating or q.doc_ids)[0]])
    return out


def build(folder: Path, page_ids: list[str], pages: dict[str, str], like: Engine | None = None) -> Engine:
    """The store in ``folder`` holding ``page_ids`` (ingested once; reused when already there),
    sharing ``like``'s embedding model (one model in memory however many stores)."""
    engine = Engine(training_settings(str(folder)), embedder=like.embedder if like is not None else None)
    done = folder / "pages.jsonl"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        corpus = folder / "ingesting.jsonl"  # read by its suffix: a record per line, one article each
        corpus.write_text("".join(pages[i] for i in page_ids), encoding="utf-8")
        engine.ingest([str(corpus)])
        corpus.rename(done)
    held = len(engine.sources())
    if held != len(set(page_ids)):
        raise SystemExit(f"{folder} holds {held} articles, not the {len(set(page_ids))} pages it was built from: "
                         "remove it (or give another --out) and run again")
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, required=True, help="a training set's questions (JSONL)")
    parser.add_argument("--corpus", type=Path, required=True, help="that set's pages (JSONL)")
    parser.add_argument("--other", type=Path, required=True, help="another set's questions: news the stores lack")
    parser.add_argument("--out", type=Path, required=True, help="where the small stores are built (and reused)")
    parser.add_argument("--stores", type=int, default=30, help="stores of one question's named pages")
    parser.add_argument("--mixed", type=int, default=4, help=f"stores of about {MIXED_ARTICLES} articles")
    parser.add_argument("--per-mixed", type=int, default=10, help="questions whose pages each mixed store holds")
    parser.add_argument("--single", type=int, default=0, help="stores of one page, the named page stating the answer")
    parser.add_argument("--asked", type=int, default=40, help="the other set's questions asked of each store")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--shifts", type=lambda v: [float(x) for x in v.split(",")], default=[],
                        help="comma-separated coverage shifts to compare (e.g. 0,0.2,0.4,0.6): how much of a store's "
                        "shortfall in closeness for unrelated questions (below the knee) counts as nearness")
    parser.add_argument("--knees", type=lambda v: [float(x) for x in v.split(",")], default=None,
                        help="comma-separated knees to sweep the shifts at (the shipped one if not given): the "
                        "closeness for unrelated questions below which a store counts as small")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pages = {json.loads(line)["id"]: line + "\n" for line in args.corpus.read_text(encoding="utf-8").splitlines()
             if line.strip()}
    stores = plan(load_questions(args.questions), pages, args.stores, args.mixed, args.per_mixed, args.seed,
                  args.single)
    others = [q for q in load_questions(args.other) if q.answerable and q.answers]
    others = random.Random(args.seed + 1).sample(others, min(len(others), args.asked))
    model = AnswerModel.load(ANSWER_WEIGHTS)
    tally: dict[str, dict[str, dict[str, int]]] = {}
    read: list[Asked] = []
    engine: Engine | None = None
    for name, (own, page_ids) in stores.items():
        engine = build(args.out / name, page_ids, pages, engine)
        store = name.split("-")[0]
        kind = tally.setdefault(store, {"own": {}, "other": {}})
        trials = {q.id: inputs(engine, model, store, q, True) for q in own}  # what each would have been told
        if args.shifts:
            read.extend(a for a in trials.values() if a is not None)
            read.extend(a for q in others if (a := inputs(engine, model, store, q, False)) is not None)
        for q in own:
            said = outcome(engine.ask(q.question, as_of=q.question_date))
            kind["own"][said] = kind["own"].get(said, 0) + 1
            trial = trials[q.id]
            if said == "withheld" and trial is not None and trial.right:
                kind["own"]["right_withheld"] = kind["own"].get("right_withheld", 0) + 1  # said, had it been given
        for q in others:
            answer = engine.ask(q.question, as_of=BLIND_DAY)
            if contains_any(answer.text, q.answers):
                continue  # the store is about it after all
            said = outcome(answer)
            kind["other"][said] = kind["other"].get(said, 0) + 1
    report = {kind: {who: share(c) for who, c in sides.items()} for kind, sides in tally.items()}
    settings = training_settings(str(args.out))
    shifted = sweep(read, model.coverage, args.shifts, settings.cover_threshold, settings.cover_hedge_threshold,
                    args.knees) if args.shifts and model.coverage is not None else []
    if args.json:
        print(json.dumps({**report, "shifts": shifted} if shifted else report, indent=2))
        return
    table = Table(title="small stores: what a reader is told")
    for col in ("store", "asked", "n", *OUTCOMES, "right ones withheld"):
        table.add_column(col)
    for kind, sides in report.items():
        for who, shares in sides.items():
            table.add_row(kind, who, str(shares["n"]), *(f"{shares[o]:.3f}" for o in OUTCOMES),
                          str(shares["right_withheld"]) if who == "own" else "")
    Console().print(table)
    if shifted:
        swept = Table(title="the coverage's knee and shift (its other weights as shipped): own questions withheld, "
                      "other news asserted")
        for col in ("knee", "shift", "store", "own questions", "withheld", "right ones withheld", "other news",
                    "asserted", "cost"):
            swept.add_column(col)
        for r in shifted:
            counted = "own" in r  # a kind of store, not the mean over them
            swept.add_row(f"{r['knee']:.2f}", f"{r['shift']:.2f}", str(r["store"]), str(r["own"]) if counted else "",
                          f"{r['own_withheld']:.3f}", f"{r['right_withheld']} of {r['right']}" if counted else "",
                          str(r["other"]) if counted else "", f"{r['other_asserted']:.3f}", f"{r['cost']:.3f}")
        Console().print(swept)


if __name__ == "__main__":
    main()
