"""Calendar-month arithmetic (standard library only).

Months are calendar months clamped to the month's end, as the contract says:
2024-08-31 + 6 months = 2025-02-28; 2024-02-29 + 12 months = 2025-02-28.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Supported range of every date the engine reads.  Outside it, adding two years could overflow
# `datetime.date`, and no date before 1900 can be a real case.
MIN_DATE = _dt.date(1900, 1, 1)
MAX_DATE = _dt.date(2999, 12, 31)


def parse(text: str) -> _dt.date:
    """Parse strict `YYYY-MM-DD`; raise ValueError on any other form or an impossible date."""
    if isinstance(text, str):
        day = _PARSED.get(text)
        if day is not None:
            return day
    m = DATE_RE.match(text) if isinstance(text, str) else None
    if not m or not text.isascii():
        raise ValueError("not in YYYY-MM-DD form")
    day = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if len(_PARSED) >= _PARSED_MAX:  # a register repeats a few thousand dates; bounded all the same
        _PARSED.clear()
    _PARSED[text] = day
    return day


# Dates already parsed (text -> date): dates are immutable, so sharing them is safe.
_PARSED: dict[str, _dt.date] = {}
_PARSED_MAX = 1 << 16


def fmt(day: _dt.date) -> str:
    return day.isoformat()


_ISO_IN_TEXT = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def prose(text: str) -> str:
    """Dates in a sentence for people as 公文 writes them: 2026-04-06 -> 2026年4月6日."""
    if "-" not in text:  # most sentences hold no ISO date: skip the scan
        return text
    return _ISO_IN_TEXT.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """`day` plus `months` calendar months (may be negative), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if day.day <= 28:  # every month has the day: no clamping (and no calendar lookup)
        return _dt.date(year, month, day.day)
    return _dt.date(year, month, min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def full_months_between(start: _dt.date, end: _dt.date) -> int:
    """The largest n >= 0 with add_months(start, n) <= end (0 when end < start).

    add_months(start, n) for n = the calendar months between them falls in end's month, on
    start's day clamped to that month's length: after `end` exactly when start's day is after
    end's day and end is not its month's last day.  Then n - 1 months fall in an earlier month."""
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if n > 0 and start.day > end.day and end.day < _days_in_month(end.year, end.month):
        n -= 1
    return n


def today() -> _dt.date:
    return _dt.date.today()


class Month:
    """A date known only to the month (registers write 2013年5月, 2013.05, 201305).

    It is not a day: the roster decides a row only when every day of the month gives the same
    outcome, and otherwise asks for the exact day (decision/roster/evaluate.py).
    """

    __slots__ = ("month", "year")

    def __init__(self, year: int, month: int):
        if not 1 <= month <= 12:
            raise ValueError("month out of range")
        self.year = year
        self.month = month

    def first(self) -> _dt.date:
        return _dt.date(self.year, self.month, 1)

    def last(self) -> _dt.date:
        return _dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Month) and (self.year, self.month) == (other.year, other.month)

    def __hash__(self) -> int:
        return hash((self.year, self.month))

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


def chinese(day: _dt.date | str) -> str:
    """2026-04-06 -> 2026年4月6日 (dates as users read them)."""
    if isinstance(day, str):
        day = parse(day)
    return f"{day.year}年{day.month}月{day.day}日"
