"""A sum of decision trees read from a small JSON file: a learned stage that weighs features
together (a type match counts for more in the first article than in the tenth), where a linear
model can only add them.

The trees come from a gradient-boosted learner (LightGBM, at training time only); here they are
plain arrays, read without pickle and scored with numpy, so the product does not need the learner
installed. A missing, damaged or mismatched file is one ``ValueError`` line that names the file,
so a caller can fall back, as with ``LinearModel``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.linear import LinearModel, calibration, read_model

KIND = "trees"  # the file's "kind": what tells it from a linear model's file
LEAF = -1  # the feature of a leaf node


@dataclass(frozen=True)
class TreeModel:
    """Trees over named features, padded to one node count: node ``i`` of tree ``t`` sends a row
    to ``left[t, i]`` when its ``feature[t, i]`` is at most ``threshold[t, i]``, else to
    ``right[t, i]``; a leaf (feature ``LEAF``) adds ``value[t, i]`` to the score."""

    features: tuple[str, ...]
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    made_by: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # what else the file carries (a calibration)

    @classmethod
    def load(cls, path: Path, features: Sequence[str], what: str) -> TreeModel:
        """The model in ``path`` for ``features``; ``what`` names it in errors ("the answer weights")."""

        def build(data: dict[str, Any]) -> TreeModel:
            if data.get("kind") != KIND:
                raise ValueError("it holds no trees")
            return cls.from_trees(tuple(features), data["trees"], str(data.get("made_by", "")),
                                  {k: v for k, v in data.items() if k not in ("kind", "features", "trees", "made_by")})

        return read_model(path, features, what, build)[1]

    @classmethod
    def from_trees(cls, features: tuple[str, ...], trees: list[dict[str, list[Any]]], made_by: str = "",
                   extra: dict[str, Any] | None = None) -> TreeModel:
        """The model of ``trees`` (each a dict of equal-length node lists: feature, threshold,
        left, right, value); ValueError when a tree points outside itself, loops or is not finite."""
        if not trees:
            raise ValueError("it holds no trees")
        width = max(len(t["feature"]) for t in trees)
        arrays = {key: np.zeros((len(trees), width), np.float64 if key in ("threshold", "value") else np.int64)
                  for key in ("feature", "threshold", "left", "right", "value")}
        depth = 0
        for n, tree in enumerate(trees):
            size = len(tree["feature"])
            if size == 0 or any(len(tree[key]) != size for key in arrays):
                raise ValueError(f"tree {n} has node lists of different lengths")
            for key, array in arrays.items():
                array[n, :size] = tree[key]
            arrays["feature"][n, size:] = LEAF  # padding: never reached, a leaf adding nothing
            depth = max(depth, _depth(tree, len(features), n))
        if not (np.all(np.isfinite(arrays["threshold"])) and np.all(np.isfinite(arrays["value"]))):
            raise ValueError("a threshold or leaf value is not finite")
        return cls(features, arrays["feature"], arrays["threshold"], arrays["left"], arrays["right"], arrays["value"],
                   depth, made_by, extra or {})

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The sum of the trees' leaves each row falls in. Every row walks every tree one level a
        step, on the node arrays read flat (``take`` on one index: twice as fast as indexing the
        trees by two)."""
        rows = np.asarray(rows, np.float64)
        if len(rows) == 0:
            return np.zeros(0)
        count, width = self.feature.shape
        first = np.arange(count, dtype=np.int64)[None, :] * width  # each tree's root in the flat arrays
        node = np.repeat(first, len(rows), axis=0)
        cell = np.arange(len(rows), dtype=np.int64)[:, None] * rows.shape[1]  # each row's start, flat
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        left, right, flat = self.left.ravel(), self.right.ravel(), rows.ravel()
        for _ in range(self.depth):
            split = feature.take(node)
            inner = split != LEAF
            x = flat.take(cell + np.where(inner, split, 0))
            step = np.where(x <= threshold.take(node), left.take(node), right.take(node)) + first
            node = np.where(inner, step, node)
        return self.value.ravel().take(node).sum(axis=1)

    def calibration(self, path: Path, what: str, default: tuple[float, float] | None = None) -> tuple[float, float]:
        """The (a, b) of chance = sigmoid(a * score + b) the file carries (``default`` when none);
        ValueError (one line) when it is damaged."""
        return calibration(self.extra, path, what, default)


def _depth(tree: dict[str, list[Any]], features: int, n: int) -> int:
    """The longest path from tree ``n``'s root to a leaf; ValueError when a node points outside
    the tree or back up it, or names a feature that does not exist."""
    size = len(tree["feature"])
    deepest = 0
    stack = [(0, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > size:
            raise ValueError(f"tree {n} loops")
        feature = tree["feature"][node]
        if feature == LEAF:
            deepest = max(deepest, depth - 1)
            continue
        if not 0 <= feature < features:
            raise ValueError(f"tree {n} splits on feature {feature} of {features}")
        for child in (tree["left"][node], tree["right"][node]):
            if not (isinstance(child, int) and node < child < size):
                raise ValueError(f"tree {n} points outside itself or back up it")
            stack.append((child, depth + 1))
    return deepest


def from_lightgbm(dump: dict[str, Any], scale: float = 1.0, digits: int = 6) -> list[dict[str, list[Any]]]:
    """The trees of a LightGBM ``Booster.dump_model()`` as node lists (in pre-order; a leaf's
    value as LightGBM adds it, times ``scale``, rounded to ``digits`` decimals so that the file
    stays small; thresholds are kept whole, so no row changes side)."""
    out = []
    for info in dump["tree_info"]:
        lists: dict[str, list[Any]] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
        _visit(info["tree_structure"], lists, scale, digits)
        out.append(lists)
    return out


def _visit(node: dict[str, Any], lists: dict[str, list[Any]], scale: float, digits: int) -> int:
    """Append ``node`` and its subtree to ``lists`` in pre-order; the node's place."""
    at = len(lists["feature"])
    for key in lists:
        lists[key].append(0)
    if "leaf_value" in node:
        lists["feature"][at] = LEAF
        lists["value"][at] = round(float(node["leaf_value"]) * scale, digits)
        return at
    if node["decision_type"] != "<=" or node.get("missing_type", "None") != "None":
        raise ValueError(f"a split of kind {node['decision_type']} / {node.get('missing_type')} is not supported")
    lists["feature"][at] = int(node["split_feature"])
    lists["threshold"][at] = float(node["threshold"])
    lists["left"][at] = _visit(node["left_child"], lists, scale, digits)
    lists["right"][at] = _visit(node["right_child"], lists, scale, digits)
    return at


def write(path: Path, features: Sequence[str], trees: list[dict[str, list[Any]]], made_by: str,
          **extra: Any) -> None:
    """Write a model ``TreeModel.load`` reads: one line per tree, so that the file diffs well."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = {"kind": KIND, "features": list(features), "made_by": made_by, **extra}
    lines = [json.dumps(head)[:-1] + ', "trees": [']
    lines += [json.dumps(t, separators=(",", ":")) + ("," if i < len(trees) - 1 else "") for i, t in enumerate(trees)]
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_scorer(path: Path, features: Sequence[str], what: str) -> LinearModel | TreeModel:
    """The trees or the linear model in ``path``, as its "kind" says; ValueError (one line, from
    the model's own loader) when it is missing, damaged or made for other features."""
    try:
        kind = json.loads(path.read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        kind = None  # the linear loader reads it again and says what is wrong
    return TreeModel.load(path, features, what) if kind == KIND else LinearModel.load(path, features, what)
