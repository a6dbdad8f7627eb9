"""Who holds an office: "Who is the governor of Hawaii?" answered by the name the newest reports
give that title to ("Hawaii Gov. Josh Green said ...").

A search by meaning finds reports about the place and the office, rarely the sentence that names
the holder with the title; and the holder changes ("Lt. Gov. Josh Green" in 2021, "Gov. Josh Green"
in 2023). So the reports that write the office's title are read, newest first: a name written
after the title, in a passage that names the place (or whose headline does), is the holder that
day, one whose title says where ("Hawaii Gov. Josh Green", "Gov. Josh Green of Hawaii") before any
other; the newest day's most named holder answers. A title written for someone else ("Lt. Gov.",
"Vice President") is none; one written for a past holder ("former Speaker Kevin McCarthy") in a
report newer than every one naming them holder says they left, and the answer says so rather than
name them. The last month's reports are searched apart as well: a new holder is first named in
passing ("House Speaker Mike Johnson's proposal"), among many reports on the fight over the office.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.answer import Citation, Draft
from bot.answering.features import tells_of_past
from bot.answering.spans import names_nothing
from retrieval.models import Passage

# each office asked about, and the titles reports write it with before a name
OFFICES: dict[str, tuple[str, ...]] = {
    "governor": ("Gov.", "Governor"),
    "senator": ("Sen.", "Senator"),
    "president": ("President",),
    "vice president": ("Vice President",),
    "president-elect": ("President-elect", "President-Elect", "president-elect"),
    "prime minister": ("Prime Minister",),
    "chancellor": ("Chancellor",),
    "mayor": ("Mayor",),
    "ceo": ("CEO", "Chief Executive"),
    "chief executive": ("CEO", "Chief Executive"),
    "secretary of state": ("Secretary of State",),
    "attorney general": ("Attorney General",),
    "speaker": ("Speaker",),
    "coach": ("coach", "Coach", "head coach"),
    "director": ("Director", "director"),
    "commissioner": ("Commissioner", "commissioner"),
    "chair": ("Chair", "Chairman", "Chairwoman"),
    "chairman": ("Chairman", "Chair"),
    "secretary-general": ("Secretary-General", "Secretary General"),
    "secretary general": ("Secretary-General", "Secretary General"),
    "chief justice": ("Chief Justice",),
    "premier": ("Premier",),
    "police chief": ("Police Chief", "police chief", "Police Commissioner"),
    "supreme leader": ("Supreme Leader", "supreme leader"),  # not "leader": "a Hamas leader" is any of several
}
OFFICE_CHUNKS = 200  # chunks the keyword index is asked for: the reports writing the place and the title
# the last month's reports are asked for apart too (fewer: the index reads past older ones to find them): a new
# holder named in passing is outranked by a month of reports on the old one ("Speaker Mike Johnson" by McCarthy's ouster)
RECENT_DAYS, RECENT_CHUNKS = 30, 50
HELD_DAYS = 90  # a holder named no later than this before the day asked is told with the report's age
_OFFICE = "|".join(sorted((re.escape(o) for o in OFFICES), key=len, reverse=True))
_PLACE = r"[A-Z][\w.&'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.&'’-]*){0,3}"
# "Who is the governor of Hawaii?", "Who's the current CEO of Boeing?", "Who is Hawaii's governor?",
# "Who is the Hawaii governor?"
_ASKED = (
    re.compile(rf"^\W*(?i:who(?:\s+is|['’]s)\s+(?:the\s+)?(?:current\s+|new\s+|sitting\s+)?)(?P<office>(?i:{_OFFICE}))\s+"
               rf"(?i:(?:of|for|at|in)\s+(?:the\s+)?)(?P<place>(?i:{_PLACE}))\s*\??\s*$"),  # "of hawaii" as typed
    re.compile(rf"^\W*(?i:who(?:\s+is|['’]s)\s+(?:the\s+)?(?:current\s+|new\s+|sitting\s+)?)(?P<place>{_PLACE}?)(?:['’]s)?\s+(?i:(?:current\s+|new\s+)?)"
               rf"(?P<office>(?i:{_OFFICE}))\s*\??\s*$"),
)
_OTHER_OFFICE = re.compile(r"(?:\b(?:Lt\.|Lieutenant|Vice|Deputy|Acting|acting)[\s-]*)$")  # a title of another office
_WAS_HOLDER = re.compile(r"(?:\b(?:Former|former|ex|then|late|Late)[\s-]*)$")  # "former Gov.": held it once
# "former Argentine President ...": held it once too (not "the former ambassador met President ...")
_UP_TO_TITLE = r"(?:[A-Z][\w.&'’-]{0,30}\s{1,3}){0,3}$"  # up to three capitalised words, then the title
_FORMER = re.compile(r"\b(?:[Ff]ormer|[Ee]x-|[Tt]hen-)\s*" + _UP_TO_TITLE)
# "Outgoing Colombian President Ivan Duque": leaving the office, said before the title
_OUTGOING = re.compile(r"\b(?:[Oo]utgoing|[Ll]ame[- ]duck)\s{1,3}" + _UP_TO_TITLE)
# "Josh Green", "Robert F. Kennedy", "Andrés Manuel López Obrador", "Bashar al-Assad", "Ursula von der Leyen"
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+(?:(?:al|el|bin|ibn|da|de|del|di|van|von|der|le)[\s-]){0,2}[A-Z][\w'’-]+){1,3}"
# what else reports call a place by before a title ("U.S. President", "French President", "British Prime Minister")
_CALLED = {
    "united states": ("U.S.", "US", "American"), "us": ("U.S.", "United States", "American"),
    "u.s.": ("US", "United States", "American"), "america": ("U.S.", "US", "American"),
    "united kingdom": ("U.K.", "UK", "Britain", "British"), "uk": ("U.K.", "United Kingdom", "Britain", "British"),
    "un": ("U.N.", "United Nations"), "united nations": ("U.N.", "UN"), "federal reserve": ("Fed",),
    "fed": ("Federal Reserve",),
    "britain": ("U.K.", "UK", "British"), "france": ("French",), "germany": ("German",), "japan": ("Japanese",),
    "china": ("Chinese",), "russia": ("Russian",), "ukraine": ("Ukrainian",), "israel": ("Israeli",),
    "italy": ("Italian",), "spain": ("Spanish",), "canada": ("Canadian",), "mexico": ("Mexican",),
    "india": ("Indian",), "brazil": ("Brazilian",), "argentina": ("Argentine", "Argentinian"), "iran": ("Iranian",),
    "turkey": ("Turkish",), "south korea": ("South Korean",), "north korea": ("North Korean",),
    "australia": ("Australian",), "poland": ("Polish",), "netherlands": ("Dutch",), "taiwan": ("Taiwanese",),
    "pakistan": ("Pakistani",), "egypt": ("Egyptian",), "saudi arabia": ("Saudi",), "greece": ("Greek",),
    "hungary": ("Hungarian",), "venezuela": ("Venezuelan",), "colombia": ("Colombian",), "nigeria": ("Nigerian",),
    "kenya": ("Kenyan",), "sweden": ("Swedish",), "norway": ("Norwegian",), "finland": ("Finnish",),
    "ireland": ("Irish",), "scotland": ("Scottish",), "syria": ("Syrian",), "lebanon": ("Lebanese",),
    "iraq": ("Iraqi",), "afghanistan": ("Afghan",), "cuba": ("Cuban",), "haiti": ("Haitian",),
    "philippines": ("Filipino", "Philippine"), "vietnam": ("Vietnamese",), "thailand": ("Thai",),
    "indonesia": ("Indonesian",), "chile": ("Chilean",), "peru": ("Peruvian",), "portugal": ("Portuguese",),
    "belgium": ("Belgian",), "switzerland": ("Swiss",), "austria": ("Austrian",), "denmark": ("Danish",),
    "new zealand": ("New Zealand",), "south africa": ("South African",), "palestine": ("Palestinian",),
}
# what a report says right after a holder's name when they are leaving the office ("Prime Minister
# Boris Johnson announced he would resign"; not "urged the minister to resign")
_LEAVING = re.compile(r"[^.;]{0,40}?\b(?:(?:announced|said|confirmed) (?:he|she|they) (?:would|will) (?:resign|step down)|"
                      r"resigned|resigns|stepped down|steps down|(?:is|was) stepping down|will step down|"
                      r"(?:was|has been) ousted)\b")
_TITLE_REACH = 4  # words before a title that may say where the office is ("New York City Mayor")
_OF_PLACE = re.compile(r",?\s{1,3}of\s{1,3}(?:the\s{1,3})?[A-Z]")  # "Prime Minister Donald Tusk of Poland": where, after the name


@dataclass(frozen=True)
class Office:
    """An office asked about: its name ("governor") and where ("Hawaii")."""

    office: str
    place: str


@dataclass(frozen=True)
class Holder:
    """A name a report writes the office's title before, where the sentence is."""

    name: str
    passage: Passage
    start: int  # the sentence's offsets in the article
    end: int
    bound: bool  # the title says where ("Hawaii Gov. Josh Green", "Gov. Josh Green of Hawaii"), not only the passage
    former: bool = False  # the title is written for one who held it ("former Speaker Kevin McCarthy")
    elsewhere: bool = False  # the title says another place ("U.S. President Joe Biden" for Argentina's)
    leaving: bool = False  # the sentence says they leave it ("Prime Minister Boris Johnson announced he would resign",
    # "Outgoing President Ivan Duque")

    @property
    def holds(self) -> bool:
        """Does the title say they hold the office here (neither a past holder's nor another place's)?"""
        return not self.former and not self.elsewhere


