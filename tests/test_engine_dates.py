"""Calendar-month arithmetic held to its definition (decision/dates.py computes it by shortcuts):
add_months clamps to the month's end, full_months_between is the largest n with
add_months(start, n) <= end.  Month ends, leap days and the days around them are where a
shortcut would go wrong, so every pair of them over two leap cycles is tried."""

from __future__ import annotations

import calendar
import datetime as dt

from decision import dates


def add_months_by_definition(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months_by_definition(start: dt.date, end: dt.date) -> int:
    n = 0
    while add_months_by_definition(start, n + 1) <= end:
        n += 1
    return n


def awkward_days() -> list[dt.date]:
    """The 1st, 27th-31st of every month of 2023-2028 (two leap years)."""
    days = []
    for year in range(2023, 2029):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            days += [dt.date(year, month, d) for d in (1, 27, 28, 29, 30, 31) if d <= last]
    return days


def test_add_months_matches_its_definition():
    for day in awkward_days():
        for months in (-25, -24, -13, -12, -7, -6, -1, 0, 1, 6, 7, 12, 13, 24, 25, 26):
            assert dates.add_months(day, months) == add_months_by_definition(day, months), (day, months)


def test_full_months_between_matches_its_definition():
    days = awkward_days()
    checked = 0
    for start in days[::3]:
        for end in days:
            expected = full_months_by_definition(start, end) if end >= start else 0
            assert dates.full_months_between(start, end) == expected, (start, end)
            checked += 1
    assert checked > 50_000


def test_parse_gives_the_same_date_twice_and_refuses_the_same_input_twice():
    assert dates.parse("2024-02-29") == dates.parse("2024-02-29") == dt.date(2024, 2, 29)
    for bad in ("2023-02-29", "2023-2-1", "２０２３-01-01"):
        for _ in range(2):  # the second time comes from no cache either
            try:
                dates.parse(bad)
            except ValueError:
                continue
            raise AssertionError(f"{bad!r} was accepted")
