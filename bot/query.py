"""What a question asks about: its named entities, content words, and whether it asks who said what."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from retrieval.text import SPEECH_VERBS, content_tokens

_QWORDS = {"what", "who", "whom", "whose", "which", "when", "where", "why", "how", "did", "does",
           "do", "is", "are", "was", "were", "has", "have", "can", "could", "will", "would",
           "and", "but", "so", "the", "a", "an", "in", "on", "after", "according", "tell", "me"}
_QWORD_TOKENS = content_tokens(" ".join(_QWORDS))
_ENTITY = re.compile(r"\b[A-Z][\w'’.\-]*[\w]")
_SPEECH_Q = re.compile(
    r"\b(" + "|".join(SPEECH_VERBS) + r"|say|demand|want|warn|tell|ask|respond|react|think|"
    r"claim|argue|accuse|promise|threaten|propose|offer|call for|hit back)\b",
    re.IGNORECASE,
)


def entities(question: str) -> list[str]:
    """Capitalised names in the question ("Lavrov", "Ukraine"), question words left out."""
    out: list[str] = []
    for match in _ENTITY.finditer(question):
        word = match.group(0).rstrip("'’s").rstrip("'’")
        if word.lower() in _QWORDS or len(word) < 2:
            continue
        if word not in out:
            out.append(word)
    return out


def has_content(question: str) -> bool:
    """Does the question name anything (a word of two letters or more that is neither a stop word
    nor a question word)?"""
    return bool(content_tokens(question) - _QWORD_TOKENS)


def script(text: str) -> str:
    """The writing system most of ``text``'s letters are in ("LATIN", "CYRILLIC", "CJK" ...), "" if none."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            counts["CJK" if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) else name.split(" ")[0]] += 1
    return counts.most_common(1)[0][0] if counts else ""


def asks_about_speech(question: str) -> bool:
    """Does the question ask what someone said, demanded, warned ...?"""
    return bool(_SPEECH_Q.search(question))


def mentions(text: str, entity: str) -> bool:
    return re.search(rf"\b{re.escape(entity)}", text, re.IGNORECASE) is not None


_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b", re.IGNORECASE)
_DATE = re.compile(
    r"\b(\d{4}|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow|"
    r"next|last) \w*", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+)?[A-Z][\w’'-]+")
_PERSON = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+\s+[A-Z][a-z]+")
_ASKS_FIGURE = re.compile(r"\bhow (many|much|old|long|far)\b|\bwhat (number|percentage|amount)\b", re.I)
_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (_ASKS_FIGURE, _NUMBER),
    (re.compile(r"\bwhen\b|\bwhat (year|day|date|month)\b", re.I), _DATE),
    (re.compile(r"\bwhere\b|\bwhich (city|country|state|continent|town|region|nation|place)\b", re.I), _PLACE),
    (re.compile(r"^\s*who\b|\bwhich (person|man|woman|leader|official|politician)\b", re.I), _PERSON),
]


def asks_for_figure(question: str) -> bool:
    """Does the question ask for a number ("how many", "how much", "what percentage")?"""
    return bool(_ASKS_FIGURE.search(question))


def answer_type_match(question: str, sentence: str) -> float | None:
    """1.0/0.0 when the question expects a number, date, place or person and the sentence has/lacks one.

    None when the question expects nothing in particular.
    """
    for asks, has in _TYPES:
        if asks.search(question):
            return 1.0 if has.search(sentence) else 0.0
    return None


_NEW_INFO = re.compile(r"(?<!^)\b[A-Z][\w’'-]+|\d[\d,.]*|[“\"][^”\"]{2,60}[”\"]")


def novelty(question: str, sentence: str) -> float:
    """1.0 when the sentence names something the question does not (a name, a number, a title).

    A quiz-style question ("Which show was green lit?") is answered by the sentence that adds
    the unknown, not by the one that only repeats the question's words.
    """
    asked = question.lower()
    for match in _NEW_INFO.finditer(sentence.strip()):
        token = match.group(0).strip("“”\"").lower().rstrip(".,")
        if token and token not in asked:
            return 1.0
    return 0.0
