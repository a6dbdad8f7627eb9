"""What one sentence offers a question: the kind of thing asked for, something the question does
not already name, the act or cause it asks about, the figures it states. Each function reads
the sentence only; the question was read once (``question.read``).
"""

from __future__ import annotations

import re
from datetime import date

from bot.answering.places import names_region
from bot.answering.question import ASKED_ACT, FIGURE, Question, stated_figures
from prompts import FENCE_TAGS
from retrieval.text import MONTHS, MONTHS_SHORT, WEEKDAY_NAMES, spelled

_NUMBER = re.compile(r"\d|\b(" + "|".join(spelled(1, 10)) + r"|dozen|hundred|thousand|million|billion)\b", re.IGNORECASE)
_DATE = re.compile(
    r"\b(\d{4}|" + "|".join(MONTHS) + r"|" + "|".join(WEEKDAY_NAMES) + r"|yesterday|today|tomorrow|"
    r"next|last) \w*", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:[Ii]n|[Aa]t|[Nn]ear)\s+(?:the\s+)?[A-Z][\w’'-]+")
_PERSON = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+\s+[A-Z][a-z]+")
AGE = re.compile(r"\b(?:under|over|younger than|older than|aged?|ages)\s+\d+|\b\d+\s+(?:months?|years?)(?:\s+old)?"
                 r"(?:\s+and\s+(?:older|up|above|under|younger))|\b\d+\s*(?:to|-|through)\s*\d+\s*(?:-?years?-old)?\b"
                 r"(?=[^.]{0,20}\b(?:years?|olds?|age|children|kids|adults)\b)|\b\d+-year-olds?\b", re.I)
_NAME = re.compile(r"(?<!^)\b[A-Z][\w’'-]+|[“\"][A-Z]")
_HOLDS = {"age": AGE, "number": _NUMBER, "date": _DATE, "place": _PLACE, "person": _PERSON, "name": _NAME}

_YEAR_STATED = re.compile(r"(?<![\w$.,])(1[6-9]\d\d|20\d\d)(?![\w%])")  # a year a sentence states ("in 1972")
HISTORY_YEARS = 3  # a sentence whose every year is this many before its report's tells of then, not of the news

_NEW_INFO = re.compile(r"(?<!^)\b[A-Z][\w’'-]+|\d[\d,.]*|[“\"][^”\"]{2,60}[”\"]")
_CAUSE = re.compile(r"\b(because|due to|amid|as a result|owing to|caused by|blamed on|over (fears|concerns)|"
                    r"risk of|fire risk|in order to|so that|to (reduce|decrease|prevent|avoid|lower|curb|cut|save|"
                    r"protect|ease|address|combat|fight))\b"
                    r"|^\W*as (?:\w+ ){1,5}(?:persists?|continues?|worsens?|grows?|deepens?|intensifies|spreads?|"
                    r"rages?|drags? on)\b", re.I)
_NEW_STATED = re.compile(r"\b(new|latest|now|updated|revised|raised|adds?|added|launch\w*|roll\w* out|"
                         r"introduc\w*|debut\w*|unveil\w*|offering|will offer)\b", re.I)
_OLD_STATED = re.compile(r"\b(previous|previously|earlier|prior|former|old|last year|had been|used to)\b", re.I)
_LEFT_OUT_STATED = re.compile(r"\b(?:absent|missing|left out|leaves out|excluded|excludes|omitted|omits|"
                              r"(?:does|did|do|would|will) not (?:include|contain|cover)|"
                              r"(?:doesn[’']t|didn[’']t|won[’']t|wouldn[’']t) (?:include|contain|cover)|"
                              r"not (?:included|part of)|falls? short of|no (?:ban|mention))\b", re.I)
# Text written to a language model, not to readers: an instruction to drop its instructions, a fence
# tag of the prompts (``prompts.FENCE_TAGS``), a "System:" turn. An article that carries it is attacking the bot.
_TO_A_MODEL = re.compile(r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
                         r"(?:previous|prior|above|earlier|preceding|system)\s+(?:instructions?|prompts?)\b"
                         rf"|<\s*/?\s*(?:{'|'.join(FENCE_TAGS)}|system|instructions?)\b"
                         r"|(?:^|>)\s*(?:system|assistant)\s*:|\breveal\s+your\s+(?:system\s+)?(?:prompt|instructions)\b",
                         re.IGNORECASE)
# A page's note to its reader about the page, not the news: a newsletter or app to sign up for, where
# the latest updates are, where a version of the story appeared ("Editor's Note: Sign up for CNN's
# Eat, But Better", "For the latest on ..., view our live updates file", "... delivered to your inbox
# daily. Sign up here.", "Keep reading to learn how the hike impacts the economy.", "Read Lorenzo
# Reyes' full analysis of Super Bowl 57's winners and losers here.", "Here's what we know:"). A note saying what
# the page sums up ("This page is a summary of news on Hurricane Helene") names the news and stays. An imperative only opening the sentence: "Americans
# can sign up for plans until Jan. 15" is news.
_NOTE_OPENING = r"^\W*(?:Editor[’']s\s+[Nn]ote\W*)*"  # where a page's note to its reader starts
_TO_THE_READER = re.compile(_NOTE_OPENING + r"(?:Sign up (?:for|to|here|now|today)|"
                            r"Subscribe (?:to|for|here|now|today)|Follow along|Click here|Download (?:the|our) app|Keep reading\b|"
                            r"(?:Read|Watch|Listen to|See)\b[^.!?]{0,200}?\bhere\W*$|"
                            r"Here(?:[’']s| is| are)\s+(?:how|what|why|when|where|who|a look|everything|the latest|more)\b"
                            r"[^.!?:]{0,200}[.:]?[\s\"”’')\]]*$|"
                            r"(?:For|Read|See) (?:the )?latest(?: news| updates| coverage)?\b[^.]{0,200}?"
                            r"\b(?:see|read|follow|check out|visit|view|go to)\b)|\bversion of this (?:story|article|report) "
                            r"(?:first\s+)?(?:appeared|ran|was published) in\b|\bSign up here\b|\bdelivered to your inbox\b")
# A help line offered to a reader the story may touch ("If you are a survivor of sexual assault, RAINN
# offers support ...", "If you or someone you know is struggling ..., call ...", "How to get help:"):
# a note, whatever the story. News about a help line ("988 will become the number to call") stays.
_HELP_LINE = re.compile(_NOTE_OPENING + r"(?:How to get help:|If you(?: or (?:someone you know|"
                        r"a loved one|anyone you know|family members))?\s+(?:are|is|may be|have|need|feel)\b"
                        r"[^.!?]{0,160}?\b(?i:suicid\w*|crisis|sexual assault|abuse|struggling)\b[^.!?]{0,200}?"
                        r"\b(?i:call|text|dial|contact|hotline|lifeline|help ?line|support|join)\b)")
_MONTH_NAMED = "|".join((*MONTHS, *MONTHS_SHORT))
_DATE_PART = re.compile(rf"\b(?:{_MONTH_NAMED})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?"
                        r"|(?<![\d,.$])\b(?:19|20)\d\d\b(?![,.]\d)|\b\d{1,2}:\d\d\b")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!…][\"”’')\]]*\s*$|[\"”’]\s*$")


