"""How an extractive answer is worded around its quotes: the person a pronoun stands for (in
brackets, as newspapers do), the work a sentence only describes, and whether the next sentence
spells out what a sentence only refers to ("its demands" ... "Moscow says NATO shouldn't expand").

The cited quote is never changed: these only shape the answer text around it.
"""

from __future__ import annotations

import re

from bot.answering.places import regions_named
from bot.answering.question import Question, entities
from bot.answering.spans import NOT_A_PERSON, full_name, lone_words, names, people, person
from retrieval.text import POSSESSIVE

_PRONOUN_START = re.compile(r"^(\W*)(He|She|They|The (?:minister|official|president|diplomat|secretary|spokesman|"
                            r"spokeswoman|spokesperson|leader|chancellor|premier|senator|governor|mayor))\b")
_REFERS = re.compile(r"\b(demands?|proposals?|conditions|terms|guarantees|requests?|ultimatum|plan|offer|"
                     r"concerns|warnings?|position|response)\b[\W]*$|\b(its|their|his|her) (demands|proposals|"
                     r"conditions|terms|plan|offer|concerns)\b", re.I)
_SPELLS_OUT = re.compile(r"\b(should(?:n[’']t| not)?|must(?: not)?|wants?|demands?|insists?|calls? for|"
                         r"(?:is|are) asking|asks?|refrain|stop|withdraw|guarantee|promise|ban|no longer)\b", re.I)


def name_subject(sentence: str, speakers: list[str], before: str = "") -> str:
    """``sentence`` with a leading pronoun ("He", "the minister") followed by the person it stands
    for in brackets, when speaker attribution knows them; else unchanged. A speaker known by
    surname alone is given the full name the text ``before`` the sentence gave ("He [Sergei
    Lavrov]", not "He [Lavrov]"). When the sentence names a speaker itself, that speaker is
    someone else ("He signed off in 2015 after Trump announced ..."), and who the pronoun is stays
    unknown: no bracket."""
    match = _PRONOUN_START.match(sentence)
    if not match or not speakers:
        return sentence
    names = [person(s) for s in speakers if s[:1].isupper()]
    names = [full_name(n, before) if before and " " not in n else n
             for n in names if n and n.lower() not in ("he", "she", "they")]
    rest = sentence[match.end():]
    if not names or any(re.search(rf"\b{re.escape(n.split()[-1])}\b", rest) for n in names):
        return sentence
    who = " and ".join(dict.fromkeys(names)) if match.group(2) == "They" else names[0]
    end = match.end()
    return f"{sentence[:end]} [{who}]{sentence[end:]}"


_TITLE_QUOTE = re.compile(r"(?:^|(?<=[\s:(]))[‘'“\"]([^‘’'“”\"]{2,60}?)[’'”\"](?=$|[\s:,;.)!?])")


_DROPPED_G = re.compile(r"\win$")  # "Rockin'": an apostrophe for a dropped g, not the quote's end
_SINGLE = "‘’'"
# the rest of a title after its dropped g: capitalised words and the small words a title keeps in
# lower case ("Around the Christmas Tree"); never a sentence going on ("says 'no'", "critics'")
_TITLE_CASE = re.compile(r"(?: (?:[A-Z][\w’-]*|the|a|an|and|of|in|on|at|to|for|with|from|by|or)){1,8}")


def quoted_names(title: str) -> list[str]:
    """The names a headline quotes ("'Squid Game': Netflix ..." gives "Squid Game"), without the
    comma a headline keeps inside the quote ("'Succession,' 'The Bear' lead ..."), and whole where
    a single quote holds a dropped g ("'Rockin' Around the Christmas Tree' tops ...")."""
    out: list[str] = []
    skip_to = 0
    for m in _TITLE_QUOTE.finditer(title):
        if m.start() < skip_to:
            continue
        name, end = m.group(1), m.end()
        if m.group(0)[-1] in _SINGLE and " " not in name and _DROPPED_G.search(name):
            closing = next((i for i in range(end, min(len(title), end + 60)) if title[i] in _SINGLE), None)
            if (closing is not None and (closing + 1 == len(title) or not title[closing + 1].isalnum())
                    and _TITLE_CASE.fullmatch(title[end:closing])):
                name, end = title[m.start(1):closing], closing + 1
        skip_to = end
        name = name.strip().rstrip(",;:")
        if len(name) > 1:
            out.append(name)
    return out


def name_work(sentence: str, title: str, question: Question) -> str:
    """``sentence`` with the name of the show, film or book it calls "the wildly popular show"
    added in brackets, taken from the article's title ("'Squid Game': Netflix green lights season
    2"), when the question asks which show it is and the sentence never names one."""
    if not question.work or _TITLE_QUOTE.search(sentence) or re.search(r"[“\"]", sentence):
        return sentence
    called = re.search(rf"\b[Tt]he (?:[\w’'-]+ ){{0,4}}?{question.work}\b", sentence)
    names = [n for n in quoted_names(title) if n.lower() not in question.text.lower()]
    if not called or not names:
        return sentence
    return f"{sentence[:called.end()]} [{names[0]}]{sentence[called.end():]}"


_CAPITALISED = re.compile(r"[A-Z]")
# "the next closest team", "the first president", "the following platforms": one of several, not the story's subject
_ANOTHER = re.compile(r"\b(?:first|second|third|fourth|fifth|next|last|following|other|another|only|same|previous|"
                      r"former|\w+est|\d\w*)\b", re.I)


