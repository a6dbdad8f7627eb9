"""Learning a linear ranking model from groups (one question's candidates, the right ones marked).

Both learned stages (articles for ranking, sentences for answers) are trained this way: pairs
(a right candidate, a wrong one of the same question) train a logistic regression on their
standardised feature differences, so the model learns what puts the right one above the others.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np

from bot.settings import Settings, load_settings

Group = tuple[np.ndarray, np.ndarray]  # (feature rows, 1 for a right candidate)
Item = TypeVar("Item")
Model = tuple[np.ndarray, np.ndarray, np.ndarray]  # (mean, scale, weights)
# The day a question is asked on by a user who gives none, when learning: fixed, so a re-run on
# another day learns from the same article ages (a day after every training and validation set).
BLIND_DAY = date(2026, 12, 1)


def training_settings(store: str) -> Settings:
    """The settings the training commands search with: the embedded store in ``store``, searched
    exactly (every vector compared), so that the same articles give the same rows, and the same
    weights, on any machine (Chroma's graph is built differently each time a store is made)."""
    return load_settings(home=Path(store)).embedded().model_copy(update={"exact_search": True})


def learnable(rows: np.ndarray, right: np.ndarray, stating: np.ndarray) -> Group:
    """A group to learn from: the candidates that state the answer without being named right
    (``stating``) are left out, neither right nor wrong. A question set names right only the
    pages its own search returned; another page stating the answer is no mistake to rank first,
    and teaching it as wrong teaches the model to tell search results apart, not answers."""
    keep = ~(stating.astype(bool) & (right == 0))
    return rows[keep], right[keep]


def pairs(groups: list[Group], mean: np.ndarray, scale: np.ndarray,
          negatives: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Standardised differences right minus wrong (label 1) and their negations (label 0); the
    first ``negatives`` wrong candidates of each group (all when None)."""
    diffs = []
    for rows, right in groups:
        z = (rows - mean) / scale
        wrong = z[right == 0][:negatives]
        for good in z[right == 1]:
            diffs.append(good - wrong)
    x = np.concatenate(diffs) if diffs else np.zeros((0, len(mean)))
    return np.concatenate([x, -x]), np.concatenate([np.ones(len(x)), np.zeros(len(x))])


def fit(groups: list[Group], c: float, negatives: int | None = None) -> Model:
    """(mean, scale, weights) of a linear ranking model learned from ``groups``."""
    from sklearn.linear_model import LogisticRegression

    rows = np.concatenate([r for r, _ in groups])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-6] = 1.0
    x, y = pairs(groups, mean, scale, negatives)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=3000)
    model.fit(x, y)
    return mean, scale, model.coef_[0]


def other_sets(by_set: dict[str, list[Item]], name: str) -> list[Item]:
    """Every set's items but ``name``'s: what a model judged on ``name`` held out learns from."""
    return [item for other, items in by_set.items() if other != name for item in items]


def first_right(groups: list[Group], scores: list[np.ndarray]) -> float:
    """Share of groups whose best-scored candidate is a right one."""
    if not groups:
        return 0.0
    return sum(int(right[int(np.argmax(s))] == 1) for (_, right), s in zip(groups, scores)) / len(groups)


TREES = {  # LightGBM's settings for the trees models, chosen by held-out sets within the training years
    "objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 50,
    "lambdarank_truncation_level": 3, "feature_fraction": 0.8,
    # one thread, row-wise and a fixed seed: a re-run on another machine grows the same trees
    "deterministic": True, "force_row_wise": True, "num_threads": 1, "seed": 7, "verbose": -1,
}
ROUNDS = 100
# Models averaged, each with its own seed (so each tree of each sees its own 80% of the features).
# One model's answers moved with any change to its rows: trained without a random 5% of the
# questions, two such models disagreed on 35-44 of 1,301 held-out answers; five averaged, 18-23,
# as many right (``bench/steadiness.py``; docs/quality.md, "Steadier trees").
BAGS = 5


def fit_trees(groups: list[Group], rounds: int = ROUNDS, bags: int = BAGS) -> list[dict]:
    """``bags`` LightGBM ranking models learned from ``groups`` (their ``dump_model()``s): trees
    that put each group's right candidates first, to be averaged. A group with no right candidate
    teaches an order nothing and is left out (it would still count towards the leaves' sizes)."""
    import lightgbm

    groups = [(rows, right) for rows, right in groups if right.any()]
    rows = np.concatenate([r for r, _ in groups])
    right = np.concatenate([y for _, y in groups])
    dumps = []
    for bag in range(bags):
        data = lightgbm.Dataset(rows, right, group=[len(y) for _, y in groups])  # each model its own: seeds differ
        dumps.append(lightgbm.train({**TREES, "seed": int(TREES["seed"]) + bag}, data,
                                    num_boost_round=rounds).dump_model())
    return dumps


def pairwise_scale(groups: list[Group], scores: list[np.ndarray]) -> float:
    """The factor that makes ``scores`` log-odds that a right candidate beats a wrong one of its
    group (a 1-D logistic fit of right-minus-wrong differences, no intercept): a linear model
    learned from pairs is on that scale already, and margins set in it (how close another sentence
    or another report must come) keep their meaning for a model whose scale is arbitrary."""
    from sklearn.linear_model import LogisticRegression

    diffs = np.concatenate([(s[right == 1][:, None] - s[right == 0][None, :]).ravel()
                            for (_, right), s in zip(groups, scores)])
    x = np.concatenate([diffs, -diffs])[:, None]
    y = np.concatenate([np.ones(len(diffs)), np.zeros(len(diffs))])
    return float(LogisticRegression(fit_intercept=False, C=1e6).fit(x, y).coef_[0][0])
