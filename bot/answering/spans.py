"""Candidate answers inside a sentence: the short spans that could answer a question.

A question wants a kind of thing (``Question.wants``): an age, a number, a day, a country, a
place, a person, or a name ("which band", "what is the blaze called"). The spans of that kind in
a sentence are found by patterns over the text (amounts, dates, capitalised names, quoted
titles, a gazetteer of countries and states); the answer leads with the one the question does
not already name, and a lone surname is given in full when the article names the person before.

No NLP model package installs from PyPI for this (spaCy's English models are not published
there), so the patterns are the project's own; ``tests/test_spans.py`` holds them to fixture
sentences.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Sequence
from datetime import date, timedelta

from bot.answering.features import ages
from bot.answering.places import regions_named
from bot.answering.question import Question
from retrieval.text import MONTHS, MONTHS_SHORT, POSSESSIVE, STOPWORDS, WEEKDAY_NAMES, spelled, tokenize

_ABOUT = r"(?:about|around|roughly|nearly|almost|more than|over|at least|an estimated|some)"  # before a figure
# a figure whole, not the digits of a name or an ordinal it is written into ("49ers", "A320", "COP28", "100th");
# a game's score or a vote's tally is one figure ("won 63-7", "a 5-4 ruling")
_AMOUNT = re.compile(
    r"(?<![\w.,$€£-])\d{1,3}[-–]\d{1,3}(?![\w%–-]|[.,]\d)|"
    rf"(?:{_ABOUT}\s+)?"
    r"(?<![a-z\d.,])[$€£]?\d(?:[\d,]*\d)?(?:\.\d+)?(?![.,]?\d|[a-z]{2})(?:\s*(?:%|percent|per cent))?"
    r"(?:\s+(?:thousand|million|billion|trillion))?(?:-(?:cent|percent|point|dollar|pound)s?\b)?",
    re.I,
)
_IRREGULAR_PLURALS = {"men", "women", "people", "children", "police", "feet", "mice", "geese", "teeth"}
# words ending in "s" that are no plural nouns ("in 2001 as a member": no count of anything)
_S_NOT_PLURAL = {"as", "has", "was", "does", "goes", "says", "plus", "its", "his", "hers", "this", "thus", "yes", "ms",
                 "mrs", "always", "perhaps", "whereas", "towards", "afterwards", "besides", "sometimes", "news", "gas"}
# A plural noun, by its ending or one of the common irregular ones: the word sets ``_plural`` reads one
# word by (it also takes a two-letter or non-ASCII word, which this, inside a sentence, does not)
_PLURAL = (r"(?!(?:" + "|".join(sorted(_S_NOT_PLURAL)) + r")\b)(?:[a-z]{1,20}[^\W\dsiu]s|"  # "-ss", "-us", "-is": no plural
           + "|".join(sorted(_IRREGULAR_PLURALS)) + r")\b")
# A count news writes in words ("two debates", "Four astronauts", "at least six people"): two to
# twenty before a plural within three words; not "one" (mostly "one of the"), not a compound
# ("three-time", "two-thirds"), not before a verb's "s" ("two was", "three has").
_SPELLED_COUNT = re.compile(
    rf"(?:\b{_ABOUT}\s{{1,3}})?"  # "killing at least six people", as a figure's "at least 6"
    r"\b(?:" + "|".join(w for w in spelled(2, 20)) + r")\b(?![\-‑–])(?!\s{1,3}(?:dozen|hundred|thousand|million|billion)\b)"
    rf"(?=(?:\s{{1,3}}[\w’'\-]{{1,20}}){{0,2}}?\s{{1,3}}{_PLURAL})",
    re.I,
)
# A count added to another by "and" ("Three children and three adults were killed"): a part of a whole
_COUNT_WORD = r"(?:\d{1,3}(?:,\d{3}){0,3}|" + "|".join(spelled(1, 20)) + ")"
_PART_AFTER = re.compile(rf"(?:\s{{1,3}}[\w’'\-]{{1,20}}){{0,3}}?\s{{1,3}}and\s{{1,3}}{_COUNT_WORD}\b", re.I)
_PART_BEFORE = re.compile(rf"\b{_COUNT_WORD}(?:\s{{1,3}}[\w’'\-]{{1,20}}){{0,3}}\s{{1,3}}and\s{{1,3}}$", re.I)
_MONTH = "(?:" + "|".join(MONTHS) + r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_DAY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?|\b{_MONTH}\s+\d{{4}}|\b(?:in|by|until|since)\s+(?:{_MONTH}(?:\s+\d{{4}})?|\d{{4}})\b"
    r"|\b(?:" + "|".join(WEEKDAY_NAMES) + r")\b"
)
_DAY_OR_TIME = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}:\d\d\b")
_CAPITALISED = r"[A-Z](?:[\w’'\-]|&(?=[A-Z]))+"  # "M&M's" and "AT&T" are one word
_NOT_A_NAME = {*MONTHS, *WEEKDAY_NAMES, "The", "A",
               "An", "It", "He", "She", "They", "We", "I", "This", "That", "But", "And", "In", "On", "At", "As",
               # words that open a clause, capitalised only there ("“What Ford is trying …” names Ford)
               "What", "When", "Where", "Why", "How", "Who", "Which", "Whose", "If", "After", "Before", "While",
               "Since", "Although", "Though", "Because", "So", "Or", "Yet", "With", "By", "From", "Now", "Then",
               "There", "Here", "His", "Her", "Its", "Their", "Our", "My", "Your", "These", "Those", "Is", "Was",
               "Are", "Were", "Also", "However", "Meanwhile",
               # quantifiers, capitalised only where they open a clause ("(CNN Business) Some welcome news")
               "Some", "Many", "Most", "More", "Several", "Both", "Each", "Every", "Few", "Fewer", "Less"}
# A common noun's initials, written as a name but naming no one and nothing in particular ("work on
# TV and movies", "the company's CEO", "GDP grew"); not "ER" (a show), "PC" (a party)
COMMON_INITIALS = frozenset({"TV", "TVs", "CEO", "CEOs", "CFO", "COO", "GDP", "ID", "IDs", "PhD", "IQ", "DNA", "ATM",
                             "ATMs", "SUV", "SUVs", "ICU", "RV", "MVP"})
# Initials, and "St." or "Mt." written short, go on into the name they begin or stand in ("Robert F.
# Kennedy", "J.D. Vance", "E. Jean Carroll", "U.S. Open", "St. Louis"); at a name's end they would
# swallow a sentence's full stop.
_SHORTENED = r"(?:(?:[A-Z]\.){1,3}|(?:St|Ste|Mt|Ft)\.)"
_OPENS_CLAUSE = "|".join(sorted(w for w in _NOT_A_NAME if w not in MONTHS and w not in WEEKDAY_NAMES))
_NAME_PART = rf"(?:{_SHORTENED}(?=\s{{1,3}}[A-Z])(?!\s{{1,3}}(?:{_OPENS_CLAUSE})\b)|{_CAPITALISED})"  # "in the U.S. Now"
# A name may hold a number: "Title 42", "Artemis 1", "Route 91 Harvest", "S&P 500"; not after a plural
# ("Eagles 38, Chiefs 35" are scores) nor a month or a weekday ("March 3" is a day), and not a
# figure going on ("Apple 3.5", "Ohio 2-1", "Texas 40%"). A team's name may end in a number's word
# ("San Francisco 49ers", "Philadelphia 76ers").
_NOT_BEFORE_NUMBER = "".join(rf"(?<!\b{w})" for w in sorted({*MONTHS, *MONTHS_SHORT, *WEEKDAY_NAMES}))
_NAMED_NUMBER = rf"(?<![^iuaos\W]s){_NOT_BEFORE_NUMBER}\s+\d{{1,3}}\b(?![,:%\-–]|\.\d)"
_PROPER = re.compile(rf"\b{_NAME_PART}(?:\s+(?:of|de|la|van|von|del|al|bin|and|&)?\s*{_NAME_PART}|\s+\d\ders\b|"
                     rf"{_NAMED_NUMBER})*")
_INITIAL = re.compile(_SHORTENED)
# What ends a name that holds "and" ("Food and Drug Administration", "Trinidad and Tobago"); other
# runs joined by "and" are two names ("Blinken and Lavrov").
_AND_BODY_ENDS = (r"Administration|Commission|Services|Department|Agency|Bureau|Board|Authority|Council|Committee|"
                  r"Association|Society|Institute|Foundation|Company|Corporation|Sciences|Library|Prevention|Technology|"
                  r"Producers")
_ONE_BODY = re.compile(rf"\b(?:{_AND_BODY_ENDS}|Tobago|Herzegovina|Barbuda|Nevis|Caicos|Principe|Grenadines)$")
_AND = re.compile(r"(?<!\s)\s+and\s+")  # from the run's first space: linear on a long gap
_PLACE = re.compile(rf"\b(?:in|at|near|from|to)\s+(?:the\s+)?({_NAME_PART}(?:\s+(?:of\s+|d[’'])?{_NAME_PART})*"
                    r"(?:,\s+[A-Z][\w’'\-]+(?![\w’'\-])(?!\s+[A-Z]))?)")
_INSTITUTION_WORDS = (r"University|College|Institute|School|Hospital|Department|Ministry|Center|Centre|Museum|Academy|"
                      r"Foundation|Council|Office|Bureau|Agency")
_INSTITUTION = re.compile(rf"(?:{_INSTITUTION_WORDS})\b")
# A body one belongs to or works for, named by its last word ("a fellow at the Wider Europe
# Program"): not where anything happened. (Venues a question's "where" may want, "Kennedy
# Center", "Oval Office", "Michigan State University", stay places.)
_BODY_ENDS = (r"Program|Programme|Project|Initiative|Fund|Committee|Commission|Party|Association|Society|Group|"
              r"Campaign|Coalition|Institute|Foundation|Council|Agency|Bureau|Department|Ministry")
_BODY = re.compile(rf"\b(?:{_BODY_ENDS})$")
# What ends the name of a body or an event, never a person's ("Professional Darts Corporation",
# "Norwegian Nobel Committee", "White House", "Screen Actors Guild", "Eras Tour", "Super Bowl
# LVIII"): every body's word above, and more; a run so ended is no candidate
# when a question asks who.
NOT_A_PERSON = re.compile(rf"\b(?:{_BODY_ENDS}|{_AND_BODY_ENDS}|{_INSTITUTION_WORDS}|Service|Corp|Inc|Congress|House|"
                          r"League|Club|Union|Federation|Organi[sz]ation|Network|Bank|Reserve|Army|Navy|Force|Guard|"
                          r"Police|Times|News|Cup|Championships?|Awards?|Games|Olympics|Prize|Guild|Co|Tour|"
                          r"Bowl(?: [LXVI]+)?|Series|Festival|Marathon|Summit|Act)$")
_TITLE_WORDS = {"U.S.", "US", "UK", "Secretary", "State", "Foreign", "Minister", "President", "Prime", "Russian",
                "American", "British", "Chief", "Senior", "Deputy", "Vice", "Defense", "Defence", "General",
                "Ukraine’s", "Ukraine's", "Russia’s", "Russia's", "Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.",
                "U.K.", "U.N.", "E.U.", "D.C."}  # initials of a place or a body before a name, not the person's
_QUOTED_TITLE = re.compile(r"(?:^|(?<=[\s:(]))[‘“\"]([A-Z][^‘’“”\"]{1,60}?)[’”\"]")
# Trimmed from a name shown in bold: "Former" and a month written short ("Oct. 3") before one, and
# words capitalised only because they open the sentence: a count or a quantifier before a name
# ("Two Florida counties", "Most Oreo fans") is not part of it; a number only before a plural it counts
# ("Three Mile Island" is a name). Past the sentence's start a capital
# says a name ("All Summer Long"), so those are dropped only there.
_NOT_SHOWN = {"Former", *MONTHS_SHORT}
_MONTH_WORDS = {*MONTHS, *MONTHS_SHORT}
_DAY_AFTER = re.compile(r"\.?\s{1,3}\d{1,2}\b")  # "East Palestine Feb. 3": the month dates the name, it is no part of it
_NUMBER_WORDS = {"Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"}
_OPENING_WORDS = {*_NUMBER_WORDS, "Dozens", "Hundreds", "Thousands", "Millions", "Most", "Many", "Some", "Several",
                  "Few", "Both", "All", "Each", "Every", "Everything", "Everyone", "Nothing", "Nobody", "No", "Other", "Another", "Such", "Only", "Even",
                  "Still", "Just", "Not"}
# A title written short before a name ("Florida Gov. Ron DeSantis"): it ends a run at its full stop,
# and with it the run names where the person serves, not the person.
_SHORT_TITLES = {"Gov", "Rep", "Sen", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Cmdr", "Maj", "Cpl", "Pvt", "Dr",
                 "Mr", "Mrs", "Ms", "Rev", "Prof", "Atty", "Supt", "Insp", "Pres"}
_OPENING = re.compile(r"[\s“”\"‘’'(\[—–-]*")  # what may stand before a sentence's first word
_SUBJECT_OPENING = re.compile(_OPENING.pattern + r"(?:(?:The|A|An)\s+)?")  # ... and before its subject's name
_ABBREVIATION = re.compile(r"\(([A-Z]{2,6})\)")  # "AMC Networks (AMCX)": a ticker or the initials just named


def lead_span(question: Question, sentence: str, trimmed: bool = False) -> str:
    """The short span of ``sentence`` that answers what ``question`` asks for (an age, a number, a
    day, a region, a place, a person, a name), verbatim; "" when it asks for none of these or none
    is found. Of several, the first the question does not already name; for a name, the one
    nearest the question's own words in the sentence (the thing the sentence says it about)."""
    asked = question.text.lower()
    kind = question.wants
    if kind == "name":
        return _nearest(question, sentence, [s for s in names(sentence, trimmed) if _new(s, asked)])
    if kind == "age":  # "which age group": "under 5", not the first number
        candidates = ages(sentence)
    elif kind == "number":
        candidates = [*amounts(sentence), *(counts_in_words(sentence) if question.counts else [])]  # figures first
    elif kind == "date":
        candidates = days(sentence)
    elif kind == "region" and question.region:  # "which country": the country named, not "Uzhhorod, Ukraine"
        candidates = regions_named(question.region, sentence)
    elif kind == "place":
        candidates = places(sentence)
    elif kind == "person":  # a name given with a title ("Secretary Alex Moreno") before any other
        named = people(sentence)
        titled = [bare for run, bare in named if bare != run]
        candidates = [c for c in [*titled, *(bare for _, bare in named)] if " " in c]
    else:
        return ""
    return next((span for span in candidates if _new(span, asked)), "")


