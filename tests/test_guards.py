"""The answers the engine gives without an answerer, before the search and after it."""

from bot.answer import NOT_COVERED
from bot.answering.guards import after_search, before_search
from bot.answering.question import read
from tests.passages import passage


def test_no_words_and_a_pronoun_naming_nobody_are_answered_before_any_search() -> None:
    nothing = before_search(read("?!?! 🤔"))
    assert nothing is not None and nothing.abstained and nothing.text.startswith(NOT_COVERED)
    who = before_search(read("What did he demand?"))
    assert who is not None and "Who do you mean by “he”" in who.text and who.citations == []
    assert before_search(read("What did Lavrov demand?")) is None


def test_another_script_and_questions_about_the_article_are_answered_after_it() -> None:
    talks = passage("Talks opened in Geneva. Both sides spoke.", title="Talks open", outlet="Harbour Times")
    other = after_search(read("Что потребовал Лавров?"), [talks], [])
    assert other is not None and other.abstained and "Latin script" in other.text
    outlet = after_search(read("Which outlet published the article?"), [talks], [])
    assert outlet is not None and "Harbour Times" in outlet.text and outlet.citations
    assert after_search(read("What opened in Geneva?"), [talks], []) is None