def asked_office(question: str) -> Office | None:
    """The office "Who is the governor of Hawaii?" asks the holder of; None for any other question."""
    text = " ".join(question.split())
    for pattern in _ASKED:
        found = pattern.match(text)
        if found:
            return Office(found.group("office").lower(), re.sub(r"['’]s$", "", found.group("place").strip()))
    return None


def holders(office: Office, passages: Sequence[Passage]) -> list[Holder]:
    """Every name ``passages`` write the office's title before, in a passage that names the place (or
    whose headline does); not one written as having held it ("former Gov. David Ige")."""
    return [h for h in titled(office, passages) if h.holds]


def titled(office: Office, passages: Sequence[Passage]) -> list[Holder]:
    """Every name ``passages`` write the office's title before (or beside, between commas:
    ``_apposed``), in a passage that names the place (or whose headline does), those written as
    having held it ("former", "ex-", "then-", "late") marked: a report calling the holder "former"
    after the newest calling them holder says they left. A title of another office ("Lt. Gov.",
    "Vice President") is none; one saying another place ("U.S. President Joe Biden"), in any
    passage, is marked ``elsewhere``: that name holds no office here by a title a report on the
    place only surrounds."""
    titles = "|".join(re.escape(t) for t in OFFICES[office.office])
    title_then_name = re.compile(rf"(?<![\w.])(?:{titles})\s+({_NAME})")
    places = [office.place, *_CALLED.get(office.place.lower(), ())]
    named = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(p) for p in places) + r")(?![\w])", re.I)
    after = re.compile(r"\s*,?\s+(?:of|from)\s+(?:the\s+)?(?:" + "|".join(re.escape(p) for p in places) + r")(?![\w])",
                       re.I)
    if office.place.islower() and not _a_name(named, passages):  # "of the state": no place at all
        return []
    apposed = _apposed(office, places)
    found: list[Holder] = []
    for passage in passages:
        here = bool(named.search(passage.title) or named.search(passage.text))
        for start, end in passage.sentences:
            sentence = passage.text[start - passage.start : end - passage.start]
            if tells_of_past(sentence, passage.day):  # the holder then ("Prime Minister X ... in 1972"), not now
                continue
            for match in title_then_name.finditer(sentence):
                before = sentence[: match.start()]
                near = " ".join(before.split()[-_TITLE_REACH:])
                if _OTHER_OFFICE.search(before):
                    continue
                bound = bool(named.search(near) or after.match(sentence, match.end()))
                elsewhere = not bound and (_says_where(before) or bool(_OF_PLACE.match(sentence, match.end())))
                if not (here or elsewhere):
                    continue
                name = _named(re.sub(r"['’]s$", "", match.group(1)))  # "Fed Chair Jerome Powell’s testimony"
                if " " not in name:
                    continue
                former = bool(_WAS_HOLDER.search(before) or _FORMER.search(before))
                leaving = _leaves(office, sentence, match.end()) or _OUTGOING.search(before) is not None
                found.append(Holder(name, passage, start, end, bound, former, elsewhere, leaving))
            if not here:
                continue
            for match in apposed.finditer(sentence):
                name = _bare(match.group("name") or match.group("named"))
                if " " not in name:
                    continue
                former = bool(match.group("was") or match.group("was2"))
                bound = bool(match.group("where") or match.group("where2") or match.group("at") or match.group("at2"))
                found.append(Holder(name, passage, start, end, bound, former))
    return found