def _new(span: str, asked: str) -> bool:
    """Is ``span`` something the question (lower-cased) does not already say?"""
    core = re.sub(rf"^{_ABOUT}\s+", "", span, flags=re.I)
    return bool(span) and core.lower() not in asked and any(ch.isalnum() for ch in core)


def amounts(sentence: str) -> list[str]:
    """The amounts, counts and shares a sentence states ("about 4,000", "$2.5 billion", "12%"); a
    day of the month ("June 3") or a time of day ("3:45 a.m.") is a date, no amount."""
    dated = [m.span() for m in _DAY_OR_TIME.finditer(sentence)]
    return [m.group(0).strip() for m in _AMOUNT.finditer(sentence)
            if not any(start <= m.end() - 1 and m.start() < end for start, end in dated)]


def counts_in_words(sentence: str) -> list[str]:
    """The counts a sentence writes in words ("challenging Trump to two debates": "two"): for a
    question asking how many, where news spells the small numbers out. A count added to another
    ("Three children and three adults were killed") is a part of the whole, which no word states."""
    return [m.group(0) for m in _SPELLED_COUNT.finditer(sentence)
            if not (_PART_AFTER.match(sentence, m.end()) or _PART_BEFORE.search(sentence[max(0, m.start() - 80): m.start()]))]


