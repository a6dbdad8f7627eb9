"""The dates a question names ("this week", "in March 2022", "since June"), read relative to its
as-of day into a window of days.

Phrases are found by pattern (a time word after "in", "since", "before" ..., or a relative
period such as "last week"), and the date they name is resolved by ``dateparser`` against the
as-of day, which also says its granularity (day, week, month, year). ``dateparser`` is imported
only when a question holds such a phrase: most questions do not, and loading it costs a quarter
of a second.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from bot.answering.spans import dated_day, days, last_day
from retrieval.text import MONTH_ABBREVIATIONS, MONTHS, spelled

WEEK_DAYS = 7
_MONTHS = "|".join([m.lower() for m in MONTHS] + list(MONTH_ABBREVIATIONS))
_COUNTS = {"a": 1, "an": 1, **spelled(1, 10), "few": 3, "couple of": 2}
_NUMBER_WORDS = "|".join(_COUNTS) + "|\\d{1,3}"
_CALENDAR = (rf"(?:(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d\d)?"
             rf"|(?:19|20)\d\d)")
_RELATIVE = (rf"(?:this|last|past|previous)\s+(?:week|month|year)|yesterday|today"
             rf"|(?:{_NUMBER_WORDS})\s+(?:days?|weeks?|months?|years?)\s+ago"
             rf"|(?:the\s+)?(?:past|last)\s+(?:{_NUMBER_WORDS})\s+(?:days|weeks|months)")
_PHRASE = re.compile(
    rf"\b(?P<prep>in|during|on|since|after|before|until|by|from)\s+(?:early\s+|late\s+|mid-?)?(?P<cal>{_CALENDAR})\b"
    rf"|\b(?P<rel>{_RELATIVE})\b"
    r"|\bthe\s+(?P<year>(?:19|20)\d\d)(?=\s+[A-Za-z])",  # "the 2022 Stanley Cup Finals": an event of that year
    re.IGNORECASE,
)
_SPAN = re.compile(rf"(?:the\s+)?(?:past|last)\s+(?P<n>{_NUMBER_WORDS})\s+(?P<unit>days|weeks|months)", re.IGNORECASE)
_UNIT_DAYS = {"days": 1, "weeks": WEEK_DAYS, "months": 30}


@dataclass(frozen=True)
class DateReading:
    """How a question's date phrase was read: the phrase and the days it means (inclusive)."""

    phrase: str
    since: date | None
    until: date | None
    exact: bool = True  # False when the phrase dates an event ("the 2022 finals"): reports of it may fall outside

    def describe(self) -> str:
        """'"this week" → 2022-06-10 … 2022-06-16' (what ``-v`` and ``/why`` show)."""
        start = self.since.isoformat() if self.since else "…"
        end = self.until.isoformat() if self.until else "…"
        return f"“{self.phrase}” → {start} … {end}"

    @property
    def window(self) -> tuple[date | None, date | None]:
        """The first and last day, either open: what search prefers."""
        return self.since, self.until


def reports_since(reading: DateReading | None) -> date | None:
    """The first day of the window the question names, when the window bounds the reports that can
    tell of it ("this week", "since June"); None for no window, a "before" window, or a phrase that
    dates an event ("the 2022 finals": reports of it may come later or earlier)."""
    return reading.since if reading is not None and reading.exact else None


def all_before(since: date | None, published: list[date | None]) -> bool:
    """Was every one of these (dated) reports published before ``since``? False for no window, no
    reports, or any undated one: an older report cannot tell what happened in the window."""
    return since is not None and bool(published) and all(day is not None and day < since for day in published)


def predates(reading: DateReading | None, published: list[date | None]) -> str:
    """A notice when every cited article was published before the window the question names:
    such a report cannot tell what happened in it (an answer about "this week" from a page two
    years old is the closest match, not this week's news). "" when any is inside or after the
    window, undated, or the phrase dates an event rather than bounding the reports."""
    since = reports_since(reading)
    if reading is None or since is None or not all_before(since, published):
        return ""
    newest = max(day for day in published if day is not None)
    return (f"No cited report falls in {_window(reading, since)}; the newest is from {newest.isoformat()}, so "
            f"this may be older news.")


