"""Amounts and dates as councils write them: examples and properties."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.spend.engine import (
    AmountError,
    DateError,
    format_pounds,
    parse_amount,
    parse_date,
    parse_pennies,
)
from wholecouncil.spend.engine.amounts import MAX_PENNIES, read_pennies

pennies_st = st.integers(min_value=-(10**13), max_value=10**13)


@pytest.mark.parametrize(
    ("text", "pennies"),
    [
        ("3082.50", 308250),
        ("-195.75", -19575),
        ("(12.50)", -1250),
        ("£1,234.5", 123450),
        ("-£1,234.56", -123456),
        ("£-12.50", -1250),
        ("(£1,000)", -100000),
        ("12.50-", -1250),
        ("12.50 CR", -1250),
        ("GBP 10", 1000),
        (" 7 ", 700),
        ("0.1", 10),
        (".5", 50),
        ("1 234.00", 123400),
        ("12.3400", 1234),
        ("+5", 500),
        ("\u22125.00", -500),
    ],
)
def test_amounts_as_written(text: str, pennies: int) -> None:
    assert parse_pennies(text) == pennies


@pytest.mark.parametrize(
    "text", ["", "abc", "1,23", "((1))", "-(1)", "1e5", "nan", "£", "1.2.3", "--1", "12.34.5"]
)
def test_not_amounts(text: str) -> None:
    with pytest.raises(AmountError):
        parse_pennies(text)


@pytest.mark.parametrize(
    ("text", "pennies", "rounded"),
    [
        ("12.345", 1235, True),
        ("-12.345", -1235, True),
        ("(12.345)", -1235, True),
        ("12.3449", 1234, True),
        ("£1,234.5651", 123457, True),
        ("0.004", 0, True),
        ("12.3400", 1234, False),
        ("12.34", 1234, False),
    ],
)
def test_fractions_of_a_penny_are_rounded_half_up(text: str, pennies: int, rounded: bool) -> None:
    assert read_pennies(text) == (pennies, rounded)


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=2),
)
def test_rounding_agrees_with_decimal_round_half_up(value: Decimal, style: int) -> None:
    text = [f"{value:f}", f"£{value:,f}", f"({abs(value):f})" if value < 0 else f"{value:f}"][style]
    expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    pennies, rounded = read_pennies(text)
    assert pennies == int(expected * 100)
    assert rounded == (expected != value)


def _written(pennies: int, style: int) -> str:
    plain = format_pounds(abs(pennies))
    whole, rest = plain.split(".")
    grouped = f"{int(whole):,}.{rest}"
    body = [plain, grouped, f"£{grouped}", f"£{plain}"][style % 4]
    if pennies >= 0:
        return body
    return [f"-{body}", f"({body})", f"{body}-"][style % 3]


@given(pennies_st, st.integers(min_value=0, max_value=11))
def test_amount_round_trip_in_every_style(pennies: int, style: int) -> None:
    assert parse_pennies(_written(pennies, style)) == pennies
    assert parse_amount(_written(pennies, style)) == Decimal(pennies) / 100


@given(st.integers(min_value=MAX_PENNIES + 1, max_value=10**20), st.integers(min_value=0, max_value=11))
def test_amounts_beyond_what_a_payment_holds_are_refused(pennies: int, style: int) -> None:
    for value in (pennies, -pennies):
        with pytest.raises(AmountError, match="the most an amount can be"):
            read_pennies(_written(value, style))
    assert read_pennies(_written(MAX_PENNIES, style))[0] == MAX_PENNIES


@given(st.lists(pennies_st, max_size=50))
def test_sum_of_parsed_is_exact(values: list[int]) -> None:
    assert sum(parse_amount(format_pounds(v)) for v in values) == Decimal(sum(values)) / 100


@pytest.mark.parametrize(
    "text",
    [
        "31/03/2025",
        "31-03-2025",
        "31.03.2025",
        "31/3/25",
        "2025-03-31",
        "31-Mar-2025",
        "31 Mar 2025",
        "31 March 2025",
        "31-mar-25",
        "31st March 2025",
        "20250331",
        "31/03/2025 00:00:00",
        "2025-03-31T00:00:00",
        "2025-03-31 00:00:00",
        "45747",
    ],
)
def test_dates_as_written(text: str) -> None:
    assert parse_date(text) == dt.date(2025, 3, 31)


def test_day_first_when_ambiguous() -> None:
    assert parse_date("04/05/2024") == dt.date(2024, 5, 4)


@pytest.mark.parametrize(
    "text", ["", "31/02/2025", "13/13/2024", "yesterday", "32 Jan 2024", "1/1/1900", "2024"]
)
def test_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


dates_st = st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2068, 12, 31))
FORMATS = [
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d-%b-%Y",
    "%d %B %Y",
    "%d/%m/%y",
    "%Y%m%d",
    "%d-%b-%y",
]


@given(dates_st, st.sampled_from(FORMATS))
def test_date_round_trip_in_every_format(date: dt.date, fmt: str) -> None:
    assert parse_date(date.strftime(fmt)) == date


@given(st.text(max_size=20))
def test_parsers_raise_only_their_own_errors(text: str) -> None:
    for parse, error in ((parse_pennies, AmountError), (parse_date, DateError)):
        with contextlib.suppress(error):
            parse(text)
