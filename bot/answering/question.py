"""A question, read once: the names and words it is about, the figures it states, what kind of
answer it wants, and the guards' signals (no words at all, a pronoun naming nobody, a question
about the article itself).

``read`` runs before anything is searched; search, the guards, the answerers and the timeline
all use the one ``Question`` it returns, so no feature parses the question again per sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from bot.answering.places import ASKED_WORD, WHAT_KIND, asks_for_region, names_a_people
from bot.answering.roles import Described, described
from retrieval.text import MONTHS, SPEECH_VERBS, WEEKDAY_NAMES, content_tokens, spelled

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
_COMMON_STARTERS = {"according", "after", "despite", "during", "following", "amid", "ahead", "although", "though",
                    "since", "while", "some", "several", "many", "most", "last", "once", "now", "here", "there"}

# What kind of answer is wanted: one reading, used both to score sentences and to choose the span
# that leads the answer ("which country" and its kin are places.py's, read in between).
_AT_START = r"(?:^|[.?!]\s)\s*"  # "When …?" opening the question or one of its sentences
_ASKS_AGE = re.compile(r"\b(?:which|what) age(?: group|s)?\b", re.I)
# A person named by how the public knows them ("Which public figure ...?", "Which US historical figure
# ...?"): no figure to count
_PERSON_FIGURE = (r"(?:public|political|historical|famous|prominent|notable|well-known|high-profile|controversial|"
                  r"religious|sports|media|cultural|literary|royal|key|iconic|legendary|beloved|influential|"
                  r"polari[sz]ing)\s+figures?\b")
_ASKS_NUMBER = re.compile(r"\bhow (many|much|old|long|far|big|large|high)\b|\bwhat (number|percentage|amount|share)\b|"
                          rf"\b(?:which|what)\s+(?!(?:{ASKED_WORD}\s+){{0,2}}?{_PERSON_FIGURE})(?:{ASKED_WORD}\s+){{0,2}}?"
                          r"(?:figures?(?!\s+skat)|amounts?|sums?|prices?|percentages?)\b|"
                          # "What was the magnitude of the quake?", "What could soon be the minimum age ...?"
                          rf"\bwhat (?:is|was|are|were|will be|would be|could (?:soon )?be) (?:the |its |their )?"
                          rf"(?:{ASKED_WORD}\s+){{0,4}}?"
                          r"(?:magnitude|price|limit|rate|cost|amount|total|wage|salary|toll|percentage|age|score)s?\b(?![’'-])|"
                          # a margin, or a tally brought to a figure ("by what margin", "brought his tally of wins to what?")
                          r"\bby what margin\b|\b(?:tally|total)\b[^?]{0,80}?\bto what\b", re.I)
_ASKS_COUNT = re.compile(r"\bhow many\b|\b(?:what|the) number of\b", re.I)
# "when" and "where" ask wherever they follow a preposition ("serving since when?", "launched from where?")
_ASKS_DATE = re.compile(rf"{_AT_START}when\b|\b(?:since|until|by|from) when\b|\b(?:what|which) (year|day|date|month)\b|"
                        r"\bon which (day|date)\b|\bhow soon\b|"
                        # a quiz's sentence to finish with a year ("... the most populous nation since at least:")
                        r"\b(?:since|until)(?: at least)?:\s*$", re.I)
_ASKS_PLACE = re.compile(rf"{_AT_START}where\b|\b(?:from|to|in) where\b|"
                         rf"\bwhich (?:{ASKED_WORD} ){{0,2}}?(?:city|town|region|place|island)s?\b|"
                         rf"{WHAT_KIND}(?:city|town|region|island)s?\b(?!\s+of\b)", re.I)
_PEOPLE = (r"person|man|woman|leader|official|politician|player|star|actor|actress|singer|rapper|musician|artist|"
           r"athlete|coach|executive|CEO|candidate|senator|lawmaker|governor|mayor|judge|justice|minister|"
           r"president|author|writer|director|founder|billionaire|celebrity|comedian|host|journalist|"
           r"quarterback|pitcher|golfer|driver|skater|swimmer|gymnast|boxer|chef|pope|king|queen|prince|princess|"
           r"legend|icon|personality|footballer|nominee|Republican|Democrat|dancer|presenter|MP|astronaut|"
           r"scientist|entrepreneur|influencer|YouTuber|filmmaker|novelist|poet|composer|jockey|referee|activist|"
           r"lawyer|prosecutor|chancellor")
_NOT_PEOPLE_AFTER = r"(?!\s+(?:statement|announcement|report|figure|data|result|count|estimate|residence|visit|name|city|country|nation|team|site|record|list)s?\b)"
_ASKS_PERSON = re.compile(rf"{_AT_START}(?:(?:to )?whom?|whose)\b|\bwhich (?:{ASKED_WORD} ){{0,2}}?(?:{_PEOPLE})s?\b{_NOT_PEOPLE_AFTER}|"
                          rf"{WHAT_KIND}(?:{_PEOPLE})s?\b{_NOT_PEOPLE_AFTER}(?!\s+of\b)|"
                          rf"\b(?:the )?name of the (?:{ASKED_WORD} ){{0,2}}?(?:{_PEOPLE})\b|"
                          rf"\b(?:which|what) (?:{ASKED_WORD} ){{0,2}}?{_PERSON_FIGURE}|"
                          r"\bwhat (?:is|was) (?:his|her) (?:full )?name\b|"
                          # "who" closing the question after a preposition ("used AI to fake the voice of who?")
                          r"\b(?:of|by|to|with|for|from|about|against) whom?\?\s*$|"
                          r"\bheld by:\s*$|"  # a quiz's sentence to finish ("a record previously held by:")
                          # one of a family, a band or a chamber ("Which member of the royal family ...?")
                          r"\bwhich members? of\b(?=[^?]{0,60}?\b(?:family|group|band|Congress|House|Senate|"
                          r"Parliament|cast|court|crew|duo|trio|royals)\b)", re.I)
_BEFORE_REGION = (("age", _ASKS_AGE), ("number", _ASKS_NUMBER), ("date", _ASKS_DATE))
# said of a day to come after the words asking for a day ("When will …", "When is the next …", "What
# date is it scheduled for?"); "When does … start?" asks for the next time as well
_TO_COME = re.compile(r"\b(?:will|won[’']t|shall|going to|upcoming|next(?!\s+to\b)|"
                      r"(?:expected|scheduled|slated|set|planned) (?:to|for))\b|[’']ll\b", re.I)
_DOES = re.compile(r"(?:does|do)\b", re.I)
_ASKS_NAME = re.compile(r"\bwhich\b|\bwhat (?:is|was|are|were) (?:the |its |their )?names?\b|\bname of\b|\bcalled\b"
                        rf"|\bwhat (?:{ASKED_WORD} ){{0,2}}?(?:company|brand|band|group|team|film|movie|show|series|song|album|"
                        r"book|game|app|event|festival|tournament|award|organi[sz]ation|agency|party)\b", re.I)
_AFTER_REGION = (("place", _ASKS_PLACE), ("person", _ASKS_PERSON), ("name", _ASKS_NAME))

_ASKS_PAIR = re.compile(r"\b(?:which|what) (?:two|pair of)\b", re.I)
_WHY = re.compile(r"^\s*why\b|\bwhat (caused|led to|is behind|was behind|prompted)\b|\bfor what reason\b|"
                  r"\bthe reason\b", re.I)
_NEW_ASKED = re.compile(r"\b(?:the|a|per the|according to the|under the) (?:new|latest|updated|revised) (?:estimate|"
                        r"figure|forecast|number|count|total|tally|projection|guidance|rule|price|rate|cost)\b|"
                        r"\bwhich new\b|\bwhat new\b|\b(?:add(?:ed|s)?|roll(?:ed|s|ing)? out|introduc\w*|debut\w*|"
                        r"unveil\w*|launch(?:ed|es)?)\b", re.I)
_LEFT_OUT_ASKED = re.compile(r"\b(?:left out|leave out|leaves out|not (?:been )?(?:included|include|part of|covered)|"
                             r"(?:was|were|is|are) (?:excluded|omitted|dropped|missing|absent)|excludes?|omits?)\b", re.I)
ASKED_ACT = re.compile(r"\b(demand|propos|warn|promis|threat|offer|request|call(?:ed|s)? for|urg|vow|pledg|"
                       r"accus|den(?:y|ied|ies)|admit|refus|reject)\w*", re.I)
_ASKS_WHAT_SAID = re.compile(r"\bwhat (?:did|does|do|has|have|had)\b[^?]{1,80}?\b(?:say|said|demand\w*|"
                             r"propos\w*|want\w*|warn\w*|ask\w*|offer\w*|promis\w*|threat\w*|call\w* for|"
                             r"insist\w*|urg\w*)\b", re.I)
_ASKS_RESPONSE = re.compile(r"\bhow (?:did|does|do|has|have|had|will|would)\b[^?]{1,80}?\b(?:respond|react|reply|answer|"
                            r"hit back)\b|^\s*who (?:said|warned|demanded|proposed|told|called for)\b", re.I)
_WORKS = r"show|series|sitcom|drama|film|movie|documentary|song|single|album|book|novel|memoir|game|play|musical|app|podcast"
_ASKS_WORK = re.compile(rf"\bwhich (?:{ASKED_WORD} ){{0,3}}?({_WORKS})\b", re.I)
# Kinds of named person or thing a news story describes after naming it in its headline ("the
# comedian", "the automaker"): asked for by kind, answered by the name.
_NAMED_KINDS = (rf"{_PEOPLE}|company|brand|band|group|team|club|chain|retailer|automaker|carmaker|airline|network|"
                r"platform|insect|animal|bird|school|university|college|store|restaurant|startup|firm|bank|party|"
                r"agency|organi[sz]ation")
_ASKS_KIND = re.compile(rf"\bwhich (?:{ASKED_WORD} ){{0,2}}?({_NAMED_KINDS})s?\b"  # the phrase's head: a verb or a stop follows
                        r"(?=\s*[?,]|\s+(?:is|was|are|were|has|had|have|will|would|did|does|can|could|in|on|at|to|for|"
                        r"of|from|with|that|who|whose|\w+ed|\w+s|became|won|made|got|took|gave|lost|left|hit|beat|set|ran|saw|held|led|"
                        r"broke|began|sold|paid|said|told|went|came|fell|rose|drew|shot|struck|faced|sent|sought|"
                        r"brought|bought|kept|met|built|chose|spent|withdrew|stole|wore|wrote|flew|grew|threw)\b)", re.I)
# A quiz's statement with no question mark names what it asks for as "this" ("talks with this
# leader, his Mexican counterpart:", "romped past this opponent on Monday to win ..."): a person
# when "this" names one, else a name.
_THIS_PERSON = re.compile(rf"\bthis (?:{ASKED_WORD} ){{0,2}}?(?:{_PEOPLE})\b", re.I)
_THIS_NAMED = re.compile(rf"\bthis (?:{ASKED_WORD} ){{0,2}}?(?:{_NAMED_KINDS}|opponent|rival)s?\b", re.I)

# Subject and object pronouns only: "his" or "their" usually points inside the question itself
# ("Which leader announced his resignation?").
PERSON_PRONOUN = re.compile(r"\b(he|she|they|him|them)\b", re.IGNORECASE)
# Words that frame a question without naming anything a pronoun could point back to.
FRAME = content_tokens("what who whom whose which when where why how did does do is are was were has have had "
                       "been being can could will would should might may must shall many much long often far "
                       "else exactly also really still ever yet first last next now according tell me to of for "
                       "with about from by at in on after before over")

_NUMBER_WORDS = spelled(1, 12)
FIGURE = re.compile(r"(?<![\w-])\d[\d,.]*\d|(?<![\w-])\d")  # "Covid-19" and "F-16" are names, not figures
_SPAN_FIGURE = re.compile(r"(?<![\w-])(\d+|" + "|".join(_NUMBER_WORDS) + r")-(year|month|week|day|hour|game|point|seat|"
                          r"star|story|time|term|member|nation|state)s?\b", re.I)


# Questions about an article rather than the news in it, answered from its stored metadata.
_ARTICLE = r"(?:the |this |that )?(?:article|story|piece|report|op-?ed|column|news item)"
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("author", re.compile(rf"\bwho (?:wrote|authored|penned|is the author of|was the author of) (?:it|{_ARTICLE})\b|"
                          rf"\b(?:author|writer|byline|reporter) of (?:it|{_ARTICLE})", re.I)),
    ("published", re.compile(rf"\bwhen (?:was|is) (?:it|{_ARTICLE})(?: [^?]{{0,60}})? (?:published|written|posted|dated)\b|"
                             rf"\bwhat (?:date|day) (?:was|is) (?:it|{_ARTICLE})(?: [^?]{{0,60}})? (?:published|written|posted|from)\b|"
                             rf"\bhow old is {_ARTICLE}", re.I)),
    ("outlet", re.compile(rf"\b(?:which|what) (?:outlet|publication|newspaper|paper|site|website|news ?(?:site|"
                          rf"agency|outlet)|source)\b.*\b(?:publish|ran|run|print|post|report)|"
                          rf"\bwho (?:published|ran|posted) (?:it|{_ARTICLE})\b|\bwhere (?:was|is) "
                          rf"(?:it|{_ARTICLE}) (?:published|from)\b", re.I)),
    ("url", re.compile(rf"\b(?:link|url|web address)\b.*\b(?:to|for|of) (?:it|{_ARTICLE})|\bwhere can i read "
                       rf"(?:it|{_ARTICLE})|\b(?:give|send|show) me the (?:link|url)\b", re.I)),
]


def metadata_kind(question: str) -> str:
    """"author", "published", "outlet" or "url" when the question asks about the article itself; ""."""
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return ""


@dataclass(frozen=True)
class Question:
    """Everything the answering rules need to know about a question, read once by ``read``."""

    text: str
    entities: tuple[str, ...]  # capitalised names ("Lavrov", "Ukraine")
    names: tuple[str, ...]  # the entities an answer must be about (not "US" in "the US box office", "American" in "which American chain")
    phrases: tuple[tuple[str, ...], ...]  # the names as written together: ("Hurricane", "Ian"), ("Lavrov",)
    tokens: frozenset[str]  # content tokens
    words: frozenset[str]  # content tokens without question words
    figures: frozenset[str]  # figures it states ("2.9", "2-year")
    region: str | None  # "country", "nation", "state" or "continent" when it asks which one
    wants: str | None  # the kind of answer: "age", "number", "date", "region", "place", "person" or "name"
    speech: bool  # asks about what someone said, demanded, warned ...
    words_asked: bool  # asks for someone's words ("What did Lavrov demand?", "How did X respond?")
    what_said: bool  # asks for the content of an utterance ("What did Lavrov demand?")
    why: bool
    new: bool  # asks for the new figure or thing ("the new estimate", "which new X")
    left_out: bool  # asks what is absent ("which measure was left out")
    act: str  # the act asked about when it asks what someone did say ("deman", "propo"), else ""
    work: str  # "show", "film" ... when it asks which one
    kind: str  # the kind of person or thing it asks for by name ("comedian", "team"), else ""
    about_article: str  # "author", "published", "outlet" or "url" when it asks about the article itself
    pronoun: str  # a personal pronoun it leans on while naming nobody ("Who is he?")
    script: str  # the writing system of most of its letters
    pair: bool = False  # asks for two at once ("Which two automakers are discussing a merger?")
    to_come: bool = False  # asks for a day still to come ("When is the next total solar eclipse?")
    described: Described | None = None  # what it only names and asks what it is ("Who is Lavrov?", "What is OPEC?")
    reports_since: date | None = None  # the first day of a window it names that bounds the reports
    # ("this week", as of the day asked); set by the engine, which reads dates against that day
    news_since: date | None = None  # naming no time, the first day of news that is not old (``when.news_since``)
    latest_news: date | None = None  # the newest news stored as of the day asked (set with ``news_since``)
    as_of: date | None = None  # the day it is asked as of (set by the engine with the above)
    known: tuple[str, ...] = ()  # for a chat's follow-up, what the answers it follows gave: rarely asked again

    @property
    def figure(self) -> bool:
        """Does it ask for a number ("how many", "what percentage")?"""
        return self.wants == "number"

    @property
    def counts(self) -> bool:
        """Does it ask how many there are ("how many astronauts", "the number of")? News writes a
        small count in words ("two debates"); an amount asked "how much" is a figure."""
        return self.wants == "number" and _ASKS_COUNT.search(self.text) is not None

    @property
    def has_content(self) -> bool:
        """Does it name anything (a word of two letters or more that is neither a stop word nor a
        question word)?"""
        return bool(self.words)


def leans_on(text: str, pronouns: re.Pattern[str] = PERSON_PRONOUN) -> re.Match[str] | None:
    """The first pronoun in ``text`` that nothing before it in the question can stand for ("Who is
    he?"), not one with a name or a noun before it ("Which leader said she will resign?"). The word
    just before it is no noun it stands for: it is the verb it is the object of ("What caused them?")."""
    for match in pronouns.finditer(text):
        before = text[: match.start()]
        nouns = " ".join(before.split()[:-1])  # not the word just before it
        if not entities(before) and not content_tokens(nouns) - FRAME:
            return match
    return None


def read(text: str) -> Question:
    """The question ``text`` read once."""
    found = entities(text)
    names = tuple(n for n in found if not qualifier(n) and not names_a_people(n))
    speech = bool(_SPEECH_Q.search(text))
    act = ASKED_ACT.search(text) if speech else None
    what_said = bool(_ASKS_WHAT_SAID.search(text))
    work = _ASKS_WORK.search(text)
    kind = _ASKS_KIND.search(text)
    pronoun = leans_on(text)
    tokens = frozenset(content_tokens(text))
    wants = _wants(text)
    return Question(
        text=text,
        entities=tuple(found),
        names=names,
        phrases=_phrases(text, names),
        tokens=tokens,
        words=tokens - _QWORD_TOKENS,
        figures=frozenset(stated_figures(text)),
        region=asks_for_region(text),
        wants=wants,
        speech=speech,
        words_asked=what_said or bool(_ASKS_RESPONSE.search(text)),
        what_said=what_said,
        why=bool(_WHY.search(text)),
        new=bool(_NEW_ASKED.search(text)),
        left_out=bool(_LEFT_OUT_ASKED.search(text)),
        act=act.group(1).lower()[:5] if act else "",
        work=work.group(1).lower() if work else "",
        kind=kind.group(1).lower() if kind else "",
        about_article=metadata_kind(text),
        pronoun=pronoun.group(1) if pronoun and not found else "",
        script=script(text),
        pair=bool(_ASKS_PAIR.search(text)),
        to_come=wants == "date" and asks_day_to_come(text),
        described=described(text),
    )


def asks_day_to_come(text: str) -> bool:
    """Does ``text`` ask for a day still to come: a word of the future after the words asking for a
    day, in the same sentence ("When will …", not "She will not run again. What year was she first
    elected?")? A day already past cannot answer it, however well its sentence reads."""
    asked = _ASKS_DATE.search(text)
    if asked is None:
        return False
    rest = _STOP_THEN_SPACE.split(text[asked.end():], maxsplit=1)[0]
    return bool(_TO_COME.search(rest) or (asked.group(0).strip().lower().endswith("when") and _DOES.match(rest.lstrip())))


def _wants(text: str) -> str | None:
    """The kind of answer ``text`` asks for, the first that applies in the order of ``Question.wants``;
    a quiz's statement (no question mark) may name it as "this" instead of asking for it."""
    for kind, pattern in _BEFORE_REGION:
        if pattern.search(text):
            return kind
    if asks_for_region(text):
        return "region"
    statement = "?" not in text
    for kind, pattern in _AFTER_REGION:
        if pattern.search(text) or (statement and kind == "person" and _THIS_PERSON.search(text)):
            return kind
    return "name" if statement and _THIS_NAMED.search(text) else None


def _starts_sentence(text: str, at: int) -> bool:
    """Does a sentence start at ``at``: only non-word characters before it, back to the start of
    the text or to a stop followed by a space? Looks back over that run alone, so reading every
    name of a text stays linear."""
    start = at
    while start > 0 and not (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start == 0 or bool(_STOP_THEN_SPACE.search(text, start, at))


def _named(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each capitalised word of ``text`` that is a name, with its match; question words left out,
    and so is a common word capitalised only because it starts a sentence ("Approximately")."""
    for match in _ENTITY.finditer(text):
        word = match.group(0).rstrip("'’s").rstrip("'’")
        if word.lower() in _QWORDS or len(word) < 2:
            continue
        if _starts_sentence(text, match.start()) and (
                word.lower() in _COMMON_STARTERS or word.lower().endswith("ly") or not content_tokens(word)):
            continue
        yield match, word


def entities(text: str) -> list[str]:
    """Capitalised names in ``text`` ("Lavrov", "Ukraine"), each once."""
    out: list[str] = []
    for _, word in _named(text):
        if word not in out:
            out.append(word)
    return out


def entity_runs(text: str) -> list[tuple[str, ...]]:
    """The names of ``text`` as written together, one space apart ("Hurricane Ian", "World Cup"):
    one name of several words, which another name sharing a word ("Stanley Cup") is not. A
    possessive ends a run ("Biden's Ukraine policy")."""
    runs: list[list[str]] = []
    end, joins = -1, False
    for match, word in _named(text):
        if joins and match.start() == end + 1 and text[end] == " ":
            runs[-1].append(word)
        else:
            runs.append([word])
        end, joins = match.end(), not match.group(0).endswith(("'s", "’s", "'", "’"))
    return list(dict.fromkeys(tuple(run) for run in runs))


def _phrases(text: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The question's ``names`` as written together: each run of names without the words that only
    qualify it ("US" in "US Supreme Court", "Russian"), date it ("Monday", "March") or give a
    company's legal form, which news often leaves out ("Campbell Soup Company")."""
    out: list[tuple[str, ...]] = []
    for run in entity_runs(text):
        kept = _spelled_qualifier_out(tuple(w for w in run if w in names and w not in _NOT_THE_NAME))
        if len(kept) > 1 and kept[-1].isupper() and not kept[-2].isupper():  # "Hyundai SUVs": a kind after a name
            parts = [kept[:-1], kept[-1:]]
        else:
            parts = [kept] if kept else []
        out += [p for p in parts if p not in out]
    return tuple(out)


_NOT_THE_NAME = frozenset((*MONTHS, *WEEKDAY_NAMES, "Company", "Corporation", "Corp", "Inc", "Co", "Ltd", "LLC", "Plc"))


def _spelled_qualifier_out(run: tuple[str, ...]) -> tuple[str, ...]:
    """``run`` without a country or union spelled out ("United States" in "United States Congress")."""
    for words in _SPELLED_QUALIFIERS:
        for i in range(len(run) - len(words) + 1):
            if all(full.startswith(read_as) for read_as, full in zip(run[i:i + len(words)], words)):
                return run[:i] + run[i + len(words):]
    return run


_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def script(text: str) -> str:
    """The writing system most of ``text``'s letters are in ("LATIN", "CYRILLIC", "CJK" ...), "" if none."""
    counts: Counter[str] = Counter()
    latin = len(_ASCII_LETTERS.findall(text))  # most text: counted at C speed, no name looked up
    if latin:
        counts["LATIN"] = latin
    for ch in _NOT_ASCII.findall(text):
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            counts["CJK" if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) else name.split(" ")[0]] += 1
    return counts.most_common(1)[0][0] if counts else ""


# A country or union is written several ways; a question saying "US" is answered by "U.S." text.
_ALIASES: dict[str, tuple[str, ...]] = {
    "us": ("US", "U.S.", "United States", "America"),
    "usa": ("USA", "U.S.", "United States", "America"),
    "uk": ("UK", "U.K.", "Britain", "British", "United Kingdom"),
    "eu": ("EU", "E.U.", "European Union"),
    "un": ("UN", "U.N.", "United Nations"),
}


_SPELLED_QUALIFIERS = sorted({tuple(a.split()) for spellings in _ALIASES.values() for a in spellings if " " in a})


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


def mentions_name(text: str, phrase: tuple[str, ...]) -> bool:
    """Does ``text`` name ``phrase``, one name of one or more words? A name of several words by
    its last two, written together (in any case, accents aside) or in order within one name of
    the text: "President Joe Biden" names "President Biden", "Vivek Murthy" names "Surgeon General
    Vivek Murthy"; a text naming the "Stanley Cup" and a "World Group" does not name the "World Cup"."""
    if len(phrase) == 1:
        return mentions(text, phrase[0])
    head = tuple(_unaccented(w) for w in phrase[-2:])
    text = _unaccented(text)
    # a word's end may be what reading the name cut ("Airlines" read as "Airline", "Texas" as "Texa")
    if re.search(r"\b" + r"\w{0,2}\W{1,3}".join(re.escape(w) for w in head), text, re.IGNORECASE):
        return True
    return any(_in_order(head, run) for run in _capital_runs(text) if len(run) >= len(head))


def _unaccented(text: str) -> str:
    """``text`` without its accents ("América" → "America"), for names written either way."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _capital_runs(text: str) -> Iterator[list[str]]:
    """The runs of capitalised words of ``text``, one space apart (or a stop and a space:
    "U.S. Supreme Court", "Dr. Vivek Murthy")."""
    run: list[str] = []
    end = -1
    for match in _ENTITY.finditer(text):
        if run and not (match.start() == end + 1 and text[end] == " " or match.start() == end + 2 and text[end:end + 2] == ". "):
            yield run
            run = []
        run.append(match.group(0))
        end = match.end()
    if run:
        yield run


def _in_order(phrase: tuple[str, ...], run: list[str]) -> bool:
    """Are the words of ``phrase`` in ``run`` in order (each the start of one of its words)?"""
    words = iter(run)
    return all(any(w.startswith(p) for w in words) for p in phrase)


def stated_figures(text: str) -> set[str]:
    """The figures ``text`` states: numbers ("2.9", "1,000") and counted spans, spelled or not
    ("a two-year deal" and "a 2-year deal" both give "2-year")."""
    spans = {f"{_NUMBER_WORDS.get(n.lower(), n)}-{unit.lower()}" for n, unit in _SPAN_FIGURE.findall(text)}
    return set(FIGURE.findall(text)) | spans
