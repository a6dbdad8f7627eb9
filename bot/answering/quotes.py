"""Who said what: a person's statements, oldest first, each quoted exactly with its citation.

A statement is a sentence whose speaker is the person: named with a speech verb ("Lavrov said
Moscow was waiting ...", "“...,” said Sergei Lavrov"), "according to" them, a "He said" that
follows one of theirs, or a role the same article gave them ("Russia's foreign minister said"
where the article calls Lavrov that, and calls nobody else so). A sentence is never attributed
to a person its article does not name. The same statement reported by several outlets (nearly
the same words, or the same quoted words) is one line naming the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from bot.answer import Citation
from bot.answering.timeline import Event
from bot.citations import quoted_line
from retrieval.index.speakers import clean_name, continues_speaker, named_speakers
from retrieval.models import Passage
from retrieval.text import POSSESSIVE, SPEECH_VERBS, content_tokens, flat

SAME_STATEMENT = 0.6  # word overlap (Jaccard) of two reports of one statement
QUOTED_WORDS = 4  # words a quotation needs before two reports quoting it are one statement
_ROLE = (r"minister|president|secretary|spokesperson|spokesman|spokeswoman|chief|leader|governor|mayor|"
         r"ambassador|diplomat|chancellor|premier|envoy|commander|director|chairman|chairwoman|ceo|senator|"
         r"judge|prosecutor|coach|manager|founder|king|queen|pope|pm")
# Every word and gap below is bounded and every match starts a word, so each pattern runs in
# linear time on hostile text (a page of "Aa-Aa-..." made the unbounded versions quadratic).
_START = r"(?<![\w'’.\-])"
_QUALIFIER = r"[A-Z][\w.\-]{0,30}(?:'s|’s)?"  # "Russia's", "Russian", "U.S."
_ROLE_WORDS = rf"(?i:(?:[a-z\-]{{1,30}}\s{{1,3}}){{0,2}}(?:{_ROLE}))"  # "foreign minister", "Foreign Minister"
_NAME = r"(?:[A-Z][\w’'\-]{0,40}\s{1,3}){0,3}[A-Z][\w’'\-]{0,40}"
# "Russian Foreign Minister Sergei Lavrov" / "Russia's foreign minister, Sergei Lavrov"
_ROLE_BEFORE = re.compile(rf"{_START}(?:({_QUALIFIER})\s{{1,3}})?({_ROLE_WORDS})\b,?\s{{1,3}}({_NAME})")
# "Sergei Lavrov, Russia's foreign minister,"
_ROLE_AFTER = re.compile(rf"{_START}({_NAME}),\s{{1,3}}(?:the\s{{1,3}})?(?:({_QUALIFIER})\s{{1,3}})?({_ROLE_WORDS})\b")
_VERB = "|".join(SPEECH_VERBS)
# "the foreign minister said", "Russia's foreign minister told reporters"
_ROLE_SAYS = re.compile(rf"(?:\b[Tt]he\s{{1,3}}|{_START}({_QUALIFIER})\s{{1,3}})({_ROLE_WORDS})\s{{1,3}}(?:also\s{{1,3}})?"
                        rf"(?:{_VERB})\b")
_ARTICLES = {"the", "a", "an"}
_PREPOSITION_BEFORE = re.compile(r"\b(?:with|(?<!according )to|of|for|by|about|from|against)\s{1,3}$")  # "according to" names one
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_THEY = re.compile(r"^\W*They\b")
_CAPITAL_WORD = re.compile(r"(?<![\w’'\-])[A-Z][\w’'\-]{1,40}")
_QUOTED = re.compile(r"[“\"]([^“”\"]{1,2000})[”\"]")
# "“We will not wait,” he added." / "..., she said.": the last named speaker goes on
_PRONOUN_AFTER = re.compile(rf"[,”\"’]\s{{0,3}}(?:he|she)\s{{1,3}}(?:also\s{{1,3}})?(?:{_VERB})\b")
# "said Lavrov" counts only after a quotation or a comma (", said Lavrov."), not "Blinken said Lavrov was wrong"
_LOOSE_INVERSION = re.compile(r"(?<![,”\"’\s])\s{1,5}(?:said|says|added|adds|explained|wrote|noted|stated|continued|"
                              r"warned|insisted)\s{1,3}(?:the\s{1,3})?([A-Z][\w’'.\-]{0,40}(?:\s{1,3}[A-Z][\w’'.\-]{0,40}){0,5})")


@dataclass
class Quotes:
    """What one person said, oldest first."""

    person: str
    as_of: str
    since: str
    statements: list[Event] = field(default_factory=list)
    earlier: int = 0  # statements left out before these (``newest``)
    first_day: str = ""  # the day of the first of all of them, when some are left out
    about: str = ""  # the topic the statements were looked for in reports on (a chat's), "" for any
    on_topic: bool = True  # False: no report on ``about`` quotes the person, these are on anything

    @property
    def citations(self) -> list[Citation]:
        return [c for e in self.statements for c in [e.citation, *e.also]]

    def as_text(self) -> str:
        """The statements as an answer's text: one dated line each, with its ``[n]`` markers."""
        if not self.statements:
            period = f" from {self.since} to {self.as_of}" if self.since else f" up to {self.as_of}"
            return f"The articles I have do not quote {self.person}{period}."
        lines = []
        if self.about:
            lines.append(f"What {self.person} said in reports on {self.about}:" if self.on_topic else
                         f"No report on {self.about} quotes {self.person}; what they said on anything:")
        if self.earlier:
            lines.append(f"The newest {len(self.statements)} of {len(self.statements) + self.earlier} statements "
                         f"(the first from {self.first_day or 'an undated report'}; the quotes command lists them all):")
        for event in self.statements:
            line = f"{event.day or 'undated'}: {quoted_line(event.citation.quote)} [{event.citation.n}]"
            if event.also:
                line += f" (also reported by {', '.join(event.outlets[1:]) or 'another report'}: "
                line += " ".join(f"[{c.n}]" for c in event.also) + ")"
            lines.append(line)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {"person": self.person, "as_of": self.as_of, "since": self.since,
                "statements": [e.to_dict() for e in self.statements], "earlier": self.earlier,
                "about": self.about, "on_topic": self.on_topic}


