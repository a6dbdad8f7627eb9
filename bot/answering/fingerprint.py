"""A digest of what the answer models learn from, read from a few stories written for it.

The answer command (``bench/train_answers.py``) records it in the weights it writes; a test
computes it again from the code as it stands (0.4 s). When the two differ, the way questions are
read (the kind of answer asked for), sentences are turned into features or spans are cut has changed
since the shipped models learned: they would score rows unlike the ones they learned from, and
the documented command would no longer write the shipped files. Re-run the command then.

Only what the code reads goes in: each question's reading (every field), each sentence's
``scoring.FEATURES`` and names, and each candidate span's ``leads.FEATURES`` but the two that are
the answer model's own scores. Vectors come from hashed words (no model), values are rounded, so
the digest is the same on any machine and for any weights.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date

import numpy as np

from bot.answering.leads import FEATURES as LEAD_FEATURES
from bot.answering.leads import candidates
from bot.answering.question import Question, read
from bot.answering.scoring import AnswerModel
from bot.answering.sentences import SentenceScorer
from bot.answering.spans import names
from retrieval.index.chunking import split_sentences
from retrieval.models import Passage
from retrieval.text import hashed_vectors

DIMENSIONS = 64
PLACES = 4  # decimals kept: far above the noise of float sums, far below what a change moves
_MODEL_SCORES = {"sentence_gap", "sentence_score"}  # the answer model's own scores, not the code's

# Stories written for the digest: names, amounts, counts, days, ages, places, quoted titles,
# teams, bodies and what reporting words a news page holds.
STORIES: tuple[tuple[str, str, str, str], ...] = (
    ("harbor-vote", "Harbor City elects its first woman mayor", "2024-03-06",
     "HARBOR CITY (Riverton News) Ana Ruiz, 52, won the Harbor City mayoral race on Tuesday, beating incumbent "
     "Tom Reed by 4,200 votes. Ruiz, a former teacher, will be sworn in on Jan. 3. “We did it together,” Ruiz told "
     "supporters at the Lantern Hall. Turnout was 61%, according to the Harbor County Board of Elections. Reed "
     "said Wednesday that he would not seek a recount. Reed tested positive for Covid-19 Thursday, his aides said."),
    ("lantern-recall", "Lantern Cola recalls 2.9 million cans", "2024-03-05",
     "Lantern Cola Co. is recalling 2.9 million cans of its diet soda sold in 14 states after metal fragments "
     "were found, the Food and Drug Administration said Monday. The recall covers cans made at its plant in "
     "Ridge Falls, Ohio, between January and March. No injuries have been reported. Shares of Lantern Cola fell "
     "3.5% to $41.20. Photo: A can of diet soda. (AP Photo/Jane Doe)"),
    ("owls-title", "Ridge State Owls win the Northland Shield", "2024-03-04",
     "The Ridge State Owls beat the Lakeside Lions 38-35 on Sunday to win the 2024 Northland Shield, their first "
     "title since 1998. Owls quarterback Sam Park threw for 310 yards and three touchdowns. The Lions, the 2023 "
     "champions, had won 12 straight games. Owls coach Maria Lopez was named coach of the year by the Northland "
     "League. The parade is set for Friday in Ridge City."),
    ("fire", "Wildfire threatens sequoias near Crescent National Park", "2024-07-12",
     "CRESCENT (Riverton News) More than 500 firefighters are battling a wildfire that started Thursday in "
     "Crescent National Park's Silverleaf Grove. It has burned 2,340 acres and forced hundreds of people to "
     "evacuate, officials said. "
     "The grove is home to some 500 mature sequoias, some over 3,000 years old. Crescent National Park said the "
     "fire was 22% contained as of Sunday."),
    ("deal", "Writers reach a deal with studios", "2023-09-27",
     "Hollywood writers and studios have reached a tentative agreement to end a strike that lasted nearly five "
     "months. The Riverton Writers Guild announced the deal late Sunday with the Alliance of Motion Picture and "
     "Television Producers. The three-year contract raises minimum pay by 12.5%. King Leo gave the guild's "
     "president the title of Knight of the Harbor in a ceremony at Crown Palace. The show “Harbor Lights” will "
     "resume filming in October."),
)

QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Who won the Harbor City mayoral race?", ("harbor-vote",)),
    ("How old is the new mayor of Harbor City?", ("harbor-vote",)),
    ("By how many votes did Ana Ruiz win?", ("harbor-vote",)),
    ("When will Ruiz be sworn in?", ("harbor-vote",)),
    ("What did Ruiz tell her supporters?", ("harbor-vote",)),
    ("What was the turnout in the Harbor City election this week?", ("harbor-vote",)),
    ("Which soda maker recalled millions of cans this week?", ("lantern-recall", "harbor-vote")),
    ("How many cans did Lantern Cola recall?", ("lantern-recall",)),
    ("In which state is the plant behind the recall?", ("lantern-recall",)),
    ("Which federal agency announced the recall?", ("lantern-recall",)),
    ("Which team won the 2024 Northland Shield?", ("owls-title", "harbor-vote")),
    ("Who won the Northland Shield?", ("owls-title",)),
    ("Which quarterback threw three touchdowns on Sunday?", ("owls-title",)),
    ("Which coach was named coach of the year?", ("owls-title",)),
    ("Which grove in Crescent National Park is burning?", ("fire",)),
    ("How many acres has the wildfire burned?", ("fire",)),
    ("Where did the wildfire start?", ("fire",)),
    ("Which union reached a deal with the studios?", ("deal",)),
    ("Which title did King Leo give the guild's president?", ("deal", "owls-title")),
    ("By what percentage does the contract raise minimum pay?", ("deal",)),
    ("Which show will resume filming in October?", ("deal",)),
)

# Questions read without passages: the readings the models' features start from.
READINGS: tuple[str, ...] = (
    "What NFL star announced his retirement on Tuesday?", "Which island nation plunged into chaos?",
    "Which age group can now get the shot?", "What US state saw the most damage?",
    "The couple said they were chased in what city?", "Whom did the US send to the talks?",
    "What do officials believe the objects were?", "What is the state of the economy?",
    "Which U.S. state saw its governor sign the bill?", "Which major U.S. city will host the Final Four?",
    "What is the name of the U.K. minister who resigned?", "Whose album became the most streamed of all time?",
    "She has served as prime minister since when?", "The rocket launched from where?",
    "Which restaurant did President Joe Biden hire to cater the summit?", "Which measure did lawmakers leave out?",
    "Which two automakers are discussing a merger?", "When is the next total solar eclipse?",
    "Why did the bank raise rates?", "What did Lavrov demand?", "How did the Kremlin respond?",
    "Which new feature did the app add?", "Which sitcom made him famous?", "Which airline found loose bolts?",
    "Who is Lavrov?", "Who wrote this article?", "Which actor who played the lighthouse keeper died?",
    "How much did the lunch with Warren Buffett sell for?", "What percentage of voters turned out?",
    "Which public figure filed paperwork to run for president?", "Household debt passed which massive figure?",
    "Which Republican lost the vote for speaker?", "Which member of the royal family will take on his duties?",
    "What was the magnitude of the quake?", "How soon could the shots be available?",
    "The team had not won the title since:", "The record was previously held by:",
    "The president held talks with this leader, his Canadian counterpart:", "The robocall faked the voice of who?",
    "She won the vote by what margin?", "What was the final score of the game?",
    "The trial is set to begin in which month?",
)


def _passage(article_id: str, title: str, published: str, text: str) -> Passage:
    spans = split_sentences(text, 0, len(text))
    return Passage(chunk_id=f"{article_id}:0", article_id=article_id, text=text, start=0, end=len(text), position=0,
                   sentences=spans, speakers=[[] for _ in spans], title=title, outlet="Riverton News",
                   published=published)


def _reading(question: Question) -> dict[str, object]:
    """Every field of the reading, so a field added later is covered too."""
    return asdict(question)


def _plain(value: object) -> object:
    """What JSON cannot write of a reading: sets sorted (their order changes between processes), days."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no plain form for {type(value).__name__}")


