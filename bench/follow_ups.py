"""Does the conversation leave unrelated questions alone? Pairs of questions asked in one chat:
the second answer must be the one it gets when asked alone.

    python bench/follow_ups.py --store HOME --questions QUESTIONS.jsonl [--pairs 100] [--json]

Pair i is question i followed by question i + ``--stride`` (wrapping), so the two are about
different weeks' news; each is asked as of its own question date. Reports how many second
answers changed and how many second questions were read as follow-ups (rewritten).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from bot.engine import Conversation, Engine, load_questions  # noqa: E402
from bot.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--collection", help="the store's collection (default: the settings')")
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--stride", type=int, default=37)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_settings(home=args.store, collection=args.collection).embedded())
    questions = load_questions(args.questions)
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