def name_described(sentence: str, title: str, question: Question, passage: str) -> str:
    """``sentence`` with the name its article's title gives the person or thing it only
    describes ("The comedian will return ..." under "Jon Stewart 'Daily Show' return" gives "The
    comedian [Jon Stewart] will return ..."), when the question asks which one of that kind it
    is (a person asked for may be "the ... star"): a news story names its subject in the headline
    and describes it after. Only a headline written in sentence case is read (in title case every
    word looks like a name), only a name that opens it or one of its parts (the headline's
    subject), and nothing when the sentence names it already. The name must be in the passage too, as the article writes it: a headline's
    opening words are not all a name ("Dozens of GM workers ...")."""
    if not question.kind or question.wants not in ("person", "name"):
        return sentence
    kind = f"{question.kind}|star" if question.wants == "person" else question.kind  # "the 'Top Gun' star"
    called = re.search(rf"\b[Tt]he ((?:[\w’'“”\"-]+ ){{0,3}}?)(?i:{kind})s?\b(?![’'\w]|[ ,]+[A-Z])", sentence)
    if not called or _ANOTHER.search(called.group(1)):
        return sentence
    words = [w for w in title.split() if len(w) > 3]
    if not words or sum(1 for w in words if _CAPITALISED.match(w)) > 0.6 * len(words):
        return sentence
    found = [bare for _, bare in people(title)] if question.wants == "person" else names(title)
    asked = question.text.lower()
    found = [POSSESSIVE.sub("", n) for n in found if " " in n and n.lower() not in asked and not _ANOTHER.match(n)]
    if (not found or found[0].split()[-1] in sentence or found[0] not in passage
            or not _opens(title, found[0])):
        return sentence
    return f"{sentence[:called.end()]} [{found[0]}]{sentence[called.end():]}"


def _opens(title: str, name: str) -> bool:
    """Does ``name`` open ``title`` or one of its parts ("... | Name ...", "...: 'Name' ...")?"""
    before = title.split(name, 1)[0].rstrip(" ‘'“\"")
    return not before or before[-1] in ":|—–-"


_MOST_SURNAMES = 2  # full names added to one sentence: past two the brackets crowd the quote
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_MOST_LOOKED = 12  # lone words of a sentence looked up: each reads the text before once


def name_surnames(sentence: str, before: str, question: Question) -> str:
    """``sentence`` with the full name of each person it calls by surname alone, in brackets ("Hurts
    [Jalen Hurts] and the Eagles agreed ..."), when the text ``before`` it names them in full and
    the question asks who: a reader shown one sentence has not read where the story introduced
    them. Not a body, a place, nor a name the sentence or the question already gives whole."""
    if question.wants != "person" or not before:
        return sentence
    asked = question.text.lower()
    cuts: list[tuple[int, str]] = []
    for start, end in lone_words(sentence)[:_MOST_LOOKED]:
        if _THE_BEFORE.search(sentence[max(0, start - 5):start]):  # "the Eagles", "the Senate": a body
            continue
        word = POSSESSIVE.sub("", sentence[start:end])
        whole = full_name(word, before)
        if (" " not in whole or whole in sentence or whole.lower() in asked or NOT_A_PERSON.search(whole)
                or regions_named("state", whole) or whole in (w for _, w in cuts)):
            continue
        cuts.append((end, whole))
        if len(cuts) == _MOST_SURNAMES:
            break
    for end, whole in reversed(cuts):
        sentence = f"{sentence[:end]} [{whole}]{sentence[end:]}"
    return sentence


_SURNAME_IN_FULL = re.compile(r"(?<![\w’'\-])([A-Z][\w’'\-]{1,40})((?:’s|'s|’|')?) \[([^\[\]]{1,80})\]")


_ONE_NAME = re.compile(r"\[([A-Z][\w’'\-]{1,40})\]")


def named_before(said: str, earlier: str) -> str:
    """``said`` with the brackets' names read against the answer's ``earlier`` text: a full name
    in brackets (``name_surnames``) it already gives is dropped ("Lincoln [Abraham Lincoln]" right
    after a quote naming "President Abraham Lincoln" tells the reader nothing new), and a pronoun's
    person known by surname alone is given the full name it gives ("He [Lavrov]" after a quote
    naming "Foreign Minister Sergei Lavrov" reads "He [Sergei Lavrov]")."""
    if "[" not in said:
        return said

    def kept(m: re.Match[str]) -> str:
        whole = m.group(3)
        if whole.split()[-1] == m.group(1) and whole in earlier:
            return f"{m.group(1)}{m.group(2)}"
        return m.group(0)

    def fuller(m: re.Match[str]) -> str:
        return f"[{full_name(m.group(1), earlier)}]"
    return _ONE_NAME.sub(fuller, _SURNAME_IN_FULL.sub(kept, said))


def as_quoted(sentence: str, speakers: list[str], title: str, question: Question, passage: str,
              before: str) -> str:
    """``sentence`` as an answer shows it: the person a leading pronoun stands for, the work,
    person or thing it only describes, and the person it calls by surname alone, named in
    brackets (``before``: its passage's text before it, where the names come from)."""
    said = name_described(name_work(name_subject(sentence, speakers, before), title, question), title, question,
                          passage)
    return name_surnames(said, before, question)


def refers_to_content(sentence: str) -> bool:
    """Does the sentence point at content it does not give ("its demands for security guarantees")?"""
    return bool(_REFERS.search(sentence.rstrip(" .”\"’")))


def spells_out(sentence: str, question: Question) -> bool:
    """Does ``sentence`` state content (what should happen, what is wanted), about something the
    question or its subject's side names?"""
    if not _SPELLS_OUT.search(sentence):
        return False
    return bool(entities(sentence)) or bool(set(question.entities) & set(entities(sentence)))