def _window(reading: DateReading, since: date) -> str:
    """The window a notice names: the question's phrase and its days ("“this week” (2022-06-10 to
    2022-06-16)")."""
    return f"“{reading.phrase}” ({since.isoformat()} to {reading.until.isoformat() if reading.until else 'now'})"


def undated(reading: DateReading | None, published: list[date | None]) -> str:
    """A notice when the question names a window, no cited report is dated inside or after it, and
    some carry no date at all (a pasted text, a page without a date): whether they tell of the
    window cannot be known, and an answer about "last week" should not read as last week's news.
    "" when any cited report is dated in or after the window, all are dated (``predates`` speaks
    then), or no window bounds the reports."""
    since = reports_since(reading)
    if reading is None or since is None or None not in published:
        return ""
    if any(day is not None and day >= since for day in published):
        return ""
    window = _window(reading, since)
    dated = [day for day in published if day is not None]
    if not dated:
        which = "The cited report carries no date, so whether it tells" if len(published) == 1 else \
            "No cited report carries a date, so whether they tell"
        return f"{which} of {window} cannot be known; this may be older news."
    missing = len(published) - len(dated)
    return (f"No cited report is dated in {window}: {missing} of the {len(published)} "
            f"{'carries' if missing == 1 else 'carry'} no date and the newest dated one is from "
            f"{max(dated).isoformat()}; this may be older news.")


_NAMES_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def news_since(question: str, reading: DateReading | None, latest: date | None, days: int) -> date | None:
    """For a question that names no time, the first day of the news that is not old: ``days``
    before ``latest``, the newest news stored as of the question's day. Reports all published
    before it answer with old news ("Who won the NBA Finals?" from a 2020 report, asked of a store
    that holds 2022's): right far less often on the training years, and the answer should say so.
    A store that is an archive of one past year is not old news to itself. None when the
    question names a date or a year (it asks about that time), nothing stored is dated, or
    ``days`` is 0."""
    if days <= 0 or latest is None or reading is not None or _NAMES_A_YEAR.search(question):
        return None
    return latest - timedelta(days=days)


def long_ago(since: date | None, published: list[date | None], latest: date | None) -> str:
    """The notice for an answer whose cited reports all predate ``since`` (``news_since``), the
    age of the newest told against ``latest``; "" when any is newer or undated, or none is cited."""
    if latest is None or not all_before(since, published):
        return ""
    newest = max(day for day in published if day is not None)
    return (f"The newest cited report is from {newest.isoformat()}, {_how_long((latest - newest).days)} older than "
            f"the latest news stored ({latest.isoformat()}); newer reports may say otherwise.")


def all_past(to_come: bool, as_of: date, quoted: list[tuple[str, date | None]]) -> str:
    """The notice for an answer to a question asking for a day to come ("When is the next total
    solar eclipse?") whose quoted sentences (each with its report's day) give days, every one of
    them before the day asked: they tell of the last time, not the next. "" when the question asks
    for no day to come, a day quoted is on or after the day asked, or none can be read."""
    if not to_come:
        return ""
    found = [last_day(dated_day(span, text, day), day) for text, day in quoted for span in days(text)]
    named = [day for day in found if day is not None]
    if not named or max(named) >= as_of:
        return ""
    return (f"Every day the cited reports give is before {as_of.isoformat()}, the day asked as of; a newer "
            f"report may name the next one.")


# Reports within a week of the cited one mostly restate its figure (a quiz's week of news, read on
# the training years); a story that went on longer may have moved it.
WENT_ON_DAYS = 7


