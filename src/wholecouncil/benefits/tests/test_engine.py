"""Prudence, the MTFP position, actuals against plan, the realisation curve and the partnership split."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.benefits.engine.categories import CATEGORY_KIND, Category, Kind, is_financial
from wholecouncil.benefits.engine.curve import realisation_curve
from wholecouncil.benefits.engine.lifecycle import BenefitState, Status
from wholecouncil.benefits.engine.mtfp import (
    Column,
    Saving,
    SavingRag,
    banked,
    column_of,
    group_savings,
    position,
    saving_rag,
)
from wholecouncil.benefits.engine.performance import (
    Rag,
    milestone_slipped,
    month_index,
    month_of,
    profile_start,
    year_performance,
)
from wholecouncil.benefits.engine.prudence import (
    Claim,
    claims_budget_line,
    counts_towards_mtfp,
    line_collision,
)
from wholecouncil.benefits.engine.split import share_of, split_profile
from wholecouncil.council.engine import FinancialYear

D = Decimal
TODAY = dt.date(2026, 10, 15)  # month 7 of 2026/27


def test_categories_follow_the_issue() -> None:
    cashable = {c for c, k in CATEGORY_KIND.items() if k is Kind.CASHABLE}
    assert cashable == {Category.STAFF_COST, Category.THIRD_PARTY_SPEND, Category.INCOME}
    assert {c for c, k in CATEGORY_KIND.items() if k is Kind.NON_CASHABLE} == {
        Category.COST_AVOIDANCE,
        Category.PRODUCTIVITY,
    }
    assert len(Category) == 9
    assert not is_financial(Category.DIGITAL_TAKE_UP)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("kind", list(Kind))
def test_only_cashable_in_delivery_or_realised_counts(kind: Kind, status: Status) -> None:
    expected = kind is Kind.CASHABLE and status in {Status.IN_DELIVERY, Status.REALISED}
    assert counts_towards_mtfp(kind, status) is expected
    assert (column_of(kind, status) is Column.BANKED) is expected


def test_claims_on_a_budget_line_start_at_validation() -> None:
    assert not claims_budget_line(Kind.CASHABLE, BenefitState(Status.IDENTIFIED))
    assert claims_budget_line(Kind.CASHABLE, BenefitState(Status.VALIDATED))
    assert claims_budget_line(Kind.CASHABLE, BenefitState(Status.AT_RISK, resume=Status.IN_DELIVERY))
    assert not claims_budget_line(Kind.CASHABLE, BenefitState(Status.AT_RISK, resume=Status.IDENTIFIED))
    assert not claims_budget_line(Kind.CASHABLE, BenefitState(Status.UNDELIVERABLE))
    assert not claims_budget_line(Kind.NON_CASHABLE, BenefitState(Status.IN_DELIVERY))


def test_a_collision_names_every_benefit_on_the_line() -> None:
    subject = Claim("BEN-3", "Fewer agency staff", D("40000"))
    others = [Claim("BEN-1", "Restructure", D("50000")), Claim("BEN-2", "Overtime", D("20000"))]
    found = line_collision(subject, others, line="R100 Customer services staff", baseline=D("100000"))
    assert found is not None
    assert found.total == D("110000") and found.excess == D("10000")
    message = found.message
    assert "BEN-3 cannot be signed off" in message
    assert "BEN-1 Restructure (£50,000.00)" in message and "BEN-2 Overtime (£20,000.00)" in message
    assert "£10,000.00 more than the line's baseline of £100,000.00" in message
    assert line_collision(subject, others[:1], line="R100", baseline=D("100000")) is None
    assert line_collision(subject, [], line="R100", baseline=D("40000")) is None


def test_months_of_the_financial_year() -> None:
    assert month_index(dt.date(2026, 4, 30)) == 1
    assert month_index(dt.date(2027, 3, 1)) == 12
    assert month_of(FinancialYear(2026), 1) == dt.date(2026, 4, 1)
    assert month_of(FinancialYear(2026), 10) == dt.date(2027, 1, 1)
    for i in range(1, 13):
        assert month_index(month_of(FinancialYear(2030), i)) == i


def test_forecast_outturn_in_the_current_year() -> None:
    perf = year_performance(FinancialYear(2026), D("120000"), D("50000"), 6, TODAY, D("10"))
    assert perf.plan_to_date == D("60000")
    assert perf.forecast == D("110000")  # 50,000 actual + six months at plan
    assert perf.variance == D("-10000")
    assert perf.variance_to_date == D("-10000")
    assert perf.rag is Rag.AMBER  # 8.3% short, within the 10% tolerance
    assert year_performance(FinancialYear(2026), D("120000"), D("30000"), 6, TODAY, D("10")).rag is Rag.RED
    assert year_performance(FinancialYear(2026), D("120000"), D("60000"), 6, TODAY, D("10")).rag is Rag.GREEN


def test_forecast_outturn_for_past_and_future_years() -> None:
    past = year_performance(FinancialYear(2025), D("120000"), D("90000"), 9, TODAY)
    assert past.forecast == D("90000")  # the year has ended: what was reported is the outturn
    future = year_performance(FinancialYear(2027), D("80000"), D("0"), 0, TODAY)
    assert future.forecast == D("80000") and future.rag is Rag.GREEN


def test_milestone_slippage_against_the_profile_start() -> None:
    start = profile_start({2025: D("0"), 2026: D("5000"), 2027: D("10000")})
    assert start == dt.date(2026, 4, 1)
    assert milestone_slipped(start, dt.date(2026, 6, 1))
    assert not milestone_slipped(start, dt.date(2026, 3, 31))
    assert milestone_slipped(start, dt.date(2026, 1, 1), actual=dt.date(2026, 5, 1))
    assert not milestone_slipped(None, dt.date(2030, 1, 1))
    # Forecast later than its baseline date: slipped, even if still before the savings start.
    assert milestone_slipped(start, dt.date(2026, 2, 1), baseline=dt.date(2026, 1, 1))
    assert milestone_slipped(None, dt.date(2026, 2, 1), baseline=dt.date(2026, 1, 1))
    assert not milestone_slipped(start, dt.date(2026, 1, 1), baseline=dt.date(2026, 1, 1))
    assert not milestone_slipped(start, dt.date(2025, 12, 1), baseline=dt.date(2026, 1, 1))
    # Reached late, but before the savings start: the slip no longer matters.
    assert not milestone_slipped(
        start, dt.date(2026, 2, 1), actual=dt.date(2026, 2, 1), baseline=dt.date(2026, 1, 1)
    )


def _saving(status: Status, **kw: object) -> Saving:
    values: dict[str, object] = {"key": 1, "kind": Kind.CASHABLE, "status": status, "year": 2026}
    values["planned"] = D("120000")
    values.update(kw)
    return Saving(**values)  # type: ignore[arg-type]


def test_the_rag_of_a_saving() -> None:
    assert saving_rag(_saving(Status.UNDELIVERABLE), TODAY) is SavingRag.UNACHIEVABLE
    assert saving_rag(_saving(Status.REALISED), TODAY) is SavingRag.DELIVERED
    assert saving_rag(_saving(Status.IN_DELIVERY), TODAY) is SavingRag.ON_TRACK
    assert saving_rag(_saving(Status.IN_DELIVERY, slipped=True), TODAY) is SavingRag.AT_RISK
    assert saving_rag(_saving(Status.AT_RISK), TODAY) is SavingRag.AT_RISK
    short = _saving(Status.IN_DELIVERY, actual=D("20000"), reported=6)
    assert saving_rag(short, TODAY) is SavingRag.AT_RISK
    done = _saving(Status.IN_DELIVERY, year=2025, actual=D("119000"), reported=12)
    assert saving_rag(done, TODAY) is SavingRag.DELIVERED
    missed = _saving(Status.IN_DELIVERY, year=2025, actual=D("60000"), reported=12)
    assert saving_rag(missed, TODAY) is SavingRag.UNACHIEVABLE


def test_the_position_by_year() -> None:
    savings = [
        _saving(Status.IN_DELIVERY, key=1),
        _saving(Status.IN_DELIVERY, key=2, planned=D("30000"), slipped=True),
        _saving(Status.VALIDATED, key=3, planned=D("50000")),
        _saving(Status.AT_RISK, key=4, planned=D("7000")),
        _saving(Status.UNDELIVERABLE, key=5, planned=D("9000")),
        _saving(Status.REALISED, key=6, planned=D("1000")),
        _saving(Status.IN_DELIVERY, key=7, planned=D("4000"), kind=Kind.NON_CASHABLE),
        _saving(Status.IN_DELIVERY, key=8, planned=D("99"), kind=Kind.NON_FINANCIAL),
        _saving(Status.IN_DELIVERY, key=9, year=2031),
    ]
    pos = position(savings, {2026: D("200000"), 2027: D("10")}, [2026, 2027], TODAY)
    year = pos.years[0]
    assert str(year.year) == "2026/27"
    assert year.banked == D("151000")
    assert year.banked_at_risk == D("30000")
    assert year.pipeline == D("50000")
    assert year.at_risk == D("7000")
    assert year.unachievable == D("9000")
    assert year.non_cashable == D("4000")
    assert year.shortfall == D("49000")
    assert year.rag_counts[SavingRag.DELIVERED] == 1
    assert year.rag_counts[SavingRag.AT_RISK] == 2
    assert pos.years[1].banked == 0 and pos.years[1].shortfall == D("10")
    assert pos.total_shortfall == D("49010")


money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
savings_strategy = st.lists(
    st.builds(
        Saving,
        key=st.integers(0, 50),
        kind=st.sampled_from(list(Kind)),
        status=st.sampled_from(list(Status)),
        year=st.integers(2024, 2030),
        planned=money,
        actual=money,
        reported=st.integers(0, 12),
        tolerance_pct=st.decimals(min_value=0, max_value=50, places=1),
        slipped=st.booleans(),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(savings_strategy, st.dates(dt.date(2023, 1, 1), dt.date(2032, 1, 1)))
def test_banked_is_the_sum_of_eligible_profiles(savings: list[Saving], today: dt.date) -> None:
    years = list(range(2024, 2031))
    pos = position(savings, {}, years, today)
    for row in pos.years:
        eligible = [
            s.planned
            for s in savings
            if s.year == row.year.start_year
            and s.kind is Kind.CASHABLE
            and s.status in {"in_delivery", "realised"}
        ]
        assert row.banked == sum(eligible, D(0)) == banked(savings, row.year.start_year)
        assert 0 <= row.banked_at_risk <= row.banked
        cashable = sum(
            (s.planned for s in savings if s.year == row.year.start_year and s.kind == "cashable"), D(0)
        )
        assert row.banked + row.pipeline + row.at_risk + row.unachievable == cashable


shares_strategy = st.lists(st.integers(1, 99), min_size=1, max_size=4).map(
    lambda parts: parts if sum(parts) <= 100 else [100]
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.integers(2020, 2035), money, max_size=10),
    st.lists(st.decimals(min_value=D("0.01"), max_value=100, places=2), min_size=1, max_size=4),
)
def test_splitting_conserves_every_total_to_the_penny(
    profile: dict[int, Decimal], raw: list[Decimal]
) -> None:
    scale = D(100) / sum(raw)
    shares = {f"council-{i}": (pct * scale).quantize(D("0.01")) for i, pct in enumerate(raw)}
    drift = D(100) - sum(shares.values())
    first = next(iter(shares))
    shares[first] += drift
    if any(p <= 0 for p in shares.values()):
        return
    parts = split_profile(profile, shares)
    for year, amount in profile.items():
        assert sum((parts[k][year] for k in shares), D(0)) == amount
    assert sum((sum(p.values(), D(0)) for p in parts.values()), D(0)) == sum(profile.values(), D(0))
    for k in shares:
        for amount in parts[k].values():
            assert amount == amount.quantize(D("0.01"))


def test_a_share_of_an_amount() -> None:
    shares = {"a": D("60"), "b": D("40")}
    assert share_of(D("100.01"), shares, "a") + share_of(D("100.01"), shares, "b") == D("100.01")
    assert share_of(D("5"), {}, "a") == D("5")
    assert share_of(D("5"), shares, "c") == 0


def test_the_realisation_curve() -> None:
    points = realisation_curve(
        [(2025, D("120000")), (2026, D("240000"))],
        [(dt.date(2025, 4, 1), D("9000")), (dt.date(2025, 5, 20), D("11000")), (dt.date(2025, 7, 1), D("5"))],
    )
    assert len(points) == 24
    assert points[0].month == dt.date(2025, 4, 1)
    assert points[0].planned_cumulative == D("10000") and points[0].actual_cumulative == D("9000")
    assert points[1].actual_cumulative == D("20000")
    assert points[2].actual == 0 and points[2].actual_cumulative == D("20000")
    assert points[3].actual_cumulative == D("20005")
    assert points[4].actual is None and points[4].actual_cumulative is None
    assert points[-1].planned_cumulative == D("360000")
    assert realisation_curve([], []) == []


@settings(max_examples=400, deadline=None)
@given(savings_strategy, st.dates(dt.date(2023, 1, 1), dt.date(2032, 1, 1)))
def test_the_position_uses_the_rag_rule_exactly(savings: list[Saving], today: dt.date) -> None:
    years = list(range(2024, 2031))
    pos = position(savings, {}, years, today)
    for row in pos.years:
        year = row.year.start_year
        cashable = [s for s in savings if s.year == year and s.kind is Kind.CASHABLE]
        expected = {rag: sum(1 for s in cashable if saving_rag(s, today) is rag) for rag in SavingRag}
        assert row.rag_counts == expected
        at_risk = sum(
            (
                s.planned
                for s in cashable
                if counts_towards_mtfp(s.kind, s.status) and saving_rag(s, today) is SavingRag.AT_RISK
            ),
            D(0),
        )
        assert row.banked_at_risk == at_risk


@settings(max_examples=200, deadline=None)
@given(savings_strategy, st.integers(0, 60), st.dates(dt.date(2023, 1, 1), dt.date(2032, 1, 1)))
def test_summed_groups_give_the_same_position(savings: list[Saving], cut: int, today: dt.date) -> None:
    years = list(range(2024, 2031))
    whole = position(savings, {2025: D("5")}, years, today)
    split = position(savings[:cut], {2025: D("5")}, years, today, groups=group_savings(savings[cut:], today))
    assert whole == split