def days(sentence: str) -> list[str]:
    """The days and dates a sentence states ("March 3, 2024", "in 2022", "Sunday")."""
    return [m.group(0).strip() for m in _DAY.finditer(sentence)]


def places(sentence: str, trimmed: bool = False) -> list[str]:
    """The places a sentence puts something in, at or near, not where someone works ("at the
    University of …", "a fellow at the Wider Europe Program"); ``trimmed`` as for ``names``."""
    found = []
    for m in _PLACE.finditer(sentence):
        place = m.group(1).strip(" ,")
        found.append(" ".join(_trim(place.split(), sentence, m.start(1), m.end(1))) if trimmed else place)
    return [p for p in found if p and not _INSTITUTION.match(p) and not _BODY.search(p)]


def people(sentence: str, trimmed: bool = False) -> list[tuple[str, str]]:
    """Runs of capitalised words that may name a person, as written and without the titles before
    them ("Secretary Alex Moreno", "Alex Moreno"); a lone word only past the sentence's start, and
    no run that ends as a body's name does ("House Oversight Committee").
    ``trimmed`` as for ``names``: the person a reader is shown in bold."""
    out = []
    for start, end in _runs(sentence):
        run = sentence[start:end]
        if (" " not in run and _opens(sentence, start)) or NOT_A_PERSON.search(run):
            continue
        if not trimmed:
            out.append((run, person(run)))
        elif words := _owned(_trim(run.split(), sentence, start, end))[-1]:  # "Twitter’s San Francisco": no one
            out.append((run, person(" ".join(words))))
    return out


