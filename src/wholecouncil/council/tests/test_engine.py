from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.council.engine import (
    FinancialYear,
    SharesError,
    add_months,
    split_by_shares,
    validate_shares,
)


def test_financial_year_prints_and_spans_april_to_march() -> None:
    fy = FinancialYear(2025)
    assert str(fy) == "2025/26"
    assert fy.starts == dt.date(2025, 4, 1)
    assert fy.ends == dt.date(2026, 3, 31)
    assert str(FinancialYear(1999)) == "1999/00"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2025, 3, 31), 2024), (dt.date(2025, 4, 1), 2025), (dt.date(2026, 1, 15), 2025)],
)
def test_financial_year_containing(day: dt.date, expected: int) -> None:
    assert FinancialYear.containing(day) == FinancialYear(expected)


def test_financial_year_parse() -> None:
    assert FinancialYear.parse("2025/26") == FinancialYear(2025)
    assert FinancialYear.parse("2025-26") == FinancialYear(2025)
    with pytest.raises(ValueError, match="followed by 26"):
        FinancialYear.parse("2025/27")
    with pytest.raises(ValueError):
        FinancialYear.parse("twenty")


def test_split_is_exact_to_the_penny() -> None:
    parts = split_by_shares(
        Decimal("100.00"), {"a": Decimal("33.33"), "b": Decimal("33.33"), "c": Decimal("33.34")}
    )
    assert sum(parts.values()) == Decimal("100.00")
    assert parts == {"a": Decimal("33.33"), "b": Decimal("33.33"), "c": Decimal("33.34")}


def test_shares_must_make_100() -> None:
    with pytest.raises(SharesError, match="99"):
        validate_shares({"a": Decimal(60), "b": Decimal(39)})
    with pytest.raises(SharesError, match="more than 0"):
        validate_shares({"a": Decimal(100), "b": Decimal(0)})


@st.composite
def shares(draw: st.DrawFn) -> dict[int, Decimal]:
    n = draw(st.integers(min_value=1, max_value=6))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=n - 1, max_size=n - 1, unique=True)))
    bounds = [0, *cuts, 10000]
    return {i: Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(n)}


@given(amount=st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False), split=shares())
def test_split_conserves_total_and_stays_within_a_penny(amount: Decimal, split: dict[int, Decimal]) -> None:
    parts = split_by_shares(amount, split)
    assert sum(parts.values()) == amount
    for k, pct in split.items():
        assert abs(parts[k] - amount * pct / 100) < Decimal("0.01")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
        (dt.date(2026, 1, 15), -1, dt.date(2025, 12, 15)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 31), -13, dt.date(2025, 2, 28)),
    ],
)
def test_add_months_crosses_year_ends_and_short_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2900, 12, 31)), st.integers(-1200, 1200))
def test_add_months_moves_by_whole_months_and_keeps_the_day_when_it_can(day: dt.date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(days=1)).day == 1)