def ages(sentence: str) -> list[str]:
    """The age spans ``sentence`` states ("under 5", "ages 5 to 11", "6 months and above")."""
    return [m.group(0) for m in AGE.finditer(sentence)]


def answer_type_match(question: Question, sentence: str) -> float | None:
    """1.0/0.0 when the question expects a number, date, place or person and the sentence has/lacks one.

    None when the question expects nothing in particular.
    """
    if question.wants is None:
        return None
    if question.wants == "region" and question.region:  # a country the question does not name, not any "in the X"
        return 1.0 if names_region(question.region, sentence, question.text) else 0.0
    return 1.0 if _HOLDS[question.wants].search(sentence) else 0.0


def novelty(question: Question, sentence: str) -> float:
    """1.0 when the sentence names something the question does not (a name, a number, a title).

    A quiz-style question ("Which show was green lit?") is answered by the sentence that adds
    the unknown, not by the one that only repeats the question's words.
    """
    asked = question.text.lower()
    for match in _NEW_INFO.finditer(sentence.strip()):
        token = match.group(0).strip("“”\"").lower().rstrip(".,")
        if token and token not in asked:
            return 1.0
    return 0.0


def states_what_is_asked(question: Question, sentence: str) -> float:
    """1.0 when the sentence states the kind of thing the question asks for beyond the answer's
    type: what is absent for "which X was left out", the act asked about for "what did X demand /
    propose / warn", a cause for "why", the new figure or thing for "the new estimate" / "which
    new X" (0.0 for the old one); 0.5 when the question asks for none of these."""
    if question.left_out:  # "which measure did lawmakers leave out?": what is absent
        return 1.0 if _LEFT_OUT_STATED.search(sentence) else 0.0
    if question.act:
        return 1.0 if any(m.group(1).lower()[:5] == question.act for m in ASKED_ACT.finditer(sentence)) else 0.5
    if question.why:
        return 1.0 if _CAUSE.search(sentence) else 0.0
    if question.new:
        if _OLD_STATED.search(sentence):
            return 0.0
        return 1.0 if _NEW_STATED.search(sentence) else 0.5
    return 0.5