def _leaves(office: Office, sentence: str, at: int) -> bool:
    """Do the words after a holder's name (ending at ``at``) say they leave ``office``? Not when they
    say they leave another post ("resigned as the leader of the ruling party")."""
    found = _LEAVING.match(sentence, at)
    if found is None:
        return False
    rest = sentence[found.end() : found.end() + 40].lower().split()
    return not rest or rest[0] != "as" or office.office in " ".join(rest[1:])


def _says_where(before: str) -> bool:
    """Does the word right before a title say where the office is ("U.S." of "U.S. President",
    "Florida" of "Florida Gov.")? A capitalised word that is no stop word, weekday or month."""
    words = before.split()
    if not words:
        return False
    word = words[-1].rstrip(",")
    return word[:1].isupper() and not names_nothing(word)


def _named(name: str) -> str:
    """``name`` without the capitalised words after it that are none of it ("Joe Biden Monday")."""
    words = name.split()
    while len(words) > 1 and names_nothing(words[-1]):
        words.pop()
    return " ".join(words)


def _bare(name: str) -> str:
    """``name`` without the words a capital opened before it that are none of it ("On Monday
    Javier Milei" gives "Javier Milei")."""
    words = name.split()
    while words and names_nothing(words[0]):
        words = words[1:]
    return _named(" ".join(words))


