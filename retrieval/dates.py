"""Dates in one form: ISO ``YYYY-MM-DD`` strings (or "" when unknown)."""

from __future__ import annotations

import time
from datetime import date, datetime

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


def parse_day(value: str) -> date:
    """A user-given date (``--since 2022-06-01``) or raise ValueError with a clear message."""
    iso = iso_date(value)
    if not iso:
        raise ValueError(f"cannot read {value!r} as a date: use YYYY-MM-DD")
    return date.fromisoformat(iso)
