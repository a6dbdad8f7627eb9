"""Questions about the article itself are answered from its stored metadata, citing its opening."""

import pytest

from bot.answering.metadata import metadata_answer
from bot.answering.question import metadata_kind
from tests.passages import passage


@pytest.mark.parametrize(("question", "kind"), [
    ("Who wrote the article?", "author"),
    ("When was this story published?", "published"),
    ("Which outlet published it?", "outlet"),
    ("Where can I read the article?", "url"),
    ("Who won the election?", ""),
])
def test_what_is_asked_about_the_article(question: str, kind: str) -> None:
    assert metadata_kind(question) == kind


def test_the_answer_names_the_metadata_and_cites_the_opening() -> None:
    p = passage("Talks opened in Geneva on Monday. Both sides spoke.", title="Talks open", outlet="Harbour Times",
                published="2022-01-10")
    p.authors = ["Ann Lee", "Bo Chen"]
    p.url = "https://example.org/talks"
    author = metadata_answer("author", p)
    assert "Ann Lee" in author.text and "Bo Chen" in author.text and author.citations[0].quote.startswith("Talks")
    assert "2022" in metadata_answer("published", p).text or "January" in metadata_answer("published", p).text
    assert "Harbour Times" in metadata_answer("outlet", p).text
    assert "https://example.org/talks" in metadata_answer("url", p).text
    for kind in ("author", "published", "outlet", "url"):
        assert not metadata_answer(kind, p).abstained
