"""Learn the extractive answer's sentence scorer and its confidence from questions with known answers.

    python bench/train_answers.py --data dev=STORE:QUESTIONS --data 2023=STORE:QUESTIONS ...
        [--out bot/answering/weights/answers.json] [--lead-out bot/answering/weights/leads.json] [--json]

Each STORE is a data folder that already holds that question set's corpus (``newsbot eval
--corpus ... --store STORE`` builds it once). Every question is asked as of its own date and the
passages the answerer is handed are kept; each of their sentences becomes a row of
``bot.answering.scoring.FEATURES``, marked right when it holds one of the question's answers.
Five LightGBM models with a ranking objective (lambdarank), averaged, grow trees that put each question's right sentences
first (``bench/learning.py``); they ship as plain arrays in JSON (``retrieval/trees.py``), so the
product scores with numpy and needs no LightGBM. Then the answerer, with that model, answers every question again, and a
logistic fit of "the answer was right" on the answer's best score calibrates its confidence
(what the abstain and hedge thresholds in settings are read against), and a second fit, of the
answers whose cited reports all predate the window their question names ("this week" answered
from last year's page), the log-odds those lose. Last, every set's questions are asked of every
other set's articles (news of another year): a logistic fit on the closest sentence's (or
passage's) cosine, the largest share of the question's words in one sentence and the answer's
best score sets those answers apart from the sets' own, the coverage below which an
answer is withheld as not about the question (``cover_threshold`` in settings; below
``cover_hedge_threshold`` it is hedged; the report shows what each threshold withholds of every set,
fitted on the others).

The same run learns the model of the answer's bold span (``bot/answering/leads.py``): with the
final answer model each question's quoted sentences are chosen, every candidate span in them
becomes a row of ``LEAD_FEATURES``, marked right when it holds an answer, and trees grown the
same way learn to put a right span first; a logistic fit of "the best span holds the answer" on its score calibrates
the chance below which no span is bolded.

Both files record a digest of what the code gives the models to learn from, read from stories
written for it (``bot/answering/fingerprint.py``): a test fails when the question reading, the
sentence features or the spans change and the models were not made again.

Only training years belong here (2022 dev, 2023, 2024); the validation year is measured whole
with ``newsbot eval`` after, never trained on. The report gives each set's answer accuracy with
the model, and with the model trained on the other sets alone, and how often answers at each
confidence were right.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.learning import (  # noqa: E402
    BAGS,
    ROUNDS,
    TREES,
    Group,
    fit_trees,
    other_sets,
    pairwise_scale,
    training_settings,
)
from bot.engine import (  # noqa: E402
    ANSWER_COVERAGE,
    ANSWER_FEATURES,
    ANSWER_OLD_NEWS,
    ANSWER_OLDER,
    LEAD_FEATURES,
    AnswerModel,
    Coverage,
    Engine,
    LeadModel,
    Passage,
    Question,
    TreeModel,
    contains_any,
    feature_digest,
    from_lightgbm,
    load_questions,
    write_trees,
)

ROUND = 4  # features and weights rounded to this many decimals: a re-run writes the same file
# the coverage thresholds the report shows (settings: cover_threshold withholds, cover_hedge_threshold hedges)
COVER_THRESHOLDS = (0.05, 0.08, 0.1, 0.12, 0.15)
# How much of a small store's shortfall in closeness for unrelated questions (below the knee) the
# coverage adds to a question's closest cosine. Not learnable from three stores of a year's news
# each (all far above the knee); chosen with bench/small_stores.py (single articles, one question's
# pages and 40-article folders of 2023's and 2024's pages, each asked its own questions and the
# other year's): see docs/quality.md, "Small stores".
UNRELATED_SHIFT = 0.4
UNRELATED_KNEE = 0.35
LEARNER = {"lightgbm": dict(TREES), "rounds": ROUNDS, "bags": BAGS}  # how the trees were grown, in each weights file
BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)


@dataclass
class Asked:
    """One training question as the answerer saw it."""

    question: Question
    passages: list[Passage]
    answers: list[str]
    right_articles: tuple[str, ...] = ()  # the articles the set names right (its doc_ids)
    text: str = ""  # the question as asked
    day: date | None = None  # the day it was asked on


def collect(spec: str) -> tuple[str, Engine, list[Asked]]:
    """The questions of one set ``NAME=STORE:QUESTIONS`` with the passages their answerer is
    handed, each asked as of its date."""
    name, _, rest = spec.partition("=")
    store, _, questions = rest.partition(":")
    engine = Engine(training_settings(store))
    out: list[Asked] = []
    for q in load_questions(Path(questions)):
        if not (q.answerable and q.answers and q.question_date):
            continue
        given = engine.answering_input(q.question, q.question_date)
        if given is not None:
            out.append(Asked(*given, q.answers, tuple(q.doc_ids), q.question, q.question_date))
    return name, engine, out


def groups_of(engine: Engine, asked: list[Asked]) -> list[Group]:
    """Each question's sentences as feature rows, 1 for those holding an answer (questions with
    both kinds only)."""
    out: list[Group] = []
    for a in asked:
        texts, rows = engine.sentence_rows(a.question, a.passages)
        right = np.array([contains_any(t, a.answers) for t in texts], np.float64)
        if 0 < right.sum() < len(right):
            out.append((rows.round(ROUND), right))
    return out


def model_of(trees: list[dict], calibration: tuple[float, float] = (1.0, 0.0)) -> AnswerModel:
    return AnswerModel(TreeModel.from_trees(tuple(ANSWER_FEATURES), trees), calibration)


def learn_trees(groups: list[Group], bags: int = BAGS) -> list[dict]:
    """The answer model's trees, as the weights file holds them: scaled so that scores are
    log-odds that a right sentence beats a wrong one (the unit of the answer's margins in
    settings), leaf values rounded."""
    dumps = fit_trees(groups, bags=bags)
    raw = TreeModel.from_trees(tuple(ANSWER_FEATURES), averaged(dumps))
    return averaged(dumps, round(pairwise_scale(groups, [raw.scores(r) for r, _ in groups]), ROUND))


def averaged(dumps: list[dict], scale: float = 1.0) -> list[dict]:
    """The trees of every model in ``dumps`` as one sum that is their mean (leaves times ``scale``)."""
    return [tree for dump in dumps for tree in from_lightgbm(dump, scale / len(dumps))]


class Outcome(NamedTuple):
    """An answer given without abstaining, as its confidence and coverage are fitted to it."""

    best: float  # its best sentence's score
    older: bool  # every report it cites predates the window its question names
    right: bool
    closest: float  # the cosine of the sentence or passage closest to the question
    words: float  # the largest share of the question's words one sentence holds
    unrelated: float | None = None  # how close questions about nothing in the store asked come to it
    stale: bool = False  # naming no time, every report it cites is old news against the newest stored


def answered(engine: Engine, model: AnswerModel, asked: list[Asked], unrelated: float | None = None) -> list[Outcome]:
    """Every question answered by the extractive answerer with ``model``, nothing abstained,
    hedged or set beside another report; ``unrelated``: the closeness of unrelated questions to
    the store the passages came from."""
    out = []
    for a in asked:
        trial = engine.trial_answer(a.question, a.passages, model)
        out.append(Outcome(trial.best, trial.older, contains_any(trial.text, a.answers), trial.closest, trial.words,
                           unrelated, trial.stale))
    return out


def off_topic(engines: dict[str, Engine], sets: dict[str, list[Asked]], model: AnswerModel) -> dict[str, list[Outcome]]:
    """Each set's questions asked of every other set's articles (as of a day after every
    question, so that all of them are there), by the store asked: articles about other news,
    what the coverage learns to withhold. An answer that is right all the same (another year's
    report of the same contest or the same country) is left out: those articles are about it."""
    day = max(a.day for asked in sets.values() for a in asked if a.day is not None) + timedelta(days=1)
    out: dict[str, list[Outcome]] = {}
    for store, engine in engines.items():
        out[store] = []
        for name, asked in sets.items():
            if name == store:
                continue
            for a in asked:
                given = engine.answering_input(a.text, day)
                if given is None:
                    continue
                trial = engine.trial_answer(*given, model)
                if not contains_any(trial.text, a.answers):
                    out[store].append(Outcome(trial.best, trial.older, False, trial.closest, trial.words,
                                              engine.unrelated_closeness(), trial.stale))
    return out


def fit_coverage(on: list[Outcome], off: list[Outcome]) -> Coverage:
    """The coverage's logistic fit (the L2 penalty of ``calibrate``): every answer of a set's own
    questions is about its articles, every ``off`` answer is not. The closest cosine is read
    against the store's closeness for unrelated questions (``UNRELATED_SHIFT`` below ``UNRELATED_KNEE``;
    the stores learned on, a year of news each, lie above it and read it as it is)."""
    from sklearn.linear_model import LogisticRegression

    measured = any(o.unrelated is not None for o in on + off)  # the stores' closeness for unrelated questions
    shape = Coverage(0.0, 0.0, 0.0, 0.0, UNRELATED_SHIFT if measured else 0.0, UNRELATED_KNEE if measured else 0.0)
    x = np.array([[shape.near(o.closest, o.unrelated), o.words, o.best] for o in on + off])
    y = np.array([1.0] * len(on) + [0.0] * len(off))
    fitted = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    (closest, words, best), bias = fitted.coef_[0], fitted.intercept_[0]
    return replace(shape, closest=float(closest), words=float(words), best=float(best), bias=float(bias))


def learn_coverage(engines: dict[str, Engine], sets: dict[str, list[Asked]], model: AnswerModel,
                   outcomes: dict[str, list[Outcome]]) -> tuple[Coverage | None, dict[str, dict[str, dict[str, float]]]]:
    """The coverage fitted on every set (None from one set: no other news to ask of), and what it
    withholds at each of ``COVER_THRESHOLDS``, for each set with the coverage fitted on the others."""
    if len(sets) < 2:
        return None, {}
    off = off_topic(engines, sets, model)
    coverage = fit_coverage([o for os in outcomes.values() for o in os], [o for os in off.values() for o in os])
    report: dict[str, dict[str, dict[str, float]]] = {}
    for name in sets:
        held = fit_coverage([o for n, os in outcomes.items() if n != name for o in os],
                            [o for n, os in off.items() if n != name for o in os])
        report[name] = {f"{t:.2f}": {"off_topic_answers": len(off[name]), **withheld(held, outcomes[name], off[name], t)}
                        for t in COVER_THRESHOLDS}
    return coverage, report


def withheld(coverage: Coverage, on: list[Outcome], off: list[Outcome], threshold: float) -> dict[str, float]:
    """At ``threshold``: the share of a set's own answers withheld, how many of them were right,
    and the share of answers from other news withheld."""
    def out(o: Outcome) -> bool:
        return coverage.chance(o.closest, o.words, o.best, o.unrelated) < threshold

    return {"own_withheld": round(sum(map(out, on)) / max(1, len(on)), 4),
            "right_withheld": sum(out(o) and o.right for o in on),
            "off_topic_withheld": round(sum(map(out, off)) / max(1, len(off)), 4)}


def lead_groups_of(engine: Engine, model: AnswerModel, asked: list[Asked]) -> list[tuple[Group, list[bool]]]:
    """Each question's candidate bold spans (as the answerer with ``model`` quotes its sentences)
    as feature rows, 1 for those holding an answer; questions with no candidate are left out."""
    out = []
    for a in asked:
        spans, rows = engine.lead_rows(a.question, a.passages, model)
        if spans:
            right = np.array([contains_any(s, a.answers) for s in spans], np.float64)
            out.append(((rows.round(ROUND), right), [bool(r) for r in right]))
    return out


def lead_model_of(trees: list[dict], calibration: tuple[float, float] = (1.0, 0.0)) -> LeadModel:
    return LeadModel(TreeModel.from_trees(tuple(LEAD_FEATURES), trees), calibration)


def calibrated_lead(groups: list[tuple[Group, list[bool]]]) -> tuple[list[dict], LeadModel]:
    """The lead model's trees learned from ``groups``, and the model with the calibration of "the
    best span holds the answer" on its best score over the same groups."""
    trees = averaged(fit_trees([g for g, _ in groups]))
    return trees, lead_model_of(trees, calibrate(best_spans(lead_model_of(trees), groups)))


