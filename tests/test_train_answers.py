"""The answer command's calibration of answers that only reports older than the named window give
(or, to a question naming no time, only old news),
and its coverage: answers from articles about other news set apart from a set's own."""

from __future__ import annotations

import math

from bench.train_answers import Outcome, fit_coverage, flag_shift, withheld


def test_older_answers_right_less_often_get_a_negative_shift() -> None:
    # calibrated at 0.5 (a * 0 + b = 0); of the older answers one in five is right
    outcomes = [Outcome(0.0, False, i % 2 == 0, 0.5, 0.5) for i in range(100)]
    outcomes += [Outcome(0.0, True, i % 5 == 0, 0.5, 0.5) for i in range(100)]
    c = flag_shift(outcomes, a=1.0, b=0.0, flagged=lambda o: o.older)
    assert math.log(0.2 / 0.8) < c < math.log(0.25 / 0.75)  # near the log-odds of 0.2, pulled a little toward 0
    assert flag_shift([o for o in outcomes if not o.older], 1.0, 0.0, lambda o: o.older) == 0.0
    right_as_often = [Outcome(1.0, True, i % 4 != 0, 0.5, 0.5) for i in range(100)]  # sigmoid(1 * 1 + 0.1) = 0.75
    assert abs(flag_shift(right_as_often, a=1.0, b=0.1, flagged=lambda o: o.older)) < 0.05
    stale = [Outcome(0.0, False, i % 2 == 0, 0.5, 0.5) for i in range(100)]  # old news, one in five right
    stale += [Outcome(0.0, False, i % 5 == 0, 0.5, 0.5, stale=True) for i in range(100)]
    assert flag_shift(stale, 1.0, 0.0, lambda o: o.stale) == c  # its own term, fitted alike
    assert flag_shift(stale, 1.0, 0.0, lambda o: o.older) == 0.0


def test_coverage_sets_answers_from_other_news_apart_by_meaning_and_score() -> None:
    # a set's own questions find a sentence close in meaning (cosine 0.55-0.85) holding many of
    # their words, and score well; asked of other news, the closest is far (0.05-0.45), holds
    # few of their words and scores lower
    own = [Outcome(1.0 + (i % 7) / 7, False, i % 3 != 0, 0.55 + 0.3 * (i % 11) / 11, 0.4 + 0.5 * (i % 3) / 3)
           for i in range(200)]
    other = [Outcome(0.2 + (i % 5) / 5, False, False, 0.05 + 0.4 * (i % 13) / 13, 0.1 + 0.4 * (i % 4) / 4)
             for i in range(200)]
    coverage = fit_coverage(own, other)
    assert coverage.closest > 0 and coverage.words > 0 and coverage.best > 0  # each: more likely about it
    assert coverage.chance(0.8, 0.8, 1.5) > 0.9 > 0.1 > coverage.chance(0.1, 0.1, 0.2)
    shown = withheld(coverage, own, other, 0.5)
    assert shown["own_withheld"] < 0.1 and shown["off_topic_withheld"] > 0.9
    assert shown["right_withheld"] <= round(shown["own_withheld"] * len(own))


def test_coverage_reads_closeness_against_each_store_it_learned_on() -> None:
    from bench.train_answers import UNRELATED_KNEE, UNRELATED_SHIFT

    own = [Outcome(1.0, False, True, 0.55 + 0.3 * (i % 11) / 11, 0.6, unrelated=0.6 + 0.04 * (i % 2)) for i in range(100)]
    other = [Outcome(0.5, False, False, 0.3 + 0.3 * (i % 13) / 13, 0.3, unrelated=0.6 + 0.04 * (i % 2))
             for i in range(100)]
    coverage = fit_coverage(own, other)
    assert coverage.shift == UNRELATED_SHIFT > 0 and coverage.knee == UNRELATED_KNEE > 0.2
    assert coverage.chance(0.5, 0.5, 0.8, unrelated=0.2) > coverage.chance(0.5, 0.5, 0.8, unrelated=0.62)
    assert coverage.chance(0.5, 0.5, 0.8, unrelated=0.62) == coverage.chance(0.5, 0.5, 0.8)  # a year of news: as is
    unknown = fit_coverage([o._replace(unrelated=None) for o in own], [o._replace(unrelated=None) for o in other])
    assert unknown.shift == 0.0  # no store measured: closeness as it is