def _apposed(office: Office, places: Sequence[str]) -> re.Pattern[str]:
    """The office written beside a name between commas, as a role: "Javier Milei, Argentina's
    president," "Rishi Sunak, the British prime minister," "Hawaii's governor, Josh Green," "the
    governor of Hawaii, Josh Green" (not a title of the next name in a list: "Joe Biden, French
    President Emmanuel Macron")."""
    words = {office.office, *(t.lower() for t in OFFICES[office.office] if not t.endswith("."))}
    title = "(?i:" + "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) + ")"
    where = "(?i:" + "|".join(re.escape(p) for p in places) + ")"
    was = r"(?:former|then-|ex-)\s*"
    after_name = (rf"(?P<name>{_NAME}),\s+(?:the\s+|a\s+)?(?P<was>{was})?(?:(?P<where>{where})(?:['’]s)?\s+)?"
                  rf"(?P<was2>{was})?{title}(?:\s+(?:of|for)\s+(?:the\s+)?(?P<at>{where}))?(?=\s*[,.;)]|\s+(?:who|said|says)\b)")
    before_name = (rf"(?:(?P<where2>{where})(?:['’]s)?\s+{title}|\b(?i:the)\s+{title}\s+(?:of|for)\s+(?:the\s+)?"
                   rf"(?P<at2>{where})),\s+(?P<named>{_NAME})")
    return re.compile(rf"{after_name}|{before_name}")


