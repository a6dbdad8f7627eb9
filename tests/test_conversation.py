from bot.answering.conversation import Conversation, Conversations, carry_over, is_follow_up


def test_follow_up_detection() -> None:
    assert not is_follow_up("Which national park was hit by severe flooding?")
    assert is_follow_up("And how did Lavrov respond?")
    assert is_follow_up("What did he say next?")
    assert is_follow_up("what happened then")
    assert not is_follow_up("What did Lavrov demand from NATO?")


def test_carry_over_adds_previous_names() -> None:
    assert carry_over("And how did Lavrov respond?", ["What did Blinken warn of?"]) == "How did Lavrov respond (Blinken)?"
    assert carry_over("What did he say?", ["What did Zelensky say?"]) == "What did Zelensky say?"
    assert carry_over("Where did they meet?", ["What did Blinken tell Lavrov?"]) == "Where did Blinken and Lavrov meet?"
    assert carry_over("What was his warning?", ["What did Blinken say?"]) == "What was his warning (Blinken)?"
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


def test_conversations_expire_by_age() -> None:
    now = [0.0]
    held = Conversations(ttl=60, limit=10, clock=lambda: now[0])
    held.start(1).add("q", "q", "a")
    now[0] = 59
    assert held.get(1) is not None  # touching restarts its age
    now[0] = 118
    assert 1 in held
    now[0] = 178.5
    assert held.get(1) is None and len(held) == 0


def test_conversations_keep_at_most_limit_least_recent_go_first() -> None:
    now = [0.0]
    held = Conversations(ttl=1000, limit=3, clock=lambda: now[0])
    for key in range(3):
        now[0] += 1
        held.start(key)
    now[0] += 1
    assert held.get(0) is not None  # 0 is now the most recent
    held.start(3)
    assert len(held) == 3 and 1 not in held and {0, 2, 3} <= {k for k in range(4) if k in held}
