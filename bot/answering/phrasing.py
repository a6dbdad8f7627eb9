"""How an extractive answer is worded: the short lead span a question asks for, the person a
pronoun stands for (in brackets, as newspapers do), and whether the next sentence spells out what
a sentence only refers to ("its demands" ... "Moscow says NATO shouldn't expand").

The cited quote is never changed: these only shape the answer text around it.
"""

from __future__ import annotations

import re

from bot.answering.features import ages
from bot.answering.places import regions_named
from bot.answering.question import Question, entities
from retrieval.text import MONTHS

_AMOUNT = re.compile(
    r"(?:(?:about|around|roughly|nearly|almost|more than|over|at least|an estimated|some)\s+)?"
    r"[$€£]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s*(?:%|percent|per cent))?"
    r"(?:\s+(?:thousand|million|billion|trillion))?(?:-(?:cent|percent|point|dollar|pound)s?\b)?",
    re.I,
)
_MONTH = "(?:" + "|".join(MONTHS) + r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_DAY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?|\b{_MONTH}\s+\d{{4}}|\b(?:in|by|until|since)\s+(?:{_MONTH}(?:\s+\d{{4}})?|\d{{4}})\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_PROPER = re.compile(r"\b[A-Z][\w’'\-]+(?:\s+(?:of|de|la|van|von|del|al|bin)?\s*[A-Z][\w’'\-]+)*")
_PLACE = re.compile(r"\b(?:in|at|near|from|to)\s+(?:the\s+)?([A-Z][\w’'\-]+(?:\s+(?:of\s+|d[’'])?[A-Z][\w’'\-]+)*"
                    r"(?:,\s+[A-Z][\w’'\-]+(?![\w’'\-])(?!\s+[A-Z]))?)")
_INSTITUTION = re.compile(r"(?:University|College|Institute|School|Hospital|Department|Ministry|Center|Centre|"
                          r"Museum|Academy|Foundation|Council|Office|Bureau|Agency)\b")
_PRONOUN_START = re.compile(r"^(\W*)(He|She|They|The (?:minister|official|president|diplomat|secretary|spokesman|"
                            r"spokeswoman|spokesperson|leader|chancellor|premier|senator|governor|mayor))\b")
_TITLE_WORDS = {"U.S.", "US", "UK", "Secretary", "State", "Foreign", "Minister", "President", "Prime", "Russian",
                "American", "British", "Chief", "Senior", "Deputy", "Vice", "Defense", "Defence", "General",
                "Ukraine’s", "Ukraine's", "Russia’s", "Russia's", "Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov."}
_REFERS = re.compile(r"\b(demands?|proposals?|conditions|terms|guarantees|requests?|ultimatum|plan|offer|"
                     r"concerns|warnings?|position|response)\b[\W]*$|\b(its|their|his|her) (demands|proposals|"
                     r"conditions|terms|plan|offer|concerns)\b", re.I)
_SPELLS_OUT = re.compile(r"\b(should(?:n[’']t| not)?|must(?: not)?|wants?|demands?|insists?|calls? for|"
                         r"(?:is|are) asking|asks?|refrain|stop|withdraw|guarantee|promise|ban|no longer)\b", re.I)


def lead_span(question: Question, sentence: str) -> str:
    """The short span of ``sentence`` that answers what ``question`` asks for (an age, a number, a
    day, a region, a place, a person), verbatim; "" when it asks for none of these or none is found."""
    asked = question.text.lower()
    kind = question.wants
    if kind == "age":  # "which age group": "under 5", not the first number
        candidates = ages(sentence)
    elif kind == "number":
        candidates = [m.group(0).strip() for m in _AMOUNT.finditer(sentence)]
    elif kind == "date":
        candidates = [m.group(0).strip() for m in _DAY.finditer(sentence)]
    elif kind == "region" and question.region:  # "which country": the country named, not "Uzhhorod, Ukraine"
        candidates = regions_named(question.region, sentence)
    elif kind == "place":  # a place, not where someone works ("at the University of …")
        candidates = [m.group(1).strip(" ,") for m in _PLACE.finditer(sentence) if not _INSTITUTION.match(m.group(1))]
    elif kind == "person":
        candidates = [person(m.group(0)) for m in _PROPER.finditer(sentence) if m.start() > 0 or " " in m.group(0)]
        candidates = [c for c in candidates if " " in c]
    else:
        return ""
    for span in candidates:
        core = re.sub(r"^(about|around|roughly|nearly|almost|more than|over|at least|an estimated|some)\s+", "",
                      span, flags=re.I)
        if span and core.lower() not in asked and any(ch.isalnum() for ch in core):
            return span
    return ""


def person(raw: str) -> str:
    """A name without the titles before it: "U.S. Secretary of State Antony Blinken" -> "Antony Blinken"."""
    words = raw.replace(" of ", " of_ ").split()
    kept: list[str] = []
    for word in reversed(words):
        if word in _TITLE_WORDS or word == "of_" or word.endswith("."):
            break
        kept.append(word)
    return " ".join(reversed(kept)) or raw


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
