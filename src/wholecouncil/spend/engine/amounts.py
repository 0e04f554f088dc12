"""Reading amounts of money as councils publish them, exactly, in pennies.

"£1,234.50", "1234.5", "-12.50", "(12.50)", "£-12.50", "-£12.50", "12.50-", "12.50 CR" and "GBP 10" are all
read; the result is an exact whole number of pennies (or a Decimal of pounds to the penny).

Finance-system exports sometimes carry three or four decimal places. A fraction of a penny is rounded to
the penny, half a penny or more away from zero (Decimal's ROUND_HALF_UP: "12.345" -> 1235, "-12.345" ->
-1235), and `read_pennies` says that it was rounded, so an import can count and report the rows it changed.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Up to 12 digits of pounds and 2 of pence: float arithmetic is exact to the penny far beyond that.
_SIMPLE = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?")
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
_CURRENCY = re.compile(r"£|gbp|\u00a3", re.IGNORECASE)
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-"})
_CREDIT = re.compile(r"\s*(?:cr|credit)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0]+")
PENNY = Decimal("0.01")
# The most an amount can be: what the payments table's amount column holds (14 digits, 2 of them pence).
MAX_PENNIES = 10**14 - 1
# The most the payments of one import can add up to: what an import's total holds (16 digits).
MAX_TOTAL_PENNIES = 10**16 - 1


def _shown_pounds(pennies: int) -> str:
    return f"£{pennies // 100:,}.{pennies % 100:02d}"


class AmountError(ValueError):
    """A cell that is not an amount of money. The message quotes the value and says what is wrong."""


def _show(value: str) -> str:
    shown = value.strip()
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _digits_to_pennies(digits: str) -> tuple[int, bool]:
    whole, _, fraction = digits.partition(".")
    rounded = False
    extra = 0
    if len(fraction) > 2:
        rest = fraction[2:]
        rounded = bool(rest.strip("0"))
        extra = 1 if rest[0] >= "5" else 0
        fraction = fraction[:2]
    return int(whole or "0") * 100 + int(fraction.ljust(2, "0") or "0") + extra, rounded


def parse_pennies(value: str) -> int:
    """The amount in `value` as a whole number of pennies (a fraction of a penny rounded half up, away from
    zero). Raises AmountError for anything else.

    A blank cell is an error here: whether a missing amount is allowed is the caller's decision.
    """
    return read_pennies(value)[0]


def read_pennies(value: str) -> tuple[int, bool]:
    """The amount in `value` in whole pennies, and whether a fraction of a penny was rounded off."""
    if _SIMPLE.fullmatch(value):  # the common case: 123, -12.5, 3082.50
        return round(float(value) * 100), False
    text = value.strip()
    if not text:
        raise AmountError("the amount is blank")
    text = _SPACES.sub("", text.translate(_MINUS_SIGNS))
    negative = False
    credit = _CREDIT.search(text)
    if credit:
        negative, text = True, text[: credit.start()]
    if text.startswith("(") and text.endswith(")"):
        if negative:
            raise AmountError(f"'{_show(value)}' is not an amount of money")
        negative, text = True, text[1:-1]
    text = _CURRENCY.sub("", text)
    if text.startswith("-") or text.endswith("-"):
        if negative:
            raise AmountError(f"'{_show(value)}' is not an amount of money")
        negative, text = True, text[1:] if text.startswith("-") else text[:-1]
    elif text.startswith("+"):
        text = text[1:]
    text = _CURRENCY.sub("", text)
    if not text or not _NUMBER.fullmatch(text) or not any(ch.isdigit() for ch in text):
        raise AmountError(f"'{_show(value)}' is not an amount of money")
    pennies, rounded = _digits_to_pennies(text.replace(",", ""))
    if pennies > MAX_PENNIES:
        raise AmountError(
            f"'{_show(value)}' is more than {_shown_pounds(MAX_PENNIES)}, the most an amount can be"
        )
    return (-pennies if negative else pennies), rounded


def pennies_to_pounds(pennies: int) -> Decimal:
    """Whole pennies as exact pounds: 308250 -> Decimal('3082.50')."""
    return (Decimal(pennies) / 100).quantize(PENNY)


def parse_amount(value: str) -> Decimal:
    """The amount in `value` as exact pounds to the penny: '(1,234.5)' -> Decimal('-1234.50')."""
    return pennies_to_pounds(parse_pennies(value))


def format_pounds(pennies: int) -> str:
    """Whole pennies as a plain decimal string of pounds, as JSON and CSV want it: -1234.50."""
    sign = "-" if pennies < 0 else ""
    whole, rest = divmod(abs(pennies), 100)
    return f"{sign}{whole}.{rest:02d}"