def _runs(sentence: str) -> list[tuple[int, int]]:
    """Where the runs of capitalised words stand in ``sentence`` ("Procter & Gamble", "Food and
    Drug Administration"), two names joined by "and" apart ("Blinken", "Lavrov")."""
    out = []
    for m in _PROPER.finditer(sentence):
        cut = m.start()
        if not _ONE_BODY.search(m.group(0)):
            for joint in _AND.finditer(sentence, m.start(), m.end()):
                out.append((cut, joint.start()))
                cut = joint.end()
        out.append((cut, m.end()))
    return out


def lone_words(sentence: str) -> list[tuple[int, int]]:
    """Where ``sentence`` has a capitalised word standing alone, not part of a longer name nor a
    word that opens clauses ("He", "The"): a surname, a place, a body called short."""
    return [(start, end) for start, end in _runs(sentence)
            if " " not in sentence[start:end] and sentence[start:end] not in _NOT_A_NAME]


def _opens(sentence: str, at: int) -> bool:
    """Does the word at ``at`` open ``sentence`` (only spaces, quotes or brackets before it)?"""
    return _OPENING.fullmatch(sentence, 0, at) is not None


_LONE_OPENING = re.compile(r"([A-Z][\w’'&-]{0,40})(?=[\s,])(?!,?\s{1,3}[A-Z])")  # after opening quotes, stripped


def names_nothing(word: str) -> bool:
    """Is ``word``, capitalised where it stands, a stop word, a weekday or a month, none of them a
    name ("On", "Monday", "January")?"""
    return word.lower() in STOPWORDS or word in WEEKDAY_NAMES or word in MONTHS


def opening_name(sentence: str, text: str) -> str:
    """The lone capitalised word opening ``sentence`` when ``text`` (its passage) also writes it
    capitalised after a lower-case word or a comma, as a name is ("Spain", not "However", not a
    common noun's initials such as "TV"); else ""."""
    found = _LONE_OPENING.match(sentence.lstrip(" \t\n\"“‘'(["))
    if not found or not text:
        return ""
    word = POSSESSIVE.sub("", found.group(1))
    if names_nothing(word) or word in COMMON_INITIALS:
        return ""
    return word if re.search(rf"(?:\b[a-z][\w’'-]*,?|,) {re.escape(word)}\b", text) else ""


def is_subject(sentence: str, at: int) -> bool:
    """Does the span at ``at`` open ``sentence``, an article aside ("The Kansas City Chiefs have
    ...")? What a sentence is about usually stands there: who won, which band announced."""
    return at >= 0 and _SUBJECT_OPENING.fullmatch(sentence, 0, at) is not None


def quoted_titles(sentence: str) -> list[str]:
    """The quoted titles a sentence names ("“Squid Game”" gives "Squid Game")."""
    return [m.group(1).strip(" ,.") for m in _QUOTED_TITLE.finditer(sentence)]


def question_words_at(question: Question, sentence: str) -> list[int]:
    """Where in ``sentence`` (character offsets) the question's own words stand."""
    found = list(re.finditer(r"\w+", sentence))
    return [m.start() for m, stems in zip(found, tokenize([m.group(0) for m in found])) if question.words.intersection(stems)]


def names(sentence: str, trimmed: bool = False) -> list[str]:
    """The names a sentence states: quoted titles ("“Squid Game”") and runs of capitalised words
    ("the Park Fire" gives "Park Fire"), a lone capitalised word only past the sentence's start.

    ``trimmed`` drops the words around a name that are not part of it, for a name a reader is shown
    in bold ("Two Florida counties", "Florida Gov. Ron DeSantis", "New York Friday" give "Florida"
    and "New York"). The answer scorer's test of whether a sentence names something new reads the
    runs as found: the features it was learned on (re-learned, its trees move answers more than a
    trimmed name changes)."""
    found = quoted_titles(sentence)
    initials = set(_ABBREVIATION.findall(sentence))
    for start, end in _runs(sentence):
        words = sentence[start:end].split()
        if len(words) == 1 and _opens(sentence, start):
            continue
        parts = _owned(_trim(words, sentence, start, end)) if trimmed else [words]
        for part in parts:
            while part and (part[0] in _NOT_A_NAME or part[0].islower()):
                part = part[1:]
            if not part or (len(part) == 1 and (part[0] in initials or part[0] in COMMON_INITIALS)):
                continue
            name = " ".join(part)
            if name not in found and name not in _NOT_A_NAME:
                found.append(name)
    return found


def _owned(words: list[str]) -> list[list[str]]:
    """A run of words cut after a possessive inside it: whose it is and what ("Twitter’s San
    Francisco headquarters": "Twitter’s" and "San Francisco"; "NASA's Artemis 1": "NASA's" and
    "Artemis 1"); either may be what a question asks for, the run as one is neither."""
    cut = next((i for i, w in enumerate(words[:-1]) if POSSESSIVE.search(w)), None)
    if cut is None:
        return [words]
    return [words[: cut + 1], *_owned(words[cut + 1:])]


# The words that make a weekday a day's name ("Cyber Monday", "Super Tuesday", "Good Friday")
_DAY_NAMED = frozenset({"Cyber", "Black", "Super", "Good", "Holy", "Easter", "Palm", "Ash", "Bloody", "Giving", "Maundy",
                        "Shrove", "Fat", "Blue", "Selection", "Travel"})


def _trim(words: list[str], sentence: str, start: int, end: int) -> list[str]:
    """The ``words`` of the run at ``start:end`` of ``sentence`` without those around the name that
    are not part of it: a count or quantifier opening the sentence, "Former" or a month written
    short before it, a dateline before it ("Bern The Swiss National Bank"), a short title ending
    it at a full stop, a weekday after a name (not after a word that makes it a day's name), a
    month after a name when a day follows it."""
    if words and words[0] in _OPENING_WORDS and _opens(sentence, start) and _counts(words, sentence, end):
        words = words[1:]
    if len(words) > 2 and words[1] == "of" and _opens(sentence, start) and _plural(words[0].lower()):
        words = words[2:]  # "Shares of AT&T", "Residents of Lahaina": what the sentence is about is AT&T
    while words and words[0] in _NOT_SHOWN:
        words = words[1:]
    if "The" in words[1:-1] and _opens(sentence, start):  # a dateline run into the sentence: "Bern The Swiss National Bank"
        words = words[words.index("The", 1) + 1:]
    if words and words[-1] in _SHORT_TITLES and sentence.startswith(".", end):
        words = words[:-1]
    if len(words) > 1 and words[-1] in WEEKDAY_NAMES and (len(words) > 2 or words[0] not in _DAY_NAMED):
        words = words[:-1]  # "New York Friday", "Covid-19 Thursday"; "Cyber Monday" is a name
    if len(words) > 1 and words[-1] in _MONTH_WORDS and _DAY_AFTER.match(sentence, end):
        words = words[:-1]
    return words