def best_spans(model: LeadModel, groups: list[tuple[Group, list[bool]]]) -> list[tuple[float, bool]]:
    """Each group's best span by ``model``: its score, and whether it holds the answer."""
    out = []
    for (rows, right), _ in groups:
        scores = model.model.scores(rows)
        best = int(np.argmax(scores))
        out.append((float(scores[best]), bool(right[best])))
    return out


def leads_shown(model: LeadModel, groups: list[tuple[Group, list[bool]]], questions: int, threshold: float
                ) -> dict[str, float]:
    """How often the bolded span holds the answer (over all ``questions``, and over the spans shown at
    ``threshold``, the settings' lead threshold)."""
    shown = right = 0
    for score, holds in best_spans(model, groups):
        if model.chance(score) >= threshold:
            shown += 1
            right += int(holds)
    return {"lead_accuracy": round(right / max(1, questions), 4), "lead_precision": round(right / max(1, shown), 4)}


def _logistic(x: np.ndarray, y: np.ndarray) -> tuple[list[float], float]:
    """The weights and intercept of a logistic fit of ``y`` on the columns of ``x`` (scikit-learn's
    L2 penalty at C=1): how every confidence here is calibrated."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    return [float(w) for w in fitted.coef_[0]], float(fitted.intercept_[0])


def calibrate(outcomes: list[tuple[float, bool]]) -> tuple[float, float]:
    """(a, b) of confidence = sigmoid(a * best score + b), fitted to whether answers were right."""
    (a,), b = _logistic(np.array([[s] for s, _ in outcomes]), np.array([ok for _, ok in outcomes], np.float64))
    return a, b


def calibrate_flagged(outcomes: list[Outcome]) -> tuple[float, float, float, float]:
    """(a, b, c, d) of confidence = sigmoid(a * best score + b + c + d), c for answers whose reports
    all predate the window the question names and d for those to a question naming no time that
    only old news gives, fitted together (``calibrate``'s L2 penalty) to whether answers were
    right: fitted after (a, b), the terms would leave the other answers' confidence as low as the
    flagged ones had pulled it (each term is 0 when no answer is flagged so)."""
    (a, c, d), b = _logistic(np.array([[o.best, float(o.older), float(o.stale)] for o in outcomes]),
                             np.array([o.right for o in outcomes], np.float64))
    return a, b, c, d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="NAME=STORE:QUESTIONS (repeat)")
    parser.add_argument("--out", type=Path, default=Path("bot/answering/weights/answers.json"))
    parser.add_argument("--lead-out", type=Path, default=Path("bot/answering/weights/leads.json"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engines: dict[str, Engine] = {}
    sets: dict[str, list[Asked]] = {}
    for spec in args.data:
        name, engines[name], sets[name] = collect(spec)
    engine = next(iter(engines.values()))
    grouped = {name: groups_of(engine, asked) for name, asked in sets.items()}
    fitted = learn_trees([g for gs in grouped.values() for g in gs])
    outcomes = {name: answered(engine, model_of(fitted), asked, engines[name].unrelated_closeness())
                for name, asked in sets.items()}
    a, b, c, d = calibrate_flagged([o for os in outcomes.values() for o in os])
    report: dict[str, dict[str, float]] = {}
    for name, asked in sets.items():
        others = other_sets(grouped, name)
        held = answered(engine, model_of(learn_trees(others)), asked) if others else []
        report[name] = {"questions": len(asked), "answer_accuracy": round(np.mean([o.right for o in outcomes[name]]), 4),
                        "held_out_accuracy": round(np.mean([o.right for o in held]), 4) if held else float("nan")}
    coverage, covered = learn_coverage(engines, sets, model_of(fitted), outcomes)
    final = replace(model_of(fitted, (a, b)), older=c, coverage=coverage, stale=d)
    confidence = [(final.confidence(o.best, o.older, o.stale), o.right) for os in outcomes.values() for o in os]
    bins = []
    for low, high in zip(BINS, BINS[1:]):
        inside = [ok for c, ok in confidence if low <= c < high]
        bins.append({"confidence": f"{low:.1f}-{min(high, 1.0):.1f}", "answers": len(inside),
                     "right": round(float(np.mean(inside)), 4) if inside else None})
    made_by = "python bench/train_answers.py " + " ".join(f"--data {d}" for d in args.data)
    digest = feature_digest()  # what the code gives the models to learn from: a test checks it still does
    covers = {ANSWER_COVERAGE: coverage.fields(ROUND)} if coverage is not None else {}
    write_trees(args.out, ANSWER_FEATURES, fitted, made_by, calibration=[round(a, ROUND), round(b, ROUND)],
                **{ANSWER_OLDER: round(c, ROUND), ANSWER_OLD_NEWS: round(d, ROUND)}, **covers, learner=LEARNER,
                features_digest=digest,
                trained_on={name: r["questions"] for name, r in report.items()},
                note="answer_accuracy here is over the passages the answerer saw for each question, as of its date")
    final_rounded = AnswerModel.load(args.out)  # the sentences as the shipped file chooses them
    spans = {name: lead_groups_of(engine, final_rounded, asked) for name, asked in sets.items()}
    lead_trees, lead = calibrated_lead([g for gs in spans.values() for g in gs])
    shown = engine.settings.lead_threshold
    for name, asked in sets.items():
        others = other_sets(spans, name)
        report[name].update(leads_shown(lead, spans[name], len(asked), shown))
        if others:
            _, held = calibrated_lead(others)
            report[name].update({f"held_out_{k}": v for k, v in leads_shown(held, spans[name], len(asked), shown).items()})
        report[name]["lead_rule_accuracy"] = leads_shown(LeadModel.rule(), spans[name], len(asked), shown)["lead_accuracy"]
    write_trees(args.lead_out, LEAD_FEATURES, lead_trees, made_by,
                calibration=[round(lead.calibration[0], ROUND), round(lead.calibration[1], ROUND)],
                learner=LEARNER, features_digest=digest,
                trained_on={name: len(gs) for name, gs in spans.items()},
                note="trained on the candidate spans of the sentences the shipped answer model quotes")
    older_count = sum(o.older for os in outcomes.values() for o in os)
    stale = [o.right for os in outcomes.values() for o in os if o.stale]
    if args.json:
        print(json.dumps({"sets": report, "calibration": bins,
                          ANSWER_OLDER: {"answers": older_count, "log_odds": round(c, ROUND)},
                          ANSWER_OLD_NEWS: {"answers": len(stale), "right": sum(stale), "log_odds": round(d, ROUND)},
                          ANSWER_COVERAGE: {"fitted": coverage.fields(ROUND) if coverage else None,
                                            "held_out": covered}}, indent=2))
        return
    console = Console()
    table = Table(title=f"answer model written to {args.out}", title_justify="left")
    for col in ("set", "questions", "answers right", "held out", "bold span right (rule)", "held out",
                "bold span precision"):
        table.add_column(col, justify="left" if col == "set" else "right")
    for name, r in report.items():
        table.add_row(name, str(r["questions"]), f"{r['answer_accuracy']:.3f}", f"{r['held_out_accuracy']:.3f}",
                      f"{r['lead_accuracy']:.3f} ({r['lead_rule_accuracy']:.3f})",
                      f"{r.get('held_out_lead_accuracy', float('nan')):.3f}", f"{r['lead_precision']:.3f}")
    console.print(table)
    calibration = Table(title="answers by confidence (training sets)", title_justify="left")
    for col in ("confidence", "answers", "right"):
        calibration.add_column(col, justify="right")
    for row in bins:
        calibration.add_row(row["confidence"], str(row["answers"]), "-" if row["right"] is None else f"{row['right']:.3f}")
    console.print(calibration)
    console.print(f"{older_count} answers cite only reports older than the window their question names: "
                  f"log-odds {c:+.2f} on their confidence")
    console.print(f"{len(stale)} answers to questions naming no time cite only old news ({sum(stale)} right): "
                  f"log-odds {d:+.2f} on their confidence")
    if coverage is not None:
        held_out = Table(title="withheld as not about the question (coverage fitted on the other sets)",
                         title_justify="left")
        for col in ("set", "coverage below", "own answers", "right ones", "answers from other news"):
            held_out.add_column(col, justify="left" if col == "set" else "right")
        for name, by_threshold in covered.items():
            for t, w in by_threshold.items():
                held_out.add_row(name, t, f"{w['own_withheld']:.3f}", str(w["right_withheld"]),
                                 f"{w['off_topic_withheld']:.3f} of {w['off_topic_answers']}")
        console.print(held_out)
        console.print(f"coverage = sigmoid({coverage.closest:+.2f} × (closest cosine {coverage.shift:+.2f} × "
                      f"max(0, {coverage.knee:.2f} - the store's closeness for unrelated questions)) "
                      f"{coverage.words:+.2f} × words {coverage.best:+.2f} × best score {coverage.bias:+.2f})")
    splits = Table(title="answer model: splits per feature", title_justify="left")
    splits.add_column("feature")
    splits.add_column("splits", justify="right")
    counts = np.bincount([f for tree in fitted for f in tree["feature"] if f >= 0], minlength=len(ANSWER_FEATURES))
    for n in np.argsort(-counts):
        splits.add_row(ANSWER_FEATURES[n], str(counts[n]))
    console.print(splits)


if __name__ == "__main__":
    main()
