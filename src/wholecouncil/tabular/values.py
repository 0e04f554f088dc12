"""Reading cell values as councils write them: money, numbers, ranges, yes/no, and the many ways of 'none'."""

from __future__ import annotations

import re
from collections.abc import Collection
from decimal import Decimal, InvalidOperation

from wholecouncil.tabular.errors import CellError

# Written in a cell to mean "no value". Compared case-insensitively after trimming spaces.
MISSING_WORDS = frozenset({"", "na", "n/a", "n.a.", "n.a", "#n/a", "-", "\u2013", "\u2014", "null"})

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_SPACES = re.compile(r"\s+")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # minus sign, en dash
_CURRENCY = re.compile(r"£|gbp", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(?P<low>.+?)\s*(?:-|—|\bto\b)\s*(?P<high>[^-—\s].*?)\s*$", re.IGNORECASE)


def is_missing(value: str | None) -> bool:
    """True for an empty cell and for the words councils use for one: NA, N/A, -, null."""
    return value is None or value.strip().casefold() in MISSING_WORDS


def clean_text(value: str | None) -> str:
    """The cell's text with runs of spaces and line breaks collapsed; "" for a missing value."""
    if is_missing(value):
        return ""
    assert value is not None
    return _SPACES.sub(" ", value).strip()


def _show(value: str) -> str:
    shown = value.strip()
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _plain_number(text: str, original: str) -> Decimal:
    compact = text.replace(" ", "")
    if not compact or not _NUMBER.match(compact) or not any(ch.isdigit() for ch in compact):
        raise CellError(f"'{_show(original)}' is not a number")
    try:
        return Decimal(compact.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid numbers
        raise CellError(f"'{_show(original)}' is not a number") from exc


def parse_decimal(value: str | None) -> Decimal | None:
    """A plain number such as 0.5, 1,234 or -3.25; None when the cell is missing."""
    if value is None or is_missing(value):
        return None
    return _plain_number(value.strip().translate(_MINUS_SIGNS), value)


def parse_money(value: str | None) -> Decimal | None:
    """An amount in pounds: '£1,234.50', '1234.5', '-£12.50', '£-12.50', '(12.50)' (negative), 'GBP 10'.

    None when the cell is missing. The amount is exact (not rounded to the penny).
    """
    if value is None or is_missing(value):
        return None
    text = value.strip().translate(_MINUS_SIGNS)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _CURRENCY.sub("", text).strip()
    if text.startswith("-"):
        if negative:
            raise CellError(f"'{_show(value)}' is not an amount of money")
        negative, text = True, text[1:].strip()
    text = _CURRENCY.sub("", text).strip()
    try:
        amount = _plain_number(text, value)
    except CellError as exc:
        raise CellError(f"'{_show(value)}' is not an amount of money") from exc
    if text.startswith(("+", "-")):
        raise CellError(f"'{_show(value)}' is not an amount of money")
    return -amount if negative else amount


def format_money(amount: Decimal, *, places: int = 2, accounting: bool = False) -> str:
    """£1,234.50 and -£1,234.50, or (£1,234.50) with accounting=True. parse_money reads both back."""
    quantum = Decimal(1).scaleb(-places)
    rounded = amount.quantize(quantum)
    body = f"£{abs(rounded):,.{places}f}"
    if rounded < 0:
        return f"({body})" if accounting else f"-{body}"
    return body


def parse_money_range(value: str | None) -> tuple[Decimal, Decimal] | None:
    """A band such as '65000 - 69999', '£65,000 to £69,999' or a single figure (low = high).

    Returns (first, second) as written, without reordering; None when the cell is missing.
    """
    if value is None or is_missing(value):
        return None
    match = _RANGE.match(value.translate(_MINUS_SIGNS))
    if match is None:
        try:
            single = parse_money(value)
        except CellError as exc:
            raise CellError(f"'{_show(value)}' is not a band of amounts such as 65000 - 69999") from exc
        assert single is not None
        return single, single
    try:
        low = parse_money(match.group("low"))
        high = parse_money(match.group("high"))
    except CellError as exc:
        raise CellError(f"'{_show(value)}' is not a band of amounts such as 65000 - 69999") from exc
    assert low is not None and high is not None
    return low, high


def parse_flag(value: str | None, *, true: Collection[str], false: Collection[str]) -> bool | None:
    """True or False by the words given (compared case-insensitively); None when the cell is missing.

    Raises CellError for any other word, listing what is accepted.
    """
    if value is None or is_missing(value):
        return None
    word = value.strip().casefold()
    if word in {w.casefold() for w in true}:
        return True
    if word in {w.casefold() for w in false}:
        return False
    accepted = ", ".join([*true, *false])
    raise CellError(f"'{_show(value)}' is not one of {accepted}")