def _counts(words: list[str], sentence: str, end: int) -> bool:
    """Does the opening ``words[0]`` count or quantify something, rather than begin a name? A
    number does only before a plural ("Two Florida counties", "Two Democrats"; "Three Mile Island"
    is a name); a quantifier always does."""
    if words[0] not in _NUMBER_WORDS:
        return True
    after = sentence[end:].split(maxsplit=1)
    return _plural(words[-1].lower()) or bool(after) and _plural(after[0].lower().rstrip(",.;:!?)’”'\""))


def _plural(word: str) -> bool:
    """Is ``word`` (lower-cased) a plural noun, by its ending or one of the common irregular ones?"""
    return word in _IRREGULAR_PLURALS or (word.isalpha() and word.endswith("s") and not word.endswith(("ss", "us", "is"))
                                          and word not in _S_NOT_PLURAL)


def _nearest(question: Question, sentence: str, spans: list[str]) -> str:
    """Of ``spans``, the one nearest a word of the question in ``sentence`` (the first on a tie)."""
    if not spans:
        return ""
    words = question_words_at(question, sentence)
    if not words:
        return spans[0]

    def distance(span: str) -> int:
        at = sentence.find(span)
        return min(abs(w - at) for w in words) if at >= 0 else len(sentence)

    return min(spans, key=distance)


def person(raw: str) -> str:
    """A name without the titles before it: "U.S. Secretary of State Antony Blinken" -> "Antony Blinken",
    nor a capitalised word that opens a sentence: "At Augusta National" -> "Augusta National"; a
    person named before where they are from is that person ("Ted Cruz of Texas" -> "Ted Cruz")."""
    words = raw.replace(" of ", " of_ ").split()
    while len(words) > 1 and words[0] in _NOT_A_NAME:
        words.pop(0)
    bare = _untitled(words)
    if " " not in bare and "of_" in words:
        before = _untitled(words[: words.index("of_")])
        if " " in before:
            return before
    return bare or " ".join("of" if w == "of_" else w for w in words)  # "An American": "American", no article


def _untitled(words: list[str]) -> str:
    """The last ``words`` up to a title, an "of" or a title written short ("Sen."); an initial
    inside the name ("Robert F. Kennedy") is no title."""
    kept: list[str] = []
    for word in reversed(words):
        if word in _TITLE_WORDS or word == "of_" or (word.endswith(".") and not (kept and _INITIAL.fullmatch(word))):
            break
        kept.append(word)
    return " ".join(reversed(kept))


_NOT_NAMES = STOPWORDS | {"when", "after", "before", "while", "but", "as", "so", "said", "says", "and", "with"}
_NAME_WORD = re.compile(r"[A-Z][\w’'\-.]*")
_NAME_REACH = 80  # characters looked back from a surname for the words of the whole name
_SURNAME = re.compile(r"[A-Z][\w’'\-]+")


def full_name(span: str, before: str) -> str:
    """``span`` given in full when it is a lone surname and the text ``before`` it names the
    person in full ("Richardson" after "Anna Richardson" is "Anna Richardson"); else unchanged."""
    if not _SURNAME.fullmatch(span):
        return span
    for found in re.finditer(rf"(?<![\w’'\-]){re.escape(span)}\b", before):  # then look back a few words
        window = before[max(0, found.start() - _NAME_REACH): found.start()]
        if not window[-1:].isspace():
            continue
        words: list[str] = []
        for word in reversed(window.split()[-3:]):
            if not _NAME_WORD.fullmatch(word):
                break
            words.insert(0, word)
        while words and (words[0].lower() in _NOT_NAMES or words[0] in _OPENING_WORDS or words[0] in _NOT_SHOWN):
            words.pop(0)
        whole = person(" ".join([*words, span]))
        if " " in whole:
            return whole
    return span


# A plural name the articles use short ("the Lions", "the Teamsters") after naming it in full once
# ("The Detroit Lions", "The International Brotherhood of Teamsters"): one capitalised word ending
# in "s". A person's surname is given in full only from the words before it (``full_name``: a
# later "Hunter Biden" is another person); a team's or a union's full name anywhere in the handed
# passages names the same body.
_PLURAL_NAME = re.compile(r"[A-Z][a-z]+[^aiosu\W]s")  # not "Texas", "Paris", "Honduras", "Congress"
# people a party, a faith or a country names, not one body ("Senate Democrats" are some of them)
_PEOPLES = {"Democrats", "Republicans", "Independents", "Conservatives", "Liberals", "Tories", "Americans",
            "Europeans", "Africans", "Asians", "Latinos", "Hispanics", "Israelis", "Palestinians", "Ukrainians",
            "Russians", "Catholics", "Christians", "Muslims", "Jews"}
_NAME_RUN = r"(?:[A-Z][\w’'\-.]*|of|&)"
_ENDS_SENTENCE = re.compile(r"(?<!^St)(?<!^Ft)(?<!^Mt)\.$")  # a full stop, but "St. Louis" goes on


