"""Articles and passages: a content hash that follows the text, days that may be unknown, exact slices."""

from datetime import date

from retrieval.models import Article
from tests.passages import passage


def test_the_content_hash_follows_the_text_and_title() -> None:
    a = Article(id="a", text="Talks opened.", title="Talks")
    assert a.content_hash == Article(id="a", text="Talks opened.", title="Talks").content_hash
    assert a.content_hash != Article(id="a", text="Talks closed.", title="Talks").content_hash


def test_a_passage_day_is_known_or_none_and_sentences_are_exact_slices() -> None:
    p = passage("Talks opened. Both sides spoke!", published="2022-01-10", start=100)
    assert p.day == date(2022, 1, 10)
    assert passage("x.", published="2022-13-40").day is None and passage("x.", published="").day is None
    assert [p.sentence_text(i) for i in range(len(p.sentences))] == ["Talks opened.", "Both sides spoke!"]
