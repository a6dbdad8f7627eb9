"""Text helpers every layer shares: whitespace folding, stemmed tokens, speech verbs, spelled
numbers and month names, and vectors of hashed words for checks that need vectors without a model.

One home for them so loaders, the lexical index, the answerer and the renderers agree on what
a "word" and a "speech verb" are, and no module has to import another for a helper.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # words of two characters or more
# Lucene's English stop set: few enough that "who", "when" and "new" still count
STOPWORDS = frozenset("a an and are as at be but by for if in into is it no not of on or such that the their "
                      "then there these they this to was will with".split())

SPEECH_VERBS = (
    "said says say told tells warned warns demanded demands demand added adds explained explains "
    "believes believed expressed expresses suggested suggests pledged pledges counters countered "
    "asked asks announced announces stated states claimed claims insisted insists urged urges "
    "argued argues noted notes wrote writes accused accuses responded responds replied replies "
    "saying hit\\sback called calls threatened threatens vowed vows denied denies admitted admits"
).split()


def flat(text: str) -> str:
    """Whitespace folded to single spaces (hard-wrapped quotes read as one line)."""
    return " ".join(text.split())


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lowercased, stop-word-free, stemmed tokens; one list per text (bm25s's tokenizer's rules,
    without importing bm25s and scipy on every cold start)."""
    return [_STEMMER.stemWords([w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]) for text in texts]


def content_tokens(text: str) -> set[str]:
    """Stemmed content words (stop words dropped), for overlap scores."""
    return set(tokenize([text])[0])


def hashed_vectors(texts: list[str], dimension: int) -> np.ndarray:
    """Unit vectors of hashed word stems: texts sharing words are close, with no model (for
    checks and tests that need vectors, the same in every process)."""
    out = np.zeros((len(texts), dimension), np.float32)
    for row, words in zip(out, tokenize(texts)):
        for word in words:
            row[int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % dimension] += 1.0
        norm = float(np.linalg.norm(row))
        if norm:
            row /= norm
    return out


# One table of spelled numbers and one of month names; each reader takes the part it needs.
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
# A word's possessive ending ("McCarthy's", "Lions'"): whose something is, stripped or tested for
POSSESSIVE = re.compile(r"[’']s?$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # date.weekday() order
MONTH_ABBREVIATIONS = {"jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
                       "jul": "july", "aug": "august", "sept": "september", "sep": "september", "oct": "october",
                       "nov": "november", "dec": "december"}
MONTHS_SHORT = tuple(m.capitalize() for m in MONTH_ABBREVIATIONS)  # "Jan", "Sept": a month as written short in text


def spelled(low: int, high: int) -> dict[str, int]:
    """The spelled numbers from ``low`` to ``high``, in order ("one": 1 ...)."""
    return {w: n for w, n in NUMBER_WORDS.items() if low <= n <= high}


_SLUG_NOISE = re.compile(r"^(index|article|story|amp|html?)$|^\d+$|\.s?html?$", re.IGNORECASE)
TITLE_WORDS = 10  # of an untitled article's text shown as its title


def site_of(url: str) -> str:
    """The site a link is on ("cnn.com" for https://www.cnn.com/...), "" when there is none: the
    outlet to show for an article that names none."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.") if "." in host else ""


def title_for(url: str, text: str) -> str:
    """A title to show for an untitled article: the words of its link's last readable path part
    ("florida-heaviest-python-captured" -> "Florida heaviest python captured"), else its first words."""
    from urllib.parse import urlsplit

    try:
        parts = [p for p in urlsplit(url).path.split("/") if p and not _SLUG_NOISE.search(p)]
    except ValueError:
        parts = []
    slug = next((p for p in reversed(parts) if "-" in p or "_" in p), "")
    if slug:
        words = re.sub(r"\.\w+$", "", slug).replace("_", " ").replace("-", " ").split()
        return " ".join(words)[:1].upper() + " ".join(words)[1:]
    words = text.split()
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
