"""The training-set loss report: which step a question's answer is lost at, counted right."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.answer_losses import losses
from bench.train_answers import Asked
from bot.answering.question import Question, read
from bot.answering.sentences import SentenceScorer
from bot.engine import Trial
from retrieval.models import Passage
from tests.passages import passage
from tests.standin import StandInEmbedder


@dataclass
class QuotingEngine:
    """What the report asks of the engine: the sentence order, and an answer quoting the best sentence."""

    scorer: SentenceScorer = field(default_factory=lambda: SentenceScorer(StandInEmbedder().embed_cached))

    def trial_answer(self, asked: Question, passages: list[Passage], model: object) -> Trial:
        best = self.scorer.score(asked, passages)[0]
        return Trial(best.text, False, best.score, 0.0, 0.0)


FLOODS = passage("The floods killed 25 people in Riverton, officials said. Schools will reopen next month.")
FIRE = passage("A fire closed the Riverton mill on Monday. Its 40 workers were sent home.", article_id="fire")


def test_each_question_is_counted_where_its_answer_is_lost() -> None:
    asked = [
        Asked(read("How many people did the Riverton floods kill?"), [FLOODS], ["25"]),  # found and answered
        Asked(read("When will schools in Riverton reopen?"), [FLOODS], ["September 3"]),  # never in the passages
    ]
    report = losses(QuotingEngine(), asked)  # type: ignore[arg-type]
    assert report["questions"] == 2
    assert report["passages_hold"] == 0.5 and report["best_sentence"] == 0.5 and report["answer"] == 0.5
    places = report["answer_by_first_right"]
    assert isinstance(places, dict)
    assert places["1st"] == {"questions": 1, "answer": 1.0}
    assert places["none"] == {"questions": 1, "answer": 0.0}


def test_what_is_lost_inside_the_right_article_is_counted_apart() -> None:
    asked = [
        Asked(read("How many people did the floods kill?"), [FLOODS, FIRE], ["25"], (FLOODS.article_id,)),
        Asked(read("When will schools reopen?"), [FLOODS, FIRE], ["September 3"], (FLOODS.article_id,)),
        Asked(read("How many workers did the mill have?"), [FLOODS, FIRE], ["40"], ("fire",)),  # right one second
    ]
    first = losses(QuotingEngine(), asked)["right_article_first"]  # type: ignore[arg-type]
    assert first == {"questions": 2, "its_passages_hold": 0.5, "answer": 0.5}
