from bot.answer import Citation
from bot.citations import (
    earlier_of_same_article,
    in_quotes,
    markers,
    meta_line,
    renumber,
    shorten,
    source_line,
    split_claims,
)


def cite(n: int, quote: str = "Quote.", **kw: str) -> Citation:
    base = dict(article_id="a1", title="Title", outlet="Outlet", published="2022-01-21",
                url="https://example.org/a", start=0, end=len(quote), chunk_id="c")
    base.update(kw)
    return Citation(n=n, quote=quote, **base)  # type: ignore[arg-type]


def test_markers_in_order() -> None:
    assert markers("A [2]. B [1][3]. C [2].") == [2, 1, 3, 2]


def test_renumber_drops_invented_and_orders_by_first_use() -> None:
    text, mapping = renumber("Moscow wants guarantees [3]. NATO disagrees [7]. Talks go on [1][3].", {1, 3})
    assert text == "Moscow wants guarantees [1]. NATO disagrees. Talks go on [2][1]."
    assert mapping == {3: 1, 1: 2}


def test_renumber_collapses_repeats() -> None:
    assert renumber("X [1][1].", {1})[0] == "X [1]."


def test_split_claims_keeps_markers_with_their_sentence() -> None:
    claims = split_claims("Lavrov wants guarantees. [1] Blinken warned of a response [2]. Done.")
    assert claims == ["Lavrov wants guarantees. [1]", "Blinken warned of a response [2].", "Done."]


def test_shorten_at_word_with_ellipsis() -> None:
    assert shorten("one two\nthree", 50) == "one two three"
    cut = shorten("alpha beta gamma delta", 12)
    assert cut.endswith("…") and len(cut) <= 12 and cut.startswith("alpha")


def test_source_line() -> None:
    c = cite(1, "He said it.")
    assert source_line(c) == "Title — Outlet, 2022-01-21, https://example.org/a"
    assert source_line(cite(1, outlet="", published="", url="")) == "Title"


def test_meta_line_skips_unknown_parts() -> None:
    assert meta_line("CNN", "2022-01-21") == "CNN · 2022-01-21"
    assert meta_line("", "2022-01-21") == "2022-01-21"
    assert meta_line("", "") == ""


def test_a_later_quote_from_an_article_already_cited_points_back_to_it() -> None:
    citations = [cite(1), cite(2, article_id="b2"), cite(3), cite(4, article_id="b2"), cite(5, article_id="c3")]
    assert earlier_of_same_article(citations) == [None, None, 1, 2, None]


def test_a_quote_that_is_already_a_quotation_is_not_quoted_twice() -> None:
    assert in_quotes("He left.") == "“He left.”"
    assert in_quotes("“We stay,” he said.") == "““We stay,” he said.”"  # opens with a quote but is not one
    assert in_quotes("“We stay.”") == "“We stay.”"