def plural_in_full(span: str, texts: Sequence[str]) -> str:
    """``span`` as the ``texts`` name it in full when it is a plural name they use short and name
    one way only ("Lions" -> "Detroit Lions"; the shortest full form when the others only add to
    its front); else unchanged (also when two bodies share the word: "Texas Rangers", "New York
    Rangers")."""
    if not _PLURAL_NAME.fullmatch(span) or span in _PEOPLES:
        return span
    found = re.compile(rf"(?<![\w’'\-.])((?:[A-Z][\w’'\-.]*\s+)(?:{_NAME_RUN}\s+){{0,3}}){re.escape(span)}\b")
    forms: set[str] = set()
    for text in texts:
        for match in found.finditer(text):
            words = match.group(1).split()
            cut = max((i for i, w in enumerate(words) if POSSESSIVE.search(w) or _ENDS_SENTENCE.search(w)),
                      default=-1)
            words = words[cut + 1:]  # "Spielberg's Jaws": whose it is, not its name; "... MDW. Texas": a sentence's end
            while words and (words[0] in _NOT_A_NAME or words[0] in _OPENING_WORDS or words[0] in _NOT_SHOWN
                             or words[0].lower() in _NOT_NAMES):
                words.pop(0)
            if words:
                forms.add(" ".join([*words, span]))
    shortest = min(forms, key=len, default=span)  # "New York Mets" of it and "Latest New York Mets"
    return shortest if all(f.endswith(" " + shortest) or f == shortest for f in forms) else span


# Initials the articles spell out where they first use them ("General Motors (GM)", "Centers for
# Disease Control and Prevention (CDC)"): a bold "GM" is shown with its name. The look back from the
# brackets is bounded (``_SPELLED_REACH`` characters, ``_SPELLED_WORDS`` words), so a long text costs
# one pass.
_INITIALISM = re.compile(r"[A-Z]{2,6}")
_SPELLED_REACH, _SPELLED_WORDS = 120, 10
_JOINING = {"of", "for", "and", "the", "on", "in", "&"}


def abbreviation_in_full(span: str, texts: Sequence[str]) -> str:
    """``span`` with its name before it ("General Motors (GM)") when it is a run of capitals that
    the ``texts`` spell out one way only, in brackets after the name whose capitals begin with
    its letters; else unchanged."""
    if not _INITIALISM.fullmatch(span):
        return span
    forms: set[str] = set()
    for text in texts:
        at = text.find(f"({span})")
        while at >= 0:
            form = _spelled(text[max(0, at - _SPELLED_REACH): at], span)
            if form:
                forms.add(form)
            at = text.find(f"({span})", at + 1)
    return f"{forms.pop()} ({span})" if len(forms) == 1 else span


def _spelled(before: str, span: str) -> str:
    """The words that end ``before`` and spell ``span`` by the capitals they begin with (joining
    words such as "for" and "and" between them); "" when none do."""
    words = before.split()[-_SPELLED_WORDS:]
    for start in range(len(words) - 1, -1, -1):
        part = words[start:]
        if not part[0][:1].isupper():
            continue
        if any(not (w[:1].isupper() or w in _JOINING) for w in part):
            break  # the name has ended: "said General Motors (GM)" stops at "said"
        initials = "".join(w[0] for w in part if w[:1].isupper())
        if initials.startswith(span):
            return " ".join(part)
    return ""


def without_possessive(span: str, texts: Sequence[str]) -> str:
    """``span`` without the possessive it ends in ("Joe Biden’s" -> "Joe Biden") when the
    ``texts`` also name it without one; a name that is a possessive ("McDonald’s", never
    "McDonald" alone) stays."""
    bare = POSSESSIVE.sub("", span)
    if bare == span or not bare[:1].isupper():
        return span
    alone = re.compile(rf"(?<![\w’'\-]){re.escape(bare)}(?![\w’'\-])")
    return bare if any(alone.search(text) for text in texts) else span


# a weekday these stand before is not the nearest one ("next Friday", "every Sunday"): left as said
_NOT_NEAREST = re.compile(r"\b(?:next|last|this|every|each|past|coming|following|previous|until|through)\s+$", re.I)
_AHEAD = re.compile(r"\b(?:will|won[’']t|shall|is (?:set|due|expected|scheduled|slated|to)|are (?:set|due|expected|"
                    r"scheduled|slated|to)|plans? to|planned for|scheduled for|upcoming)\b|[’']ll\b", re.I)
# a day something is set to happen on, whatever else the sentence says happened: "A court on Monday
# scheduled the trial to start Friday", "is expected to vote Tuesday"
_SET_TO = re.compile(r"\b(?:scheduled|set|expected|due|planned|slated|poised|going|plans?|hopes?|hoped|aims?)\b"
                     r"[^.;]{0,60}?\bto\s{1,3}[a-z]{2,15}(?:\s{1,3}(?:on|by))?\s{1,3}$")
# a verb in the past: "-ed" (not the scheduling words) or a common irregular one that is no noun
# as well ("shot", "hit", "set" and "left" are left out: "your last shot" is no past)
_PAST = re.compile(r"\b(?!(?:expected|scheduled|planned|slated|needed|proposed)\b)[a-z]{2,}ed\b|\b(?:said|met|held|won|"
                   r"took|made|was|were|had|did|gave|came|went|told|began|struck|sold|ran|got|brought|fought|"
                   r"spoke|wrote|chose|became)\b", re.I)


def dated_day(span: str, sentence: str, published: date | None) -> str:
    """A bare weekday ("Friday") with the day it names in brackets ("Friday [January 21, 2022]"),
    read against the day the report was published: the nearest one on or before it, or on or after
    it where the sentence speaks of what will be, or sets it for the day ("scheduled the trial to
    start Friday"). Left as said when the report is undated, the weekday is not the nearest ("next
    Friday") or stands twice, or the tense does not tell which way to look: both past and future
    ("said Friday it will"), or neither ("Polls open Sunday")."""
    if span not in WEEKDAY_NAMES or published is None:
        return span
    found = [m.start() for m in re.finditer(rf"\b{span}\b", sentence)]
    if len(found) != 1 or _NOT_NEAREST.search(sentence[: found[0]]):  # "said Monday ... on Monday, Jan. 24"
        return span
    ahead, past = _AHEAD.search(sentence) is not None, _PAST.search(sentence) is not None
    if _SET_TO.search(sentence, max(0, found[0] - 90), found[0]):  # "scheduled the trial to start Friday"
        ahead, past = True, False
    if ahead == past:
        return span
    shift = (WEEKDAY_NAMES.index(span) - published.weekday()) % 7
    day = published + timedelta(days=shift) if ahead else published - timedelta(days=(7 - shift) % 7)
    return f"{span} [{day:%B} {day.day}, {day.year}]"


