"""Text helpers every layer shares: whitespace folding, stemmed tokens, speech verbs.

One home for them so loaders, the lexical index, the answerer and the renderers agree on what
a "word" and a "speech verb" are, and no module has to import another for a helper.
"""

from __future__ import annotations

import logging

import bm25s
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

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
    """Lowercased, stop-word-free, stemmed tokens; one list per text."""
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)
    return [list(t) for t in tokens]  # type: ignore[union-attr]


def content_tokens(text: str) -> set[str]:
    """Stemmed content words (stop words dropped), for overlap scores."""
    return set(tokenize([text])[0])
