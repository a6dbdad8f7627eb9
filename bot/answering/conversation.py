"""Follow-up questions: turn "And how did Lavrov respond?" into a question that stands alone.

A question is rewritten only when it cannot stand alone: it starts with "and" or "what about",
leans on a pronoun nothing before it in the question can refer to ("Where did they meet?"), ends
on "there", or has no subject at all ("Who won?"). A question that names its own subject is
searched as asked, however unrelated to the last one: carrying the last topic into it would
answer about the wrong story. A question that names nothing ("How many people died?") may be
either; it is read as a follow-up only when a report on one of the last topics speaks of what it
asks (``speaks_of``, checked by the engine against a search), so "Which band released a new
album?" after a question about a bridge is still searched as asked. With an LLM the rewrite is
done by the ``condense`` prompt; without one, by carrying over the names the previous turns were
about, or the answer the last turn gave when it asked who did something ("Who won the Super
Bowl?" - "Who did they beat?").
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.answering.question import FRAME, PERSON_PRONOUN, entities, leans_on
from bot.answering.roles import ROLE_NOUNS
from retrieval.text import MONTHS, WEEKDAY_NAMES, content_tokens

_FOLLOW_START = re.compile(r"^\s*(and|but|so|also|then|what about|how about|and what about)\b[\s,]*", re.IGNORECASE)
# Pronouns that point at something named before; "this"/"that" only where they stand for a noun
# ("Why did this happen?", "What caused that?"), not as a determiner ("this week").
_PRONOUN = re.compile(r"\b(he|she|they|him|them|his|her|their|it|its|hers|theirs)\b"
                      r"|\b(this|that|these|those)(?=\s*[?.!]?\s*$|\s+(?:happen|mean|caus|matter|start|end)\w*\b)",
                      re.IGNORECASE)
_THING = {"it", "its", "this", "that"}  # of _PRONOUN's, those that stand for a thing or an event, not a person
_THERE_AT_END = re.compile(r"\b(there|then)\s*[?.!]?\s*$", re.IGNORECASE)
# "Who won ...?", "Which team won ...?", "Who is the new prime minister?": the answer is who did it,
# what a pronoun in the next question points at; not "Who did Blinken meet?" or "Which team will the
# Chiefs play?", where the question's own subject is.
_ASKS_WHO = re.compile(r"^\W*(?i:who|which)\b")
_ASKS_WHOM = re.compile(r"^\W*(?i:who|whom|which)\b[^?]{0,40}?\b(?i:did|does|do|will|would|can|could|should|might|may|must)"
                        r"\s+(?:(?i:the|a|an|his|her|their|its)\b|[A-Z])")
Rewriter = Callable[[list[tuple[str, str]], str], "str | None"]


@dataclass
class Turn:
    question: str
    standalone: str
    answer: str
    lead: str = ""  # the answer it asserted in bold ("Kansas City Chiefs"), "" when none
    day: date | None = None  # the day of the report it cited first, None when undated or none


TOPICS_TRIED = 3  # earlier turns whose names a question naming nothing may be about, the latest first
# A follow-up naming no time of its own prefers the reports of the month before the answer it
# follows, to a week after it: the same Super Bowl, not last year's.
FOLLOW_BEFORE = timedelta(days=30)
FOLLOW_AFTER = timedelta(days=7)


@dataclass
class Conversation:
    """The turns so far in one chat or Discord thread."""

    turns: list[Turn] = field(default_factory=list)
    max_turns: int = 6

    def add(self, question: str, standalone: str, answer: str, lead: str = "", day: date | None = None) -> None:
        self.turns.append(Turn(question, standalone, answer, lead, day))
        del self.turns[: -self.max_turns]

    def window(self) -> tuple[date, date] | None:
        """The days a follow-up that names no time of its own prefers: around the report the last
        answer cited first (None when it cited none with a date)."""
        day = self.turns[-1].day if self.turns else None
        return (day - FOLLOW_BEFORE, day + FOLLOW_AFTER) if day is not None else None

    def reason(self, question: str) -> str:
        """Why ``question`` would be read as a follow-up of this conversation ("" when it stands
        alone or nothing was asked before it)."""
        return follow_up_reason(question) if self.turns else ""

    def standalone(self, question: str, rewriter: Rewriter | None = None) -> str:
        """The question made self-contained using the conversation so far; unchanged when it
        stands alone."""
        return self.carried(question, rewriter) if self.reason(question) else question

    def may_lean(self, question: str) -> bool:
        """Could ``question``, which stands alone as written, still be about an earlier topic?
        Only when it names nothing of its own ("How many people died?") and something was asked
        before."""
        return bool(self.turns) and not names_of(question) and not follow_up_reason(question)

    def carried(self, question: str, rewriter: Rewriter | None = None, topic_only: bool = False) -> str:
        """``question`` read as a follow-up of this conversation, whether or not it needs to be;
        ``topic_only`` carries what the turns before asked about, not who the last one answered
        with (a question leaning on no pronoun, "Who performed at halftime?" after "Who won the
        Super Bowl?", is about the Super Bowl, not the winner)."""
        if not self.turns:
            return question
        return self.rewritten(question, rewriter) or carry_over(
            question, [t.standalone for t in self.turns], "" if topic_only else self.turns[-1].lead,
            [t.answer for t in self.turns], [t.lead for t in self.turns])

    def rewritten(self, question: str, rewriter: Rewriter | None) -> str | None:
        """``question`` as a model rewrites it from the conversation; None without one, or when it
        fails (the rules rewrite it then)."""
        if rewriter is None:
            return None
        history = [(t.question, t.answer) for t in self.turns]
        try:
            return (rewriter(history, question) or "").strip() or None
        except Exception:  # a failed rewrite falls back to the rules
            return None

    def topics(self, question: str, most: int = TOPICS_TRIED) -> list[str]:
        """``question`` with the names of each earlier turn in turn, the latest first, each set of
        names once, at most ``most``: "When did the war start?" after "Who leads Hamas?" and
        "What did Biden say?" may be Biden's or Hamas's. With "he" or "she" in it, a turn whose
        answer calls its person the other is passed over, and an earlier "Who won?" offers the
        person it was answered with ("How many electoral votes did he win?")."""
        pronoun = PERSON_PRONOUN.search(question)
        names_by_turn = [(pronoun and _who_answered(t.standalone, t.lead)) or full_names(t.standalone)
                         for t in self.turns]
        everyone = [names[0] for names in names_by_turn if names]
        out: list[str] = []
        stem = question.strip().rstrip("?").rstrip()
        for turn, found in zip(reversed(self.turns), reversed(names_by_turn), strict=True):
            names = [n for n in found if n.lower() not in question.lower()]
            if pronoun and names and not _fits(pronoun.group(1), names[0], turn.answer, everyone):
                continue  # "he" after a turn about Kamala Harris
            carried = f"{stem} ({', '.join(names)})?"
            if names and carried not in out:
                out.append(carried)  # in brackets: a pronoun of its own refers inside it ("that she's running")
            if len(out) == most:
                break
        return out

    def subject_besides(self, person: str) -> list[str]:
        """The names the last turn asked about, other than ``person`` (the surname compared): what
        "What did Biden say?" means in a conversation about the Israel-Hamas war; [] when nothing
        was asked or it asked about the person alone."""
        if not self.turns:
            return []
        surname = person.split()[-1].lower() if person.split() else ""
        return [n for n in full_names(self.turns[-1].standalone)
                if surname not in n.lower().split() and _marks(n)]  # "US" holds no word to look for


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


def follow_up_reason(question: str) -> str:
    """Why ``question`` cannot stand alone, in words for ``/why``; "" when it can."""
    start = _FOLLOW_START.search(question)
    if start:
        return f"it starts with “{start.group(1).lower()}”"
    if match := leans_on(question, _PRONOUN):
        return f"“{match.group(0).lower()}” refers to something asked before"
    end = _THERE_AT_END.search(question)
    if end:
        return f"“{end.group(1).lower()}” refers to something asked before"
    if not names_of(question) and len(content_tokens(question) - FRAME) <= 1:
        return "it names no subject of its own"
    return ""


# an honour or a measure written in capitals, which is always of something: "Who was the MVP?"
# after "Who won the Super Bowl?" asks for the Super Bowl's
_OF_SOMETHING = frozenset({"mvp", "gdp", "cpi", "ipo"})


def names_of(question: str) -> list[str]:
    """The names ``question`` gives its subject by: not a post or trade written as a name ("Who is
    the CEO?", "What did the President sign?" name nobody), nor an honour or a measure ("Who was
    the MVP?")."""
    return [e for e in entities(question) if e.lower() not in ROLE_NOUNS and e.lower() not in _OF_SOMETHING]


def is_follow_up(question: str) -> bool:
    """Does ``question`` lean on the conversation before it?"""
    return bool(follow_up_reason(question))


_PLURAL = {"they", "them"}


def carry_over(question: str, previous: list[str], answered: str = "", answers: list[str] | None = None,
               leads: list[str] | None = None) -> str:
    """The question with the names of the latest turn that had any, which it lacks: a personal
    pronoun is replaced by them ("Where did they meet?" -> "Where did Blinken and Lavrov meet?"),
    otherwise they are added in brackets. When the latest turn's answer asserted ``answered``, it
    is what the question is about if that turn asked who did something, and joins its names if it
    asked whom ("Who did Blinken meet?" - "Lavrov" - "Where did they meet?"); if it asked who and
    no answer was asserted, its names go in brackets, the pronoun standing for the unknown one.
    With the turns' ``answers``, "he" or "she" passes over a person its turn's answer calls the
    other ("Did he win Pennsylvania?" after a turn about Kamala Harris is about the Donald Trump
    asked about before, or answered by an earlier "Who won?": ``leads``, the turns' bold answers)."""
    text = _FOLLOW_START.sub("", question).strip()
    text = text[:1].upper() + text[1:] if text else question
    candidates = [full_names(earlier) for earlier in reversed(previous)]
    unknown = bool(previous) and asks_who(previous[-1])  # "they" after "Who won the Super Bowl?"
    if answered and previous:
        # "Who won ...?": the answer is who the follow-up is about, unless it asks of a thing ("When
        # was it?" after "Who won the Super Bowl?" is the Super Bowl's; "Which company ...?" asks of one)
        if unknown and previous[-1].lstrip(" \"“'‘(").lower().startswith("who") and _of_a_thing(text):
            candidates[0], unknown = [*candidates[0], answered], False
        elif unknown:
            candidates[0], unknown = [answered], False
        elif _ASKS_WHOM.search(previous[-1]):  # "Who did Blinken meet?": the answer joins the names
            candidates[0] = [*candidates[0], answered]
    match = PERSON_PRONOUN.search(text)
    said = list(reversed(answers)) if answers and len(answers) == len(previous) else []
    if match and leads and len(leads) == len(previous):  # an earlier "Who won?": its answer is who "he" may be
        for i, (earlier, lead) in enumerate(zip(reversed(previous), reversed(leads), strict=True)):
            if i and (answer := _who_answered(earlier, lead)):
                candidates[i] = answer
    if match and said:
        everyone = [found[0] for found in candidates if found]  # the people a pronoun may stand for
        fitting = [i for i, found in enumerate(candidates)
                   if found and _fits(match.group(1), found[0], said[i], everyone)]
        if fitting and fitting[0] > 0:  # the latest person is called the other: an earlier one is meant
            candidates, unknown = candidates[fitting[0]:], False
    for i, found in enumerate(candidates):
        names = [n for n in found if n.lower() not in text.lower()]
        if names:
            if match and not (unknown and i == 0):
                return text[: match.start()] + _refer(match.group(1), names) + text[match.end():]
            stem = text.rstrip("?").rstrip()
            return f"{stem} ({', '.join(names)})?"
    return text


def _of_a_thing(question: str) -> bool:
    """Does ``question`` lean on a pronoun that stands for a thing or an event ("When was it?")?"""
    match = leans_on(question, _PRONOUN)
    return match is not None and match.group(0).lower() in _THING


_HE = re.compile(r"\b(?i:he|him|his|himself)\b")
_SHE = re.compile(r"\b(?i:she|her|hers|herself)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s{1,5}")


def _fits(pronoun: str, name: str, answer: str, everyone: list[str]) -> bool:
    """Can "he" or "she" stand for ``name``? Not when the sentences of its turn's ``answer`` that
    name it and no other person of the conversation refer to someone by the other pronoun only
    ("Kamala Harris conceded her defeat"); yes when they do not say, or for any other pronoun."""
    word = pronoun.lower()
    if word not in {"he", "him", "she"}:
        return True
    last = name.split()[-1]
    others = [n.split()[-1] for n in everyone if n.split()[-1] != last]
    he = she = 0
    for sentence in _SENTENCE_END.split(answer[:5000]):
        if last in sentence and not any(other in sentence for other in others):
            he += len(_HE.findall(sentence))
            she += len(_SHE.findall(sentence))
    called = "he" if he and not she else "she" if she and not he else ""
    return not called or called == ("she" if word == "she" else "he")


_CARRIED = re.compile(r"\(([^()]{1,300})\)\?$")  # "How many people died (Baltimore bridge)?"
# Words that ask rather than say what about: "What was the name of the ship?" is about a ship.
_ASKING = content_tokens("name named called")


def speaks_of(question: str, carried: str, best: tuple[str, str] | None) -> bool:
    """Does the best report found for ``carried`` (``question`` with a topic's names), as a
    (title, text) pair, speak of what ``question`` asks? It must name a topic carried (``_marks``)
    and hold the question's own words, all of them when it has up to three, all but one of four
    to six ("How many people died?" after a question about the Baltimore bridge: the report on the
    collapse says six people died). Only the best: that a lower one does counted as often a
    question about another story as one about the topic (chat follow-ups made from the training
    years' questions, docs/quality.md)."""
    wanted = content_tokens(question) - FRAME - _ASKING
    own = set(full_names(question))
    topics = [name for name in full_names(carried) if name not in own]
    if not wanted or not topics or best is None:
        return False
    said = content_tokens(f"{best[0]}\n{best[1]}")
    needed = len(wanted) - (len(wanted) - 1) // 3
    return _holds_any(topics, said) and len(said & wanted) >= needed


def names_any(names: Sequence[str], text: str) -> bool:
    """Does ``text`` (a report's title and words) speak of one of ``names``: hold the words a report
    on it holds (``_marks``)?"""
    return _holds_any(names, content_tokens(text))


def _holds_any(names: Sequence[str], said: set[str]) -> bool:
    """Do the words ``said`` (a report's content tokens) hold those of a report on one of ``names``?"""
    return any(_marks(name) <= said for name in names)


def _marks(name: str) -> set[str]:
    """The words a report on ``name`` holds: its last capitalised word and any common noun after it
    ("Haley" for "Nikki Haley", "Baltimore" and "bridge" for "Baltimore bridge")."""
    words = name.split()
    last = max((i for i, w in enumerate(words) if w[:1].isupper()), default=len(words) - 1)
    return content_tokens(" ".join(words[last:]))


def _who_answered(question: str, lead: str) -> list[str]:
    """The person an earlier turn that asked who did something was answered with in bold, whom a
    later "he" may mean ("Who won the 2024 presidential election?" - "Donald Trump"); [] when it
    asked no such thing or asserted none."""
    return [lead] if lead and asks_who(question) else []


def asks_who(question: str) -> bool:
    """Does ``question`` ask who (or which one) did something, so that its answer is the subject
    a follow-up's pronoun points at?"""
    return bool(_ASKS_WHO.search(question)) and not _ASKS_WHOM.search(question)


_NAME_RUN = re.compile(r"[A-Z][\w'’.\-]*\w(?:\s+(?:of\s+|de\s+|v\.\s+)?[A-Z][\w'’.\-]*\w)*")
_POSSESSIVE = re.compile(r"['’]s$")
# "in February": a date, nothing a pronoun points at; "True or false?" asks, it names nothing
_NO_SUBJECT = frozenset((*MONTHS, *WEEKDAY_NAMES, "True", "False", "Yes", "No"))


_THE = re.compile(r"(?:^|\W)(?i:the)\s$")  # read on the five characters before a name
# "did the Pentagon say ...?": a name right after an auxiliary is the question's subject, and the
# word after it its verb unless another word follows ("did the Artemis rocket launch?").
_AFTER_AUXILIARY = re.compile(r"(?:^|\W)(?i:(did|does|do|will|would|can|could|should|might|has|have|had)|"
                              r"(is|are|was|were))\s{1,3}(?i:the)\s$")
_NOUN_AFTER = re.compile(r"\s([a-z][a-z\-]{2,40})\b")
_WORD_AFTER = re.compile(r"\s{1,3}([a-z][a-z\-]{0,40})")


def full_names(text: str) -> list[str]:
    """The names in ``text`` as written, a run of capitalised words kept whole ("Liz Truss",
    "Champions League"), a possessive "'s" and a leading question word dropped: what a rewritten
    question carries over. A name after "the" keeps the common noun it qualifies ("the Baltimore
    bridge", "the Kia recall"): the city alone is another story. Not the verb that ends a question
    asking what someone did ("What did the Federal Reserve decide?"). The names a rewritten
    question carries in brackets are taken as they are."""
    carried = _CARRIED.search(text)  # "How many people died (Baltimore bridge)?": a question carried before
    if carried is not None:
        before = full_names(text[: carried.start()])
        return before + [n for n in carried.group(1).split(", ") if n and n not in before]
    known = set(entities(text))
    out: list[str] = []
    for match in _NAME_RUN.finditer(text):
        words = match.group(0).split()
        while words and not any(_POSSESSIVE.sub("", words[0]).startswith(k) for k in known):
            words.pop(0)  # "What", "Did" start a question, they name nothing
        name = _POSSESSIVE.sub("", " ".join(words))
        if name and _THE.search(text[max(0, match.start() - 5):match.start()]) and not _POSSESSIVE.search(words[-1]):
            name += _noun_after(text, match.start(), match.end())
        if name and name not in out and name not in _NO_SUBJECT:
            out.append(name)
    return out


def _noun_after(text: str, start: int, end: int) -> str:
    """" bridge" when ``text`` goes on with the common noun a name at ``start:end`` qualifies
    ("the Baltimore bridge", "did the Artemis rocket launch?"), else "" ("did the Pentagon say
    ...?", "did the Federal Reserve decide?": the question's verb)."""
    after = _NOUN_AFTER.match(text, end)
    if after is None or not content_tokens(after.group(1)) - FRAME:
        return ""
    subject = _AFTER_AUXILIARY.search(text[max(0, start - 16):start])  # "should the " is the longest
    if subject is not None:
        verb = _WORD_AFTER.match(text, after.end())
        if verb is not None and content_tokens(verb.group(1)) - FRAME:
            pass  # "did the Kia recall happen?": the noun, then the verb
        elif subject.group(2) is None or text[after.end():].strip(" ?.!") or after.group(1).endswith(("ing", "ed")):
            return ""
    return f" {after.group(1)}"


def _refer(pronoun: str, names: list[str]) -> str:
    word = pronoun.lower()
    who = " and ".join(names[:2]) if word in _PLURAL and len(names) > 1 else names[0]
    return who