_MONTH_NUMBER = {m[:3]: n for n, m in enumerate(MONTHS, start=1)}  # "Aug" (of "August" or "Aug."): 8
# a day as ``days`` finds it (a weekday given its day by ``dated_day``): month, day of the month, year
_NAMED_DAY = re.compile(rf"\[?({_MONTH})\s+(\d{{1,2}})?,?\s*(\d{{4}})?\]?$|(?:\b(?:in|by|until|since)\s+)?(\d{{4}})$")


def last_day(span: str, published: date | None) -> date | None:
    """The last day a date span names ("Aug. 23, 2044", "March 2024": its 31st, "in 2022": December
    31, "Monday [April 8, 2024]"); a day of a month without its year ("April 29") is the one nearest
    the report's day. None for what names no day this way (a bare weekday, a month without its year,
    no such day: "February 30")."""
    found = _NAMED_DAY.search(span)
    if found is None:
        return None
    month_name, day_text, year_text, year_alone = found.groups()
    try:
        if year_alone:
            return date(int(year_alone), 12, 31)
        month = _MONTH_NUMBER[month_name[:3]]
        if year_text:
            year = int(year_text)
            return date(year, month, int(day_text) if day_text else monthrange(year, month)[1])
        if not day_text or published is None:
            return None
        options = [date(year, month, int(day_text)) for year in range(published.year - 1, published.year + 2)
                   if int(day_text) <= monthrange(year, month)[1]]
    except ValueError:  # no such day, or a year before the calendar's first
        return None
    return min(options, key=lambda d: abs((d - published).days), default=None)


def same_answer(one: str, other: str) -> bool:
    """Do two spans give one answer: every word of one among the other's ("Lions" and "Detroit
    Lions", "Baltimore" and "Baltimore, Maryland", "Hunter Biden" and "Hunter Biden's")? Reports
    that name the same thing more or less fully do not differ."""
    a, b = (set(folded(span).split()) - {"s"} for span in (one, other))
    return a <= b or b <= a