def newer_figures(asked: tuple[str, ...], cited: list[date | None],
                  later: Callable[[date], list[tuple[date, str]]]) -> str:
    """The notice for a figure whose cited reports are not the story's last: of ``later(newest)``
    (the days and titles of the story's reports after the newest cited day, up to the day asked;
    read only when a notice could follow), those whose title names something the question names
    (``asked``) say the figure may have moved since ("At least 36" dead, asked two months after a
    fire). "" when none does, the last of them is within ``WENT_ON_DAYS`` of the newest cited, or a
    cited report is undated."""
    if not cited or None in cited or not asked:
        return ""
    newest = max(d for d in cited if d is not None)
    reports = later(newest)
    named = sorted(reports[i][0] for i in went_on(asked, newest, reports))
    if not named:
        return ""
    count = f"{len(named)} later reports" if len(named) > 1 else "A later report"
    return (f"{count} of this story (the latest from {named[-1].isoformat()}) may give a newer figure than the "
            f"newest cited ({newest.isoformat()}); ask for its timeline to see how it changed.")


def went_on(asked: Sequence[str], newest: date, reports: Sequence[tuple[date, str]]) -> list[int]:
    """Which of a story's ``reports`` after ``newest`` (each its day and title) name something the
    question names (``asked``), when the last of them is ``WENT_ON_DAYS`` or more after it: the
    reports that may give a newer figure. [] when the story did not go on that long."""
    names = [n.lower() for n in asked]
    named = [i for i, (_, title) in enumerate(reports) if any(n in title.lower() for n in names)]
    if not named or (max(reports[i][0] for i in named) - newest).days < WENT_ON_DAYS:
        return []
    return named


def _how_long(days: int) -> str:
    """"over a year", "about 3 years", "5 months": an age in the words a reader uses."""
    if days >= 2 * 365:
        return f"about {round(days / 365.25)} years"
    if days >= 365:
        return "over a year"
    return f"{max(1, days // 30)} months" if days >= 60 else f"{days} days"


def read_dates(question: str, as_of: date) -> DateReading | None:
    """The first date phrase in ``question`` as a window of days no later than ``as_of``; None if
    the question names no date (or one that cannot be read)."""
    for match in _PHRASE.finditer(question):
        reading = _read(match, as_of)
        if reading is not None:
            return reading
    return None


def _read(match: re.Match[str], as_of: date) -> DateReading | None:
    phrase = match.group(0)
    if match.group("year"):
        year = int(match.group("year"))
        if year > as_of.year:
            return None
        return DateReading(phrase, date(year, 1, 1), min(date(year, 12, 31), as_of), exact=False)
    if match.group("rel"):
        span = _SPAN.fullmatch(match.group("rel"))
        if span:  # "the past three weeks": a span back from as-of (dateparser reads only "ago")
            n = int(span["n"]) if span["n"].isdigit() else _COUNTS.get(span["n"].lower(), 1)
            return DateReading(phrase, as_of - timedelta(days=n * _UNIT_DAYS[span["unit"].lower()] - 1), as_of)
        text, prep = match.group("rel"), ""
    else:
        text, prep = match.group("cal"), match.group("prep").lower()
    resolved = _resolve(text, as_of)
    if resolved is None:
        return None
    start, end = resolved
    if start > as_of:
        return None
    end = min(end, as_of)
    if prep in ("since", "after", "from"):
        start = end + timedelta(days=1) if prep == "after" else start
        return DateReading(phrase, start, as_of) if start <= as_of else None
    if prep in ("before", "until", "by"):
        return DateReading(phrase, None, start - timedelta(days=1) if prep == "before" else end)
    return DateReading(phrase, start, end)


def _resolve(text: str, as_of: date) -> tuple[date, date] | None:
    """The first and last day ``text`` names, read by dateparser relative to ``as_of``."""
    data = _parser(as_of).get_date_data(text)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return date(day.year, day.month, 1), date(day.year, day.month, last)
    if period == "week":  # "this week" ends on as-of; "last week" is the seven days before that
        return day - timedelta(days=WEEK_DAYS - 1), day
    return day, day


@lru_cache(maxsize=8)
def _parser(as_of: date) -> Any:
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": datetime(as_of.year, as_of.month, as_of.day), "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": False}
    return DateDataParser(languages=["en"], settings=settings)
