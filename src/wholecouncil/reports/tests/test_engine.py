"""The board packs' pure rules: periods, capped lists, what a benefit waits for, curve windows."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.benefits.engine.curve import realisation_curve
from wholecouncil.council.engine import FinancialYear
from wholecouncil.reports.engine import (
    ANNUAL,
    KINDS,
    MONTHLY,
    QUARTERLY,
    Listing,
    Period,
    awaiting,
    by_year,
    decision_bars,
    decision_rows,
    parse_period,
    period_containing,
    plain_decision,
    recent_periods,
    share_pct,
    totals,
    window,
)

D = Decimal
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
kinds = st.sampled_from([MONTHLY, QUARTERLY, ANNUAL])


@given(kinds, days)
def test_a_period_contains_its_day_and_is_named_by_a_key_that_reads_back(kind: str, day: dt.date) -> None:
    period = period_containing(kind, day)
    assert period.contains(day)
    assert len(period.months) == KINDS[kind].months
    assert parse_period(kind, period.key, day) == period


@given(kinds, days)
def test_periods_follow_one_another_without_gaps(kind: str, day: dt.date) -> None:
    period = period_containing(kind, day)
    after = period.shifted(1)
    assert after.start == period.end + dt.timedelta(days=1)
    assert after.shifted(-1) == period


@given(kinds, days)
def test_recent_periods_run_back_from_today_newest_first(kind: str, day: dt.date) -> None:
    found = recent_periods(kind, day, 5)
    assert found[0].contains(day)
    assert all(a.start == b.end + dt.timedelta(days=1) for a, b in itertools.pairwise(found))


def test_quarters_are_quarters_of_the_financial_year() -> None:
    q1 = period_containing(QUARTERLY, dt.date(2025, 5, 20))
    assert (q1.start, q1.end, q1.key) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30), "2025-q1")
    assert q1.label == "April to June 2025 (quarter 1 of 2025/26)"
    q4 = period_containing(QUARTERLY, dt.date(2026, 2, 1))
    assert (q4.start, q4.end, q4.key) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2025-q4")
    assert q4.year == FinancialYear(2025)


def test_the_annual_period_is_the_financial_year_and_a_month_is_a_calendar_month() -> None:
    year = period_containing(ANNUAL, dt.date(2026, 3, 31))
    assert (year.start, year.end, year.key, year.label) == (
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
        "2025",
        "2025/26",
    )
    month = period_containing(MONTHLY, dt.date(2024, 2, 10))
    assert (month.end, month.key, month.label) == (dt.date(2024, 2, 29), "2024-02", "February 2024")


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (MONTHLY, "2025-6"),
        (MONTHLY, "2025-13"),
        (MONTHLY, "nonsense"),
        (QUARTERLY, "2025-q5"),
        (QUARTERLY, "2025-q0"),
        (QUARTERLY, "2025"),
        (ANNUAL, "2025-26"),
        (ANNUAL, "-5"),
        (ANNUAL, "99999999999999999999"),
        (MONTHLY, "2026-07"),  # has not started
        (ANNUAL, "2027"),
    ],
)
def test_a_malformed_or_future_key_names_no_period(kind: str, key: str) -> None:
    assert parse_period(kind, key, dt.date(2026, 6, 15)) is None


def test_a_running_period_is_reported_up_to_today() -> None:
    period = period_containing(MONTHLY, dt.date(2026, 6, 15))
    assert period.as_at(dt.date(2026, 6, 15)) == dt.date(2026, 6, 15)
    assert period.as_at(dt.date(2026, 8, 1)) == dt.date(2026, 6, 30)


def test_each_pack_has_its_own_sections() -> None:
    headings = {kind: [s.heading for s in pack.sections] for kind, pack in KINDS.items()}
    assert "Red and Amber projects" in headings[MONTHLY]
    assert "Benefits awaiting validation or sign-off" in headings[MONTHLY]
    assert "How each programme is doing" in headings[QUARTERLY]
    assert "Projects completed and stopped" in headings[ANNUAL]
    assert not set(headings[MONTHLY]) & set(headings[QUARTERLY])
    assert set(headings[QUARTERLY]) & set(headings[ANNUAL]) == {"What the terms mean"}
    for pack in KINDS.values():
        assert len({s.slug for s in pack.sections}) == len(pack.sections)


def test_a_listing_knows_when_it_shows_only_part() -> None:
    assert Listing([1, 2], 5).capped and Listing([1, 2], 5).shown == 2
    assert not Listing([1, 2], 2).capped


def test_decisions_are_counted_for_every_kind_in_order() -> None:
    counts = {"approve": 3, "stop": 1}
    assert decision_rows(counts) == [
        ("Approve", 3),
        ("Approve with conditions", 0),
        ("Defer", 0),
        ("Reject", 0),
        ("Stop", 1),
    ]
    assert [n for _, n in decision_bars(counts)] == [n for _, n in decision_rows(counts)]
    assert all(len(label) <= 16 for label, _ in decision_bars(counts))


def test_decisions_in_plain_words() -> None:
    stages = {1: "Inspiration", 2: "Understand", 5: "Embed"}
    assert plain_decision("approve", 1, stages) == "Approved: the project moves on to stage 2 (Understand)."
    assert plain_decision("approve", 5, stages) == "Approved: the project has finished its last stage."
    assert "stays at stage 2 (Understand)" in plain_decision("reject", 2, stages)
    assert plain_decision("stop", 3, stages) == "Stopped: the project will not go ahead."


@pytest.mark.parametrize(
    ("status", "board", "finance", "expected"),
    [
        ("identified", False, False, "Validation by finance"),
        ("validated", False, False, "Sign-off by the board and finance"),
        ("validated", True, False, "Sign-off by finance"),
        ("validated", False, True, "Sign-off by the board"),
        ("in_delivery", True, True, ""),
        ("at_risk", False, False, ""),
    ],
)
def test_what_a_benefit_is_waiting_for(status: str, board: bool, finance: bool, expected: str) -> None:
    assert awaiting(status, board, finance) == expected


amounts = st.decimals(min_value=0, max_value=10**7, places=2)
yearly = st.integers(0, 10**6).map(lambda n: D(n * 12))  # a whole number of pounds a month: sums are exact


@given(
    st.dictionaries(st.integers(2020, 2030), yearly, min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 130), amounts), max_size=40),
)
def test_windows_and_years_add_up_to_the_whole_curve(
    planned: dict[int, Decimal], raw: list[tuple[int, Decimal]]
) -> None:
    start = dt.date(2020, 4, 1)
    actuals = [(dt.date(2020 + (3 + m) // 12, (3 + m) % 12 + 1, 1), a) for m, a in raw]
    points = realisation_curve(list(planned.items()), actuals)
    whole_planned, whole_actual = totals(points)
    assert whole_planned == points[-1].planned_cumulative
    rows = by_year(points)
    assert sum((r.planned for r in rows), D(0)) == whole_planned
    assert sum((r.actual or D(0) for r in rows), D(0)) == (whole_actual or D(0))
    for r in rows:
        part = window(points, r.year.starts, r.year.ends)
        assert len(part) == 12
        assert part[-1].planned_cumulative == r.planned
        assert totals(part) == (r.planned, r.actual)
    assert window(points, start, dt.date(2099, 1, 1))[-1].planned_cumulative == whole_planned


def test_a_window_restarts_the_running_totals() -> None:
    points = realisation_curve([(2025, D(1200)), (2026, D(2400))], [(dt.date(2026, 4, 1), D(150))])
    year = window(points, dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert year[0].planned_cumulative == D(200) and year[0].actual_cumulative == D(150)
    assert year[1].actual is None and year[1].actual_cumulative is None
    assert totals(year) == (D(2400), D(150))
    assert totals(window(points, dt.date(2027, 4, 1), dt.date(2028, 3, 31))) == (D(0), None)


def test_share_pct() -> None:
    assert share_pct(D(27), D(45)) == D(60)
    assert share_pct(None, D(45)) is None and share_pct(D(1), D(0)) is None


def test_period_equality_is_by_value() -> None:
    assert Period(MONTHLY, dt.date(2025, 6, 1), dt.date(2025, 6, 30)) == period_containing(
        MONTHLY, dt.date(2025, 6, 9)
    )
