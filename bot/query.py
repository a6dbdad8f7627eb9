"""What a question asks about: its named entities, content words, and whether it asks who said what."""

from __future__ import annotations

import re

from retrieval.lexical import tokenize
from retrieval.speakers import SPEECH_VERBS

_QWORDS = {"what", "who", "whom", "whose", "which", "when", "where", "why", "how", "did", "does",
           "do", "is", "are", "was", "were", "has", "have", "can", "could", "will", "would",
           "and", "but", "so", "the", "a", "an", "in", "on", "after", "according", "tell", "me"}
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


def content_tokens(text: str) -> set[str]:
    """Stemmed content words (stop words dropped), for overlap scores."""
    return set(tokenize([text])[0])


def asks_about_speech(question: str) -> bool:
    """Does the question ask what someone said, demanded, warned ...?"""
    return bool(_SPEECH_Q.search(question))


def mentions(text: str, entity: str) -> bool:
    return re.search(rf"\b{re.escape(entity)}", text, re.IGNORECASE) is not None
