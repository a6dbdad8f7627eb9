"""Learning a linear ranking model from groups (one question's candidates, the right ones marked).

Both learned stages (articles for ranking, sentences for answers) are trained this way: pairs
(a right candidate, a wrong one of the same question) train a logistic regression on their
standardised feature differences, so the model learns what puts the right one above the others.
"""

from __future__ import annotations

import numpy as np

Group = tuple[np.ndarray, np.ndarray]  # (feature rows, 1 for a right candidate)
Model = tuple[np.ndarray, np.ndarray, np.ndarray]  # (mean, scale, weights)


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


def first_right(groups: list[Group], scores: list[np.ndarray]) -> float:
    """Share of groups whose best-scored candidate is a right one."""
    if not groups:
        return 0.0
    return sum(int(right[int(np.argmax(s))] == 1) for (_, right), s in zip(groups, scores)) / len(groups)
