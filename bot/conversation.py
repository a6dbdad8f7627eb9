"""Follow-up questions: turn "And how did Lavrov respond?" into a question that stands alone.

With an LLM the rewrite is done by the ``condense`` prompt; without one, by carrying over the
names the previous turns were about when the new question leans on them (a pronoun, a leading
"and", or no names of its own).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.query import entities

_FOLLOW_START = re.compile(r"^\s*(and|but|so|also|then|what about|how about|and what about)\b[\s,]*", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|him|her|them|his|their|its|it|this|that|these|those)\b", re.IGNORECASE)

Rewriter = Callable[[list[tuple[str, str]], str], str]


@dataclass
class Turn:
    question: str
    standalone: str
    answer: str


@dataclass
class Conversation:
    """The turns so far in one chat or Discord thread."""

    turns: list[Turn] = field(default_factory=list)
    max_turns: int = 6

    def add(self, question: str, standalone: str, answer: str) -> None:
        self.turns.append(Turn(question, standalone, answer))
        del self.turns[: -self.max_turns]

    def standalone(self, question: str, rewriter: Rewriter | None = None) -> str:
        """The question made self-contained using the conversation so far."""
        if not self.turns or not is_follow_up(question):
            return question
        if rewriter is not None:
            history = [(t.question, t.answer) for t in self.turns]
            try:
                rewritten = rewriter(history, question).strip()
                if rewritten:
                    return rewritten
            except Exception:  # a failed rewrite falls back to the rule below
                pass
        return carry_over(question, [t.standalone for t in self.turns])


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_START.search(question) or _PRONOUN.search(question) or not entities(question))


def carry_over(question: str, previous: list[str]) -> str:
    """Add the names of the latest turn that had any, which the new question lacks."""
    text = _FOLLOW_START.sub("", question).strip()
    text = text[:1].upper() + text[1:] if text else question
    own = {e.lower() for e in entities(text)}
    for earlier in reversed(previous):
        names = [e for e in entities(earlier) if e.lower() not in own]
        if names:
            stem = text.rstrip("?").rstrip()
            return f"{stem} ({', '.join(names)})?"
    return text