def not_an_answer(sentence: str) -> bool:
    """A question ("So why don't they?") or a headline fragment with no sentence end: text that
    cannot state an answer."""
    text = sentence.strip()
    return text.endswith("?") or not _ENDS_LIKE_SENTENCE.search(text)


# A link to another page, run into the text: "More:Kevin McCarthy was once rejected for a House
# internship.", "Who is McCarthy?:Kevin McCarthy ..." (a linked page's title and summary, not this
# page's news; a place's label, "Phoenix:An Arizona official said ...", is no link)
_LINK = re.compile(r"^\W*(?:More|MORE|Read [Mm]ore|READ MORE|Related|RELATED|See also|Also read)\s*:|^[^.!?]{0,120}\?:(?=\S)")


def links_elsewhere(sentence: str) -> bool:
    """Is the sentence a link to another page, run into this one ("More:...", "Who is X?:...")? It
    is never quoted: as an answer's evidence, a timeline's or a digest's line it would give another
    page's news as this one's."""
    return bool(_LINK.search(sentence))


def never_quoted(sentence: str) -> bool:
    """Is the sentence text that no answer, timeline or digest quotes, however well it scores:
    written to a model, the page's note to its reader, or a link to another page?"""
    return addresses_a_model(sentence) or addresses_the_reader(sentence) or links_elsewhere(sentence)


def addresses_a_model(sentence: str) -> bool:
    """Is the sentence written to a language model ("Ignore previous instructions ...", a
    ``</passage>`` tag)? Such text is never quoted, however well it scores: quoting it would carry
    the injection to the reader, or to a model reading the answer."""
    return bool(_TO_A_MODEL.search(sentence))


def addresses_the_reader(sentence: str) -> bool:
    """Is the sentence the page's note about itself (a newsletter to sign up for, where the latest
    updates are) or a help line offered to its reader? It states no news, so it is never quoted,
    however well it matches the question."""
    return bool(_TO_THE_READER.search(sentence) or _HELP_LINE.search(sentence))


def shared_figures(question: Question, sentence: str) -> float:
    """Share of the figures the question states ("2.9 million vehicles", "more than 1,000 people")
    that the sentence states too: a figure pins down which event is meant. 0 when none are stated."""
    if not question.figures:
        return 0.0
    return len(question.figures & stated_figures(sentence)) / len(question.figures)


def figures(sentence: str) -> set[str]:
    """The numbers a sentence states (for reports of one claim with different figures), its dates
    aside: a day of the month, a year or a time of day is when a report was made, not what it says
    ("a summary of news on Hurricane Helene for Sunday, Sept. 29" is no death toll of 29)."""
    return set(FIGURE.findall(_DATE_PART.sub(" ", sentence)))


def tells_of_past(sentence: str, day: date | None, asked: str = "") -> bool:
    """Does ``sentence`` tell of years long before its report's ``day`` ("Al Dark won a World Series
    in 1974", a photo caption from 1972), while the question (``asked``) names none of them? It is
    the background of the news, not the news a question about this week asks for."""
    if day is None:
        return False
    years = [int(y) for y in _YEAR_STATED.findall(sentence)]
    if not years or max(years) > day.year - HISTORY_YEARS:
        return False
    return not any(int(y) <= day.year - HISTORY_YEARS for y in _YEAR_STATED.findall(asked))
