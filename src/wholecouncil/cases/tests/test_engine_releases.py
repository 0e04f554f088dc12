"""Phasing by release, and posts reduced at each layer's own cost per FTE."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.cases.engine import (
    BaselinePot,
    Case,
    CaseError,
    ChosenOpportunity,
    CostLine,
    CostType,
    Point,
    PotKind,
    Release,
    WorkforceAssumptions,
    build_model,
    compute_case,
    release_benefits,
)
from wholecouncil.cases.tests.helpers import entered
from wholecouncil.council.engine import FinancialYear

D = Decimal
M = D(1_000_000)
YEARS = 5
FIRST = FinancialYear(2025)


def _case(chosen: tuple[ChosenOpportunity, ...], releases: tuple[Release, ...] = ()) -> Case:
    opps = (entered("A", "10000000", "10000000"), entered("B", "3000000", "5000000"))
    return Case(
        name="Releases",
        first_year=FIRST,
        years=YEARS,
        pots=(),
        opportunities=opps,
        chosen=chosen,
        one_off_costs=(CostLine("Team", (D(2) * M, D(1) * M), CostType.IMPLEMENTATION),),
        discount_rate_pct=D("3.5"),
        releases=releases,
    )


RELEASES = (
    Release("R1", "Release 1: digital front door", FinancialYear(2026)),
    Release("R2", "Release 2: one assessment", FinancialYear(2027)),
    Release("R3", "Release 3: enabling services", FinancialYear(2027)),
)


def test_a_worked_example_by_release() -> None:
    # A (£10m) is delivered 40% by release 1 (2026/27) and 60% by release 2 (2027/28);
    # B (mid £4m) 25% by release 1, 50% by release 2 and 25% by release 3 (also 2027/28).
    chosen = (
        ChosenOpportunity("A", releases=(("R1", D(40)), ("R2", D(60)))),
        ChosenOpportunity("B", releases=(("R1", D(25)), ("R2", D(50)), ("R3", D(25)))),
    )
    result = compute_case(_case(chosen, RELEASES))
    # in-year: 2026/27 = 4m + 1m = 5m; 2027/28 = 6m + 2m + 1m = 9m; cumulative 0, 5, 14, 14, 14 (£m)
    assert [y.recurring_in_year for y in result.years] == [D(0), 5 * M, 9 * M, D(0), D(0)]
    assert [y.cumulative_recurring for y in result.years] == [D(0), 5 * M, 14 * M, 14 * M, 14 * M]
    a = result.lines[0]
    assert a.phasing == (D(0), D("0.4"), D("0.6"), D(0), D(0))
    assert a.release_shares == (("R1", D(40)), ("R2", D(60)))
    benefits = {b.release.code: b for b in release_benefits(RELEASES, ((ln.opportunity.code, ln.value,
                ln.release_shares) for ln in result.lines))}  # fmt: skip
    assert (benefits["R1"].full_year, benefits["R2"].full_year, benefits["R3"].full_year) == (
        5 * M,
        8 * M,
        1 * M,
    )
    assert benefits["R3"].lines == ("B",)


def test_shares_must_total_100_naming_the_line() -> None:
    chosen = (ChosenOpportunity("B", releases=(("R1", D(40)), ("R2", D(50)))),)
    with pytest.raises(CaseError, match=r"Opportunity B: its release shares add up to 90%; they must total"):
        compute_case(_case(chosen, RELEASES))


def test_by_year_and_by_release_together_are_refused() -> None:
    chosen = (ChosenOpportunity("A", (D("0.5"),), releases=(("R1", D(100)),)),)
    with pytest.raises(CaseError, match="Opportunity A: give its phasing by year or by release, not both"):
        compute_case(_case(chosen, RELEASES))


def test_unknown_release_and_go_live_outside_the_case() -> None:
    with pytest.raises(CaseError, match="Opportunity A: there is no release 'R9'"):
        compute_case(_case((ChosenOpportunity("A", releases=(("R9", D(100)),)),), RELEASES))
    late = (Release("R1", "Late", FinancialYear(2031)),)
    with pytest.raises(CaseError, match="goes live in 2031/32, outside the case's years 2025/26 to 2029/30"):
        compute_case(_case((ChosenOpportunity("A", releases=(("R1", D(100)),)),), late))


@st.composite
def release_plans(draw: st.DrawFn) -> tuple[tuple[Release, ...], list[tuple[tuple[str, Decimal], ...]]]:
    n = draw(st.integers(min_value=1, max_value=5))
    releases = tuple(
        Release(f"R{i}", f"Release {i}", FIRST + draw(st.integers(0, YEARS - 1))) for i in range(n)
    )
    plans = []
    for _ in range(2):
        # shares in whole tenths of a percent that total exactly 100%
        cuts = sorted(draw(st.lists(st.integers(0, 1000), min_size=n - 1, max_size=n - 1)))
        bounds = [0, *cuts, 1000]
        plans.append(tuple((f"R{i}", D(bounds[i + 1] - bounds[i]) / 10) for i in range(n)))
    return releases, plans


@settings(max_examples=150, deadline=None)
@given(release_plans(), st.sampled_from([Point.LOW, Point.MID, Point.HIGH]))
def test_release_phasing_equals_the_equivalent_phasing_by_year(
    plan: tuple[tuple[Release, ...], list[tuple[tuple[str, Decimal], ...]]], point: Point
) -> None:
    releases, (shares_a, shares_b) = plan
    by_release = _case(
        (ChosenOpportunity("A", releases=shares_a), ChosenOpportunity("B", releases=shares_b)), releases
    )
    go_live = {r.code: r.go_live.start_year - FIRST.start_year for r in releases}

    def fractions(shares: tuple[tuple[str, Decimal], ...]) -> tuple[Decimal, ...]:
        out = [D(0)] * YEARS
        for code, share in shares:
            out[go_live[code]] += share / 100
        return tuple(out)

    by_year = _case(
        (ChosenOpportunity("A", fractions(shares_a)), ChosenOpportunity("B", fractions(shares_b)))
    )
    a = compute_case(replace(by_release, point=point))
    b = compute_case(replace(by_year, point=point))
    assert a.years == b.years
    assert (a.npv, a.payback_year, a.chosen_full_year) == (b.npv, b.payback_year, b.chosen_full_year)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=4).filter(lambda xs: sum(xs) != 1000))
def test_any_shares_not_totalling_100_are_refused(tenths: list[int]) -> None:
    shares = tuple((f"R{i % 3 + 1}", D(t) / 10) for i, t in enumerate(tenths[:3]))
    if sum(s for _, s in shares) == 100:
        return
    with pytest.raises(CaseError, match="Opportunity B: its release shares add up to"):
        compute_case(_case((ChosenOpportunity("B", releases=shares),), RELEASES))


def _staff_case(fte: Decimal | None) -> Case:
    """£1m of staff cost for 20 FTE (£50,000 a post); the case's average is £25,000 a post."""
    pot = BaselinePot("staff", "Staff", M, PotKind.STAFF, fte)
    opp = replace(entered("S", "0", "0"), low_amount=None, high_amount=None, low_pct=D(10), high_pct=D(10),
                  pot="staff", staff_pct=D(100))  # fmt: skip
    return Case(
        name="Posts",
        first_year=FIRST,
        years=1,
        pots=(pot,),
        opportunities=(opp,),
        chosen=(ChosenOpportunity("S", (D(1),)),),
        workforce=WorkforceAssumptions(
            average_cost_per_fte=D(25_000), turnover_fte=(D(0),), average_redundancy_cost=D(10_000)
        ),
    )


def test_posts_reduced_at_the_layers_own_cost_per_fte() -> None:
    # £100,000 staff saving: 2 posts at the layer's £50,000, 4 at the £25,000 average
    own = compute_case(_staff_case(D(20)))
    average = compute_case(_staff_case(None))
    assert own.lines[0].cost_per_fte == D(50_000)
    assert average.lines[0].cost_per_fte is None
    w_own, w_avg = own.years[0].workforce, average.years[0].workforce
    assert w_own is not None and w_avg is not None
    assert (w_own.posts_reduced, w_own.redundancy_cost) == (D(2), D(20_000))
    assert (w_avg.posts_reduced, w_avg.redundancy_cost) == (D(4), D(40_000))
    # the risk model counts posts the same way
    model = build_model(own)
    assert model.evaluate(model.mode[None, :])["npv"][0] == pytest.approx(float(own.npv), abs=0.01)
