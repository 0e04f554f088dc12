from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.cases.engine import (
    BaselinePot,
    Case,
    ChosenOpportunity,
    CostLine,
    CostType,
    Opportunity,
    Point,
    PotKind,
    WorkforceAssumptions,
    compute_case,
)
from wholecouncil.council.engine import FinancialYear

D = Decimal
YEARS = 4
pounds = st.integers(min_value=0, max_value=50_000_000).map(lambda p: D(p) / 100)
pcts = st.integers(min_value=0, max_value=1000).map(lambda t: D(t) / 10)
fractions = st.lists(
    st.integers(min_value=0, max_value=25).map(lambda q: D(q) / 100), min_size=YEARS, max_size=YEARS
)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(min_value=1, max_value=6))
    fte = draw(st.sampled_from([None, D(10), D("37.5")]))
    pot = BaselinePot("pot", "Pot", draw(pounds), PotKind.STAFF, fte)
    opps: list[Opportunity] = []
    room = D(100)
    for i in range(n):
        if draw(st.booleans()):
            low, high = sorted((draw(pcts) * room / 100, draw(pcts) * room / 100))
            room -= high
            opps.append(Opportunity(f"O{i}", "o", f"l{i % 2}", "v", low_pct=low, high_pct=high, pot="pot",
                                    staff_pct=draw(pcts)))  # fmt: skip
        else:
            low, high = sorted((draw(pounds), draw(pounds)))
            opps.append(Opportunity(f"O{i}", "o", "l", f"v{i % 3}", low_amount=low, high_amount=high))
    chosen = tuple(ChosenOpportunity(o.code, tuple(draw(fractions))) for o in opps if draw(st.booleans()))
    costs = tuple(
        CostLine(f"c{i}", tuple(draw(st.lists(pounds, min_size=YEARS, max_size=YEARS))), CostType.TECHNOLOGY)
        for i in range(draw(st.integers(0, 3)))
    )
    recurring = tuple(
        CostLine("r", tuple(draw(st.lists(pounds, min_size=YEARS, max_size=YEARS)))) for _ in range(1)
    )
    workforce = None
    if draw(st.booleans()):
        workforce = WorkforceAssumptions(
            average_cost_per_fte=draw(pounds) + 1,
            turnover_fte=tuple(D(draw(st.integers(0, 50))) for _ in range(YEARS)),
            redeployment_pct=draw(pcts),
            average_redundancy_cost=draw(pounds),
        )
    return Case(
        name="p",
        first_year=FinancialYear(2025),
        years=YEARS,
        pots=(pot,),
        opportunities=tuple(opps),
        chosen=chosen,
        point=draw(st.sampled_from([Point.LOW, Point.MID, Point.HIGH])),
        one_off_costs=costs,
        recurring_costs=recurring,
        optimism_bias_pct=draw(pcts),
        discount_rate_pct=draw(st.sampled_from([D(0), D("3.5"), D(7)])),
        mtfp_gap=tuple(draw(st.lists(pounds, min_size=YEARS, max_size=YEARS))),
        workforce=workforce,
    )


@settings(max_examples=150, deadline=None)
@given(cases())
def test_cumulative_is_running_sum_and_net_adds_up(case: Case) -> None:
    result = compute_case(case)
    running = D(0)
    running_net = D(0)
    for y in result.years:
        running += y.recurring_in_year
        assert y.cumulative_recurring == running
        assert y.net == y.cumulative_recurring - y.one_off_costs - y.recurring_costs
        running_net += y.net
        assert y.cumulative_net == running_net
        assert y.one_off_costs == sum(y.one_off_by_type.values())
        assert y.cumulative_recurring.as_tuple().exponent >= -2


@settings(max_examples=150, deadline=None)
@given(cases())
def test_low_mid_high_in_order(case: Case) -> None:
    result = compute_case(case)
    assert result.total_low <= result.total_mid <= result.total_high
    for line in result.lines:
        assert line.range.low <= line.range.mid <= line.range.high
    low = compute_case(replace(case, point=Point.LOW)).years[-1].cumulative_recurring
    high = compute_case(replace(case, point=Point.HIGH)).years[-1].cumulative_recurring
    assert low <= result.years[-1].cumulative_recurring <= high


@settings(max_examples=150, deadline=None)
@given(cases())
def test_npv_at_zero_is_the_undiscounted_sum(case: Case) -> None:
    result = compute_case(replace(case, discount_rate_pct=D(0)))
    assert result.npv == sum(y.net for y in result.years) == result.years[-1].cumulative_net


def _scaled(case: Case, k: int) -> Case:
    def opp(o: Opportunity) -> Opportunity:
        return replace(
            o,
            low_amount=None if o.low_amount is None else o.low_amount * k,
            high_amount=None if o.high_amount is None else o.high_amount * k,
            baseline=None if o.baseline is None else o.baseline * k,
        )

    def cost(c: CostLine) -> CostLine:
        return replace(c, amounts=tuple(a * k for a in c.amounts))

    wf = case.workforce
    return replace(
        case,
        pots=tuple(replace(p, amount=p.amount * k) for p in case.pots),
        opportunities=tuple(opp(o) for o in case.opportunities),
        one_off_costs=tuple(cost(c) for c in case.one_off_costs),
        recurring_costs=tuple(cost(c) for c in case.recurring_costs),
        mtfp_gap=tuple(g * k for g in case.mtfp_gap),
        workforce=None
        if wf is None
        else replace(
            wf,
            average_cost_per_fte=wf.average_cost_per_fte * k,
            average_redundancy_cost=wf.average_redundancy_cost * k,
        ),
    )


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(min_value=2, max_value=1000))
def test_scaling_every_money_assumption_scales_the_totals(case: Case, k: int) -> None:
    base, scaled = compute_case(case), compute_case(_scaled(case, k))
    # each figure is a sum of at most a few dozen penny-rounded parts, so allow k pennies per part
    tolerance = D("0.01") * k * 40
    pairs = [
        (base.total_low, scaled.total_low),
        (base.total_mid, scaled.total_mid),
        (base.total_high, scaled.total_high),
        (base.npv, scaled.npv),
    ]
    for b, s in zip(base.years, scaled.years, strict=True):
        pairs += [
            (b.cumulative_recurring, s.cumulative_recurring),
            (b.net, s.net),
            (b.cumulative_net, s.cumulative_net),
        ]
        if b.workforce is not None and s.workforce is not None:
            assert abs(b.workforce.posts_reduced - s.workforce.posts_reduced) < D("1e-20")
    for b_value, s_value in pairs:
        assert abs(b_value * k - s_value) <= tolerance