def newest(quotes: Quotes, count: int) -> Quotes:
    """The last ``count`` statements of ``quotes`` (the newest), their citations numbered from 1
    again: an answer in a chat, where ninety dated lines bury what was asked ("What has Nikki
    Haley said?"); the quotes command still lists every one."""
    if len(quotes.statements) <= count:
        return quotes
    kept, n = [], 1
    for event in quotes.statements[-count:]:
        cites = []
        for citation in (event.citation, *event.also):
            cites.append(replace(citation, n=n))
            n += 1
        kept.append(replace(event, citation=cites[0], also=cites[1:]))
    return replace(quotes, statements=kept, earlier=len(quotes.statements) - count,
                   first_day=quotes.statements[0].day or "")


def _tokens(name: str) -> list[str]:
    return [re.sub(r"(?:'s|’s)$", "", t).lower().strip(".,") for t in name.split()]


_TITLES = {"president", "mr", "mrs", "ms", "dr", "sen", "senator", "rep", "gov", "governor", "former", "first",
           "prime", "minister", "secretary", "judge", "lady", "sir", "dame", "general", "gen", "king", "queen",
           "prince", "princess", "pope", "the", "and", "but", "when", "as", "said", "says"}


def first_names(surname: str, article_text: str) -> set[str]:
    """The first names an article gives people of this surname ("Joe" and "Hunter" for Biden)."""
    found = re.findall(rf"{_START}([A-Z][\w’'\-]{{0,40}})\s{{1,3}}(?i:{re.escape(surname)})\b", article_text)
    return {f.lower() for f in found if f.lower() not in _TITLES}


def names_person(speaker: str, person: str, givens: set[str]) -> bool:
    """Is ``speaker`` (as a sentence names its speaker) the ``person`` asked about? The surname
    must agree, and the rest of the name too where both give it. A name given by surname alone
    (asked "Biden", or "Biden said") stands for one person only in an article that names one
    person of that surname: in a story about Joe, Hunter and Hallie Biden it is nobody's."""
    asked, said = _tokens(person), _tokens(speaker)
    if not asked or not said or asked[-1] != said[-1]:
        return False
    asked_given = [t for t in asked[:-1] if t not in _TITLES]
    said_given = [t for t in said[:-1] if t not in _TITLES and t in givens]
    if asked_given and said_given:
        return all(t in said for t in asked_given)
    if asked_given:  # "Biden said", asked for "Joe Biden": the article names him, and nobody else so
        return givens == {asked_given[0]}
    if said_given:  # "Hunter Biden said", asked for "Biden"
        return len(givens) == 1
    return len(givens) <= 1


