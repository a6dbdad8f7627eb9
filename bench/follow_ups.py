"""Does the conversation leave unrelated questions alone? Pairs of questions asked in one chat:
the second answer must be the one it gets when asked alone.

    python bench/follow_ups.py --store HOME --questions QUESTIONS.jsonl [--pairs 100] [--json]
    python bench/follow_ups.py --store HOME --questions QUESTIONS.jsonl --without-names [--json]

Pair i is question i followed by question i + ``--stride`` (wrapping), so the two are about
different weeks' news; each is asked as of its own question date. Reports how many second
answers changed and how many second questions were read as follow-ups (rewritten).

``--without-names`` makes chat follow-ups that name nothing: each question with its names taken
out ("Which team won the 2022 NHL Stanley Cup Finals?" -> "Which team won the 2022?"), asked
after "What is the news about NAMES?" with its own names (it is that topic's) and with the names
of question i + ``--stride`` (it is not), as of its date. Reports how often the answer is right
asked alone, in either chat, and in either chat always read as a follow-up; and how many were
read as follow-ups. Only training years belong here (it reads each question).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from bot.engine import (  # noqa: E402
    Conversation,
    Engine,
    EvalQuestion,
    contains_any,
    entities,
    follow_up_reason,
    full_names,
    load_questions,
    route,
)
from bot.settings import load_settings  # noqa: E402

_AROUND = r"(?:\b(?:the|in|of|at|on|for|from|by|with|to|about)\s+){0,2}"


def without_names(question: str, names: list[str]) -> str:
    """``question`` with ``names`` and the words that led to them taken out."""
    for name in sorted(names, key=len, reverse=True):
        question = re.sub(_AROUND + re.escape(name) + r"(?:['’]s)?", " ", question)
    question = re.sub(r"\s+([?,.])", r"\1", " ".join(question.split()))
    return question[:1].upper() + question[1:]


class Always(Conversation):
    """A conversation that reads every question as a follow-up of its last topic."""

    def reason(self, question: str) -> str:
        return "always"

    def standalone(self, question: str, rewriter: object = None) -> str:
        return self.carried(question, topic_only=True)


def named_nothing(engine: Engine, questions: list[EvalQuestion], stride: int) -> dict[str, object]:
    """Right answers of the questions without their names, alone and after each topic."""
    named = [q for q in questions if q.answerable and q.answers and full_names(q.question)]
    counts = dict.fromkeys(("questions", "alone", "own_topic", "other_topic", "own_topic_always",
                            "other_topic_always", "followed_own", "followed_other"), 0)
    for i, q in enumerate(named):
        bare = without_names(q.question, full_names(q.question))
        if entities(bare) or follow_up_reason(bare) or route(bare) is not None or len(bare) < 10:
            continue  # still names something, a follow-up by its words, or routed: not what is measured
        counts["questions"] += 1
        counts["alone"] += contains_any(engine.ask(bare, as_of=q.question_date).text, q.answers)
        for tag, topic in (("own", full_names(q.question)), ("other", full_names(named[(i + stride) % len(named)].question))):
            for kind in (Conversation, Always):
                conversation = kind()
                engine.ask(f"What is the news about {', '.join(topic)}?", conversation=conversation, as_of=q.question_date)
                after = engine.ask(bare, conversation=conversation, as_of=q.question_date)
                key = f"{tag}_topic" + ("_always" if kind is Always else "")
                counts[key] += contains_any(after.text, q.answers)
                if kind is Conversation:
                    counts[f"followed_{tag}"] += bool(after.follow_up)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--collection", help="the store's collection (default: the settings')")
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--stride", type=int, default=37)
    parser.add_argument("--without-names", action="store_true", help="chat follow-ups that name nothing")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store, collection=args.collection).embedded())
    questions = load_questions(args.questions)
    if args.without_names:
        counts = named_nothing(engine, questions, args.stride)
        if args.json:
            print(json.dumps(counts, indent=2))
        else:
            Console().print(", ".join(f"{k} {v}" for k, v in counts.items()))
        return
    same = rewritten = 0
    changed: list[dict[str, str]] = []
    for i in range(args.pairs):
        first = questions[i % len(questions)]
        second = questions[(i + args.stride) % len(questions)]
        alone = engine.ask(second.question, as_of=second.question_date)
        conversation = Conversation()
        engine.ask(first.question, conversation=conversation, as_of=first.question_date)
        after = engine.ask(second.question, conversation=conversation, as_of=second.question_date)
        rewritten += after.standalone_question != second.question
        if after.text == alone.text:
            same += 1
        else:
            changed.append({"first": first.id, "second": second.id, "searched": after.standalone_question})
    report = {"pairs": args.pairs, "same_as_alone": same, "rewritten": rewritten, "changed": changed}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        Console().print(f"{same} of {args.pairs} second answers are the same as asked alone; "
                        f"{rewritten} second questions were read as follow-ups")


if __name__ == "__main__":
    main()
