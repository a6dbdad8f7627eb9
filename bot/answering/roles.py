"""What someone or something is: the role the articles give what a question only names ("Who
is Lavrov?", "What is OPEC?").

Such a question wants what the person is, not another person: "Russian Foreign Minister Sergei
Lavrov said ...", "Jane Roe, the company's chief executive, said ...", "Jane Roe is the new mayor
of Riverton." (and for a thing: "OPEC, the cartel of oil-exporting nations, ..."). The role is
read from the sentence as written (a title before a person's name, a phrase set beside the name,
or "is a/the ..." after it) and shown as the words of the sentence that give both, so nothing is
inferred or reworded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from retrieval.models import Passage
from retrieval.text import MONTHS, STOPWORDS, WEEKDAY_NAMES

_WHO_IS = re.compile(r"^\s*who(?:\s+is|\s+was|\s+are|['’]s)\s+((?:[\w’'.\-]+\s+){0,3}[\w’'.\-]+?)(?:['’]s)?\s*\?*\s*$",
                     re.IGNORECASE)
_WHAT_IS = re.compile(r"^\s*what(?:\s+is|\s+was|\s+are|['’]s)\s+(?:the\s+)?((?:[\w’'.\-+&]+\s+){0,4}[\w’'.\-+&]+)\s*\?*\s*$",
                      re.IGNORECASE)
_ABOUT = re.compile(r"^\s*(?:(?:can you |please )?tell me (?:more )?about|what do (?:we|you) know about|what about)\s+"
                    r"(?:the\s+)?((?:[\w’'.\-+&]+\s+){0,4}[\w’'.\-+&]+?)\s*[?.!]*\s*$", re.IGNORECASE)
# Words no name is made of, though a chat may type a name in lower case ("who is lavrov"): "who is
# he", "what is the name of the band", "what is going on".
_NOT_A_NAME = STOPWORDS | frozenset("he she him her they them you i we me us those who what someone anyone everyone "
                                    "everybody nobody of for from about over doing going happening new next name "
                                    "latest up".split())
# Nouns that name what a person is (a post, a trade, a standing); a role must hold one.
ROLE_NOUNS = frozenset("""
minister secretary president chancellor premier senator sen. representative rep. congressman congresswoman
lawmaker legislator governor gov. mayor councillor councilman councilwoman ceo chief executive director
chair chairman chairwoman spokesperson spokesman spokeswoman ambassador envoy diplomat general gen.
commander admiral officer official commissioner leader speaker judge justice attorney prosecutor lawyer
king queen prince princess monarch pope cardinal bishop archbishop founder co-founder owner president-elect
coach manager captain player quarterback striker pitcher goalkeeper champion athlete actor actress singer
rapper musician star artist author writer novelist poet producer comedian host anchor journalist
reporter correspondent editor columnist critic economist scientist analyst professor researcher doctor
physician candidate nominee adviser advisor aide deputy strategist activist billionaire entrepreneur
investor businessman businesswoman banker head dictator ruler sheikh emir detective
sheriff inspector superintendent principal student teacher astronaut pilot designer chef
influencer youtuber creator model filmmaker playwright composer conductor dancer boxer golfer
receiver linebacker cornerback forward defender midfielder winger defenseman outfielder shortstop catcher
infielder gymnast swimmer sprinter runner skater skier wrestler jockey driver cyclist climber
democrat republican libertarian
""".split())
# Kin: what a person is to someone ("Hunter Biden, the president's son"), said beside a name, not
# as a title before it ("his son Hunter Biden" gives no role of his own).
_KIN = frozenset("son daughter wife husband widow widower brother sister father mother grandson granddaughter "
                 "nephew niece cousin partner fiancé fiancée girlfriend boyfriend".split())
_PERSON_NOUNS = ROLE_NOUNS | _KIN
# Nouns that say what a thing is (a body, a firm, a pact, a work); "What is OPEC?" wants one.
THING_NOUNS = frozenset("""
alliance bloc group organization organisation cartel company firm corporation conglomerate startup maker
manufacturer retailer chain brand bank lender insurer agency department ministry body regulator watchdog
authority court party coalition movement militia army force network platform app service site website
program programme treaty pact agreement deal law bill act rule policy initiative fund index festival
tournament competition league team club union charity nonprofit institute university school hospital
airline carrier operator mission spacecraft rocket satellite telescope vaccine drug virus variant disease
storm hurricane system exchange currency cryptocurrency show series film movie album song book novel game
summit conference council committee commission assembly parliament government regime administration
channel newspaper magazine outlet studio label contest award prize trial case lawsuit scheme
project plan strike protest war conflict offensive operation
""".split())
_ANY_NOUNS = _PERSON_NOUNS | THING_NOUNS
# Words a title run may hold beside a role noun, written small ("former", "top", "foreign").
_MODIFIERS = frozenset("""
former top chief senior deputy vice acting foreign prime new longtime veteran interim incoming outgoing
then current defense defence finance interior health justice state press national assistant associate
executive managing general head lead star pop country rock hip-hop tv television film
wide tight running defensive offensive starting backup late-night
""".split())
# Capitalised words that open a sentence or date it, not a title: "On Friday Russian Foreign Minister ..."
_NOT_TITLE = frozenset({*MONTHS, *WEEKDAY_NAMES, "On", "In", "At", "After", "Before", "When", "While", "But",
                        "And", "As", "Then", "Meanwhile", "Also", "So", "If", "Since", "During", "For", "From",
                        "With", "By", "Earlier", "Later", "Last", "This", "That", "Yesterday", "Today"})
_TOKEN = re.compile(r"\S+")
_MAX_TITLE_WORDS = 8
_REACH = 160  # characters looked back from a name for its first names and its title
_MAX_MENTIONS = 12  # mentions of the name in one sentence looked at: each reads a bounded stretch
_BESIDE = re.compile(r"(?:,|\s[–—])\s{1,3}(?:\d{1,3},\s{1,3})?([\w.’'\-]{1,40}(?:\s{1,3}[\w.’'&\-]{1,40}){0,9}?)"
                     r"\s{0,3}(?:,|\s?[–—]|[.;]?$|\s(?:said|says|told|wrote|announced)\b)")
_OPENS_ROLE = frozenset({"the", "a", "an", "his", "her", "their", "its", "who"})
_WAS = re.compile(r"\s(?:was|had been)\s{1,3}(?:the|a|an)\s")  # in a role _IS read
_IS = re.compile(r"\s{1,3}(?:is|was|has been|had been|became|becomes)\s{1,3}((?:the|a|an)\s{1,3}[^,.;]{3,80}?)\s{0,3}(?:[,.;]|$)")


@dataclass(frozen=True)
class Described:
    """What a question only names and asks what it is: a person ("Who is Lavrov?", found again by
    the last word of the name, as news refers back to a person) or a thing ("What is the Wagner
    Group?", found by its whole name: "Group" alone names nothing)."""

    name: str
    person: bool | None  # None: either ("Tell me about Lavrov")


def described(question: str) -> Described | None:
    """What a question only names and asks who or what it is ("Who is Sergei Lavrov?", "What is
    OPEC?", "Tell me about Lavrov"); None for any other question ("Who is the new coach?", "What is
    the name of ...?")."""
    text = " ".join(question.split())
    for pattern, person in ((_WHO_IS, True), (_WHAT_IS, False), (_ABOUT, None)):
        match = pattern.match(text)
        if match and _a_name(match.group(1)):
            return Described(match.group(1), person)
    return None


def _a_name(words: str) -> bool:
    """Could ``words`` be a name: capitalised throughout, or typed in lower case without a word no
    name is made of ("lavrov", "sergei lavrov"; not "the new coach", "he")."""
    split = words.split()
    if any(w.endswith(("'s", "’s")) for w in split):
        return False  # "Lavrov's deputy": someone else
    if all(w[:1].isupper() or w[:1].isdigit() for w in split):
        return True
    return (len(split) <= 3 and all(w.islower() for w in split)
            and not any(w.strip(".") in _NOT_A_NAME for w in split))


def mentions(sentence: str, subject: Described) -> bool:
    """Does ``sentence`` name ``subject``?"""
    return next(_mentions(sentence, subject), None) is not None


def _mentions(sentence: str, subject: Described) -> Iterator[tuple[int, re.Match[str]]]:
    """Each place ``sentence`` names ``subject`` (a possessive too), with where the name as written
    starts: a thing by its whole name, a person (or either) by the last word of the name, from the
    first names written before it ("Sergei" of "Minister Sergei Lavrov"), which, if any, must be
    the question's ("Joe Biden" does not name "Hunter Biden"; "Biden" alone may)."""
    words = subject.name.split()
    if not words:
        return
    said = words[-1:] if subject.person is True else words
    name = r"\s+".join(re.escape(re.sub(r"['’]s$", "", w)) for w in said)
    first = {w.lower() for w in words[:-1]}
    found = re.finditer(rf"(?<![\w’'-]){name}(?:['’]s)?(?![\w’'+-])", sentence, re.IGNORECASE)
    for match in islice(found, _MAX_MENTIONS):
        if not match.group(0)[:1].isupper():
            continue  # a name as the articles write it: "lavrov" typed finds "Lavrov", "group" no "Group"
        start = _name_start(sentence, match.start()) if subject.person is not False else match.start()
        if subject.person is True and first:
            given = {w.lower() for w in sentence[start : match.start()].split()}
            if given and not given & first:
                continue
        yield start, match


def role_of(sentence: str, subject: Described) -> str:
    """The words of ``sentence`` that give ``subject`` and a role: a title before a person's name
    ("Russian Foreign Minister Sergei Lavrov"), a phrase set beside the name ("Sergei Lavrov,
    Russia's top diplomat"; "OPEC, the cartel of oil exporters") or what it is said to be
    ("Sergei Lavrov is the foreign minister"); "" when the sentence gives none."""
    nouns = {True: _PERSON_NOUNS, False: THING_NOUNS, None: _ANY_NOUNS}[subject.person]
    for start, match in _mentions(sentence, subject):
        if match.group(0).endswith(("'s", "’s")):
            continue  # "President Joe Biden's other son": what is theirs, not what they are
        title = _title_before(sentence, start) if subject.person is not False else None
        if title is not None:
            return sentence[title : match.end()].rstrip(",")
        for pattern in (_BESIDE, _IS):
            after = pattern.match(sentence, match.end())
            if after and _holds(after.group(1), nouns) and (pattern is _IS or _opens_role(after.group(1), nouns)):
                return sentence[start : after.end(1)]
    return ""


def named_whole(text: str, subject: Described) -> bool:
    """Does ``text`` write the whole name asked about, as a name ("Josh Green", not "Green Bay"
    or a "josh" in lower case)?"""
    name = r"\s+".join(re.escape(w) for w in subject.name.split())
    found = re.finditer(rf"(?<![\w’'-]){name}(?![\w’'+-])", text, re.IGNORECASE)
    return any(m.group(0)[:1].isupper() for m in islice(found, _MAX_MENTIONS))


NOW, BEFORE = 2, 1  # a passage says what someone is; only what they were


def named_first(subject: Described, hits: list[Passage], retrieved: list[Passage], k: int) -> list[Passage]:
    """The passages to answer "Who is X?" from: one of each report that writes X's whole name
    (``hits``, from the keyword index), those giving X a role first, newest first, each by its
    passage giving the role if one does (one saying what X is before one saying what X was); then
    the retrieved passages that write the name. What someone is changes ("Lt. Gov. Josh Green" in
    2021, "Gov. Josh Green" in 2023), and a search by meaning finds other people of the same name
    ("Josh Cavallo", "the Green Bay Packers").
    ``retrieved`` unchanged when no report writes the whole name."""
    best: dict[str, tuple[int, Passage]] = {}
    for passage in hits:
        if not named_whole(passage.text, subject):
            continue
        held = best.get(passage.article_id)
        if held is None or held[0] < NOW:
            role = _gives_role(passage, subject)
            if held is None or role > held[0]:  # of one report, the passage saying what X is
                best[passage.article_id] = (role, passage)
    if not best:
        return retrieved
    # any role, newest first (a report of the past says what someone was: "Francis Scott Key was a
    # lawyer"), of one day's reports those saying what X is first
    newest = [p for _, p in sorted(best.values(), key=lambda rp: (rp[0] > 0, day_order(rp[1]), rp[0]), reverse=True)]
    chosen = {p.chunk_id for p in newest}
    rest = [p for p in retrieved if p.chunk_id not in chosen and named_whole(p.text, subject)]
    return (newest + rest)[:k]


def _gives_role(passage: Passage, subject: Described) -> int:
    """``NOW`` when a sentence of ``passage`` says what ``subject`` is, ``BEFORE`` when one says only
    what they were ("McBride was the national press secretary"), 0 when none gives a role."""
    found = [role_of(passage.sentence_text(i), subject) for i in range(len(passage.sentences))]
    return NOW if any(r and not was_role(r) for r in found) else BEFORE if any(found) else 0


def was_role(role: str) -> bool:
    """Is ``role`` (what ``role_of`` gave) what someone was ("Sarah McBride was the national press
    secretary ..."), not what they are?"""
    return _WAS.search(role) is not None


def day_order(passage: Passage) -> int:
    """A key that sorts ``passage``'s report by its day, an undated one before every dated one."""
    return passage.day.toordinal() if passage.day else 0


def name_in(span: str, subject: Described) -> str:
    """The name as ``span`` (a role ``role_of`` gave) writes it, what a follow-up's "he" or "it"
    stands for: "Sergei Lavrov" of "Russian Foreign Minister Sergei Lavrov"; the question's name
    when the span does not give it."""
    found = next(_mentions(span, subject), None)
    if found is None:
        return subject.name
    start, match = found
    return re.sub(r"['’]s$", "", span[start : match.end()])


def _opens_role(phrase: str, nouns: frozenset[str]) -> bool:
    """Does a phrase set beside a name open as a role does ("the ...", "Russia's ...", "former
    ...") and not as a list of other names ("Blinken and the president")?"""
    first = phrase.split()[0]
    bare = first.lower()
    return bare in _OPENS_ROLE or bare in nouns or bare in _MODIFIERS or first.endswith(("'s", "’s"))


def _holds(phrase: str, nouns: frozenset[str]) -> bool:
    """Does the phrase hold one of ``nouns`` (a plural too: "the group of oil-exporting nations")?"""
    return any(word.lower().strip(",.’'") in nouns for word in phrase.split())


def _name_start(sentence: str, at: int) -> int:
    """Where the name whose last word is at ``at`` starts: the capitalised words (or initials)
    just before it that are not a title ("Sergei" in "Minister Sergei Lavrov")."""
    tokens = list(_TOKEN.finditer(sentence, max(0, at - _REACH), at))
    start = at
    for token in reversed(tokens):
        word = token.group(0)
        if sentence[token.end() : start].strip() or not word[:1].isupper() or word.endswith((",", ";", ":")):
            break
        if word.lower() in ROLE_NOUNS or word.lower() in _MODIFIERS or word in _NOT_TITLE or word.endswith(("'s", "’s")):
            break
        start = token.start()
    return start


def _title_before(sentence: str, start: int) -> int | None:
    """Where a title run ending just before ``start`` begins (its last word a role noun, or a role
    noun then "of" and a capitalised place or body: "Secretary of State"), or None."""
    tokens = list(_TOKEN.finditer(sentence, max(0, start - _REACH), start))
    kept: list[re.Match[str]] = []
    for token in reversed(tokens[-_MAX_TITLE_WORDS:]):
        word = token.group(0)
        if word.endswith((",", ";", ":", "—", "–")) or word in _NOT_TITLE:
            break
        bare = word.lower().strip("“”\"‘’'()")
        if word.lstrip("“\"‘(")[:1].isupper() or bare in ROLE_NOUNS or bare in _MODIFIERS or bare in ("of", "the"):
            kept.append(token)
            continue
        break
    while kept and kept[-1].group(0).lower() in ("of", "the"):  # the run's first words, read last
        kept.pop()
    if not kept:
        return None
    # the last role noun: anything after it (towards the name) must be "of", "the" or capitalised
    words = [t.group(0) for t in reversed(kept)]
    last = max((i for i, w in enumerate(words) if w.lower().strip("“”\"‘’'()") in ROLE_NOUNS), default=None)
    if last is None:
        return None
    if any(not (w[:1].isupper() or w.lower() in ("of", "the")) for w in words[last + 1 :]):
        return None
    if last + 1 < len(words) and words[last + 1].lower() != "of":
        return None  # "Minister Foreign Affairs ..." no; "Secretary of State" yes
    return kept[-1].start()