def _qualifier_agrees(a: str, b: str) -> bool:
    """"Russia's" and "Russian" qualify a role alike; an empty qualifier agrees with any."""
    a, b = re.sub(r"(?:'s|’s)$", "", a.lower()), re.sub(r"(?:'s|’s)$", "", b.lower())
    return not a or not b or a[:5] == b[:5]


def roles(text: str) -> list[tuple[str, str, str]]:
    """(qualifier, role, name) for every person the article introduces with a role."""
    out = []
    for match in _ROLE_BEFORE.finditer(text):
        out.append((_qualifier(match.group(1)), _role(match.group(2)), clean_name(match.group(3))))
    for match in _ROLE_AFTER.finditer(text):
        out.append((_qualifier(match.group(2)), _role(match.group(3)), clean_name(match.group(1))))
    return [(q, r, n) for q, r, n in out if n]


def _qualifier(word: str | None) -> str:
    return "" if not word or word.lower() in _ARTICLES else word


def _role(words: str) -> str:
    return " ".join(w for w in words.lower().split() if w not in _ARTICLES)


def role_speaker(sentence: str, introduced: list[tuple[str, str, str]]) -> list[str]:
    """The person a role-named speaker is ("the foreign minister said"), when the article
    introduced exactly one person with that role (and qualifier)."""
    out = []
    for match in _ROLE_SAYS.finditer(sentence):
        qualifier, role = _qualifier(match.group(1)), _role(match.group(2))
        holders = {name for q, r, name in introduced
                   if (r == role or r.endswith(" " + role) or role.endswith(" " + r)) and _qualifier_agrees(q, qualifier)}
        surnames = {_tokens(n)[-1] for n in holders}
        if len(surnames) == 1:
            out.append(max(holders, key=len))
    return out


def statements(person: str, chunks: list[Passage]) -> list[tuple[Passage, int]]:
    """The sentences of one article (its chunks in order) that ``person`` speaks, as (chunk,
    sentence index); a sentence shared by two overlapping chunks is read once."""
    if not chunks:
        return []
    text = " ".join(c.text for c in chunks)
    asked = _tokens(person)
    if not asked or asked[-1] not in {t.lower().strip(".,") for t in re.findall(r"[\w’'\-]+", text)}:
        return []  # the article never names them
    introduced = roles(text)
    givens = first_names(person.split()[-1], text)
    sentences: list[tuple[Passage, int, str, list[str]]] = []  # each once: chunk, index, text, who it names speaking
    seen: set[int] = set()
    for chunk in chunks:
        for i, (start, _) in enumerate(chunk.sentences):
            if start not in seen:
                seen.add(start)
                sentence = chunk.sentence_text(i)
                sentences.append((chunk, i, sentence, named_speakers(sentence)))
    speakers = {_tokens(n)[-1] for *_, named in sentences for n in named if _tokens(n)}  # everyone speaking here
    speakers |= {_tokens(name)[-1] for _, _, name in introduced}
    out: list[tuple[Passage, int]] = []
    last: list[str] = []
    for chunk, i, sentence, explicit in sentences:
        loose = {m.group(1) for m in _LOOSE_INVERSION.finditer(sentence)}
        # a name "said" only precedes ("Blinken said Lavrov was wrong") speaks only if it spoke before;
        # one a verb follows is what is said ("Curt Smith, a former ambassador, said Nikki Haley will ...")
        kept = [n for n in explicit if (n not in loose or n in last) and not _after_preposition(sentence, n)
                and not _reported_subject(sentence, n)]
        # "He added ...": the speaker before goes on, unless the sentence names them after its "He"
        # ("He accused Haley of ..." is someone else speaking about her)
        inherited = ([n for n in last if n not in explicit and not _after_preposition(sentence, n)
                      and not _names_again(sentence, n)] if continues_speaker(sentence) else [])
        by_role = role_speaker(sentence, introduced)
        named = kept + [n for n in by_role if n not in kept]  # by the sentence itself, no pronoun
        names = kept + inherited + [n for n in by_role if n not in kept + inherited]
        if not names and _PRONOUN_AFTER.search(sentence):
            names = list(last)
        if not named and _THEY.match(sentence):  # "They say Trump abused his power": not one person
            names = []
        elif not named and _names_another(sentence, speakers, last):
            # "In the hours before Biden broke the news, he called ...": a pronoun after another
            # speaker's name is theirs, and a "He said" after it no longer continues the one before
            # (attributing no statement beats attributing someone else's)
            names = last = []
        if names:
            last = names
        if any(names_person(n, person, givens) for n in names):
            out.append((chunk, i))
    return out


