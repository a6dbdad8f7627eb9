"""The trees a learned stage ships as: read back exactly as LightGBM grew them, written and read
without pickle, and a damaged file refused in one line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from bench.learning import pairwise_scale
from retrieval.linear import LinearModel
from retrieval.linear import write as write_linear
from retrieval.trees import TreeModel, from_lightgbm, load_scorer, write

FEATURES = ("a", "b", "c")


def grown(rounds: int = 20) -> tuple[dict, np.ndarray]:
    """A LightGBM ranking model grown on groups where the right row is the one with the highest
    ``a + b * c`` (an interaction no linear model holds), and rows to score."""
    import lightgbm

    rng = np.random.default_rng(3)
    rows = rng.random((600, 3))
    key = rows[:, 0] + rows[:, 1] * rows[:, 2]
    right = np.zeros(600)
    for g in range(0, 600, 10):
        right[g + int(np.argmax(key[g:g + 10]))] = 1
    booster = lightgbm.train({"objective": "lambdarank", "num_leaves": 7, "min_data_in_leaf": 5, "verbose": -1,
                              "num_threads": 1, "deterministic": True, "force_row_wise": True},
                             lightgbm.Dataset(rows, right, group=[10] * 60), num_boost_round=rounds)
    fresh = rng.random((200, 3))
    return booster.dump_model(), np.stack([booster.predict(fresh), *fresh.T], axis=1)


def test_the_trees_score_rows_as_lightgbm_predicts_them() -> None:
    dump, table = grown()
    expected, fresh = table[:, 0], table[:, 1:]
    model = TreeModel.from_trees(FEATURES, from_lightgbm(dump))
    assert model.depth >= 2 and model.feature.shape[0] == 20
    assert np.allclose(model.scores(fresh), expected, atol=1e-4)  # leaves rounded to 6 decimals, 20 trees
    assert not np.allclose(expected, expected[0])  # the trees do tell the rows apart
    doubled = TreeModel.from_trees(FEATURES, from_lightgbm(dump, scale=2.0))
    assert np.allclose(doubled.scores(fresh), 2 * expected, atol=2e-4)
    assert model.scores(np.zeros((0, 3))).shape == (0,)


def test_a_written_model_reads_back_the_same_and_a_linear_file_reads_as_linear(tmp_path: Path) -> None:
    dump, table = grown(5)
    trees = from_lightgbm(dump)
    write(tmp_path / "t.json", FEATURES, trees, "made by a test", calibration=[0.5, -1.0])
    loaded = load_scorer(tmp_path / "t.json", FEATURES, "the test weights")
    assert isinstance(loaded, TreeModel) and loaded.made_by == "made by a test"
    assert np.array_equal(loaded.scores(table[:, 1:]), TreeModel.from_trees(FEATURES, trees).scores(table[:, 1:]))
    assert loaded.calibration(tmp_path / "t.json", "the test weights") == (0.5, -1.0)
    write_linear(tmp_path / "l.json", FEATURES, np.zeros(3), np.ones(3), np.array([1.0, 0, 0]), "linear", 4)
    assert isinstance(load_scorer(tmp_path / "l.json", FEATURES, "the test weights"), LinearModel)


def tree(**change: list) -> dict:
    """One well-formed tree (split on ``a`` at 0.5, two leaves), with ``change`` applied."""
    return {"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
            "value": [0, -1.0, 1.0], **change}


def test_a_well_formed_tree_splits_as_written() -> None:
    model = TreeModel.from_trees(FEATURES, [tree(), tree(feature=[1, -1, -1])])
    assert model.scores(np.array([[0.2, 0.9, 0], [0.2, 0.2, 0], [0.9, 0.9, 0]])).tolist() == [0.0, -2.0, 2.0]


@pytest.mark.parametrize("trees, says", [
    ([tree(left=[0, 0, 0])], "points outside itself"),  # a child that is its own parent: a loop
    ([tree(right=[7, 0, 0])], "points outside itself"),
    ([tree(feature=[5, -1, -1])], "splits on feature 5"),
    ([tree(value=[0, -1.0])], "different lengths"),
    ([tree(value=[0, math.inf, 1.0])], "not finite"),
    ([], "holds no trees"),
])
def test_a_damaged_trees_file_is_refused_in_one_line(tmp_path: Path, trees: list, says: str) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"kind": "trees", "features": list(FEATURES), "trees": trees}))
    with pytest.raises(ValueError) as refused:
        load_scorer(path, FEATURES, "the test weights")
    assert says in str(refused.value) and str(path) in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("text, says", [
    ('{"kind": "trees", "features": ["a", "b", "c"], "trees": [', "damaged"),
    ('{"kind": "trees", "features": ["x"], "trees": []}', "other features"),
    ('{"kind": "trees", "features": ["a", "b", "c"]}', "damaged"),
])
def test_a_cut_or_foreign_file_is_refused_in_one_line(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "w.json"
    path.write_text(text)
    with pytest.raises(ValueError) as refused:
        load_scorer(path, FEATURES, "the test weights")
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_scores_are_rescaled_to_pairwise_log_odds() -> None:
    rng = np.random.default_rng(5)
    groups, scores = [], []
    for _ in range(200):
        s = rng.normal(size=8)
        right = np.zeros(8)
        right[int(np.argmax(s + rng.normal(scale=1.0, size=8)))] = 1
        groups.append((np.zeros((8, 1)), right))
        scores.append(s)
    k = pairwise_scale(groups, scores)
    assert k > 0
    assert pairwise_scale(groups, [2 * s for s in scores]) == pytest.approx(k / 2, rel=1e-3)