def folded(text: str) -> str:
    """``text`` lower-cased, its punctuation read as spaces: a span as compared with another."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def spans_of(question: Question, sentence: str, text: str = "") -> dict[str, set[str]]:
    """Every span of ``sentence`` that could answer some question, with the kinds it was found
    as ("Squid Game": {"name"}; "Alex Moreno": {"name", "person"}): the candidates a learned
    model chooses the bold lead from, whatever kind the question was read as wanting. A lone
    capitalised word opening the sentence is one when its passage ``text`` writes it capitalised
    inside a sentence too ("Spain won Euro 2024", "Microsoft surpassed Apple")."""
    found: dict[str, set[str]] = {}

    def add(span: str, kind: str) -> None:
        span = span.strip(" ,.;:")
        if span and any(ch.isalnum() for ch in span):
            found.setdefault(span, set()).add(kind)

    opening = opening_name(sentence, text)
    if opening:
        add(opening, "name")
    for span in names(sentence, trimmed=True):
        add(span, "name")
    for _, bare in people(sentence, trimmed=True):
        if " " in bare:
            add(bare, "person")
    for span in amounts(sentence):
        add(span, "number")
    if question.counts:  # elsewhere a count in words is only noise ("two people familiar with")
        for span in counts_in_words(sentence):
            add(span, "number")
    for span in days(sentence):
        add(span, "date")
    for span in places(sentence, trimmed=True):
        add(span, "place")
    for span in ages(sentence):
        add(span, "age")
    if question.region:
        for span in regions_named(question.region, sentence):
            add(span, "region")
    return found


# What a sentence sets its news beside: "the first time since the New England Patriots ... that a
# team has won back-to-back", "unlike Apple", "every state except Maine". A name there is not what
# the sentence says happened; a figure or a day is ("more than 1,000 people", "since 2019").
_SET_BESIDE = re.compile(r"\b(?:since|than|unlike|besides|except(?: for)?|instead of)\s+(?:the\s+)?$")
_NAMED_KINDS = {"name", "person", "place", "region"}


def set_beside(span: str, kinds: set[str], sentence: str) -> bool:
    """Is ``span`` a name that ``sentence`` (at its first mention) only sets its news beside? The
    lead model scores it as any span (a wrong answer to learn from); it is never bolded."""
    at = sentence.find(span)
    return kinds <= _NAMED_KINDS and at > 0 and _SET_BESIDE.search(sentence[max(0, at - 30):at]) is not None


# Where a body that reports the news sits ("the National Hurricane Center in Miami said", "the
# National Weather Service office in Boston"): not where anything it reports happened.
_SEAT = re.compile(r"\b(?:Center|Centre|Service|Survey|Agency|Bureau|Institute)(?:\s{1,3}office)?\s{1,3}(?:in|at|based in)"
                   r"\s{1,3}(?:the\s{1,3})?$")


def seat_of_body(span: str, kinds: set[str], sentence: str) -> bool:
    """Is ``span`` a place ``sentence`` (at its first mention) names only as where a body sits
    ("The National Hurricane Center in Miami said Helene made landfall near Perry")? It is
    never bolded for where something happened."""
    at = sentence.find(span)
    return bool(kinds & {"place", "region"}) and kinds <= _NAMED_KINDS and at > 0 \
        and _SEAT.search(sentence[max(0, at - 40):at]) is not None


# What a count is of, by the words right around it: the dead, the hurt, those without power, the
# displaced, the missing, the arrested ("killed nine and injured over 1,000 people")
_OUTCOMES = {
    "dead": re.compile(r"\b(?:killed|kills|killing|dead|died|dies|deaths?|fatalities|fatally|lives|bodies|perished)\b", re.I),
    "hurt": re.compile(r"\b(?:injured|injuries|injuring|wounded|hurt|hospitali[sz]ed)\b", re.I),
    "power": re.compile(r"\b(?:power|electricity|outages?)\b", re.I),
    "homes": re.compile(r"\b(?:evacuat\w{0,5}|displaced|homeless|shelters?)\b", re.I),
    "missing": re.compile(r"\b(?:missing|unaccounted)\b", re.I),
    "arrested": re.compile(r"\b(?:arrested|arrests|detained)\b", re.I),
}
_JOINS = {"and", "or", "but", "while", "after", "as"}  # where the words about one count end
# a toll written before its figure ("The death toll … climbed to 67", "the number of deaths … has risen to 80")
_TOLL = re.compile(r"\b(?:death toll|toll|number of (?:deaths|dead|fatalities|people killed))\b[^.;]{0,100}$", re.I)
_TOLL_REACH = 130  # "The death toll from a historic fire that roared through this Maui community rose to 96"


def outcomes(text: str) -> set[str]:
    """What ``text`` says people came to ("died", "without power"): the keys of ``_OUTCOMES``."""
    return {kind for kind, pattern in _OUTCOMES.items() if pattern.search(text)}


def counts_another(asked: set[str], sentence: str, span: str) -> bool:
    """Is ``span``, a figure of ``sentence``, by the two words before it and the four after it, a
    count of another outcome than the one ``asked`` counts ("More than 2 million people remained
    without power", for how many died)? When its words say nothing of what it counts, by what the
    whole sentence counts ("how many people are missing, but estimates put the figure at 1,000
    people"); not when that says nothing either."""
    if not asked:
        return False
    near = counted(sentence, span) or outcomes(sentence)
    return bool(near) and not near & asked


def counts_asked(asked: set[str], sentence: str, span: str) -> bool:
    """Is ``span``, a figure of ``sentence``, said to count the outcome ``asked`` counts ("At least
    90 people have died", "the death toll rose to 80")?"""
    if not asked:
        return False
    at = max(0, sentence.find(span))
    if "dead" in asked and _TOLL.search(sentence[max(0, at - _TOLL_REACH) : at]):
        return True
    return bool(counted(sentence, span) & asked)


# A figure that counts nothing: a year before what it dates ("the 2020 election"), a person's age
# ("at age 45", "Biles, 27,") or a measure joined to its unit ("a 22-foot submersible"). Not "2,000 people".
YEAR_FIGURE = re.compile(r"(?:19|20)\d\d")  # a figure that is a year (fullmatch): rarely what "how many" asks
_NEXT_WORD = re.compile(r"\s{1,3}([A-Za-z]{1,20})")
_JOINED_UNIT = re.compile(r"-([a-zA-Z]{1,20})")
_AGE_BEFORE = re.compile(r"(?:\b(?:age|aged)|[A-Z][\w’'\-]{1,20},)\s{1,3}$")  # "at age 45", "Simone Biles, 27,"


_ASKS_AGE = re.compile(r"\b(?:old|older|age|ages|aged)\b")  # "how old", "at what age"; not "sold", "damage"
_AGE_AFTER = re.compile(r"-year-old\b|\s{1,3}years?\s{1,3}old\b")  # "a 101-year-old guard", "was 77 years old"


def an_age(asked: str, sentence: str, span: str) -> bool:
    """Is ``span``, a figure of ``sentence``, a person's age ("at age 45", "Biles, 27,", "a
    101-year-old former guard") while the question (lower-cased ``asked``) asks no age? No "how
    many", "how long" or "how much" is answered by one."""
    at = sentence.find(span)
    if at < 0 or _ASKS_AGE.search(asked):
        return False
    after = sentence[at + len(span): at + len(span) + 30]
    return (_AGE_AFTER.match(after) is not None
            or (_AGE_BEFORE.search(sentence[max(0, at - 25): at]) is not None
                and (after[:1] == "," or "age" in sentence[max(0, at - 8): at])))


def counts_nothing(asked: str, sentence: str, span: str) -> bool:
    """Is ``span``, a figure of ``sentence``, no count of anything: a year not before a plural
    ("the 2020 election", "in 2020,"), a person's age ("at age 45", "Biles, 27,") or a measure
    joined to a unit the question (lower-cased ``asked``) does not count ("a 22-foot
    submersible", for how many were aboard)? "How many" is never answered by one."""
    at = sentence.find(span)
    if at < 0:
        return False
    if an_age(asked, sentence, span):
        return True
    after = sentence[at + len(span): at + len(span) + 30]
    unit = _JOINED_UNIT.match(after)
    if unit:  # "a 22-foot submersible" counts no one; "a 21-day ceasefire" counts the days asked
        return unit.group(1).lower() not in asked
    word = _NEXT_WORD.match(after)
    return YEAR_FIGURE.fullmatch(span) is not None and not (word and _plural(word.group(1).lower()))


def counted(sentence: str, span: str) -> set[str]:
    """What ``span``, a figure of ``sentence``, counts by the two words before it and the four after
    it, up to a joining word ("killed nine and injured over 1,000 people": the hurt for "over
    1,000"): keys of ``_OUTCOMES``, empty when its words say nothing of it."""
    at = sentence.find(span)
    if at < 0:
        return set()
    before: list[str] = []
    for word in reversed(sentence[:at].split()[-2:]):  # "killed nine and injured over 1,000": not "killed"
        if word.lower() in _JOINS or word.endswith((",", ";")):
            break
        before.insert(0, word)
    after: list[str] = []
    for word in sentence[at + len(span):].split()[:4]:
        if word.lower() in _JOINS:
            break
        after.append(word)
        if word.endswith((",", ";", ".")):
            break
    return outcomes(" ".join([*before, *after]))