_AUXILIARY = (r"will|would|is|was|are|were|has|had|have|could|should|must|can|may|might|did|does|do|"
              r"wants?|needs?|won[’']t|wouldn[’']t|isn[’']t|wasn[’']t|doesn[’']t|didn[’']t")


def _reported_subject(sentence: str, name: str) -> bool:
    """Is ``name`` where it follows "said" the subject of what is said ("... said Nikki Haley will have
    to win"), not the one saying it (", said Lavrov." / "said Lavrov on Tuesday")?"""
    return re.search(rf"\b(?:said|says|added|adds|noted|wrote|stated|warned|insisted)\s{{1,3}}(?:the\s{{1,3}})?"
                     rf"{re.escape(name)}\s{{1,3}}(?:{_AUXILIARY})\b", sentence) is not None


def _names_again(sentence: str, name: str) -> bool:
    """Does ``sentence`` name the person ``name`` (by surname) outside a quotation? A "He" that opens
    it is then someone else: a pronoun and the name it stands for do not share a clause so."""
    surname = _tokens(name)[-1] if _tokens(name) else ""
    return bool(surname) and surname in {POSSESSIVE.sub("", w).lower() for w in _CAPITAL_WORD.findall(
        _QUOTED.sub(" ", sentence))}


def _after_preposition(sentence: str, name: str) -> bool:
    """Is ``name`` where the sentence first gives it the object of a preposition ("one person
    allied with Harris told CNN", "a source close to Harris said"), not the one speaking?"""
    at = sentence.find(name)
    return at > 0 and bool(_PREPOSITION_BEFORE.search(sentence, max(0, at - 12), at))


def _names_another(sentence: str, speakers: set[str], last: list[str]) -> bool:
    """Does ``sentence`` name a speaker of the article other than those of ``last``, and none of
    them, before its first "he" or "she" (the pronoun's nearest antecedent)? Names inside a
    quotation do not count: "“... to defeat Donald Trump,” she said" is still the last speaker."""
    pronoun = _PRONOUN.search(sentence)
    if pronoun is None:
        return False
    prefix = _QUOTED.sub(" ", sentence[: pronoun.start()])
    if "“" in prefix or '"' in prefix:  # the pronoun may stand inside a quotation: not who speaks
        return False
    prefix = prefix[prefix.rfind("”") + 1 :]  # a quotation opened in a sentence before ends here
    current = {_tokens(name)[-1] for name in last if _tokens(name)}
    before = {POSSESSIVE.sub("", w).lower() for w in _CAPITAL_WORD.findall(prefix)}
    return not (current & before) and bool((speakers - current) & before)


def _quoted(text: str) -> str:
    found = _QUOTED.findall(text)
    longest = max(found, key=len, default="")
    return " ".join(content_tokens(longest)) if len(longest.split()) >= QUOTED_WORDS else ""


def same_statement(a: str, b: str) -> bool:
    """Two reports of one statement: nearly the same words, or the same words quoted."""
    qa, qb = _quoted(a), _quoted(b)
    if qa and qa == qb:
        return True
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= SAME_STATEMENT


def gather(person: str, as_of: date, since: date | None, found: list[tuple[Passage, int]]) -> Quotes:
    """The statements found, oldest first, one line per statement with the outlets repeating it.
    Undated articles go last (their statements cannot be placed in time)."""
    found = sorted(found, key=lambda t: (t[0].published or "9999", t[0].article_id, t[0].sentences[t[1]][0]))
    groups: list[list[tuple[Passage, int]]] = []
    for passage, i in found:
        text = flat(passage.sentence_text(i))
        home = next((g for g in groups if g[0][0].article_id != passage.article_id
                     and same_statement(flat(g[0][0].sentence_text(g[0][1])), text)), None)
        if home is None:
            groups.append([(passage, i)])
        else:
            home.append((passage, i))
    events, n = [], 1
    for group in groups:
        cites = []
        for passage, i in group:
            start, end = passage.sentences[i]
            cites.append(Citation.from_passage(n, passage, start, end))
            n += 1
        events.append(Event(day=group[0][0].published, citation=cites[0], also=cites[1:]))
    return Quotes(person=person, as_of=as_of.isoformat(), since=since.isoformat() if since else "", statements=events)
