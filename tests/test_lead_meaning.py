"""The bench that measures the lead model's closeness column: which spans keep their cosine."""

import numpy as np

from bench.lead_meaning import groups
from bot.engine import LEAD_FEATURES, first_look


def test_the_cosine_goes_to_the_best_spans_by_the_first_look_or_to_none() -> None:
    col = {name: i for i, name in enumerate(LEAD_FEATURES)}
    rows = np.zeros((4, len(LEAD_FEATURES)))
    rows[:, col["kind"]] = [0.0, 1.0, 1.0, 0.0]
    rows[:, col["sentence"]] = [1.0, 0.5, 1.0, 0.5]
    rows[:, col["asked_for"]] = 0.9  # what the product gave: replaced by each trial's
    right = np.array([0.0, 1.0, 0.0, 0.0])
    cosine = np.array([0.1, 0.2, 0.3, 0.4])
    assert list(np.argsort(-first_look(rows), kind="stable")) == [2, 1, 0, 3]
    (top2, _), = groups([(rows, right, cosine)], column=True, top=2)
    assert list(top2[:, col["asked_for"]]) == [0.0, 0.2, 0.3, 0.0]
    (every, _), = groups([(rows, right, cosine)], column=True, top=None)
    assert list(every[:, col["asked_for"]]) == [0.1, 0.2, 0.3, 0.4]
    (none, same), = groups([(rows, right, cosine)], column=False, top=None)
    assert not none[:, col["asked_for"]].any() and same is right
    assert np.array_equal(np.delete(none, col["asked_for"], axis=1), np.delete(rows, col["asked_for"], axis=1))
