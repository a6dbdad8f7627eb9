"""The answer command's calibration of answers that only reports older than the named window give."""

from __future__ import annotations

import math

from bench.train_answers import older_shift


def test_older_answers_right_less_often_get_a_negative_shift() -> None:
    # calibrated at 0.5 (a * 0 + b = 0); of the older answers one in five is right
    outcomes = [(0.0, False, i % 2 == 0) for i in range(100)] + [(0.0, True, i % 5 == 0) for i in range(100)]
    c = older_shift(outcomes, a=1.0, b=0.0)
    assert math.log(0.2 / 0.8) < c < math.log(0.25 / 0.75)  # near the log-odds of 0.2, pulled a little toward 0
    assert older_shift([(s, older, ok) for s, older, ok in outcomes if not older], 1.0, 0.0) == 0.0
    right_as_often = [(1.0, True, i % 4 != 0) for i in range(100)]  # sigmoid(1 * 1 + 0.1) = 0.75: as calibrated
    assert abs(older_shift(right_as_often, a=1.0, b=0.1)) < 0.05
