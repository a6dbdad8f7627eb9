"""Follow-up questions: turn "And how did Lavrov respond?" into a question that stands alone.

With an LLM the rewrite is done by the ``condense`` prompt; without one, by carrying over the
names the previous turns were about when the new question leans on them (a pronoun, a leading
"and", or no names of its own).
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answering.question import PERSON_PRONOUN, entities

_FOLLOW_START = re.compile(r"^\s*(and|but|so|also|then|what about|how about|and what about)\b[\s,]*", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|him|her|them|his|their|its|it|this|that|these|those)\b", re.IGNORECASE)

Rewriter = Callable[[list[tuple[str, str]], str], "str | None"]


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
                rewritten = (rewriter(history, question) or "").strip()
                if rewritten:
                    return rewritten
            except Exception:  # a failed rewrite falls back to the rule below
                pass
        return carry_over(question, [t.standalone for t in self.turns])


class Conversations:
    """Conversations by key (a Discord thread), forgotten after ``ttl`` seconds without a question
    or when more than ``limit`` are held (the least recently used go first), so a long-running
    bot's memory stays bounded."""

    def __init__(self, ttl: float, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.limit = limit
        self.clock = clock
        self._held: OrderedDict[int, tuple[float, Conversation]] = OrderedDict()

    def start(self, key: int) -> Conversation:
        """A new conversation under ``key`` (replacing any old one)."""
        conversation = Conversation()
        self._held[key] = (self.clock(), conversation)
        self._held.move_to_end(key)
        self._expire()
        return conversation

    def get(self, key: int) -> Conversation | None:
        """The live conversation under ``key``, touched (its age restarts), or None."""
        self._expire()
        held = self._held.get(key)
        if held is None:
            return None
        self._held[key] = (self.clock(), held[1])
        self._held.move_to_end(key)
        return held[1]

    def __contains__(self, key: object) -> bool:
        self._expire()
        return key in self._held

    def __len__(self) -> int:
        self._expire()
        return len(self._held)

    def _expire(self) -> None:
        now = self.clock()
        while self._held:
            key, (touched, _) = next(iter(self._held.items()))
            if now - touched < self.ttl and len(self._held) <= self.limit:
                break
            del self._held[key]


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_START.search(question) or _PRONOUN.search(question) or not entities(question))


_PLURAL = {"they", "them"}


def carry_over(question: str, previous: list[str]) -> str:
    """The question with the names of the latest turn that had any, which it lacks: a personal
    pronoun is replaced by them ("Where did they meet?" -> "Where did Blinken and Lavrov meet?"),
    otherwise they are added in brackets."""
    text = _FOLLOW_START.sub("", question).strip()
    text = text[:1].upper() + text[1:] if text else question
    own = {e.lower() for e in entities(text)}
    for earlier in reversed(previous):
        names = [e for e in entities(earlier) if e.lower() not in own]
        if names:
            match = PERSON_PRONOUN.search(text)
            if match:
                return text[: match.start()] + _refer(match.group(1), names) + text[match.end():]
            stem = text.rstrip("?").rstrip()
            return f"{stem} ({', '.join(names)})?"
    return text


def _refer(pronoun: str, names: list[str]) -> str:
    word = pronoun.lower()
    who = " and ".join(names[:2]) if word in _PLURAL and len(names) > 1 else names[0]
    return who