def _rounded(rows: np.ndarray, keep: Sequence[int] | None = None) -> list[list[float]]:
    kept = rows if keep is None else rows[:, list(keep)]
    return [[round(float(v), PLACES) for v in row] for row in kept]


def feature_digest(readings: Sequence[str] = READINGS) -> str:
    """The digest of the readings, sentence rows and span rows the code gives for the stories."""
    passages = {s[0]: _passage(*s) for s in STORIES}
    scorer = SentenceScorer(lambda texts: hashed_vectors(list(texts), DIMENSIONS), AnswerModel.plain())
    keep = [i for i, name in enumerate(LEAD_FEATURES) if name not in _MODEL_SCORES]
    record: list[object] = [[_reading(read(q)) for q in readings]]
    for text, ids in QUESTIONS:
        question = read(text)
        handed = [passages[i] for i in ids]
        scored = sorted(scorer.score(question, handed), key=lambda c: (c.rank, c.index))
        rows = np.asarray([c.row for c in scored], np.float32)
        spans, lead_rows = candidates(question, scored, handed)  # in the stories' order, not a model's
        record.append([_reading(question), _rounded(rows), [s.text for s in spans], _rounded(lead_rows, keep)])
    for passage in passages.values():  # every name a sentence holds, as found and as shown in bold
        said = [passage.sentence_text(i) for i in range(len(passage.sentences))]
        record.append([[names(t), names(t, trimmed=True)] for t in said])
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=_plain).encode()).hexdigest()[:16]

