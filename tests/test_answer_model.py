"""The learned answer model: its features, the shipped weights, a damaged file, and what the
answer does with its confidence (hedging, abstaining, reports that differ)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.answering.extractive import (
    HEDGE,
    OTHER_ARTICLE,
    AnswerConfig,
    ExtractiveAnswerer,
    leading,
    same_answer,
)
from bot.answering.question import read
from bot.answering.scoring import COVERAGE, FEATURES, OLDER, WEIGHTS, AnswerModel, Coverage
from bot.answering.sentences import Scored, SentenceScorer
from retrieval.models import Passage
from retrieval.trees import TreeModel
from tests.passages import passage
from tests.standin import StandInEmbedder
from tests.weights import damaged

BAND = passage("Fans gathered outside the arena on Monday. Rock group Silver Lanterns announced a farewell tour, "
               "its manager said. The farewell tour will visit 30 cities. Tickets go on sale next week.",
               article_id="band", title="A farewell tour", published="2024-03-04")
RIVAL = passage("A different report said rock group Copper Owls announced a farewell tour on Monday.",
                article_id="rival", title="Farewell tour", published="2024-03-04")
CONFIG = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0)


def scorer() -> SentenceScorer:
    return SentenceScorer(StandInEmbedder().embed_cached, AnswerModel.load(WEIGHTS))


def test_the_shipped_model_loads_and_fits_the_features() -> None:
    model = AnswerModel.load(WEIGHTS)
    assert isinstance(model.model, TreeModel) and model.model.features == FEATURES
    rows = np.random.default_rng(1).random((40, len(FEATURES)))
    scores = model.scores(rows)
    assert scores.shape == (40,) and np.all(np.isfinite(scores)) and np.ptp(scores) > 0
    assert "bench/train_answers.py" in model.model.made_by
    assert model.confidence(3.0) > model.confidence(0.0) > model.confidence(-3.0)  # calibrated, increasing


def test_it_ranks_the_sentence_holding_the_answer_first_and_leads_with_its_span() -> None:
    question = read("Which band announced a farewell tour?")
    ranked = scorer().score(question, [BAND])
    assert "Silver Lanterns" in ranked[0].text
    column = dict(zip(FEATURES, ranked[0].row if ranked[0].row is not None else []))
    assert column["type"] == 1.0 and column["span"] == 1.0
    draft = ExtractiveAnswerer(scorer(), CONFIG, same_claim=0.8).answer(question, [BAND])
    assert draft.lead == "Silver Lanterns" and draft.text.startswith("Silver Lanterns — ")
    assert draft.citations[0].quote in BAND.text


def test_below_the_hedge_confidence_it_says_what_the_closest_report_says() -> None:
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, hedge=1.0)
    draft = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(read("Which band announced a farewell tour?"),
                                                                       [BAND])
    assert draft.text.startswith(HEDGE) and not draft.abstained and draft.lead == "" and draft.hedged
    assert "may not answer" in draft.notice and draft.citations


def test_an_answer_only_reports_older_than_the_named_window_give_is_less_certain_and_may_be_hedged() -> None:
    asked = "Which band announced a farewell tour?"
    assert AnswerModel.load(WEIGHTS).older < 0  # learned: such answers are right less often
    plain = ExtractiveAnswerer(scorer(), CONFIG, same_claim=0.8).answer(read(asked), [BAND])
    answerer = ExtractiveAnswerer(scorer(), replace(CONFIG, hedge=plain.support - 1e-6), same_claim=0.8)
    asserted = answerer.answer(read(asked), [BAND])
    assert asserted.lead == "Silver Lanterns" and not asserted.hedged  # asserted when no window is named
    older = answerer.answer(replace(read(asked), reports_since=date(2024, 3, 10)), [BAND])  # BAND: 2024-03-04
    assert older.text.startswith(HEDGE) and older.lead == "" and older.support < plain.support
    inside = answerer.answer(replace(read(asked), reports_since=date(2024, 3, 1)), [BAND])
    assert inside.lead == "Silver Lanterns" and inside.support == plain.support


def test_a_span_only_reports_older_than_the_named_window_give_is_quoted_not_bolded() -> None:
    asked = "Which band announced a farewell tour?"
    answerer = ExtractiveAnswerer(scorer(), CONFIG, same_claim=0.8)  # no hedging: the answer is asserted
    older = answerer.answer(replace(read(asked), reports_since=date(2024, 3, 10)), [BAND])  # BAND: 2024-03-04
    assert not older.hedged and older.lead == "" and older.span == "Silver Lanterns"
    assert older.text.startswith("Rock group Silver Lanterns announced")
    inside = answerer.answer(replace(read(asked), reports_since=date(2024, 3, 1)), [BAND])
    assert inside.lead == "Silver Lanterns" and inside.text.startswith("Silver Lanterns — ")
    differing = ExtractiveAnswerer(scorer(), replace(CONFIG, differ=50.0), same_claim=0.8)  # BAND, RIVAL: 2024-03-04
    both = differing.answer(replace(read(asked), reports_since=date(2024, 3, 1)), [BAND, RIVAL])
    assert both.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")
    stale = differing.answer(replace(read(asked), reports_since=date(2024, 3, 10)), [BAND, RIVAL])
    assert "Reports differ" not in stale.text and stale.lead == ""  # neither older report's answer set apart
    assert [c.article_id for c in stale.citations] == ["band", "rival"]  # both still quoted


def test_a_differing_report_inside_the_window_keeps_the_answer_from_counting_as_older() -> None:
    asked = "Which band announced a farewell tour?"
    plain = ExtractiveAnswerer(scorer(), CONFIG, same_claim=0.8).answer(read(asked), [BAND])
    question = replace(read(asked), reports_since=date(2024, 3, 10))
    config = replace(CONFIG, hedge=plain.support - 1e-6, differ=50.0)
    fresh = replace(RIVAL, published="2024-03-12")
    draft = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(question, [BAND, fresh])
    assert draft.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")
    stale = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(question, [BAND, RIVAL])  # both 2024-03-04
    assert stale.text.startswith(HEDGE)


def test_another_article_with_another_answer_is_shown_as_reports_differ() -> None:
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    draft = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(read("Which band announced a farewell tour?"),
                                                                       [BAND, RIVAL])
    assert draft.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")
    assert [c.article_id for c in draft.citations] == ["band", "rival"]
    same = ExtractiveAnswerer(scorer(), CONFIG, same_claim=0.8).answer(read("Which band announced a farewell tour?"),
                                                                      [BAND, RIVAL])
    assert "Reports differ" not in same.text  # off unless the margin allows it


def test_a_sentence_telling_of_years_long_past_is_not_set_against_another_report() -> None:
    """"Al Dark won a World Series in 1974" in this week's report is its background, not a report
    that differs from another on who won: both are quoted, neither answer asserted."""
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    answerer = ExtractiveAnswerer(scorer(), config, same_claim=0.8)
    asked = read("Which band announced a farewell tour?")
    history = passage(BAND.text.replace("announced a farewell tour,", "announced a farewell tour in 1998,"),
                      article_id="band", title="A farewell tour", published="2024-03-04")
    draft = answerer.answer(asked, [history, RIVAL])
    assert "Reports differ" not in draft.text and draft.lead == ""
    assert draft.text.startswith("Rock group Silver Lanterns announced a farewell tour in 1998")
    assert [c.article_id for c in draft.citations] == ["band", "rival"]  # both quoted, neither asserted
    rival_then = passage("A different report said rock group Copper Owls announced a farewell tour in 1985.",
                         article_id="rival", title="Farewell tour", published="2024-03-04")
    theirs = answerer.answer(asked, [BAND, rival_then])
    assert "Reports differ" not in theirs.text and [c.article_id for c in theirs.citations] == ["band", "rival"]
    asked_then = answerer.answer(read("Which band announced a farewell tour in 1998?"), [history, RIVAL])
    assert asked_then.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")  # the year asked


def test_a_count_an_earlier_day_gave_is_updated_by_the_newer_report_not_set_against_it() -> None:
    """"At least four people died" on Monday, "at least 62" on Tuesday: the toll rose, and the newer
    figure leads in bold with the earlier one quoted after it."""
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    answerer = ExtractiveAnswerer(scorer(), config, same_claim=0.99)
    newer = passage("Fans gathered outside on Monday. The Ostrava quake killed at least 62 people, officials said.",
                    article_id="new", title="Ostrava quake", published="2024-01-02")
    earlier = passage("A different report said the quake in Ostrava left 4 dead.", article_id="old",
                      title="Quake hits Ostrava", published="2024-01-01")
    asked = read("How many people died in the Ostrava quake?")
    draft = answerer.answer(asked, [newer, earlier])
    assert draft.lead == "at least 62" and [c.article_id for c in draft.citations] == ["new", "old"]
    first_earlier = answerer.answer(asked, [earlier, newer])  # the earlier report ranked first: the newer leads still
    assert first_earlier.lead == "at least 62" and [c.article_id for c in first_earlier.citations] == ["new", "old"]
    same_day = answerer.answer(asked, [newer, replace(earlier, published="2024-01-02")])
    assert same_day.text.startswith("Reports differ: at least 62 [1]; 4 [2].")  # the same day: they differ


def test_an_older_report_with_another_answer_is_older_news_not_a_differing_report() -> None:
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    answerer = ExtractiveAnswerer(scorer(), config, same_claim=0.8)
    asked = read("Which band announced a farewell tour?")
    months_before = replace(RIVAL, published="2023-11-20")  # 105 days before BAND
    draft = answerer.answer(asked, [BAND, months_before])
    assert "Reports differ" not in draft.text and draft.text.startswith("Silver Lanterns — ")
    assert [c.article_id for c in draft.citations] == ["band", "rival"]  # the older report still quoted, after it
    weeks_before = replace(RIVAL, published="2024-02-20")  # close enough in time to disagree
    assert answerer.answer(asked, [BAND, weeks_before]).text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")
    newer = answerer.answer(asked, [replace(BAND, published="2023-11-20"), RIVAL])  # the other report is the newer one
    assert newer.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")


def test_reports_naming_one_answer_more_or_less_fully_do_not_differ() -> None:
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    fuller = passage("A different report said rock group Silver Lanterns of Ohio announced a farewell tour on Monday.",
                     article_id="fuller", title="Farewell tour", published="2024-03-04")
    draft = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(read("Which band announced a farewell tour?"),
                                                                       [BAND, fuller])
    assert "Reports differ" not in draft.text and draft.span == "Silver Lanterns"
    assert same_answer("Lions", "Detroit Lions") and same_answer("Hunter Biden", "Hunter Biden's")
    assert same_answer("Baltimore", "Baltimore, Maryland") and not same_answer("Silver Lanterns", "Copper Owls")


def test_a_report_that_names_the_answer_too_is_quoted_but_not_set_against_it() -> None:
    """Another report's sentence whose likeliest span is another name, but which names the answer
    as well, gives both: it is quoted beside the answer, and nobody is said to differ."""
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    both = passage("A different report said rock group Copper Owls announced a farewell tour on Monday, weeks "
                   "after Silver Lanterns did.", article_id="both", title="Farewell tour", published="2024-03-04")
    draft = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(read("Which band announced a farewell tour?"),
                                                                       [BAND, both])
    assert "Reports differ" not in draft.text and draft.lead == ""
    assert [c.article_id for c in draft.citations] == ["band", "both"]  # both still quoted


def test_reports_differ_only_between_answers_likely_enough_and_a_weaker_pair_is_quoted_not_asserted() -> None:
    asked = read("Which band announced a farewell tour?")
    config = AnswerConfig(threshold=0.0, max_sentences=1, entity_coverage=0.5, gap=2.0, differ=50.0)
    told = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(asked, [BAND])
    assert told.span == "Silver Lanterns" and told.span_chance is not None
    strong = ExtractiveAnswerer(scorer(), replace(config, differ_chance=0.01), same_claim=0.8).answer(asked, [BAND, RIVAL])
    assert strong.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")
    weak = ExtractiveAnswerer(scorer(), replace(config, differ_chance=1.0), same_claim=0.8).answer(asked, [BAND, RIVAL])
    assert "Reports differ" not in weak.text and weak.lead == ""  # neither report's answer asserted
    assert weak.span == "Silver Lanterns" and weak.span_chance is not None  # what `-v` tells of it
    assert [c.article_id for c in weak.citations] == ["band", "rival"]  # both still quoted
    unbolded = ExtractiveAnswerer(scorer(), replace(config, lead=1.0), same_claim=0.8).answer(asked, [BAND, RIVAL])
    assert unbolded.lead == "" and "Reports differ" not in unbolded.text  # too weak to bold, so never set apart,
    assert [c.article_id for c in unbolded.citations] == ["band", "rival"]  # but the other report is still quoted


def test_articles_about_other_news_are_withheld_as_not_covering_the_question() -> None:
    model = AnswerModel.load(WEIGHTS)
    assert model.coverage is not None and model.coverage.closest > 0  # learned: nearer in meaning, more likely about it
    config = replace(CONFIG, cover=0.1)
    on = ExtractiveAnswerer(scorer(), config, same_claim=0.8).answer(read("Which band announced a farewell tour?"),
                                                                     [BAND])
    assert on.lead == "Silver Lanterns" and not on.abstained
    off_question = read("Which team won the basketball championship?")
    answerer = ExtractiveAnswerer(scorer(), config, same_claim=0.8)
    off = answerer.answer(off_question, [BAND])
    assert off.abstained and not off.citations and off.related  # nearest passages shown, nothing claimed
    weighed = answerer.weigh(off_question, [BAND])
    assert weighed.refusal is not None and weighed.refusal.abstained
    assert on.covered is not None and weighed.covered < config.cover < on.covered
    assert model.covers(weighed.closest, weighed.words, weighed.best) == weighed.covered
    unguarded = ExtractiveAnswerer(scorer(), replace(config, cover=0.0), same_claim=0.8).answer(off_question, [BAND])
    assert not unguarded.abstained  # what the coverage prevents: an answer from the only article there is
    doubtful = ExtractiveAnswerer(scorer(), replace(config, cover=0.0, cover_hedge=0.1), same_claim=0.8)
    said = doubtful.answer(off_question, [BAND])
    assert said.hedged and said.text.startswith(HEDGE) and not said.lead and said.citations  # said, not asserted
    assert doubtful.answer(read("Which band announced a farewell tour?"), [BAND]).lead == "Silver Lanterns"
    without = replace(model, coverage=None)
    assert without.covers(0.0, 0.0, -5.0) == 1.0  # a file made before the coverage withholds nothing for it


def test_a_coverage_is_read_from_the_weights_file_or_refused_in_one_line(tmp_path: Path) -> None:
    body = json.loads(WEIGHTS.read_text())
    body[COVERAGE] = {"closest": 6.0, "words": 2.0, "best": 1.5, "bias": -4.0}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(body))
    assert AnswerModel.load(path).coverage == Coverage(6.0, 2.0, 1.5, -4.0)
    body[COVERAGE] = {"closest": True, "words": 2.0, "best": 1.5, "bias": -4.0}
    path.write_text(json.dumps(body))
    with pytest.raises(ValueError, match=f"damaged \\({COVERAGE} needs"):
        AnswerModel.load(path)
    body[COVERAGE] = {"closest": 6.0, "words": 2.0, "best": 1.5, "bias": -4.0, "shift": 0.4, "knee": 0.3}
    path.write_text(json.dumps(body))
    assert AnswerModel.load(path).coverage == Coverage(6.0, 2.0, 1.5, -4.0, 0.4, 0.3)
    body[COVERAGE]["shift"] = "0.4"
    path.write_text(json.dumps(body))
    with pytest.raises(ValueError, match="shift, knee"):
        AnswerModel.load(path)


def test_closeness_is_read_against_how_close_unrelated_questions_come_to_the_store() -> None:
    coverage = Coverage(7.0, 2.0, 0.7, -7.0, shift=0.4, knee=0.3)
    plain = coverage.chance(0.45, 0.3, 1.0)  # the store unknown: the cosine as it is
    assert coverage.chance(0.45, 0.3, 1.0, unrelated=0.6) == pytest.approx(plain)  # a store like those learned on
    assert coverage.chance(0.45, 0.3, 1.0, unrelated=0.38) == pytest.approx(plain)  # a folder of many subjects
    small = coverage.chance(0.45, 0.3, 1.0, unrelated=0.1)  # one article: nothing else comes near
    assert small > plain and coverage.near(0.45, 0.1) == pytest.approx(0.45 + 0.4 * 0.2)
    assert Coverage(7.0, 2.0, 0.7, -7.0).chance(0.45, 0.3, 1.0, unrelated=0.1) == pytest.approx(plain)  # no shift learned


@pytest.mark.parametrize("damage", ["{not json", json.dumps({"features": ["dense"], "mean": [0], "scale": [1],
                                                             "weights": [1]}),
                                    json.dumps({"features": list(FEATURES), "mean": [0] * len(FEATURES),
                                                "scale": [1] * len(FEATURES), "weights": [1] * len(FEATURES),
                                                "calibration": ["x"]}),
                                    json.dumps({"features": list(FEATURES), "mean": [0] * len(FEATURES),
                                                "scale": [1] * len(FEATURES), "weights": [1] * len(FEATURES),
                                                "calibration": [1, 0], OLDER: "soon"}),
                                    json.dumps({"features": list(FEATURES), "mean": [0] * len(FEATURES),
                                                "scale": [1] * len(FEATURES), "weights": [1] * len(FEATURES),
                                                "calibration": [1, 0], COVERAGE: {"closest": 5, "best": 1, "bias": 0}}),
                                    json.dumps({"kind": "trees", "features": list(FEATURES),
                                                "trees": [{"feature": [0, -1, -1], "threshold": [0.5, 0, 0],
                                                           "left": [0, 0, 0], "right": [2, 0, 0],
                                                           "value": [0, 1, 2]}]}), ""])
def test_a_damaged_weights_file_is_one_line_and_the_engine_scores_by_meaning_and_words(
        tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    weights = tmp_path / "answers.json"
    engine, line = damaged(weights, damage, AnswerModel.load, caplog, answer_weights=weights)
    assert engine.scorer.model.model.made_by == "plain"
    assert "scoring sentences by meaning and words alone instead" in line


def test_an_older_article_stating_it_more_plainly_does_not_take_the_answer_from_the_first() -> None:
    """The ranking weighed the dates: a far better sentence of a report months older than the
    article ranked first is older news, while a contemporary one still takes the answer."""
    first = passage("Fans gathered outside the arena on Monday as the band's manager spoke. The tour will visit "
                    "30 cities.", article_id="first", title="Crowds at the arena", published="2024-03-04")
    asked = read("Which band announced a farewell tour?")
    answerer = ExtractiveAnswerer(scorer(), CONFIG, same_claim=0.8)
    months_before = replace(RIVAL, published="2023-11-20")
    ranked = answerer.scorer.score(asked, [first, months_before])
    best_other = max(c.score for c in ranked if c.passage.article_id == "rival")
    assert best_other > max(c.score for c in ranked if c.passage.article_id == "first") + OTHER_ARTICLE  # far plainer
    kept = answerer.answer(asked, [first, months_before])
    assert kept.citations and kept.citations[0].article_id == "first"
    taken = answerer.answer(asked, [first, RIVAL])  # the same day: the plainer report answers
    assert taken.citations[0].article_id == "rival" and "Copper Owls" in taken.text


def _scored(p: Passage, score: float, rank: int) -> Scored:
    return Scored(passage=p, index=0, rank=rank, score=score, start=p.sentences[0][0], end=p.sentences[0][1])


def test_which_article_answers_by_scores_dates_and_the_figures_asked() -> None:
    """``leading`` with scores set by hand: another article's far better sentence takes the answer
    unless it is older news; an article stating the question's figures takes it from the first,
    unless a sentence elsewhere scores far better still (on the training years, when one did, its
    article held the answer 5 times, the figures' article twice)."""
    first = passage("Ridgeway Motors is recalling 14 million pickup trucks.", article_id="first",
                    published="2024-03-04")
    plainer = passage("Kia and Hyundai recalled 485,000 SUVs on Tuesday.", article_id="plainer", published="2024-03-01")
    asked = read("Which company recalled vehicles?")
    far_better = [_scored(plainer, 2.0, 2), _scored(first, 0.5, 1)]
    assert leading(asked, far_better, [first, plainer])[0].passage.article_id == "plainer"
    old = replace(plainer, published="2023-10-01")
    older = [_scored(old, 2.0, 2), _scored(first, 0.5, 1)]
    assert leading(asked, older, [first, old])[0].passage.article_id == "first"  # older news
    pinned = read("Which company recalled 14 million vehicles?")
    close = [_scored(plainer, 1.0, 1), _scored(first, 0.5, 2)]
    assert leading(pinned, close, [plainer, first])[0].passage.article_id == "first"  # it states 14 million
    assert leading(asked, close, [plainer, first])[0].passage.article_id == "plainer"  # no figure asked: the first
    far = [_scored(plainer, 0.5 + OTHER_ARTICLE + 0.5, 1), _scored(first, 0.5, 2)]
    assert leading(pinned, far, [plainer, first])[0].passage.article_id == "plainer"


def test_who_is_keeps_to_the_first_report_when_it_says_what_the_person_is() -> None:
    """``leading`` for "Who is Ola Ardell?": the first report is the newest that gives her a role,
    and an older one saying what she was, though its sentence scores far better, does not take the
    answer; a first report giving no role still can lose it."""
    now = passage("Prime Minister Ola Ardell called the storm a disaster.", article_id="now", published="2024-03-22")
    then = passage("Finance Minister Ola Ardell is the economist who runs the budget.", article_id="then",
                   published="2024-03-01")
    asked = read("Who is Ola Ardell?")
    far_better = [_scored(then, 0.5 + OTHER_ARTICLE + 1.0, 2), _scored(now, 0.5, 1)]
    assert leading(asked, far_better, [now, then])[0].passage.article_id == "now"
    no_role = passage("Ola Ardell spoke about the storm.", article_id="now", published="2024-03-22")
    plain = [_scored(then, 0.5 + OTHER_ARTICLE + 1.0, 2), _scored(no_role, 0.5, 1)]
    assert leading(asked, plain, [no_role, then])[0].passage.article_id == "then"


def test_who_is_leads_with_what_the_person_is_before_what_they_were() -> None:
    """Of one report's sentences giving Sarah Fenwick a role, one saying what she is leads one saying
    what she was, though that one scores better; with none saying what she is, what she was leads."""
    report = passage("Sarah Fenwick was the press secretary for a charity. Sarah Fenwick, a state senator, won the "
                     "seat.", article_id="now", published="2024-11-07")
    was, now = (Scored(passage=report, index=i, rank=1, score=score, start=report.sentences[i][0],
                       end=report.sentences[i][1]) for i, score in ((0, 2.0), (1, 1.0)))
    asked = read("Who is Sarah Fenwick?")
    assert leading(asked, [was, now], [report])[0].text.startswith("Sarah Fenwick, a state senator")
    assert leading(asked, [was], [report])[0].text.startswith("Sarah Fenwick was the press secretary")


def test_reports_do_not_differ_when_the_answers_own_quotes_name_the_other_answer() -> None:
    """The answer's own article names both (its lead sentence one, another quoted sentence the
    other): another report naming the second is no report that differs; both are quoted, the
    answer's own span leading as any answer's does."""
    both = passage("Rock group Silver Lanterns announced a farewell tour on Monday, its manager said. The tour "
                   "follows Copper Owls, who toured the arena last year.", article_id="band", title="A farewell tour",
                   published="2024-03-04")
    asked = read("Which band announced a farewell tour?")
    answerer = ExtractiveAnswerer(scorer(), replace(CONFIG, differ=50.0, max_sentences=2), same_claim=0.8)
    alone = answerer.answer(asked, [replace(both, text=both.text[:81], end=81, sentences=both.sentences[:1]), RIVAL])
    assert alone.text.startswith("Reports differ: Silver Lanterns [1]; Copper Owls [2].")  # its quote names one
    draft = answerer.answer(asked, [both, RIVAL])
    assert "Copper Owls" in draft.citations[0].quote  # its own report names the other band as well
    assert "Reports differ" not in draft.text and draft.text.startswith("Silver Lanterns — ")  # its own, as any answer
    assert [c.article_id for c in draft.citations] == ["band", "rival"]  # both quoted, its own first


def test_another_outlets_copy_of_a_quoted_sentence_is_quoted_once() -> None:
    ours = passage("Rock group Silver Lanterns announced a farewell tour on Monday, its manager said. The tour "
                   "follows Copper Owls, who toured the arena last year.", article_id="band", title="A farewell tour",
                   published="2024-03-04")
    copy = passage("The tour follows Copper Owls, who toured the arena last year.", article_id="copy",
                   title="Farewell tour", published="2024-03-04")
    answerer = ExtractiveAnswerer(scorer(), replace(CONFIG, differ=50.0, max_sentences=2), same_claim=0.8)
    draft = answerer.answer(read("Which band announced a farewell tour?"), [ours, copy])
    assert draft.text.count("The tour follows Copper Owls") == 1
    assert [c.article_id for c in draft.citations] == ["band"]
