"""What a question asks about: its named entities, content words, and whether it asks who said what."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from bot.answering.places import asks_for_region, names_region
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


_STOP_THEN_SPACE = re.compile(r"[.!?]\s")


def _starts_sentence(text: str, at: int) -> bool:
    """Does a sentence start at ``at``: only non-word characters before it, back to the start of
    the text or to a stop followed by a space? Looks back over that run alone, so reading every
    name of a text stays linear."""
    start = at
    while start > 0 and not (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start == 0 or bool(_STOP_THEN_SPACE.search(text, start, at))


_COMMON_STARTERS = {"according", "after", "despite", "during", "following", "amid", "ahead", "although", "though",
                    "since", "while", "some", "several", "many", "most", "last", "once", "now", "here", "there"}


def entities(question: str) -> list[str]:
    """Capitalised names in the question ("Lavrov", "Ukraine"), question words left out, and so is
    a common word capitalised only because it starts a sentence ("Approximately", "During")."""
    out: list[str] = []
    for match in _ENTITY.finditer(question):
        word = match.group(0).rstrip("'’s").rstrip("'’")
        if word.lower() in _QWORDS or len(word) < 2:
            continue
        if _starts_sentence(question, match.start()) and (
                word.lower() in _COMMON_STARTERS or word.lower().endswith("ly") or not content_tokens(word)):
            continue
        if word not in out:
            out.append(word)
    return out


def asked_words(question: str) -> set[str]:
    """The question's content tokens without its question words ("what", "has", "did")."""
    return content_tokens(question) - _QWORD_TOKENS


def has_content(question: str) -> bool:
    """Does the question name anything (a word of two letters or more that is neither a stop word
    nor a question word)?"""
    return bool(asked_words(question))


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


# A country or union is written several ways; a question saying "US" is answered by "U.S." text.
_ALIASES: dict[str, tuple[str, ...]] = {
    "us": ("US", "U.S.", "United States", "America"),
    "usa": ("USA", "U.S.", "United States", "America"),
    "uk": ("UK", "U.K.", "Britain", "British", "United Kingdom"),
    "eu": ("EU", "E.U.", "European Union"),
    "un": ("UN", "U.N.", "United Nations"),
}


def qualifier(entity: str) -> bool:
    """Is ``entity`` a country or union abbreviation ("US box office", "UK heat")? It qualifies a
    question rather than naming its subject, and news about it rarely spells it out ("domestically")."""
    return entity.lower().replace(".", "") in _ALIASES


def mentions(text: str, entity: str) -> bool:
    """Does ``text`` name ``entity`` (or, for "US", "UK", "EU", "UN", one of its other spellings)?
    An abbreviation matches only as written in capitals, so "us" the pronoun is no "US"."""
    key = entity.lower().replace(".", "")
    if key in _ALIASES:
        return any(re.search(rf"(?<![\w.]){re.escape(alias)}(?![\w])", text) for alias in _ALIASES[key])
    return re.search(rf"\b{re.escape(entity)}", text, re.IGNORECASE) is not None


_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b", re.IGNORECASE)
_DATE = re.compile(
    r"\b(\d{4}|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow|"
    r"next|last) \w*", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:[Ii]n|[Aa]t|[Nn]ear)\s+(?:the\s+)?[A-Z][\w’'-]+")
_PERSON = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+\s+[A-Z][a-z]+")
_ASKS_FIGURE = re.compile(r"\bhow (many|much|old|long|far)\b|\bwhat (number|percentage|amount)\b", re.I)
_AGE = re.compile(r"\b(?:under|over|younger than|older than|aged?|ages)\s+\d+|\b\d+\s+(?:months?|years?)(?:\s+old)?"
                  r"(?:\s+and\s+(?:older|up|above|under|younger))|\b\d+\s*(?:to|-|through)\s*\d+\s*(?:-?years?-old)?\b"
                  r"(?=[^.]{0,20}\b(?:years?|olds?|age|children|kids|adults)\b)|\b\d+-year-olds?\b", re.I)
_ASKS_AGE = re.compile(r"\b(?:which|what) age(?: group|s)?\b", re.I)
_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (_ASKS_AGE, _AGE),
    (_ASKS_FIGURE, _NUMBER),
    (re.compile(r"\bwhen\b|\bwhat (year|day|date|month)\b", re.I), _DATE),
    (re.compile(r"\bwhere\b|\bwhich (city|town|region|place)\b", re.I), _PLACE),  # "which country": places.py
    (re.compile(r"^\s*who\b|\bwhich (person|man|woman|leader|official|politician)\b", re.I), _PERSON),
]


def asks_for_age(question: str) -> bool:
    """Does the question ask which age group ("vaccinations began for which age group")?"""
    return bool(_ASKS_AGE.search(question))


def ages(sentence: str) -> list[str]:
    """The age spans ``sentence`` states ("under 5", "ages 5 to 11", "6 months and above")."""
    return [m.group(0) for m in _AGE.finditer(sentence)]


def asks_for_figure(question: str) -> bool:
    """Does the question ask for a number ("how many", "how much", "what percentage")?"""
    return bool(_ASKS_FIGURE.search(question))


def answer_type_match(question: str, sentence: str) -> float | None:
    """1.0/0.0 when the question expects a number, date, place or person and the sentence has/lacks one.

    None when the question expects nothing in particular.
    """
    region = asks_for_region(question)
    if region:  # "which country": a country the question does not name, not just any "in the X"
        return 1.0 if names_region(region, sentence, question) else 0.0
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


