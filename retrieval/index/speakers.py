"""Who says what: speaker attribution for sentences, computed once at ingest.

A news sentence that reports speech ("Lavrov said ...", "... , Blinken warned.", "He added
that ...", "Moscow says ...") names its speaker; the extractive answerer ranks such a sentence
above one that only mentions the person when the question asks what that person said or
demanded. Rules, not a model: fast, predictable, and good enough for reported speech in news.
"""

from __future__ import annotations

import re

from retrieval.text import POSSESSIVE, SPEECH_VERBS

_VERB = "|".join(SPEECH_VERBS)
# A name is at most eight words of at most 60 characters, and starts a word: unbounded runs of
# capitalised words would make each search quadratic on hostile text (a page of "AAAA").
_WORD = r"[A-Z][\w'’.\-]{0,60}"
_NAME = rf"(?:{_WORD}(?:\s{{1,5}}(?:of\s+|de\s+|van\s+|von\s+)?{_WORD}){{0,7}})"
# "McCarthy called a House vote" is an act, not words: "called" or "calls" before "a"/"an" speaks not
# Between a name and its verb, one description in commas (", 56,"), or two where the first describes
# and the second is where ("Ana Varga, a driver in Danbury, New Hampshire, said"; ", who is vacationing
# in Lake Tahoe, Nevada, told"); a place after "in", "at", "from" or "near" is where someone speaks,
# not who ("officials in Kyiv said"), and so is the rest of its name ("the office in Rapid City said").
_NAME_VERB = re.compile(rf"(?<![\w'’.\-])(?<!\bin\s)(?<!\bat\s)(?<!\bfrom\s)(?<!\bnear\s)({_NAME})"
                        rf"(?:,\s(?:a|an|the|who|whose|which)\s[^,]{{2,120}}(?:,[^,]{{3,40}})?,|,[^,]{{3,120}},)?\s{{1,5}}(?:hit back|also\s+)?\s*(?:{_VERB})\b"
                        r"(?!(?:(?<=called)|(?<=calls))\s+an?\s)")
_INVERTED = "said|says|added|adds|explained|wrote|noted|stated|continued|warned|insisted"
_VERB_NAME = re.compile(rf"\b(?:{_INVERTED})\s+(?:the\s+)?({_NAME})")
_ACCORDING = re.compile(rf"\baccording to\s+(?:the\s+)?({_NAME})")
_PRONOUN_VERB = re.compile(
    rf"^\W*(?:He|She|They)\s+(?:also\s+)?(?:{_VERB}|expressed|hit back)\b"
)
# a match that starts inside a place's name ("in Rapid| City said"); a long title before a name is cut
# to its last eight words instead ("... Sheriff's Office Deputy Director Robert Jump said")
_REACH = 500  # characters looked back for it: a bounded look keeps a hostile page's search linear
_NAME_GOES_ON = re.compile(r"\b(?:in|at|from|near)\s+(?:[A-Z][\w'’\-]*\s+){1,7}$")
_STOP_NAMES = {"The", "A", "An", "But", "And", "However", "It", "This", "That", "In", "On", "He",
               "She", "They", "We", "I", "You", "There", "When", "While", "After", "Following"}


def clean_name(raw: str) -> str:
    words = raw.strip(" .,'’").split()
    while words and words[0] in _STOP_NAMES:
        words = words[1:]
    return " ".join(words)


def sentence_speakers(sentence: str, previous: list[str]) -> list[str]:
    """Names of who speaks in ``sentence``; a leading "He said" inherits ``previous``."""
    names = named_speakers(sentence)
    if continues_speaker(sentence):
        names.extend(n for n in previous if n not in names)
    return names


def named_speakers(sentence: str) -> list[str]:
    """The speakers ``sentence`` names itself ("Lavrov said", "said Blinken", "according to Price");
    a possessive is no speaker ("according to Biden's aides": the aides speak)."""
    names: list[str] = []
    for pattern in (_NAME_VERB, _VERB_NAME, _ACCORDING):
        for match in pattern.finditer(sentence):
            if POSSESSIVE.search(match.group(1)) or _NAME_GOES_ON.search(sentence[max(0, match.start(1) - _REACH):match.start(1)]):
                continue
            name = clean_name(match.group(1))
            if name and name not in names:
                names.append(name)
    return names


def continues_speaker(sentence: str) -> bool:
    """Does ``sentence`` open with a pronoun that speaks ("He added ..."): the speaker before goes on?"""
    return bool(_PRONOUN_VERB.search(sentence))


def attribute(sentences: list[str]) -> list[list[str]]:
    """Speakers for each sentence of one article, in order (pronouns resolve backwards)."""
    out: list[list[str]] = []
    last: list[str] = []
    for sentence in sentences:
        names = sentence_speakers(sentence, last)
        out.append(names)
        if names:
            last = names
    return out
