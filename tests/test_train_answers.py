"""The answer command's calibration of answers that only reports older than the named window give
(or, to a question naming no time, only old news),
and its coverage: answers from articles about other news set apart from a set's own."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from bench.train_answers import Outcome, calibrate_flagged, fit_coverage, withheld
from bot.answering import fingerprint
from bot.answering.fingerprint import feature_digest
from bot.answering.leads import WEIGHTS as LEAD_WEIGHTS
from bot.answering.question import Question, read
from bot.answering.scoring import WEIGHTS as ANSWER_WEIGHTS


def test_older_answers_and_old_news_right_less_often_get_their_own_negative_terms() -> None:
    # unflagged answers at score 0 right half the time; older ones one in five, old news one in ten
    outcomes = [Outcome(0.0, False, i % 2 == 0, 0.5, 0.5) for i in range(400)]
    outcomes += [Outcome(0.0, True, i % 5 == 0, 0.5, 0.5) for i in range(200)]
    outcomes += [Outcome(0.0, False, i % 10 == 0, 0.5, 0.5, stale=True) for i in range(200)]
    outcomes += [Outcome(1.0, False, i % 4 != 0, 0.5, 0.5) for i in range(400)]  # score 1: right 3 in 4
    a, b, c, d = calibrate_flagged(outcomes)
    assert abs(1 / (1 + math.exp(-b)) - 0.5) < 0.03  # the others' confidence is not pulled down by them
    assert abs(1 / (1 + math.exp(-(a + b))) - 0.75) < 0.03
    assert math.log(0.2 / 0.8) - 0.2 < b + c < math.log(0.2 / 0.8) + 0.2
    assert math.log(0.1 / 0.9) - 0.2 < b + d < math.log(0.1 / 0.9) + 0.2 and d < c < 0
    _, _, c, d = calibrate_flagged([o for o in outcomes if not (o.older or o.stale)])
    assert c == 0.0 and d == 0.0  # nothing flagged, nothing to add


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


def test_the_shipped_answer_models_learned_from_the_features_the_code_gives() -> None:
    """The answer command records a digest of how the code reads questions and turns sentences
    and spans into features; a change to either since the shipped models learned fails here
    (re-run ``bench/train_answers.py``: the models would score rows unlike the ones they learned
    from, and the command would no longer write the shipped files)."""
    digest = feature_digest()
    for path in (ANSWER_WEIGHTS, LEAD_WEIGHTS):
        recorded = json.loads(path.read_text(encoding="utf-8")).get("features_digest")
        assert recorded == digest, (f"{path.name} learned from features with digest {recorded}, the code gives {digest}: "
                                    "re-run bench/train_answers.py")


def test_the_features_digest_tells_when_a_question_is_read_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the digest is for: the same code gives the same digest; a question read otherwise
    ("Which title did King Leo give ...?" asking for a person again) gives another."""
    digest = feature_digest()
    assert feature_digest() == digest

    def misread(text: str) -> Question:
        asked = read(text)
        return replace(asked, wants="person") if text.startswith("Which title") else asked

    monkeypatch.setattr(fingerprint, "read", misread)
    assert feature_digest() != digest
