from bot.conversation import Conversation, carry_over, is_follow_up
from bot.query import answer_type_match, asks_about_speech, entities


def test_entities_skip_question_words() -> None:
    assert entities("What did Lavrov demand?") == ["Lavrov"]
    assert entities("How many troops has Russia massed near Ukraine's border?") == ["Russia", "Ukraine"]
    assert entities("what happened today?") == []


def test_speech_and_answer_types() -> None:
    assert asks_about_speech("What did Lavrov demand?") and not asks_about_speech("Where is Geneva?")
    assert answer_type_match("How many troops were there?", "about 127,000 troops") == 1.0
    assert answer_type_match("How many troops were there?", "many troops") == 0.0
    assert answer_type_match("Where did they meet?", "talks in Geneva, Switzerland") == 1.0
    assert answer_type_match("Why did it fail?", "anything") is None


def test_follow_up_detection() -> None:
    assert is_follow_up("And how did Lavrov respond?")
    assert is_follow_up("What did he say next?")
    assert is_follow_up("what happened then")
    assert not is_follow_up("What did Lavrov demand from NATO?")


def test_carry_over_adds_previous_names() -> None:
    assert carry_over("And how did Lavrov respond?", ["What did Blinken warn of?"]) == "How did Lavrov respond (Blinken)?"
    assert carry_over("What did he say?", ["What did Zelensky say?"]) == "What did he say (Zelensky)?"
    assert carry_over("And then?", []) == "Then?"


def test_conversation_keeps_recent_turns_and_uses_rewriter() -> None:
    conv = Conversation(max_turns=2)
    assert conv.standalone("What did Blinken warn of?") == "What did Blinken warn of?"  # nothing before it
    for i in range(3):
        conv.add(f"What did Blinken say {i}?", f"What did Blinken say {i}?", "answer")
    assert len(conv.turns) == 2
    assert conv.standalone("And Lavrov?", rewriter=lambda history, q: "What did Lavrov say to Blinken?") == \
        "What did Lavrov say to Blinken?"

    def broken(history, q):
        raise RuntimeError("model down")

    assert conv.standalone("And Lavrov?", rewriter=broken) == "Lavrov (Blinken)?"
