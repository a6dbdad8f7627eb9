"""The default answerer: it answers with the article's own sentences, so it is true by construction.

The sentences of the retrieved passages are scored by the learned answer model
(``sentences.py``); the answer comes from the article ranked first: its best one to three
sentences, each with its ``[n]``, led by the span the question asks for (``phrasing.py``). The
model's best score, calibrated on the training years, is the answer's confidence: below one
threshold the bot abstains, below another it says what the closest report says and that it
may not answer the question. When another article's best sentence is as good and gives another
answer, the answer says that reports differ. A question about names the passages never
mention is an abstention, and so is one the passages are not about at all (the model's coverage:
how near in meaning the closest sentence or passage comes, how many of the question's words one
sentence holds, with the answer's score), such as a small store asked about news it never
reported; one they may not be about is hedged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

import numpy as np

from bot.answer import NOT_COVERED, REPORTS_DIFFER, Citation, Draft, History, TokenSink
from bot.answering.features import figures, tells_of_past
from bot.answering.leads import FEATURES as LEAD_FEATURES
from bot.answering.leads import LeadModel
from bot.answering.leads import candidates as lead_candidates
from bot.answering.phrasing import as_quoted, name_subject, named_before, refers_to_content, spells_out
from bot.answering.question import Question, mentions_name, stated_figures
from bot.answering.roles import Described, day_order, mentions, role_of, was_role
from bot.answering.scoring import FEATURES as SCORING_FEATURES
from bot.answering.sentences import Scored, SentenceScorer
from bot.answering.spans import YEAR_FIGURE, folded, outcomes, same_answer
from bot.answering.when import all_before
from retrieval.dates import day_of
from retrieval.models import Passage
from retrieval.text import content_tokens


@dataclass(frozen=True)
class AnswerConfig:
    """How sure an extractive answer must be and how long it may grow; from the settings."""

    threshold: float  # below this confidence the answer is an abstention
    max_sentences: int
    entity_coverage: float  # share of the question's names the passages must mention
    gap: float  # another sentence of the article joins when it scores within this of the best
    hedge: float = 0.0  # below this confidence the answer is hedged ("the closest report says")
    differ: float = 0.0  # another article's answer scoring within this of the lead's is shown beside it
    lead: float = 0.0  # the chance of holding the answer a span needs to be bolded
    cover: float = 0.0  # below this chance that the articles are about the question at all, abstain
    cover_hedge: float = 0.0  # below this chance of it, hedge
    differ_chance: float = 0.0  # both spans of "Reports differ" need this chance; a weaker pair is quoted, not set apart


class Weighed(NamedTuple):
    """The sentences scored for a question, and whether the passages are about it at all."""

    ranked: list[Scored]  # every sentence, best first
    mine: list[Scored]  # those an answer is made of (``leading``), best first
    best: float  # their best score: what the confidence is read from
    closest: float  # the closest sentence's or passage's cosine with the question (``closest``)
    words: float  # the largest share of the question's words a sentence holds (``words``)
    covered: float  # the chance the passages are about the question, read from the three above
    refusal: Draft | None  # the abstention when they are not (too few names, or too little coverage)


class Vetted(NamedTuple):
    """Whether the passages are about a question, for an answerer other than this one."""

    refusal: Draft | None  # the abstention when they are not
    doubt: str  # the notice an answer from them carries when they may not be ("" when they are)
    covered: float  # the chance that they are


REDUNDANT_OVERLAP = 0.7  # a sentence sharing this much of its content words with a chosen one adds nothing
RELATED_SHOWN = 2  # nearest sentences shown as "related" with an abstention
# Another article's sentence leads only when it beats the first article's best by this much (log-odds
# of the answer model): the ranking stage weighed the articles. Chosen on the training years (mean
# answer accuracy of 2022-2024 at 0.5 / 0.75 / 1.0 / 1.25 / 1.5: 0.5894 / 0.5909 / 0.5892 / 0.5881 /
# 0.5894; "always the first article" was about 0.01 lower in an earlier sweep).
OTHER_ARTICLE = 0.75
# A report this many days older than the answer's own (or the article ranked first) is older news:
# its other answer is no disagreement ("the Rams beat the Bengals last season" beside this year's
# winner), so "Reports differ" is said only between reports this close in time, or with the other
# newer, and an older one is quoted after the answer; nor does its sentence scoring far better take
# the answer from the article ranked first. On the training years, of 37 "Reports differ" answers, 18
# set an answer against a report over 30 days older: the lead's answer was right 12 times, the older
# report's once; kept to the article ranked first, 19 answers changed: 4 wrong ones right, none wrong.
OLDER_NEWS_DAYS = 30
_DENSE = SCORING_FEATURES.index("dense")
_LEXICAL = SCORING_FEATURES.index("lexical")
NO_SENTENCE = -10.0  # the best score of passages without a sentence: a confidence near 0
HEDGE = "The closest report may not answer this. It says:"
UNSURE = "Low confidence: this may not answer the question"  # a hedge's notice, below the hedge confidence
OFF_SUBJECT = "The articles found may not be about this question"  # a hedge's notice, below the coverage hedge


class ExtractiveAnswerer:
    """Composes answers from cited source sentences."""

    name = "extractive"
    streams = False

    def __init__(self, scorer: SentenceScorer, config: AnswerConfig, same_claim: float,
                 leads: LeadModel | None = None, unrelated: Callable[[], float | None] | None = None) -> None:
        """``same_claim``: the cosine at which two articles' sentences state one claim (the
        embedding model's); ``leads`` chooses the bold span (the pattern rule when None);
        ``unrelated``: how close questions about nothing in the store come to it, which the
        coverage reads closeness against (unknown when None)."""
        self.scorer = scorer
        self.config = config
        self.same_claim = same_claim
        self.leads = leads or LeadModel.rule()
        self.unrelated = unrelated or (lambda: None)

    def covers_entities(self, question: Question, passages: list[Passage]) -> bool:
        """Do the passages mention enough of the names the question asks about, counted by their
        words, a name of several words mentioned only as one ("Hurricane Ian")? ("US" in "the US
        box office" and "American" in "which American chain" are no names the answer must repeat.)"""
        if not question.phrases:
            return True
        pool = " ".join(p.title + " " + p.text for p in passages)
        found = sum(len(n) for n in question.phrases if mentions_name(pool, n))
        return found / sum(len(n) for n in question.phrases) >= self.config.entity_coverage

    def rewrite(self, history: History, question: str) -> str | None:
        """No model to rewrite with: the conversation's own rules make follow-ups standalone."""
        return None

    def answer(self, question: Question, passages: list[Passage], on_token: TokenSink | None = None) -> Draft:
        """The first article's best-supported sentences as the answer; ``on_token`` is unused
        (nothing streams)."""
        return self.answer_weighed(question, passages)[0]

    def vetted(self, question: Question, passages: list[Passage]) -> Vetted:
        """Are ``passages`` about ``question``? What any answerer checks before answering, so
        that no model is handed articles about other news to answer from: the abstention when
        they are not (too few of the names it asks about, or a coverage below the threshold), the
        notice an answer carries when they may not be (a coverage below the hedge threshold)."""
        weighed = self.weigh(question, passages)
        return Vetted(weighed.refusal, OFF_SUBJECT if weighed.covered < self.config.cover_hedge else "", weighed.covered)

    def weigh(self, question: Question, passages: list[Passage]) -> Weighed:
        """The scored sentences, what the confidence and coverage are read from, and whether the
        passages are about the question at all."""
        ranked = self.scorer.score(question, passages)
        if not ranked:
            return Weighed(ranked, [], NO_SENTENCE, 0.0, 0.0, 0.0, abstention(0.0, ranked))
        mine = leading(question, ranked, passages)
        best, near, share = best_of(mine), closest(ranked, passages), words(ranked)
        covered = self.scorer.model.covers(near, share, best, self.unrelated())
        refusal = None
        if not self.covers_entities(question, passages):
            refusal = abstention(0.0, ranked)
        elif covered < self.config.cover and not _says_what(question, ranked):
            refusal = replace(abstention(self.scorer.model.confidence(best), ranked), covered=covered)
        return Weighed(ranked, mine, best, near, share, covered, refusal)

    def given(self, question: Question, ranked: list[Scored], passages: list[Passage], mine: list[Scored],
              best: float, covered: float) -> Draft:
        """The answer once it is not withheld: asserted, hedged, the newest of reports over time,
        or reports that differ; ``mine`` are the sentences it is made of, best first, ``best``
        their best score and ``covered`` the chance the articles are about the question."""
        cfg = self.config
        lead = mine[0]
        confidence = self.scorer.model.confidence(best)
        chosen = self.chosen(mine)
        subject = question.described
        role = role_of(lead.text, subject) if subject else ""
        if subject and role:  # "Who is X?", "What is X?" answered by what X is: the quotes are about X
            chosen = [c for c in chosen if mentions(c.text, subject)] or chosen[:1]
        # Asked who or what a name the quotes give is, no other name or span answers it, though
        # no sentence says what it is ("Who is Martha Stewart?" is not "Sports Illustrated")
        named = subject is not None and (bool(role) or any(mentions(c.text, subject) for c in chosen))
        reports = over_time(lead, ranked, lead.score - cfg.gap, self.same_claim) if question.figure else []
        if question.what_said:
            for said in chosen:  # the first chosen sentence whose content the next one spells out
                content = spelled_out(said, ranked, question)
                if content is not None:
                    chosen = [said, content]  # what was said, spelled out: the answer is whole
                    break
        # reports over time already set the figures against each other; what someone is ("Who is
        # Lavrov?") is no answer two reports give differently
        differ = None if reports or named else differing(lead, ranked, cfg.differ, lambda c: self.leads.best(question, [c], passages, self.scorer.embed),
                                                         chosen)
        cited = [*chosen, *reports, *([differ.other] if differ is not None else [])]
        days = [day_of(c.passage.published) for c in cited]
        older = all_before(question.reports_since, days)
        stale = all_before(question.news_since, days)
        aged = older or stale
        if aged:
            # Only older reports answer "this week", or only old news a question naming no time:
            # right far less often (calibrated on the training years), so the answer may be hedged,
            # and its span is not bolded (right 24 of the 62 times older reports' was, 5 of 22 old
            # news's, on the training years); still no reason to say nothing.
            confidence = self.scorer.model.confidence(best, older=older, stale=stale)
        # An article that never names what the question is about may answer another story (the
        # Stanley Cup for "the World Cup"): right less than half the time on the training years.
        own = [p for p in passages if p.article_id == lead.passage.article_id]
        # (An article that says what the person or thing asked about is, is about them.)
        if (covered < cfg.cover_hedge and not role) or not self.covers_entities(question, own):
            return hedged(chosen, confidence, OFF_SUBJECT, question)
        if confidence < cfg.hedge and not role:  # a role is read as written, not guessed at
            return hedged(chosen, confidence, UNSURE, question)
        if differ is not None:
            stands = older_news(differ.other.passage, lead.passage)  # the other answer is older news
            # a count an earlier day's report gave is one the newer report updates ("at least four
            # people died", then "at least 62"): the newer figure leads
            stands = stands or (question.figure and _earlier(differ.other.passage, lead.passage))
            # a toll the other report gives a later day leads the same way (ours ranked first, but earlier)
            if question.figure and outcomes(question.text) and _earlier(lead.passage, differ.other.passage) and not aged:
                shown = differ.theirs if differ.theirs_chance >= cfg.lead else ""
                return replace(compose([differ.other], confidence, question, lead, lead=shown), span=differ.theirs,
                               span_chance=differ.theirs_chance)
            likely = min(differ.ours_chance, differ.theirs_chance) >= max(cfg.differ_chance, cfg.lead)
            # a sentence telling of years long before its report ("Al Dark won a World Series in
            # 1974") is background, not a report giving another answer to the news asked about
            likely = likely and not any(tells_of_past(c.text, c.passage.day, question.text) for c in (lead, differ.other))
            if not stands and likely and not aged and not differ.gives_both:
                return compose(chosen, confidence, question, differ.other, differ.ours, differ.theirs)
            # two answers not both likely enough (either may be too weak to bold), both from reports
            # older than the window or old news, or a report naming both ("the 49ers have a 50.6%
            # chance of beating the Chiefs, according to the ESPN Matchup Predictor" names no other
            # winner): both quoted, the answer's own first, none asserted; against older news, or
            # where the answer's own quotes give theirs too ("Hunter Biden" convicted, in a report that
            # names "President Joe Biden" as well), the answer's own span is bolded as any answer's is
            ours = stands or (differ.quotes_theirs and not differ.names_ours)
            shown = differ.ours if ours and differ.ours_chance >= cfg.lead and not aged else ""
            return replace(compose(chosen, confidence, question, differ.other, lead=shown), span=differ.ours,
                           span_chance=differ.ours_chance)
        newest = reports[0] if reports and reports[0].passage.article_id != lead.passage.article_id else None
        if named:  # the words that give the person (or thing) and its role lead, as written
            span, chance = role, None
            shown = "" if aged else span
        else:
            span, chance = self.leads.best(question, [newest] if newest is not None else chosen, passages,
                                           self.scorer.embed)
            shown = span if chance is not None and chance >= cfg.lead and not aged else ""
        if reports:  # the newest figure leads, each report with its day
            draft = latest_first(reports, chosen, confidence, question, shown)
        else:
            draft = compose(chosen, confidence, question, lead=shown)
        return replace(draft, span=span, span_chance=chance)

    def chosen(self, mine: list[Scored]) -> list[Scored]:
        """The sentences an answer quotes, of ``leading``'s: the best, and the next ones that
        score within the gap of it and add something."""
        cfg = self.config
        lead = mine[0]
        chosen = [lead]
        for cand in mine[1:]:
            if len(chosen) == cfg.max_sentences:
                break
            if cand.text.endswith("?") or cand.asked < lead.asked:  # a question in the article; the old
                continue  # figure beside the new one, a non-cause beside the cause
            reach = cfg.gap * (2 if cand.asked > lead.asked else 1)  # it states the cause the lead lacks
            if cand.score >= lead.score - reach and not _redundant(cand, chosen):
                chosen.append(cand)
        return chosen

    def lead_candidates(self, question: Question, passages: list[Passage]) -> tuple[list[str], np.ndarray]:
        """The spans the bold lead is chosen from for ``question`` and their rows of
        ``leads.FEATURES`` (what ``bench/train_answers.py`` learns the lead model from)."""
        ranked = self.scorer.score(question, passages)
        if not ranked:
            return [], np.zeros((0, len(LEAD_FEATURES)), np.float32)
        spans, rows = lead_candidates(question, self.chosen(leading(question, ranked, passages)), passages,
                                      self.scorer.embed)
        return [s.text for s in spans], rows

    def answer_weighed(self, question: Question, passages: list[Passage]) -> tuple[Draft, Weighed]:
        """The answer (as ``answer`` gives it) and what it was weighed on, scored once: what the
        answer command fits the confidence and the coverage on."""
        weighed = self.weigh(question, passages)
        if weighed.refusal is not None:
            return weighed.refusal, weighed
        confidence = self.scorer.model.confidence(weighed.best)
        if confidence < self.config.threshold:
            return replace(abstention(confidence, weighed.ranked), covered=weighed.covered), weighed
        draft = self.given(question, weighed.ranked, passages, weighed.mine, weighed.best, weighed.covered)
        return replace(draft, covered=weighed.covered), weighed


def closest(ranked: list[Scored], passages: list[Passage]) -> float:
    """The cosine with the question of the sentence or passage closest to it in meaning (0 for
    none): how near the articles come to its subject at all. Passages count too: a sentence
    ingest left unembedded (past a chunk's opening) has no cosine of its own, though its passage
    does."""
    sentences = (float(c.row[_DENSE]) for c in ranked if c.row is not None)
    return max([*sentences, *(p.dense for p in passages if p.dense is not None)], default=0.0)


def words(ranked: list[Scored]) -> float:
    """The largest share of the question's words one sentence holds (0 for none)."""
    return max((float(c.row[_LEXICAL]) for c in ranked if c.row is not None), default=0.0)


def best_of(mine: list[Scored]) -> float:
    """The score an answer's confidence is read from: the best of its article's sentences."""
    return max(c.score for c in mine)


def leading(question: Question, ranked: list[Scored], passages: list[Passage]) -> list[Scored]:
    """The sentences an answer is made of, best first: those of the article ranked first (the
    ranking stage weighed the articles; the sentence scores weigh sentences) unless another
    article's sentence scores far better, or only another article states the figures the
    question gives ("1.4 million vehicles" pins down which recall; a year does not); a question
    or a headline fragment comes last. For a question asking for the new figure ("How much ...,
    per the new estimate?"), a sentence of that article stating the new one leads one stating
    the old one, whatever their scores: the question says which of the two it wants. (For any
    question asking for a new thing the rule changed 4 answers of 2024's 574 and lost one.)

    (A rule putting a sentence that states a cause or the new figure first was tried over the
    learned scores: answer accuracy on the training years fell from 0.593 to 0.589, so it went.
    The figure rule moved it from 0.5928 to 0.5933.)"""
    subject = question.described
    first = [c for c in ranked if c.passage.article_id == passages[0].article_id]
    if subject and any(not c.non_answer and role_of(c.text, subject) for c in first):
        # "Who is X?": the first report is the newest that says what X is (``roles.named_first``);
        # an older one saying it at more length is what X was
        return _role_first(subject, _answers_first(first), ranked)
    mine = _of_article(ranked, passages[0])
    figures = {f for f in question.figures if not YEAR_FIGURE.fullmatch(f)}
    if figures and not any(figures <= stated_figures(c.text) for c in mine):
        pinned = next((c for c in ranked if not c.non_answer and figures <= stated_figures(c.text)), None)
        if pinned is not None:
            return _of_article(ranked, pinned.passage)
    if question.new and question.figure:
        return _new_first(mine)
    if question.described:
        return _role_first(question.described, mine, ranked)
    return mine


def _says_what(question: Question, ranked: list[Scored]) -> bool:
    """Does a sentence say what the person or thing the question only names is? Then the articles
    are about it, however far the question's wording ("Tell me about Blinken") reads from them."""
    subject = question.described
    return subject is not None and any(not c.non_answer and role_of(c.text, subject) for c in ranked)


def _role_first(subject: Described, mine: list[Scored], ranked: list[Scored]) -> list[Scored]:
    """For "Who is X?" or "What is X?": the sentences that give X a role lead, in score order,
    those saying what X is before those saying only what X was, then the rest; from the newest
    article that gives one when the first does not (a sentence naming X in passing answers "who is
    X" worse than one saying what X is; what X is changes), the best-scored of those equally new."""
    read = {id(c): role for c in mine if (role := role_of(c.text, subject))}
    if read:
        roles = [c for c in mine if id(c) in read and not c.non_answer]
    else:
        read = {id(c): role for c in ranked if not c.non_answer and (role := role_of(c.text, subject))}
        if not read:
            return mine
        others = [c for c in ranked if id(c) in read]
        article = max(others, key=lambda c: day_order(c.passage)).passage.article_id  # what X is now
        theirs = [c for c in ranked if c.passage.article_id == article]
        mine = _answers_first(theirs)
        roles = [c for c in others if c.passage.article_id == article]  # each sentence's role read once
    roles.sort(key=lambda c: was_role(read[id(c)]))  # stable: score order within each
    return roles + [c for c in mine if c not in roles]


def _new_first(mine: list[Scored]) -> list[Scored]:
    """``mine`` with the best sentence stating the new figure ahead, when the best states the
    old one (``asked`` 1 and 0)."""
    if not mine or mine[0].asked != 0.0:
        return mine
    new = next((c for c in mine if c.asked == 1.0 and not c.non_answer), None)
    return mine if new is None else [new, *(c for c in mine if c is not new)]


def _of_article(ranked: list[Scored], first: Passage) -> list[Scored]:
    """The sentences of ``first``'s article, or of another whose sentence beats its best by
    ``OTHER_ARTICLE`` unless that one is older news (the ranking weighed the dates: "the new prime
    minister" from a report two years before the one ranked first); non-answers last."""
    best = next((c for c in ranked if not c.non_answer), ranked[0])
    chosen = first.article_id
    own = max((c.score for c in ranked if c.passage.article_id == chosen and not c.non_answer), default=None)
    if own is None or (best.score > own + OTHER_ARTICLE and not older_news(best.passage, first)):
        chosen = best.passage.article_id  # another article states it far more plainly
    return _answers_first([c for c in ranked if c.passage.article_id == chosen] or ranked)


def _answers_first(sentences: list[Scored]) -> list[Scored]:
    """``sentences`` in their order, a question or headline fragment (``non_answer``) after the rest."""
    return [c for c in sentences if not c.non_answer] + [c for c in sentences if c.non_answer]


class Differing(NamedTuple):
    """Another article's sentence giving another answer, and both answers with their chances."""

    other: Scored
    ours: str  # the likeliest span of the lead sentence
    theirs: str  # the likeliest span of the other article's sentence
    ours_chance: float
    theirs_chance: float
    names_ours: bool = False  # the other sentence names our answer too: it gives both, and differs from no one
    quotes_theirs: bool = False  # our own quoted sentences name theirs: ours leads as any answer's span does

    @property
    def gives_both(self) -> bool:
        """Does one report name both answers? Then the reports do not differ."""
        return self.names_ours or self.quotes_theirs


def differing(lead: Scored, ranked: list[Scored], margin: float,
              span: Callable[[Scored], tuple[str, float | None]], quoted: Sequence[Scored] = ()) -> Differing | None:
    """Another article's best sentence when it scores within ``margin`` of the lead and gives
    another answer, each the likeliest span ``span`` finds in it with its chance (whether the two
    are likely enough to be set against each other is the caller's to judge); else None. When the
    other sentence names our answer too, or a sentence the answer ``quoted`` names theirs ("Camilla
    was crowned with Queen Mary's crown" beside "St. Edward's crown"), a report gives both, and the
    reports do not differ (``gives_both``)."""
    if margin <= 0:
        return None
    cand = next((c for c in ranked if c.passage.article_id != lead.passage.article_id and not c.non_answer), None)
    if cand is None or cand.score < lead.score - margin:
        return None
    mine, my_chance = span(lead)
    theirs, their_chance = span(cand) if mine else ("", None)
    if theirs and not same_answer(mine, theirs) and folded(theirs) not in folded(lead.text):
        names_ours = f" {folded(mine)} " in f" {folded(cand.text)} "
        quotes_theirs = any(f" {folded(theirs)} " in f" {folded(c.text)} " for c in quoted)
        return Differing(cand, mine, theirs, my_chance or 0.0, their_chance or 0.0, names_ours, quotes_theirs)
    return None


def _days_before(other: Passage, lead: Passage) -> int | None:
    """How many days before ``lead`` ``other`` was published; None when either is undated."""
    theirs, ours = other.day, lead.day
    return None if theirs is None or ours is None else (ours - theirs).days


def _earlier(other: Passage, lead: Passage) -> bool:
    """Was ``other`` published on a day before ``lead`` (both dated)?"""
    days = _days_before(other, lead)
    return days is not None and days > 0


def older_news(other: Passage, lead: Passage) -> bool:
    """Was ``other`` published over ``OLDER_NEWS_DAYS`` before ``lead`` (both dated)?"""
    days = _days_before(other, lead)
    return days is not None and days > OLDER_NEWS_DAYS


def spelled_out(lead: Scored, ranked: list[Scored], question: Question) -> Scored | None:
    """The sentence right after ``lead`` when the lead only refers to what was demanded or said
    ("its demands for security guarantees") and that sentence states it; else None."""
    if not refers_to_content(lead.text):
        return None
    following = next((c for c in ranked if c.passage is lead.passage and c.index == lead.index + 1), None)
    if following is None or _redundant(following, [lead]) or not spells_out(following.text, question):
        return None
    return following


def over_time(lead: Scored, ranked: list[Scored], floor: float, same_claim: float) -> list[Scored]:
    """For a question asking for a figure: other articles' sentences that report the lead's claim with different figures on other
    days (a death toll that rose), newest first with the lead; empty when nothing disagrees."""
    stated = figures(lead.text)
    if not stated or lead.day is None or lead.vector is None:
        return []
    found = {lead.passage.article_id: lead}
    for cand in ranked[1:]:
        if cand.score < floor or cand.passage.article_id in found or cand.day in (None, lead.day):
            continue
        theirs = figures(cand.text)
        if theirs - stated and stated - theirs and cand.vector is not None and float(cand.vector @ lead.vector) >= same_claim:
            found[cand.passage.article_id] = cand
    if len(found) == 1:
        return []
    return sorted(found.values(), key=lambda c: c.day or date.min, reverse=True)


def latest_first(reports: list[Scored], chosen: list[Scored], support: float, question: Question,
                 lead: str = "") -> Draft:
    """The newest report leads, "as of" its day; the earlier ones follow with theirs. The
    answer's own article is quoted as any answer quotes it (its ``chosen`` sentences), the
    others by the sentence stating their figure; ``lead`` (the newest report's answer) first."""
    ours = chosen[0].passage.article_id
    pieces: list[str] = []
    citations: list[Citation] = []
    for n, report in enumerate(reports):
        quoted, cited = _quoted(chosen if report.passage.article_id == ours else [report], question, len(citations) + 1)
        pieces.append(f"{'Earlier, on' if n else 'As of'} {_spoken(report.day)}: {quoted}")
        citations += cited
    text = " ".join(pieces)
    return Draft(text=f"{lead} — {text}" if lead else text, citations=citations, abstained=False,
                 answerer=ExtractiveAnswerer.name, support=support, lead=lead)


def _spoken(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else "an unknown date"


def _redundant(cand: Scored, chosen: list[Scored]) -> bool:
    text = content_tokens(cand.passage.sentence_text(cand.index))
    for other in chosen:
        o = content_tokens(other.passage.sentence_text(other.index))
        if text and len(text & o) / len(text) > REDUNDANT_OVERLAP:
            return True
    return False


def _worded(cand: Scored, question: Question | None) -> str:
    """A quoted sentence as the answer shows it, in the same words the bold span is chosen from."""
    if question is None:
        return name_subject(cand.text, cand.speakers)
    return as_quoted(cand.text, cand.speakers, cand.passage.title, question, cand.passage.text, cand.before)


def compose(chosen: list[Scored], support: float, question: Question | None = None,
            other: Scored | None = None, lead: str = "", theirs: str = "") -> Draft:
    """The chosen sentences quoted readably, with numbered citations (``_quoted``), and ``lead``
    (the span that answers) first. ``other`` (another article's sentence that scores as well) is
    quoted after them, unless it is word for word one of them (another outlet's copy); with a
    ``lead`` and ``theirs`` (its answer) the answer says that reports differ, citing both."""
    text, citations = _quoted(chosen, question)
    if other is not None and not theirs and folded(other.text) in {folded(c.text) for c in chosen}:
        other = None  # another outlet's copy of a sentence already quoted: read once
    if other is not None:
        n = len(citations) + 1
        citations.append(Citation.from_passage(n, other.passage, other.start, other.end))
        text = f"{text} {named_before(_worded(other, question), text)} [{n}]"
        if lead and theirs:
            mine = next(c.n for c in citations if c.article_id == chosen[0].passage.article_id
                        and c.start <= chosen[0].start and chosen[0].end <= c.end)
            return Draft(text=f"{REPORTS_DIFFER}: {lead} [{mine}]; {theirs} [{n}]. — {text}", citations=citations,
                         abstained=False, answerer=ExtractiveAnswerer.name, support=support, lead=REPORTS_DIFFER)
    return Draft(text=f"{lead} — {text}" if lead else text, citations=citations, abstained=False,
                 answerer=ExtractiveAnswerer.name, support=support, lead=lead)


def _quoted(chosen: list[Scored], question: Question | None, first: int = 1) -> tuple[str, list[Citation]]:
    """``chosen`` quoted in order of source, then position, adjacent sentences of a passage
    under one citation numbered from ``first``; a leading pronoun gets its person in brackets."""
    order = sorted(chosen, key=lambda c: (min(x.rank for x in chosen if x.passage.article_id == c.passage.article_id), c.start))
    groups: list[list[Scored]] = []
    for cand in order:
        last = groups[-1][-1] if groups else None
        if (last and last.passage.article_id == cand.passage.article_id and _adjacent(last, cand)
                and _holder([*groups[-1], cand])):
            groups[-1].append(cand)
        else:
            groups.append([cand])
    citations: list[Citation] = []
    pieces: list[str] = []
    for n, group in enumerate(groups, start=first):
        head, final = group[0], group[-1]
        passage = _holder(group) or head.passage
        citations.append(Citation.from_passage(n, passage, head.start, final.end))
        for c in group:
            pieces.append(named_before(_worded(c, question), " ".join(pieces)))
        pieces[-1] += f" [{n}]"
    return " ".join(pieces), citations


def hedged(chosen: list[Scored], support: float, why: str, question: Question | None = None) -> Draft:
    """What the closest report says, not asserted, no lead, worded as any answer words its quotes;
    ``why`` is the notice saying why (the articles may not be about the question, or the answer is
    unsure)."""
    draft = compose(chosen, support, question)
    return replace(draft, text=f"{HEDGE} {draft.text}", notice=why, hedged=True)


def _adjacent(a: Scored, b: Scored) -> bool:
    """Is ``b`` the sentence right after ``a`` inside one passage (only whitespace between)?"""
    return _container(a, b) is not None and b.start >= a.end


def _holder(group: list[Scored]) -> Passage | None:
    """A passage that holds every sentence of ``group`` (which are in text order)."""
    start, end = group[0].start, group[-1].end
    return next((c.passage for c in group if c.passage.start <= start and end <= c.passage.end), None)


def _container(a: Scored, b: Scored) -> Passage | None:
    for p in (a.passage, b.passage):
        if p.start <= a.start and b.end <= p.end and not p.text[a.end - p.start : b.start - p.start].strip():
            return p
    return None


def abstention(support: float, ranked: list[Scored]) -> Draft:
    """Say the articles do not cover it, cite nothing, and show the nearest passages as related."""
    related = [
        Citation.from_passage(i, c.passage, c.start, c.end)
        for i, c in enumerate(ranked[:RELATED_SHOWN], start=1)
    ]
    return Draft(text=NOT_COVERED, citations=[], abstained=True, answerer=ExtractiveAnswerer.name,
                 related=related, support=support)
