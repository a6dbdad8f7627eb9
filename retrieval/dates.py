"""Dates in one form: ISO ``YYYY-MM-DD`` strings (or "" when unknown)."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser


def iso_date(value: object) -> str:
    """Best-effort ISO date from a string, datetime, date or struct_time; "" if none."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    text = str(value).strip()
    try:
        parsed = dateparser.parse(text, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return ""
    if parsed is None or parsed.year < 1900 + 1:
        return ""
    return parsed.date().isoformat()


def day_of(published: str) -> date | None:
    """The day of a stored ``published`` value (YYYY-MM-DD), or None when undated or unreadable."""
    if len(published) != 10:
        return None
    try:
        return date.fromisoformat(published)
    except ValueError:
        return None


def parse_day(value: str) -> date:
    """A user-given date (``--since 2022-06-01``) or raise ValueError with a clear message."""
    iso = iso_date(value)
    if not iso:
        raise ValueError(f"cannot read {value!r} as a date: use YYYY-MM-DD")
    return date.fromisoformat(iso)


_AGO = re.compile(r"^(\d{1,4})\s*(d|days?|w|weeks?)(?:\s+ago)?$")


def since_day(value: str, as_of: date) -> date:
    """The first day of a period ending ``as_of``: "today", "yesterday", "last week", "3 days"
    ("3d", "2 weeks ago") or a date; ValueError with a clear message otherwise."""
    text = " ".join(value.lower().split())
    if text == "today":
        return as_of
    if text == "yesterday":
        return as_of - timedelta(days=1)
    if text in ("week", "last week", "this week"):
        return as_of - timedelta(days=7)
    ago = _AGO.match(text)
    if ago:
        n = int(ago.group(1)) * (7 if ago.group(2).startswith("w") else 1)
        return as_of - timedelta(days=n)
    try:
        return parse_day(value)
    except ValueError:
        raise ValueError(f"cannot read {value!r} as a start: use YYYY-MM-DD, today, yesterday, last week "
                         "or a number of days (3d)") from None
