"""Reading payment dates as councils write them. Day first, always, when the order is ambiguous.

Accepted: 31/03/2025, 31-03-2025, 31.03.2025, 31/3/25, 2025-03-31 (year first is never ambiguous),
31-Mar-2025, 31 Mar 2025, 31 March 2025, 31-Mar-25, 20250331, any of these followed by a time
("31/03/2025 00:00:00", "2025-03-31T00:00:00", "31/03/2025 10:00 AM", "am" or "AM"), and spreadsheet
serial numbers (45747) from a workbook whose date cells were stored as numbers. Two-digit years are
2000-2068 for 00-68 and 1969-1999 for 69-99, as spreadsheets read them.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME, re.I)  # "10:00 AM" as well as "10:00 am"
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})" + _TIME, re.I)
_NAMED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-/ .]+([a-z]{3,9})\.?[-/ ,.]+(\d{2}|\d{4})" + _TIME, re.I)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
# Serial numbers accepted: 1 Jan 1982 to 31 Dec 2099 (an earlier or later five-digit number is not a date).
_SERIAL_RANGE = (29952, 73415)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2099, 12, 31)


class DateError(ValueError):
    """A cell that is not a date. The message quotes the value."""


def _show(value: str) -> str:
    shown = value.strip()
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= 68 else 1900
    return year


def _make(year: int, month: int, day: int, value: str) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"'{_show(value)}' is not a real date") from exc
    if not EARLIEST <= date <= LATEST:
        raise DateError(f"'{_show(value)}' is outside the years 1970 to 2099")
    return date


def parse_date(value: str) -> dt.date:
    """The date in `value`, reading day before month. Raises DateError for anything else."""
    text = value.strip()
    if not text:
        raise DateError("the date is blank")
    if m := _ISO.fullmatch(text):
        return _make(int(m[1]), int(m[2]), int(m[3]), value)
    if m := _DAY_FIRST.fullmatch(text):
        return _make(_year(m[3]), int(m[2]), int(m[1]), value)
    if m := _NAMED.fullmatch(text):
        month = _MONTHS.get(m[2].casefold())
        if month is None:
            raise DateError(f"'{_show(value)}' is not a date: '{m[2]}' is not a month")
        return _make(_year(m[3]), month, int(m[1]), value)
    if m := _COMPACT.fullmatch(text):
        return _make(int(m[1]), int(m[2]), int(m[3]), value)
    if _SERIAL.fullmatch(text):
        serial = int(float(text))
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    raise DateError(f"'{_show(value)}' is not a date (write it day first, such as 31/03/2025)")


class DateReader:
    """parse_date with a memory: a year of payments has a few hundred distinct date strings."""

    def __init__(self) -> None:
        self._seen: dict[str, dt.date] = {}

    def __call__(self, value: str) -> dt.date:
        found = self._seen.get(value)
        if found is None:
            found = parse_date(value)
            if len(self._seen) < 100_000:
                self._seen[value] = found
        return found
