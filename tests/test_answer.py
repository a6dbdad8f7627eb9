"""The answer contract: a citation quotes its passage exactly, and an Answer is made from a draft."""

from bot.answer import Answer, Citation, Draft
from tests.passages import passage


def test_a_citation_quotes_exactly_the_span_it_names() -> None:
    p = passage("Talks opened in Geneva. Both sides spoke.", start=40, title="Talks", outlet="Harbour Times")
    start, end = p.sentences[1]
    c = Citation.from_passage(1, p, start, end)
    assert c.quote == "Both sides spoke." and (c.start, c.end) == (start, end) and c.outlet == "Harbour Times"


def test_an_answer_from_a_draft_keeps_everything_a_front_end_shows() -> None:
    p = passage("Talks opened in Geneva.")
    draft = Draft(text="Talks opened in Geneva. [1]", citations=[Citation.from_passage(1, p, 0, 23)],
                  abstained=False, answerer="extractive", support=0.81234, lead="Geneva")
    answer = Answer.from_draft(draft, question="Where?", standalone="Where did talks open?", passages=[p],
                               timings={"total": 0.0123}, as_of="2022-01-10")
    data = answer.to_dict()
    assert data["standalone_question"] == "Where did talks open?" and data["lead"] == "Geneva"
    assert data["citations"][0]["quote"] == "Talks opened in Geneva." and data["support"] == 0.8123
    assert data["timings_ms"] == {"total": 12.3} and data["as_of"] == "2022-01-10"
