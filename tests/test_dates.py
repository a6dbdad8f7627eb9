"""Dates in one form: ISO strings from whatever a source gives, and a user's day or a clear error."""

import time
from datetime import date, datetime

import pytest

from retrieval.dates import iso_date, parse_day


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-06-17", "2022-06-17"),
    ("Fri, 17 Jun 2022 09:30:00 GMT", "2022-06-17"),
    ("June 17, 2022", "2022-06-17"),
    (datetime(2022, 6, 17, 23, 59), "2022-06-17"),
    (date(2022, 6, 17), "2022-06-17"),
    (time.strptime("2022-06-17", "%Y-%m-%d"), "2022-06-17"),
    ("", ""), (None, ""), ("not a date", ""),
])
def test_any_source_date_becomes_iso_or_nothing(value: object, expected: str) -> None:
    assert iso_date(value) == expected


def test_a_users_day_or_one_clear_error() -> None:
    assert parse_day("2022-06-17") == date(2022, 6, 17)
    with pytest.raises(ValueError, match="use YYYY-MM-DD"):
        parse_day("someday")
