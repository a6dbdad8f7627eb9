"""How an extractive answer is worded around its quotes: the person a pronoun stands for (in
brackets, as newspapers do), the work a sentence only describes, and whether the next sentence
spells out what a sentence only refers to ("its demands" ... "Moscow says NATO shouldn't expand").

The cited quote is never changed: these only shape the answer text around it.
"""

from __future__ import annotations

import re

from bot.answering.question import Question, entities
from bot.answering.spans import person

_PRONOUN_START = re.compile(r"^(\W*)(He|She|They|The (?:minister|official|president|diplomat|secretary|spokesman|"
                            r"spokeswoman|spokesperson|leader|chancellor|premier|senator|governor|mayor))\b")
_REFERS = re.compile(r"\b(demands?|proposals?|conditions|terms|guarantees|requests?|ultimatum|plan|offer|"
                     r"concerns|warnings?|position|response)\b[\W]*$|\b(its|their|his|her) (demands|proposals|"
                     r"conditions|terms|plan|offer|concerns)\b", re.I)
_SPELLS_OUT = re.compile(r"\b(should(?:n[’']t| not)?|must(?: not)?|wants?|demands?|insists?|calls? for|"
                         r"(?:is|are) asking|asks?|refrain|stop|withdraw|guarantee|promise|ban|no longer)\b", re.I)


def name_subject(sentence: str, speakers: list[str]) -> str:
    """``sentence`` with a leading pronoun ("He", "the minister") followed by the person it stands
    for in brackets, when speaker attribution knows them; else unchanged."""
    match = _PRONOUN_START.match(sentence)
    if not match or not speakers:
        return sentence
    names = [person(s) for s in speakers if s[:1].isupper()]
    names = [n for n in names if n and n.lower() not in ("he", "she", "they")]
    if not names:
        return sentence
    who = " and ".join(dict.fromkeys(names)) if match.group(2) == "They" else names[0]
    end = match.end()
    return f"{sentence[:end]} [{who}]{sentence[end:]}"


_TITLE_QUOTE = re.compile(r"(?:^|(?<=[\s:(]))[‘'“\"]([^‘’'“”\"]{2,60}?)[’'”\"](?=$|[\s:,;.)!?])")


def name_work(sentence: str, title: str, question: Question) -> str:
    """``sentence`` with the name of the show, film or book it calls "the wildly popular show"
    added in brackets, taken from the article's title ("'Squid Game': Netflix green lights season
    2"), when the question asks which show it is and the sentence never names one."""
    if not question.work or _TITLE_QUOTE.search(sentence) or re.search(r"[“\"]", sentence):
        return sentence
    called = re.search(rf"\b[Tt]he (?:[\w’'-]+ ){{0,4}}?{question.work}\b", sentence)
    names = [m.group(1).strip() for m in _TITLE_QUOTE.finditer(title)]
    names = [n for n in names if n.lower() not in question.text.lower()]
    if not called or not names:
        return sentence
    return f"{sentence[:called.end()]} [{names[0]}]{sentence[called.end():]}"


def refers_to_content(sentence: str) -> bool:
    """Does the sentence point at content it does not give ("its demands for security guarantees")?"""
    return bool(_REFERS.search(sentence.rstrip(" .”\"’")))


def spells_out(sentence: str, question: Question) -> bool:
    """Does ``sentence`` state content (what should happen, what is wanted), about something the
    question or its subject's side names?"""
    if not _SPELLS_OUT.search(sentence):
        return False
    return bool(entities(sentence)) or bool(set(question.entities) & set(entities(sentence)))