def _a_name(named: re.Pattern[str], passages: Sequence[Passage]) -> bool:
    """Do ``passages`` write the place ``named`` finds with a capital more often than not (a place
    typed "hawaii" is a name; "the state" is none)?"""
    found = [m.group(0) for p in passages for m in named.finditer(p.text)]
    return sum(f[0].isupper() for f in found) > len(found) / 2


def newest_holder(found: Sequence[Holder], away: frozenset[str] = frozenset()) -> Holder | None:
    """The holder the newest day's reports name most (ties: the most named over all days), with the
    first sentence naming them that day, of those whose title says where when any does ("President
    Joe Biden" in a report on France is no French president), else of those no title gives another
    place (``away``: "U.S. President Joe Biden"); None when there is none."""
    bound = [h for h in found if h.bound]
    dated = [h for h in bound or [h for h in found if h.name not in away] if h.passage.day is not None]
    if not dated:
        return None
    newest = max(h.passage.day for h in dated)  # type: ignore[type-var]
    that_day = [h for h in dated if h.passage.day == newest]
    overall = Counter(h.name for h in dated)
    counts = Counter(h.name for h in that_day)
    name = max(counts, key=lambda n: (counts[n], overall[n]))
    return next(h for h in that_day if h.name == name)


def left_office(held: Holder, found: Sequence[Holder]) -> Holder | None:
    """The newest report calling ``held`` the office's former holder, when it is newer than every
    report calling them its holder (they left, and no report since names who followed); else None."""
    newest = held.passage.day
    if newest is None:
        return None
    later = [h for h in found if h.former and h.name == held.name and (h.passage.day or date.min) > newest]
    return max(later, key=lambda h: h.passage.day or date.min, default=None)


def search_words(office: Office) -> str:
    """What the keyword index is asked for: the place, the office and its titles."""
    return " ".join([office.place, office.office, *OFFICES[office.office]])


def answer(office: Office, passages: Sequence[Passage], as_of: date | None = None) -> Draft | None:
    """The holder as an answer: the name in bold, the sentence giving them the title quoted from the
    newest report; None when no report names one (the question is then searched as asked). When
    that report is over ``HELD_DAYS`` before ``as_of``, the answer says how old it is: an office
    changes hands ("Chicago Mayor Lori Lightfoot … is currently running for reelection", from
    November 2022, asked in August 2023)."""
    found = titled(office, list({p.chunk_id: p for p in passages}.values()))  # a chunk found twice counts once
    away = frozenset(h.name for h in found if h.elsewhere)
    held = newest_holder([h for h in found if h.holds], away)
    if held is None:
        return None
    gone = left_office(held, found)
    if gone is not None:  # "Who is the new speaker?" after the speaker was ousted, before a successor is named
        return _none_since(gone, "the office", f"calls {held.name} the former {office.office}")
    leaving = next((h for h in found if h.leaving and h.name == held.name and h.passage.day == held.passage.day), None)
    if leaving is not None:  # "Boris Johnson announced he would resign", and no newer report names who followed
        return _none_since(leaving, f"the {office.office}", f"says {held.name} is leaving the office")
    cited = Citation.from_passage(1, held.passage, held.start, held.end)
    said_on = held.passage.day
    notice = (f"The newest report naming the {office.office} is from {said_on.isoformat()}, "
              f"{(as_of - said_on).days} days before {as_of.isoformat()}; the office may have changed hands since"
              if said_on is not None and as_of is not None and (as_of - said_on).days > HELD_DAYS else "")
    return Draft(text=f"{held.name} — {cited.quote} [1]", citations=[cited], abstained=False, answerer="office",
                 lead=held.name, notice=notice)


def _none_since(said: Holder, naming: str, says: str) -> Draft:
    """The answer when the newest report naming the office (``said``, its sentence quoted) says its
    holder left or is leaving it, and none names who holds it since: no one is named as holder."""
    cited = Citation.from_passage(1, said.passage, said.start, said.end)
    day = said.passage.day.isoformat() if said.passage.day else said.passage.published
    text = f"The newest report naming {naming} ({day}) {says}, and none names who holds it since — {cited.quote} [1]"
    return Draft(text=text, citations=[cited], abstained=False, answerer="office")
