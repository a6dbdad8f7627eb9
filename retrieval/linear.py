"""A linear model read from a small JSON file: the form every learned stage ships in.

score = weights · (x - mean) / scale (+ bias). The file names the features it was made for, the
command that made it and the data; it is read without pickle, and a missing, damaged or
mismatched file is one ``ValueError`` line that names the file, so a caller can fall back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


@dataclass(frozen=True)
class LinearModel:
    """Standardisation and weights over named features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float = 0.0
    made_by: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # what else the file carries (a calibration)

    @classmethod
    def load(cls, path: Path, features: Sequence[str], what: str) -> LinearModel:
        """The model in ``path`` for ``features``; ``what`` names it in errors ("the ranking weights")."""

        def build(data: dict[str, Any]) -> tuple[list[np.ndarray], float]:
            return [np.asarray(data[key], np.float64) for key in ("mean", "scale", "weights")], float(data.get("bias", 0.0))

        data, (arrays, bias) = read_model(path, features, what, build)
        n = len(features)
        if (any(a.shape != (n,) or not np.all(np.isfinite(a)) for a in arrays) or np.any(arrays[1] <= 0)
                or not np.isfinite(bias)):
            raise ValueError(f"{what} {path} are damaged (wrong sizes or values)")
        mean, scale, weights = arrays
        extra = {k: v for k, v in data.items() if k not in ("features", "mean", "scale", "weights", "bias", "made_by")}
        return cls(tuple(features), mean, scale, weights, bias, str(data.get("made_by", "")), extra)

    def calibration(self, path: Path, what: str, default: tuple[float, float] | None = None) -> tuple[float, float]:
        """The (a, b) of chance = sigmoid(a * score + b) that the file carries (``default`` when it
        carries none); ValueError (one line) when it is missing without a default, or damaged."""
        return calibration(self.extra, path, what, default)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias

    def reasons(self, row: np.ndarray, top: int = 4) -> list[tuple[str, float]]:
        """The features that most raise a row's score, with their contributions."""
        parts = (row - self.mean) / self.scale * self.weights
        return [(self.features[i], round(float(parts[i]), 3)) for i in np.argsort(-parts)[:top]]


def read_model(path: Path, features: Sequence[str], what: str, build: Callable[[dict[str, Any]], T]) -> tuple[dict[str, Any], T]:
    """The JSON of a learned model's file made for ``features``, and what ``build`` makes of it;
    any way the file fails (missing, not JSON, other features, a missing key, a bad value) is one
    ``ValueError`` line that names ``what`` and the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if list(data["features"]) != list(features):
            raise ValueError(f"it was made for other features ({', '.join(map(str, data['features']))})")
        return data, build(data)
    except OSError as exc:
        raise ValueError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except (KeyError, TypeError, AttributeError, IndexError, json.JSONDecodeError) as exc:
        raise ValueError(f"{what} {path} are damaged ({type(exc).__name__}: {exc})") from None
    except ValueError as exc:
        raise ValueError(f"{what} {path} cannot be used: {exc}") from None


def sigmoid(log_odds: float) -> float:
    """The chance that log-odds ``log_odds`` stand for: how every calibrated score reads."""
    return 1.0 / (1.0 + math.exp(-log_odds))


def calibration(extra: dict[str, Any], path: Path, what: str,
                default: tuple[float, float] | None = None) -> tuple[float, float]:
    """The (a, b) of chance = sigmoid(a * score + b) in a model file's ``extra`` fields
    (``default`` when there is none); ValueError (one line) when it is missing without a default,
    or damaged."""
    raw = extra.get("calibration", default)
    try:
        a, b = (float(x) for x in raw)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ValueError(f"{what} {path} are damaged (calibration is not two numbers)") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(f"{what} {path} are damaged (calibration is not finite)")
    return a, b


def shift(extra: dict[str, Any], key: str, path: Path, what: str) -> float:
    """A log-odds term a model file's ``extra`` fields carry under ``key`` (0 when there is none:
    a file made before the term existed); ValueError (one line) when it is not a finite number."""
    raw = extra.get(key, 0.0)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise ValueError(f"{what} {path} are damaged ({key} is not a finite number)")
    return float(raw)


def write(path: Path, features: Sequence[str], mean: np.ndarray, scale: np.ndarray, weights: np.ndarray,
          made_by: str, digits: int, bias: float = 0.0, **extra: Any) -> None:
    """Write a model ``LinearModel.load`` reads, numbers rounded to ``digits`` decimals (a re-run
    whose floats differ in their last bits writes the same file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body: dict[str, Any] = {"features": list(features), "mean": np.round(mean, digits).tolist(),
                            "scale": np.round(scale, digits).tolist(), "weights": np.round(weights, digits).tolist()}
    if bias:
        body["bias"] = round(float(bias), digits)
    body["made_by"] = made_by
    body.update(extra)
    path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