_WHY = re.compile(r"^\s*why\b|\bwhat (caused|led to|is behind|was behind|prompted)\b|\bfor what reason\b|"
                  r"\bthe reason\b", re.I)
_CAUSE = re.compile(r"\b(because|due to|amid|as a result|owing to|caused by|blamed on|over (fears|concerns)|"
                    r"risk of|fire risk|in order to|so that|to (reduce|decrease|prevent|avoid|lower|curb|cut|save|"
                    r"protect|ease|address|combat|fight))\b"
                    r"|^\W*as (?:\w+ ){1,5}(?:persists?|continues?|worsens?|grows?|deepens?|intensifies|spreads?|"
                    r"rages?|drags? on)\b", re.I)
_NEW_ASKED = re.compile(r"\b(?:the|a|per the|according to the|under the) (?:new|latest|updated|revised) (?:estimate|"
                        r"figure|forecast|number|count|total|tally|projection|guidance|rule|price|rate|cost)\b|"
                        r"\bwhich new\b|\bwhat new\b|\b(?:add(?:ed|s)?|roll(?:ed|s|ing)? out|introduc\w*|debut\w*|"
                        r"unveil\w*|launch(?:ed|es)?)\b", re.I)
_NEW_STATED = re.compile(r"\b(new|latest|now|updated|revised|raised|adds?|added|launch\w*|roll\w* out|"
                         r"introduc\w*|debut\w*|unveil\w*|offering|will offer)\b", re.I)
_OLD_STATED = re.compile(r"\b(previous|previously|earlier|prior|former|old|last year|had been|used to)\b", re.I)
_LEFT_OUT_ASKED = re.compile(r"\b(?:left out|leave out|leaves out|not (?:been )?(?:included|include|part of|covered)|"
                             r"(?:was|were|is|are) (?:excluded|omitted|dropped|missing|absent)|excludes?|omits?)\b", re.I)
_LEFT_OUT_STATED = re.compile(r"\b(?:absent|missing|left out|leaves out|excluded|excludes|omitted|omits|"
                              r"(?:does|did|do|would|will) not (?:include|contain|cover)|"
                              r"(?:doesn[’']t|didn[’']t|won[’']t|wouldn[’']t) (?:include|contain|cover)|"
                              r"not (?:included|part of)|falls? short of|no (?:ban|mention))\b", re.I)
_ENDS_LIKE_SENTENCE = re.compile(r"[.!…][\"”’')\]]*\s*$|[\"”’]\s*$")


_ASKED_ACT = re.compile(r"\b(demand|propos|warn|promis|threat|offer|request|call(?:ed|s)? for|urg|vow|pledg|"
                        r"accus|den(?:y|ied|ies)|admit|refus|reject)\w*", re.I)


def states_what_is_asked(question: str, sentence: str) -> float:
    """1.0 when the sentence states the kind of thing the question asks for beyond the answer's
    type: what is absent for "which X was left out", the act asked about for "what did X demand /
    propose / warn", a cause for "why", the new figure or thing for "the new estimate" / "which
    new X" (0.0 for the old one); 0.5 when the question asks for none of these."""
    if _LEFT_OUT_ASKED.search(question):  # "which measure did lawmakers leave out?": what is absent
        return 1.0 if _LEFT_OUT_STATED.search(sentence) else 0.0
    act = _ASKED_ACT.search(question) if asks_about_speech(question) else None
    if act:
        stem = act.group(1).lower()[:5]
        return 1.0 if any(m.group(1).lower()[:5] == stem for m in _ASKED_ACT.finditer(sentence)) else 0.5
    if _WHY.search(question):
        return 1.0 if _CAUSE.search(sentence) else 0.0
    if _NEW_ASKED.search(question):
        if _OLD_STATED.search(sentence):
            return 0.0
        return 1.0 if _NEW_STATED.search(sentence) else 0.5
    return 0.5


def not_an_answer(sentence: str) -> bool:
    """A question ("So why don't they?") or a headline fragment with no sentence end: text that
    cannot state an answer."""
    text = sentence.strip()
    return text.endswith("?") or not _ENDS_LIKE_SENTENCE.search(text)


_ASKS_WHAT_SAID = re.compile(r"\bwhat (?:did|does|do|has|have|had)\b[^?]{1,80}?\b(?:say|said|demand\w*|"
                             r"propos\w*|want\w*|warn\w*|ask\w*|offer\w*|promis\w*|threat\w*|call\w* for|"
                             r"insist\w*|urg\w*)\b", re.I)


def asks_what_was_said(question: str) -> bool:
    """"What did Lavrov demand?", "What has Moscow proposed?": the content of an utterance."""
    return bool(_ASKS_WHAT_SAID.search(question))


_ASKS_RESPONSE = re.compile(r"\bhow (?:did|does|do|has|have|had|will|would)\b[^?]{1,80}?\b(?:respond|react|reply|answer|"
                            r"hit back)\b|^\s*who (?:said|warned|demanded|proposed|told|called for)\b", re.I)


def asks_for_words(question: str) -> bool:
    """Does the question ask for someone's words ("What did Lavrov demand?", "How did Zelensky
    respond?", "Who said …?")? A quiz question that only mentions a statement ("The CDC announced
    it activated a centre for which virus?") does not: any sentence the CDC is quoted in is no
    better an answer for it."""
    return asks_what_was_said(question) or bool(_ASKS_RESPONSE.search(question))

