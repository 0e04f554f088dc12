"""The business case: benefits profile by financial year, costs, net position, payback, NPV and MTFP gap.

Definitions (see docs/modules/cases.md):
- recurring_in_year[y]: the annual recurring benefit first delivered in year y, the in-year increment
  (sum over chosen opportunities of full-year saving x that year's phasing fraction);
- cumulative_recurring[y]: the cumulative annual recurring benefit in force in year y, the running sum of the
  increments; it is the saving counted in the year's net position;
- one_off_costs[y] and recurring_costs[y]: entered costs, uplifted by optimism bias;
- net[y] = cumulative_recurring[y] - one_off_costs[y] - recurring_costs[y]; cumulative_net is its running sum;
- npv = sum of net[y] / (1 + r)^t, with t = 0 for the first year of the case;
- payback_year: the first year from which cumulative_net is 0 or more for the rest of the case.
Each year's components are rounded to the penny first; every other figure is exact arithmetic on them,
so the figures add up as shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from wholecouncil.cases.engine.errors import CaseError
from wholecouncil.cases.engine.money import HUNDRED, ONE, ZERO, pennies, running, tenths, total
from wholecouncil.cases.engine.opportunities import (
    BaselinePot,
    Opportunity,
    OpportunityRange,
    PotKind,
    RangeTotal,
    range_totals,
    size_all,
)
from wholecouncil.cases.engine.releases import (
    Release,
    Shares,
    release_phasing,
    validate_releases,
    validate_shares,
)
from wholecouncil.cases.engine.workforce import WorkforceAssumptions, WorkforceYear, workforce_impact
from wholecouncil.council.engine import FinancialYear

GREEN_BOOK_RATE_PCT = Decimal("3.5")


class Point(StrEnum):
    LOW = "low"
    MID = "mid"
    HIGH = "high"
    CUSTOM = "custom"


class CostType(StrEnum):
    IMPLEMENTATION = "implementation"
    TECHNOLOGY = "technology"
    CHANGE_SUPPORT = "change-support"
    REDUNDANCY = "redundancy"


@dataclass(frozen=True)
class ChosenOpportunity:
    """An opportunity in the case, phased either by year or by release, optionally at its own point.

    `phasing`: fractions of the full-year saving first delivered in each year, from the case's first year,
    summing to at most 1. `releases`: (release code, share %) pairs totalling 100%. Give one or the other.
    """

    code: str
    phasing: tuple[Decimal, ...] = ()
    point: Point | None = None
    custom_amount: Decimal | None = None
    releases: Shares = ()


@dataclass(frozen=True)
class CostLine:
    """Costs in pounds by year from the case's first year. `kind` is the one-off cost type, or None for a
    recurring cost. `low_pct` and `high_pct` are the risk range as percentages of the entered amounts."""

    name: str
    amounts: tuple[Decimal, ...]
    kind: CostType | None = None
    low_pct: Decimal = HUNDRED
    high_pct: Decimal = HUNDRED


@dataclass(frozen=True)
class Case:
    name: str
    first_year: FinancialYear
    years: int
    pots: tuple[BaselinePot, ...]
    opportunities: tuple[Opportunity, ...]
    chosen: tuple[ChosenOpportunity, ...]
    point: Point = Point.MID
    one_off_costs: tuple[CostLine, ...] = ()
    recurring_costs: tuple[CostLine, ...] = ()
    optimism_bias_pct: Decimal = ZERO
    discount_rate_pct: Decimal = GREEN_BOOK_RATE_PCT
    mtfp_gap: tuple[Decimal, ...] = ()
    workforce: WorkforceAssumptions | None = None
    releases: tuple[Release, ...] = ()

    @property
    def year_labels(self) -> tuple[FinancialYear, ...]:
        return tuple(self.first_year + i for i in range(self.years))


@dataclass(frozen=True)
class LineResult:
    """A chosen opportunity: its range, its full-year saving at the chosen point, its increments by year.

    `phasing` is by year (worked out from the release shares for a line phased by release).
    `cost_per_fte` is the cost of a post in its own layer (from its staff pot's FTE), if known.
    """

    opportunity: Opportunity
    range: OpportunityRange
    point: Point
    value: Decimal
    phasing: tuple[Decimal, ...]
    increments: tuple[Decimal, ...]
    release_shares: Shares = ()
    cost_per_fte: Decimal | None = None


@dataclass(frozen=True)
class YearFigures:
    """One financial year of the case. Money in pounds to the penny; FTE to one decimal place."""

    year: FinancialYear
    recurring_in_year: Decimal
    cumulative_recurring: Decimal
    one_off_by_type: Mapping[CostType, Decimal]
    one_off_costs: Decimal
    recurring_costs: Decimal
    costs_before_optimism_bias: Decimal
    optimism_bias: Decimal
    net: Decimal
    cumulative_net: Decimal
    mtfp_gap: Decimal | None
    gap_closed: Decimal
    remaining_gap: Decimal | None
    gap_coverage_pct: Decimal | None
    workforce: WorkforceYear | None = None


@dataclass(frozen=True)
class CaseResult:
    case: Case
    years: tuple[YearFigures, ...]
    lines: tuple[LineResult, ...]
    payback_year: FinancialYear | None
    npv: Decimal
    total_low: Decimal
    total_mid: Decimal
    total_high: Decimal
    chosen_full_year: Decimal
    by_layer: tuple[RangeTotal, ...] = field(default=())
    by_lever: tuple[RangeTotal, ...] = field(default=())

    @property
    def final_cumulative_recurring(self) -> Decimal:
        return self.years[-1].cumulative_recurring if self.years else ZERO

    @property
    def benefit_over_period(self) -> Decimal:
        return total(y.cumulative_recurring for y in self.years)

    @property
    def redundancy_fte(self) -> Decimal:
        return total(y.workforce.not_absorbed for y in self.years if y.workforce is not None)


def _by_year(values: Sequence[Decimal], years: int, what: str) -> tuple[Decimal, ...]:
    if len(values) > years:
        raise CaseError(f"{what} has {len(values)} years of figures but the case has {years}.")
    return tuple(values) + (ZERO,) * (years - len(values))


def chosen_value(rng: OpportunityRange, point: Point, custom: Decimal | None) -> Decimal:
    if point is Point.LOW:
        return rng.low
    if point is Point.HIGH:
        return rng.high
    if point is Point.MID:
        return rng.mid
    if custom is None:
        raise CaseError(f"Opportunity {rng.code}: a custom point needs an amount.")
    if not rng.low <= custom <= rng.high:
        raise CaseError(
            f"Opportunity {rng.code}: the custom amount {custom} is outside its range "
            f"{pennies(rng.low)} to {pennies(rng.high)}."
        )
    return custom


def validate_case(case: Case) -> None:
    if case.years < 1:
        raise CaseError("A case needs at least one year.")
    for name, pct in (("optimism_bias_pct", case.optimism_bias_pct),):
        if pct < 0:
            raise CaseError(f"{name} must not be negative.")
    if case.discount_rate_pct <= -HUNDRED:
        raise CaseError("discount_rate_pct must be more than -100.")
    validate_releases(case.releases, case.first_year, case.years)
    codes = {o.code for o in case.opportunities}
    seen: set[str] = set()
    for ch in case.chosen:
        if ch.code not in codes:
            raise CaseError(f"The case chooses {ch.code}, which is not an opportunity.")
        if ch.code in seen:
            raise CaseError(f"The case chooses {ch.code} twice.")
        seen.add(ch.code)
        if ch.releases:
            if any(ch.phasing):
                raise CaseError(f"Opportunity {ch.code}: give its phasing by year or by release, not both.")
            validate_shares(ch.code, ch.releases, case.releases)
        if any(f < 0 for f in ch.phasing):
            raise CaseError(f"Opportunity {ch.code}: phasing fractions must not be negative.")
        if total(ch.phasing) > ONE:
            raise CaseError(f"Opportunity {ch.code}: phasing adds up to {total(ch.phasing)}, more than 1.")
    for line in (*case.one_off_costs, *case.recurring_costs):
        if not ZERO <= line.low_pct <= HUNDRED <= line.high_pct:
            raise CaseError(f"Cost '{line.name}': its range must run from at most 100% to at least 100%.")
    if case.workforce is not None and case.workforce.redundancy_in_costs:
        entered = [c.name for c in case.one_off_costs if c.kind is CostType.REDUNDANCY]
        if entered:
            raise CaseError(
                f"Redundancy costs are entered ({', '.join(entered)}) and also worked out from the workforce "
                "impact; set workforce redundancy_in_costs to false or remove the entered redundancy costs."
            )


def line_cost_per_fte(opp: Opportunity, pots: Mapping[str, BaselinePot]) -> Decimal | None:
    """The cost of a post in the opportunity's own layer: its staff pot's amount over its FTE."""
    pot = pots.get(opp.pot) if opp.pot is not None else None
    if pot is None or pot.kind is not PotKind.STAFF or not pot.fte or pot.amount <= 0:
        return None
    return pot.amount / pot.fte


def _lines(case: Case, ranges: Mapping[str, OpportunityRange]) -> tuple[LineResult, ...]:
    opps = {o.code: o for o in case.opportunities}
    pots = {p.code: p for p in case.pots}
    out: list[LineResult] = []
    for ch in case.chosen:
        point = ch.point or case.point
        value = chosen_value(ranges[ch.code], point, ch.custom_amount)
        if ch.releases:
            phasing = release_phasing(ch.releases, case.releases, case.first_year, case.years)
        else:
            phasing = _by_year(ch.phasing, case.years, f"The phasing of {ch.code}")
        out.append(
            LineResult(
                opps[ch.code],
                ranges[ch.code],
                point,
                value,
                phasing,
                tuple(value * f for f in phasing),
                ch.releases,
                line_cost_per_fte(opps[ch.code], pots),
            )
        )
    return tuple(out)


def posts_by_year(lines: Sequence[LineResult], average_cost_per_fte: Decimal, years: int) -> list[Decimal]:
    """Posts reduced each year: each line's staff-cost increment over its own layer's cost per FTE, or
    over the average where its layer has none."""
    return [
        total(
            max(ln.increments[y], ZERO)
            * ln.opportunity.staff_pct
            / HUNDRED
            / (ln.cost_per_fte or average_cost_per_fte)
            for ln in lines
        )
        for y in range(years)
    ]


def _costs(
    case: Case, workforce: Sequence[WorkforceYear] | None
) -> tuple[list[dict[CostType, Decimal]], list[Decimal], list[Decimal]]:
    """One-off by type and recurring costs by year, uplifted and rounded; and the costs before uplift."""
    n = case.years
    uplift = ONE + case.optimism_bias_pct / HUNDRED
    raw_types: list[dict[CostType, Decimal]] = [{t: ZERO for t in CostType} for _ in range(n)]
    for line in case.one_off_costs:
        kind = line.kind or CostType.IMPLEMENTATION
        for y, amount in enumerate(_by_year(line.amounts, n, f"The cost '{line.name}'")):
            raw_types[y][kind] += amount
    if workforce is not None and case.workforce is not None and case.workforce.redundancy_in_costs:
        for y, wy in enumerate(workforce):
            raw_types[y][CostType.REDUNDANCY] += wy.redundancy_cost
    raw_recurring = [ZERO] * n
    for line in case.recurring_costs:
        for y, amount in enumerate(_by_year(line.amounts, n, f"The cost '{line.name}'")):
            raw_recurring[y] += amount
    one_off = [{t: pennies(v * uplift) for t, v in types.items()} for types in raw_types]
    recurring = [pennies(v * uplift) for v in raw_recurring]
    before = [
        pennies(total(types.values()) + rec) for types, rec in zip(raw_types, raw_recurring, strict=True)
    ]
    return one_off, recurring, before


def npv_of(nets: Sequence[Decimal], rate_pct: Decimal) -> Decimal:
    """Net present value, discounting year 0 (the case's first year) by nothing, year t by (1 + r)^t."""
    factor = ONE + rate_pct / HUNDRED
    return pennies(total(net / factor**t for t, net in enumerate(nets)))


def payback_of(years: Sequence[FinancialYear], cumulative_net: Sequence[Decimal]) -> FinancialYear | None:
    """The first year from which the cumulative net position stays at 0 or more to the end of the case."""
    found: FinancialYear | None = None
    for year, cum in zip(years, cumulative_net, strict=True):
        if cum < 0:
            found = None
        elif found is None:
            found = year
    return found


def compute_case(case: Case) -> CaseResult:
    validate_case(case)
    ranges = size_all(case.opportunities, case.pots)
    lines = _lines(case, ranges)
    n = case.years
    increments = [pennies(total(line.increments[y] for line in lines)) for y in range(n)]
    cumulative = running(increments)
    workforce: tuple[WorkforceYear, ...] | None = None
    if case.workforce is not None:
        case.workforce.validate()
        staff = [
            total(ln.increments[y] * ln.opportunity.staff_pct / HUNDRED for ln in lines) for y in range(n)
        ]
        posts = posts_by_year(lines, case.workforce.average_cost_per_fte, n)
        workforce = workforce_impact(staff, case.workforce, posts=posts)
    one_off, recurring, before = _costs(case, workforce)
    one_off_totals = [total(t.values()) for t in one_off]
    nets = [c - o - r for c, o, r in zip(cumulative, one_off_totals, recurring, strict=True)]
    cumulative_net = running(nets)
    gaps = _by_year(case.mtfp_gap, n, "The MTFP gap") if case.mtfp_gap else None
    labels = case.year_labels
    figures: list[YearFigures] = []
    for y in range(n):
        closed = cumulative[y] - recurring[y]
        gap = gaps[y] if gaps is not None else None
        figures.append(
            YearFigures(
                year=labels[y],
                recurring_in_year=increments[y],
                cumulative_recurring=cumulative[y],
                one_off_by_type=one_off[y],
                one_off_costs=one_off_totals[y],
                recurring_costs=recurring[y],
                costs_before_optimism_bias=before[y],
                optimism_bias=one_off_totals[y] + recurring[y] - before[y],
                net=nets[y],
                cumulative_net=cumulative_net[y],
                mtfp_gap=gap,
                gap_closed=closed,
                remaining_gap=None if gap is None else gap - closed,
                gap_coverage_pct=tenths(closed / gap * HUNDRED) if gap else None,
                workforce=workforce[y] if workforce is not None else None,
            )
        )
    chosen_ranges = [ln.range for ln in lines]
    (totals,) = range_totals(chosen_ranges, "total") or (RangeTotal("total", ZERO, ZERO, ZERO),)
    return CaseResult(
        case=case,
        years=tuple(figures),
        lines=lines,
        payback_year=payback_of(labels, cumulative_net),
        npv=npv_of(nets, case.discount_rate_pct),
        total_low=totals.low,
        total_mid=totals.mid,
        total_high=totals.high,
        chosen_full_year=total(pennies(ln.value) for ln in lines),
        by_layer=range_totals(chosen_ranges, "layer"),
        by_lever=range_totals(chosen_ranges, "lever"),
    )
