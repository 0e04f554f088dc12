"""Turning the stored opportunities and cases into the engine's inputs.

The web app, the workbook, the document and the demo all compute through here, with the same engine the
`case compute` command uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from wholecouncil.cases import engine as E
from wholecouncil.cases.baselines import Baselines, Pot
from wholecouncil.cases.models import BusinessCase, CaseOption, CostLine, Opportunity, Release
from wholecouncil.council.engine import FinancialYear

ZERO = Decimal(0)
NO_LAYER = "no-layer"
NO_LEVER = "no-lever"


class CaseProblem(Exception):
    """A case or an opportunity that cannot be computed yet, with a message fit to show the user."""


def dec(value: object, default: Decimal = ZERO) -> Decimal:
    if value is None or value == "":
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return default


def by_year(values: Sequence[object] | None, years: int) -> tuple[Decimal, ...]:
    """A stored list of figures by year as exactly `years` Decimals (missing years are 0)."""
    given = [dec(v) for v in (values or [])][:years]
    return tuple(given) + (ZERO,) * (years - len(given))


def pot_of(opp: Opportunity, baselines: Baselines) -> Pot | None:
    if opp.basis == Opportunity.Basis.ACTIVITY and opp.layer is not None:
        return baselines.staff(opp.layer.code)
    if opp.basis == Opportunity.Basis.SPEND:
        return baselines.spend(opp.spend_category)
    return None


def missing_baseline(opp: Opportunity, baselines: Baselines) -> str:
    """Why the opportunity cannot be sized yet, or '' when it can."""
    if opp.basis == Opportunity.Basis.ACTIVITY:
        if opp.layer is None:
            return "Its layer has been removed from the operating model; choose a layer."
        if pot_of(opp, baselines) is None:
            return (
                f"There is no staff-cost baseline for {opp.layer.name} yet: run the activity analysis "
                "or enter the figure on the baselines page."
            )
    if opp.basis == Opportunity.Basis.SPEND and pot_of(opp, baselines) is None:
        return f"There is no spend baseline for the category '{opp.spend_category}' yet."
    if opp.basis == Opportunity.Basis.ENTERED and opp.baseline_amount is None:
        return "Enter its baseline in pounds."
    return ""


def engine_opportunity(opp: Opportunity, baselines: Baselines) -> E.Opportunity:
    """The engine's view of one opportunity. Raises CaseProblem when it has no baseline to draw on."""
    problem = missing_baseline(opp, baselines)
    if problem:
        raise CaseProblem(f"{opp.code}: {problem}")
    pot = pot_of(opp, baselines)
    percent = opp.saving == Opportunity.Saving.PERCENT
    return E.Opportunity(
        code=opp.code,
        name=opp.name,
        layer=opp.layer.code if opp.layer is not None else NO_LAYER,
        lever=opp.lever.code if opp.lever is not None else NO_LEVER,
        low_pct=dec(opp.low_pct) if percent else None,
        high_pct=dec(opp.high_pct) if percent else None,
        low_amount=None if percent else dec(opp.low_amount),
        high_amount=None if percent else dec(opp.high_amount),
        baseline=opp.baseline_amount if opp.basis == Opportunity.Basis.ENTERED else None,
        pot=pot.code if pot is not None else None,
        staff_pct=opp.effective_staff_pct,
        rationale=opp.rationale,
        source=opp.source,
        illustrative=opp.illustrative,
    )


def engine_cost(line: CostLine, years: int) -> E.CostLine:
    kind = None if line.is_recurring else E.CostType(line.kind)
    return E.CostLine(line.name, by_year(line.amounts, years), kind, line.low_pct, line.high_pct)


def workforce_terms(case: BusinessCase, average_cost: Decimal | None) -> E.WorkforceAssumptions | None:
    cost = case.average_cost_per_fte or average_cost
    if cost is None or cost <= 0:
        return None
    return E.WorkforceAssumptions(
        average_cost_per_fte=cost,
        turnover_fte=by_year(case.turnover_fte, case.years),
        turnover_capture_pct=case.turnover_capture_pct,
        redeployment_pct=case.redeployment_pct,
        average_redundancy_cost=case.average_redundancy_cost,
        redundancy_in_costs=case.redundancy_in_costs,
    )


def engine_case(
    case: BusinessCase,
    option: CaseOption,
    baselines: Baselines,
    *,
    average_cost: Decimal | None = None,
    lines: Iterable[object] | None = None,
    costs: Iterable[CostLine] | None = None,
    releases: Sequence[Release] | None = None,
) -> E.Case:
    """The engine's case for one option. Raises CaseProblem for an opportunity that cannot be sized.

    `lines`, `costs` and `releases` may be given already loaded (a page computing several options loads
    them once).
    """
    case_releases = list(releases if releases is not None else case.releases.all())
    chosen_lines = list(
        lines
        if lines is not None
        else option.lines.select_related("opportunity__layer", "opportunity__lever")
    )
    cost_lines = list(costs if costs is not None else option.costs.all())
    opportunities = []
    chosen = []
    for line in chosen_lines:
        opp: Opportunity = line.opportunity  # type: ignore[attr-defined]
        opportunities.append(engine_opportunity(opp, baselines))
        point = line.point or None  # type: ignore[attr-defined]
        shares = release_shares(line.release_shares, case_releases)  # type: ignore[attr-defined]
        chosen.append(
            E.ChosenOpportunity(
                code=opp.code,
                phasing=() if shares else by_year(line.phasing, case.years),  # type: ignore[attr-defined]
                point=E.Point(point) if point else None,
                custom_amount=line.custom_amount,  # type: ignore[attr-defined]
                releases=shares,
            )
        )
    return E.Case(
        name=f"{case.name}: {option.name}",
        first_year=FinancialYear(case.first_year),
        years=case.years,
        pots=baselines.engine_pots(),
        opportunities=tuple(opportunities),
        chosen=tuple(chosen),
        point=E.Point(option.point),
        one_off_costs=tuple(engine_cost(c, case.years) for c in cost_lines if not c.is_recurring),
        recurring_costs=tuple(engine_cost(c, case.years) for c in cost_lines if c.is_recurring),
        optimism_bias_pct=case.optimism_bias_pct,
        discount_rate_pct=case.discount_rate_pct,
        mtfp_gap=by_year(case.mtfp_gap, case.years) if any(dec(v) for v in case.mtfp_gap or []) else (),
        workforce=workforce_terms(case, average_cost),
        releases=tuple(E.Release(r.code, r.name, r.go_live) for r in case_releases),
    )


def release_shares(
    stored: dict[str, object] | None, releases: Sequence[Release]
) -> tuple[tuple[str, Decimal], ...]:
    """A line's stored shares (percent by release id) as (release code, share) in the releases' order."""
    given = stored or {}
    return tuple((r.code, dec(given[str(r.pk)])) for r in releases if str(r.pk) in given)
