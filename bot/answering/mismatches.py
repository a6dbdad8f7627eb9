"""Spans a question rules out by what it asks, however likely the lead model finds them: the person
or company it is about ("Donald Trump" for "Who shot at Trump?"), a body, an event or a park where
it asks who or for a thing of another kind ("Food and Drug Administration" for "Which vegetable was
recalled?", "US Open" for "Who won?", "Yosemite National Park" for "Which grove ...?"), what was won
or who lost where it asks who won ("won the Copa America"), a kind it cannot want ("French" for
"Which company ...?", a family for "Which team ...?", "TV" for a name), who the news is sourced to,
the other side of a deal the question names ("with the studios"), and any winner a report written
before the result names. On the training years most were the bold span of wrong answers far more
often than of right ones, and the next likeliest span no likelier right (a park, a family, a common
noun's initials and the other side of a deal were never bolded there: they mend answers to users'
questions); the lead model still scores them as any span (wrong answers to learn from), and they are
read after it: changing them needs no new model. And the spans its sentence says did what is asked,
which come first: the one said to win it, the one said picked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.answering.places import COUNTRIES, PEOPLES, US_STATES
from bot.answering.question import Question
from bot.answering.spans import YEAR_FIGURE, quoted_titles
from retrieval.text import POSSESSIVE


def _ends_at(pattern: re.Pattern[str], sentence: str, at: int, reach: int) -> bool:
    """Do the ``reach`` characters of ``sentence`` before ``at`` end as ``pattern`` says ("won the ",
    "a report from ")? ``pattern`` is anchored at its end (``$``)."""
    return pattern.search(sentence, max(0, at - reach), at) is not None


def _only_as(span: str, sentence: str, test: Callable[[re.Match[str]], bool]) -> bool:
    """Does ``sentence`` name ``span``, and every time as ``test`` says (after "won", before a role)?"""
    found = list(re.finditer(re.escape(span), sentence))
    return bool(found) and all(test(m) for m in found)


_WINNER = re.compile(r"^\W*(?:who|which \w+(?: \w+)?|what \w+(?: \w+)?)\s+(?:won|beat|defeated)\b", re.I)
_RESULT = re.compile(r"\b(?:won|wins|beat|beats|defeated|defeats|victory|victorious|champions?|clinched|claimed|"
                     r"took home|crowned|triumph\w{0,3}|title|winners?|upset|routed|edged)\b", re.I)
_AHEAD = re.compile(r"\b(?:will|are set to|is set to|preparing|prepare|ahead of|to face|vying|could|would|favou?red|"
                    r"odds|predict\w{0,4}|preview|matchup|contenders?|underway|upcoming|scheduled|set for|kicks? off)\b", re.I)


def asks_winner(question: str) -> bool:
    """Does the question ask who won or beat ("Who won the Super Bowl?", "Which team won ...?")?"""
    return _WINNER.match(question) is not None


_WINS_AFTER = re.compile(r"\s{1,3}(?:won|wins|beat|beats|defeated|defeats|clinched|clinches|claimed|claims|captured|"
                         r"secured|took home|held off|edged|routed|cruised to|coasted to|triumphed)\b")


def said_to_win(question: Question, span: str, sentence: str) -> bool:
    """Does ``sentence`` say ``span`` won what the question names, the span right before the verb
    and a name of the question soon after it ("Swedish singer Loreen won Eurovision", for "Who won
    Eurovision?"; not "Ke Huy Quan won best supporting actor", for the best cast)? For "who won?"
    such a span comes before any other the sentences name (a guest who "stole the show", a coach)."""
    for m in re.finditer(re.escape(span), sentence):
        verb = _WINS_AFTER.match(sentence, m.end())
        if verb and any(re.search(rf"\b{re.escape(name)}\b", sentence[verb.end(): verb.end() + 60])
                        for name in question.entities):
            return True
    return False


_ASKS_CHOSEN = re.compile(r"^\W*who(?:m)? did\b[^?]{1,80}?\b(?:pick|choose|select|name|nominate|tap|appoint|hire)\b", re.I)
_CHOSEN_BEFORE = re.compile(r"\b(?:picked|picks|chose|chooses|chosen|selected|selects|selection of|pick of|choice of|named|"
                            r"names|nominated|nominates|nomination of|tapped|taps|appointed|appoints|appointment of|hired)"
                            r"\s{1,3}(?:[\w.’'-]{1,20}\s{1,3}){0,3}$")


def asks_chosen(question: str) -> bool:
    """Does the question ask whom someone picked ("Who did Harris choose as her running mate?")?"""
    return _ASKS_CHOSEN.match(question) is not None


def said_chosen(span: str, sentence: str) -> bool:
    """Does ``sentence`` name ``span`` as the one picked, right after the choosing ("criticized
    Trump's selection of J.D. Vance", "chose Minnesota Gov. Tim Walz")? Where the question asks
    whom someone picked (``asks_chosen``), such a span comes before the sentence's subject, who
    only speaks of it."""
    return any(_ends_at(_CHOSEN_BEFORE, sentence, m.start(), 60) for m in re.finditer(re.escape(span), sentence))


def before_result(sentence: str) -> bool:
    """Is ``sentence`` written before a contest's result: looking ahead ("are preparing for Super
    Bowl 57", "are vying to lift"), with no word of a result?"""
    return _AHEAD.search(sentence) is not None and _RESULT.search(sentence) is None


# Words after a name that make it a modifier, not the person asked about: "the Biden family",
# "the Trump campaign", "Biden's son"
_BELONGS = re.compile(r"^(?:[’']s?\b|\s{1,3}(?:family|administration|campaign|camp|government|team|son|sons|daughters?|"
                      r"brothers?|sisters?|wife|husband|children|kids|cabinet|allies|era|presidency|aides?)\b)", re.I)
_KIND_ASKED = re.compile(r"\b(?:which|what)\s{1,3}$", re.I)  # "Which Kennedy": the name is the kind asked


# The words a company's formal name adds to the name it goes by ("Toyota Motor Sales USA", "Apple Inc.")
_FIRM = re.compile(r"Inc\.?|Corp\.?|Corporation|Co\.?|Company|Companies|Group|Holdings?|Ltd\.?|LLC|PLC|plc|AG|SA|"
                   r"Motors?|Sales|USA|U\.S\.|US|America|International|Global|Technologies|Industries|Brands")


def _alone(word: str, text: str) -> bool:
    """Does ``text`` (a question) name ``word`` past its first word, not after another name ("Donald
    Trump", "Alaska Airlines"), nor as a modifier ("the Biden family", "Biden's son"),
    nor the kind it asks for ("Which Kennedy ...?", "Which Toyota model ...?")?"""
    for found in re.finditer(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", text):
        before, after = text[: found.start()], text[found.end():]
        if (before and not re.search(r"[A-Z][\w’'.-]*\s{1,3}$", before) and not _BELONGS.match(after)
                and not _KIND_ASKED.search(before)):
            return True
    return False


def asked_about(question: Question, span: str) -> bool:
    """Is ``span`` the person or company the question asks about, written more fully ("Donald
    Trump" for "Who shot at Trump?", "Joe Biden" for "Who did Biden endorse?", "Toyota Motor Sales
    USA" for "Which car is Toyota recalling?")? It is who the answer is about, never the answer.
    Not a name the question uses as a modifier ("the Biden family", "Biden's son": "Hunter Biden"
    answers it) or as the kind it asks for ("Which Kennedy ...?")."""
    words = POSSESSIVE.sub("", span).split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False  # a person's name, written out ("Alaska Airlines" is no fuller "Airlines")
    if all(_FIRM.fullmatch(w) for w in words[1:]):  # a company by its formal name ("Toyota Motor Sales USA")
        return _alone(words[0], question.text)
    return _alone(words[-1], question.text)


# A body's name ends in one of these words ("Food and Drug Administration", "National Hurricane
# Center"), and a question asking for a body says so ("which agency", "which university")
_BODY_WORDS = (r"Administration|Agency|Association|Authority|Board|Bureau|Center|Centre|College|Commission|Committee|"
               r"Council|Department|Foundation|Institute|Ministry|Office|Organi[sz]ation|School|Service|Survey|University")
_BODY_NAME = re.compile(rf"\b(?:{_BODY_WORDS})$")
_ASKS_BODY = re.compile(rf"\b(?:{_BODY_WORDS}|body|regulator|watchdog|group|institution|academy|campus)s?\b", re.I)
_ASKS_WHICH = re.compile(r"\b(?:which|what)\s{1,3}(?!is\b|was\b|are\b|were\b|did\b|does\b|do\b|has\b|had\b)[a-z]", re.I)


def body_not_asked(question: Question, span: str) -> bool:
    """Is ``span`` a body's name ("Food and Drug Administration") while the question asks which
    thing of another kind ("Which food was linked to the outbreak?", "Which hurricane hit
    Florida?")? The body reports the news; it is not what the news is about."""
    text = question.text
    return (question.wants == "name" and _BODY_NAME.search(span) is not None and _ASKS_WHICH.search(text) is not None
            and _ASKS_BODY.search(text) is None)


# An event's name ends in one of these ("US Open", "Davis Cup", "Super Bowl 57", "Emmy Awards"),
# and a question asking for an event says so ("which race", "which awards show", "what tournament")
_EVENT_NAME = re.compile(r"\b(?:Open|Cup|Championships?|Games|Olympics|Series|Bowl(?: [LXVI]{1,6}| \d{1,3})?|Tour|Festival|"
                         r"Marathon|Classic|Tournament|Prix|Finals?|Playoffs|Awards?|Derby|Masters|League|Invitational|"
                         r"Trophy|Slam|Contest|Race)$")
_ASKED_THING = re.compile(r"^\W*(who|whom)\b|\b(?:which|what)\s{1,3}((?:[\w’'-]{1,20}\s{1,3}){0,2}[\w’'-]{1,20})", re.I)
_EVENT_WORDS = re.compile(r"\b(?:race|marathon|event|tournament|competition|championship|contest|festival|awards?|"
                          r"ceremony|games?|league|cup|series|trophy|title|prize|match|final|bowl|open|slam|olympics)\b", re.I)
_ASKING = re.compile(r"^(?:is|was|are|were|did|does|do|has|had|have|will|would|can|could)\b", re.I)


def _other_kind(question: Question, kind_words: re.Pattern[str]) -> bool:
    """Does the question ask who, or which thing of a kind none of ``kind_words`` names?"""
    asked = _ASKED_THING.search(question.text)
    if asked is None:
        return False
    if asked.group(1):
        return True
    thing = asked.group(2)
    return _ASKING.match(thing) is None and kind_words.search(thing) is None


def event_not_asked(question: Question, span: str) -> bool:
    """Is ``span`` an event's name ("Western & Southern Open", "Super Bowl 57") while the question
    asks who, or which thing of another kind ("Which football team won the Carabao Cup final?")?
    The event is where the news happened, not who or what it asks for."""
    return _EVENT_NAME.search(span) is not None and _other_kind(question, _EVENT_WORDS)


# A park's or a natural place's name ("Yosemite National Park", "Lake Mead", "Death Valley"; not a
# lone "Park", "Ocean" or "Island": Inbee Park, Frank Ocean, Love Island; not "Bay": Tampa Bay names
# teams; not "Reserve": the Federal Reserve; not "Mount": Mount Sinai), and the words of a question
# asking for one
_FEATURE_NAME = re.compile(r"\b(?:(?:National|State|Provincial|Memorial|Regional) Park|National (?:Forest|Monument|"
                           r"Seashore|Preserve)|(?:Nature|Game) Reserve|Wildlife Refuge|River|Mountains|Valley|"
                           r"Canyon|Desert|Gulf|Coast|Glacier|Peninsula|Falls|Wilderness)$|^Lake ")
_FEATURE_WORDS = re.compile(r"\b(?:park|forest|lake|river|mountain|valley|canyon|beach|island|desert|sea|ocean|gulf|"
                            r"coast|reserve|monument|refuge|glacier|peninsula|strait|falls|wilderness|waterway|"
                            r"body of water|place|site|area|location|destination|attraction|landmark|spot|region|"
                            r"wonder|volcano|range|peak|trail)s?\b", re.I)


def feature_not_asked(question: Question, span: str) -> bool:
    """Is ``span`` a park's or natural place's name ("Yosemite National Park") while the question
    asks who, or which thing of another kind ("Which grove in Yosemite is threatened by the
    fire?")? That is where the news happened, not what it asks for."""
    return (question.wants in ("name", "person") and _FEATURE_NAME.search(span) is not None
            and _other_kind(question, _FEATURE_WORDS))


_YEAR = YEAR_FIGURE.pattern  # "the 2024 Stanley Cup", "the 2024 Copa America champions"
# What a sentence says was won, or who lost, right before a span: "Argentina won the Copa America",
# "lifted the 2024 Stanley Cup", "beat the Eagles", "a 38-35 win over Kansas City"
_WON_OR_BEATEN = re.compile(r"\b(?:won|wins|win|winning|clinch(?:ed|es|ing)?|lift(?:ed|s|ing)?|captur(?:ed|es|ing)|"
                            r"took home|takes home|winners? of|champions? of|beat|beats|beating|defeat(?:ed|s|ing)?|"
                            r"(?:win|victory|triumph) over|edged|routed)"
                            rf"\s{{1,3}}(?:(?:the|a|an|its|their|his|her)\s{{1,3}})?(?:{_YEAR}\s{{1,3}})?$", re.I)


# What follows a contest's name: "the 2024 Copa America champions", "the Stanley Cup title"
_CONTEST_OF = re.compile(rf"\s{{1,3}}(?:{_YEAR}\s{{1,3}})?(?:champions?|championship|title|titles|crown|trophy|winners?|"
                         r"final|finals)\b", re.I)


def won_or_beaten(question: Question, span: str, sentence: str) -> bool:
    """Is ``span``, wherever ``sentence`` names it, what was won ("won the Copa America", "the
    2024 Copa America champions") or who lost ("beat the Eagles"), while the question asks who won
    or beat? Never the winner asked for."""
    if not asks_winner(question.text):
        return False
    return _only_as(span, sentence, lambda m: _ends_at(_WON_OR_BEATEN, sentence, m.start(), 60)
                    or _CONTEST_OF.match(sentence, m.end()) is not None)


_PEOPLE_WORDS = frozenset(PEOPLES)
_PLACE_WORDS = frozenset((*COUNTRIES, *US_STATES, "US", "U.S.", "USA", "UK", "U.K.", "EU"))
# A question asking for a business by its kind: never answered by a country or a state ("its
# roughly 21,000 US restaurants" for "Which restaurant chain ...?")
_ASKS_BUSINESS = re.compile(r"\b(?:which|what)\s{1,3}(?:[\w’'-]{1,20}\s{1,3}){0,2}?(?:company|companies|chain|retailer|"
                            r"brand|firm|airline|carrier|automaker|carmaker|bank|restaurant|store|startup|"
                            r"manufacturer|maker|network|studio|publisher|app|platform)s?\b", re.I)
_FAMILY = re.compile(r"\s{0,3}\b(?:family|families|clan|dynasty|heirs)\b", re.I)  # "the Walton-Penner family"
_ASKS_REGION = re.compile(r"\b(?:country|countries|nation|nations|state|states)\b", re.I)  # "Which country's airline"
# A question that may be answered by a people's adjective: "What nationality ...?", "Which language ...?"
_ASKS_PEOPLE = re.compile(r"\b(?:nationality|nationalities|citizens?|citizenship|language|ethnic\w{0,4}|cuisine|"
                          r"descent|heritage|origin|accent|people|peoples)\b", re.I)


def kind_not_asked(question: Question, span: str, sentence: str) -> bool:
    """Is ``span`` of a kind the question cannot want: a people's adjective ("French" in "Pfizer
    and a French partner") unless it asks a nationality or a language, a country or a state where
    it asks for a business ("Which restaurant chain ...?"), a family where it asks for a thing but
    no family ("the Walton-Penner family" for "Which team ...?"); where it asks for a person,
    a quoted title or part of one ("“Leave It to Beaver” actor Tony Dow" for "Which actor died?",
    "Star Trek" of "“Star Trek: The Original Series”" for "Who is her son?") or a team or an
    employer named before a person's role ("Edmonton Oilers forward Connor McDavid")?"""
    bare = span[:-1] if span.endswith("s") else span
    if (span in _PEOPLE_WORDS or bare in _PEOPLE_WORDS) and _ASKS_PEOPLE.search(question.text) is None:
        return True
    if span in _PLACE_WORDS and _ASKS_BUSINESS.search(question.text) and not _ASKS_REGION.search(question.text):
        return True
    if question.wants == "name" and _FAMILY.search(question.text) is None:
        return _only_as(span, sentence, lambda m: _FAMILY.match(sentence, m.end()) is not None)
    if question.wants != "person":
        return False
    return any(span in title for title in quoted_titles(sentence)) or _before_role(span, sentence)


# A role between a name and a person's name makes the first the person's team or employer: "Edmonton
# Oilers forward Connor McDavid", "Apple CEO Tim Cook", "Sandy Hook family attorney Mark Bankston"
_ROLE_THEN_NAME = re.compile(r"\s{1,3}(?:[a-z]{2,15}\s{1,3})?(?:forward|guard|center|goalie|goaltender|defenseman|"
                             r"quarterback|pitcher|catcher|outfielder|infielder|shortstop|receiver|linebacker|striker|"
                             r"midfielder|defender|keeper|coach|manager|owner|star|player|rookie|captain|CEO|chief|"
                             r"founder|executive|spokes(?:man|woman|person)|lawyer|attorney|president|chairman|chair|"
                             r"director|minister|leader|actor|actress|singer|rapper|host)\s{1,3}[A-Z][a-z]")


def _before_role(span: str, sentence: str) -> bool:
    """Does ``sentence`` name ``span``, wherever it does, only before a role and a person's name
    ("Edmonton Oilers forward Connor McDavid")? Then the person is who, not the team."""
    return _only_as(span, sentence, lambda m: _ROLE_THEN_NAME.match(sentence, m.end()) is not None)


# Who a sentence's news is sourced to, right before a span: "according to the Census Bureau", "a new
# report from Bank of America", "analysts at Goldman Sachs", "data from Zillow"
_SOURCED_TO = re.compile(r"\b(?:according to|(?:report|study|survey|analysis|poll|data|estimates?|figures|note)\s{1,3}"
                         r"(?:from|by)|analysts?\s{1,3}(?:at|from|with))\s{1,3}(?:the\s{1,3})?$", re.I)
# A question asking who said or found it: "Which bank's analysts ...?", "According to which survey ...?"
_ASKS_SOURCE = re.compile(r"\b(?:said|says|say|report\w{0,3}|according|stud(?:y|ies)|survey\w{0,2}|poll\w{0,2}|data|"
                          r"analys\w{0,4}|estimat\w{0,3}|found|find|finds|warn\w{0,3}|predict\w{0,4}|forecast\w{0,3})\b",
                          re.I)


def sourced_to(question: Question, span: str, sentence: str) -> bool:
    """Is ``span``, wherever ``sentence`` names it, only who its news is sourced to ("A new report
    from Bank of America claims the company cut air conditioning", for "Which retailer ...?"),
    while the question asks nothing of who said or found it? The source tells, it is not told of."""
    if _ASKS_SOURCE.search(question.text):
        return False
    return _only_as(span, sentence, lambda m: _ends_at(_SOURCED_TO, sentence, m.start(), 40))


# A question naming, by what it is (in lower case), the other side of a deal it asks about: "Which
# union reached a deal with the studios?", "Which company signed a contract with the league?"
_DEAL_WITH = re.compile(r"\b(?:deal|deals|agreement|accord|pact|contract|settlement|truce|talks|negotiat\w{0,5}|"
                        r"partner\w{0,4}|merg\w{1,3}|sign\w{0,3}|settl\w{1,3})\b[^?]{0,60}?\bwith\s{1,3}"
                        r"(?:the|a|an|its|their|his|her)\s{1,3}(?:[a-z][\w’'-]{0,20}\s{1,3}){0,2}[a-z][\w’'-]{1,20}\b")
_WITH_BEFORE = re.compile(r"\bwith\s{1,3}(?:the\s{1,3})?$", re.I)


def other_side(question: Question, span: str, sentence: str) -> bool:
    """Is ``span``, wherever ``sentence`` names it, only right after "with", while the question
    names the other side of the deal it asks about by what it is ("Which union reached a deal with
    the studios?" and "the deal with the Alliance of Motion Picture and Television Producers")?
    That is the side the question names, not the one it asks for."""
    if _DEAL_WITH.search(question.text) is None:
        return False
    return _only_as(span, sentence, lambda m: _ends_at(_WITH_BEFORE, sentence, m.start(), 12))


def never_the_answer(question: Question, span: str, sentence: str) -> bool:
    """Is ``span`` what the question is about, a body, an event, a park or a kind it does not ask
    for, what its ``sentence`` says was won or lost where it asks who won, only who the news is
    sourced to, or the other side of a deal the question names? Then no span is bolded: the next
    one was no likelier right on the training years."""
    return (asked_about(question, span) or body_not_asked(question, span) or event_not_asked(question, span)
            or feature_not_asked(question, span) or won_or_beaten(question, span, sentence)
            or kind_not_asked(question, span, sentence) or sourced_to(question, span, sentence)
            or other_side(question, span, sentence))
