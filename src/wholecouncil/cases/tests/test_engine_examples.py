"""Worked examples checked by hand; the arithmetic is in the comments."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from wholecouncil.cases.engine import (
    BaselinePot,
    Case,
    CaseError,
    ChosenOpportunity,
    CostLine,
    CostType,
    Opportunity,
    OverlapError,
    Point,
    PotKind,
    WorkforceAssumptions,
    compute_case,
    payback_of,
    range_totals,
    size_all,
)
from wholecouncil.cases.tests.helpers import entered, seed_profile_case
from wholecouncil.council.engine import FinancialYear

D = Decimal
M = 1_000_000


def test_seed_profile_in_year_cumulative_net_payback_and_npv() -> None:
    result = compute_case(seed_profile_case())
    assert [str(y.year) for y in result.years] == ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23"]
    # in-year increments as published: 0, 14, 18, 10, 4 (£m)
    assert [y.recurring_in_year for y in result.years] == [D(v * M) for v in (0, 14, 18, 10, 4)]
    # cumulative: 0, 0+14=14, 14+18=32, 32+10=42, 42+4=46 (£m), as published
    assert [y.cumulative_recurring for y in result.years] == [D(v * M) for v in (0, 14, 32, 42, 46)]
    assert [y.one_off_costs for y in result.years] == [D(v * M) for v in (4, 9, 2, 2, 1)]
    # net = cumulative - costs: 0-4=-4, 14-9=5, 32-2=30, 42-2=40, 46-1=45
    assert [y.net for y in result.years] == [D(v * M) for v in (-4, 5, 30, 40, 45)]
    # cumulative net: -4, -4+5=1, 1+30=31, 31+40=71, 71+45=116
    assert [y.cumulative_net for y in result.years] == [D(v * M) for v in (-4, 1, 31, 71, 116)]
    assert result.payback_year == FinancialYear(2019)
    # NPV at 3.5%, year 0 undiscounted:
    #  -4,000,000 + 5,000,000/1.035 + 30,000,000/1.035^2 + 40,000,000/1.035^3 + 45,000,000/1.035^4
    #  = -4,000,000 + 4,830,917.87 + 28,005,321.01 + 36,077,708.23 + 39,214,900.25 = 104,128,847.36
    assert result.npv == D("104128847.36")
    # every release is entered as a fixed amount, so low = mid = high = 14 + 18 + 10 + 4 = 46 (£m)
    assert result.total_low == result.total_mid == result.total_high == D(46 * M)


def test_npv_at_other_rates() -> None:
    # at 0% the NPV is the undiscounted sum: -4 + 5 + 30 + 40 + 45 = 116 (£m)
    assert compute_case(seed_profile_case(discount_rate_pct=D(0))).npv == D(116 * M)
    # at 10%: -4 + 5/1.1 + 30/1.21 + 40/1.331 + 45/1.4641
    #  = -4,000,000 + 4,545,454.545 + 24,793,388.430 + 30,052,592.036 + 30,735,605.491 = 86,127,040.50
    assert compute_case(seed_profile_case(discount_rate_pct=D(10))).npv == D("86127040.50")


def test_optimism_bias_uplifts_every_cost() -> None:
    result = compute_case(seed_profile_case(optimism_bias_pct=D(20)))
    # one-off costs x 1.2: 4.8, 10.8, 2.4, 2.4, 1.2 (£m); the uplift itself 0.8, 1.8, 0.4, 0.4, 0.2
    assert [y.one_off_costs for y in result.years] == [D(v) * M for v in ("4.8", "10.8", "2.4", "2.4", "1.2")]
    assert [y.optimism_bias for y in result.years] == [D(v) * M for v in ("0.8", "1.8", "0.4", "0.4", "0.2")]
    # cumulative net: -4.8, -4.8+3.2=-1.6, -1.6+29.6=28, 28+39.6=67.6, 67.6+44.8=112.4 -> payback 2020/21
    assert result.years[-1].cumulative_net == D("112.4") * M
    assert result.payback_year == FinancialYear(2020)


def _staff_case(**changes: object) -> Case:
    """One staff opportunity: 10%-20% of a £1,000,000 staff pot, built at mid (£150,000) over two years."""
    pot = BaselinePot("staff", "Staff", D(1_000_000), PotKind.STAFF)
    opp = Opportunity("S1", "Staff", "enabling-support", "automation-technology",
                      low_pct=D(10), high_pct=D(20), pot="staff", staff_pct=D(100))  # fmt: skip
    base: dict[str, object] = {
        "name": "Staff",
        "first_year": FinancialYear(2025),
        "years": 2,
        "pots": (pot,),
        "opportunities": (opp,),
        "chosen": (ChosenOpportunity("S1", (D("0.5"), D("0.5"))),),
        "one_off_costs": (CostLine("Team", (D(100_000),), CostType.IMPLEMENTATION),),
        "optimism_bias_pct": D(20),
        "mtfp_gap": (D(100_000), D(300_000)),
        "workforce": WorkforceAssumptions(
            average_cost_per_fte=D(25_000),
            turnover_fte=(D(2), D(10)),
            turnover_capture_pct=D(50),
            redeployment_pct=D(50),
            average_redundancy_cost=D(20_000),
        ),
    }
    base.update(changes)
    return Case(**base)  # type: ignore[arg-type]


def test_percent_opportunity_workforce_redundancy_and_gap() -> None:
    result = compute_case(_staff_case())
    # low 10% x 1,000,000 = 100,000; high 20% = 200,000; mid (100,000 + 200,000) / 2 = 150,000
    assert (result.total_low, result.total_mid, result.total_high) == (D(100_000), D(150_000), D(200_000))
    y1, y2 = result.years
    # increments 0.5 x 150,000 = 75,000 each year; cumulative 75,000 then 150,000
    assert (y1.recurring_in_year, y1.cumulative_recurring) == (D(75_000), D(75_000))
    assert (y2.recurring_in_year, y2.cumulative_recurring) == (D(75_000), D(150_000))
    # year 1 posts reduced 75,000 / 25,000 = 3 FTE; leavers 2 x 50% capture = 1 absorbed; 2 remain;
    # 50% redeployed = 1; 1 not absorbed -> redundancy 1 x 20,000 = 20,000
    w1 = y1.workforce
    assert w1 is not None
    assert (w1.posts_reduced, w1.absorbed_by_turnover, w1.redeployed, w1.not_absorbed) == (3, 1, 1, 1)
    assert w1.redundancy_cost == D(20_000)
    # year 2: 3 FTE against 10 x 50% = 5 capturable leavers -> all 3 absorbed, no redundancy
    w2 = y2.workforce
    assert w2 is not None and w2.absorbed_by_turnover == 3 and w2.not_absorbed == 0
    # one-off year 1: (100,000 implementation + 20,000 redundancy) x 1.2 = 144,000
    assert y1.one_off_by_type[CostType.IMPLEMENTATION] == D(120_000)
    assert y1.one_off_by_type[CostType.REDUNDANCY] == D(24_000)
    assert y1.one_off_costs == D(144_000)
    # net year 1: 75,000 - 144,000 = -69,000; year 2: 150,000; cumulative -69,000 then 81,000
    assert (y1.net, y2.cumulative_net) == (D(-69_000), D(81_000))
    # gap: 75,000 of 100,000 closed (75%); 150,000 of 300,000 (50%), 150,000 remaining
    assert (y1.gap_closed, y1.gap_coverage_pct, y1.remaining_gap) == (D(75_000), D("75.0"), D(25_000))
    assert (y2.gap_coverage_pct, y2.remaining_gap) == (D("50.0"), D(150_000))


def test_points_low_high_and_custom() -> None:
    case = _staff_case(workforce=None)
    for point, value in ((Point.LOW, 100_000), (Point.HIGH, 200_000), (Point.MID, 150_000)):
        assert compute_case(replace(case, point=point)).chosen_full_year == D(value)
    custom = replace(case, chosen=(ChosenOpportunity("S1", (D(1),), Point.CUSTOM, D(123_456)),))
    assert compute_case(custom).years[1].cumulative_recurring == D(123_456)
    outside = replace(case, chosen=(ChosenOpportunity("S1", (D(1),), Point.CUSTOM, D(250_000)),))
    with pytest.raises(CaseError, match="outside its range"):
        compute_case(outside)


def test_payback_must_hold_to_the_end_of_the_case() -> None:
    years = [FinancialYear(2025 + i) for i in range(4)]
    # 0 in the first year, then negative: the first year is not payback
    assert payback_of(years, [D(0), D(-5), D(3), D(4)]) == FinancialYear(2027)
    assert payback_of(years, [D(-1), D(-2), D(-3), D(-1)]) is None
    assert payback_of(years, [D(-1), D(1), D(-1), D(1)]) == FinancialYear(2028)


def test_overlap_refused_naming_the_opportunities() -> None:
    pot = BaselinePot("bi", "Business intelligence staff", D(6_000_000))
    opps = (
        Opportunity("BI-1", "A", "business-intelligence", "automation-technology",
                    low_pct=D(20), high_pct=D(60), pot="bi"),
        Opportunity("BI-2", "B", "business-intelligence", "consolidation-standardisation",
                    low_amount=D(1_000_000), high_amount=D(1_500_000), pot="bi"),
        Opportunity("BI-3", "C", "business-intelligence", "ways-of-working",
                    low_pct=D(5), high_pct=D(10), pot="bi"),
        Opportunity("X-1", "Other", "pre-front-door", "demand-management",
                    low_pct=D(50), high_pct=D(90), baseline=D(1000)),
    )  # fmt: skip
    # high points: 60% + 1,500,000 / 6,000,000 = 25% + 10% = 95% of the pot: allowed
    assert set(size_all(opps, (pot,))) == {"BI-1", "BI-2", "BI-3", "X-1"}
    # BI-3 up to 20%: 60 + 25 + 20 = 105%, refused
    opps = (*opps[:2], replace(opps[2], high_pct=D(20)), opps[3])
    with pytest.raises(OverlapError) as caught:
        size_all(opps, (pot,))
    message = str(caught.value)
    assert "BI-1 (60%), BI-2 (25%), BI-3 (20%)" in message
    assert "together claim 105% of the baseline pot 'bi'" in message
    assert caught.value.codes == ("BI-1", "BI-2", "BI-3")
    assert "X-1" not in message


def test_range_totals_by_layer_and_lever() -> None:
    ranges = size_all(
        (
            entered("A", "100", "300", "l1", "v1"),
            entered("B", "10", "20", "l1", "v2"),
            entered("C", "1", "1", "l2", "v2"),
        ),
        (),
    ).values()
    layers = {t.key: (t.low, t.mid, t.high) for t in range_totals(ranges, "layer")}
    assert layers == {"l1": (D(110), D(215), D(320)), "l2": (D(1), D(1), D(1))}
    levers = {t.key: (t.low, t.mid, t.high) for t in range_totals(ranges, "lever")}
    assert levers["v2"] == (D(11), D(16), D(21))


def test_domain_errors() -> None:
    case = seed_profile_case()
    with pytest.raises(CaseError, match=r"phasing adds up to 1\.5"):
        compute_case(replace(case, chosen=(ChosenOpportunity("R1", (D("0.5"), D(1))),)))
    with pytest.raises(CaseError, match="chooses NOPE"):
        compute_case(replace(case, chosen=(ChosenOpportunity("NOPE", (D(1),)),)))
    with pytest.raises(CaseError, match="low_pct must not be more than high_pct"):
        bad = Opportunity("Z", "Z", "l", "v", low_pct=D(30), high_pct=D(20), baseline=D(10))
        compute_case(replace(case, opportunities=(bad,), chosen=()))
    with pytest.raises(CaseError, match="redundancy costs"):
        compute_case(_staff_case(one_off_costs=(CostLine("Redundancy", (D(1),), CostType.REDUNDANCY),)))
