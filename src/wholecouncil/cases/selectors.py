"""Every read the business-case pages, workbook and document need. Each takes the council."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from wholecouncil.cases import claims
from wholecouncil.cases import engine as E
from wholecouncil.cases.baselines import Baselines, council_baselines
from wholecouncil.cases.convert import CaseProblem, engine_case, engine_opportunity, missing_baseline
from wholecouncil.cases.engine.money import pennies
from wholecouncil.cases.models import BusinessCase, CaseOption, CostLine, Opportunity, OptionLine, Release
from wholecouncil.cases.risk_figures import RiskFigures, risk_of, risk_settings
from wholecouncil.council.models import Council, Layer, Lever
from wholecouncil.workforce.selectors import establishment_stats


def opportunities_for(council: Council) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(council=council).select_related("layer", "lever")


def opportunity_get(council: Council, pk: int) -> Opportunity:
    return get_object_or_404(opportunities_for(council), pk=pk)


@dataclass
class OpportunityRow:
    opportunity: Opportunity
    baseline: Decimal | None = None
    baseline_source: str = ""
    low: Decimal | None = None
    mid: Decimal | None = None
    high: Decimal | None = None
    problem: str = ""
    overlapping: bool = False


@dataclass
class GroupTotal:
    name: str
    low: Decimal
    mid: Decimal
    high: Decimal
    count: int


@dataclass
class OpportunityTable:
    rows: list[OpportunityRow]
    by_layer: list[GroupTotal]
    by_lever: list[GroupTotal]
    total: GroupTotal
    overlaps: list[str] = field(default_factory=list)
    baselines: Baselines = field(default_factory=Baselines)

    @property
    def unsized(self) -> list[OpportunityRow]:
        return [r for r in self.rows if r.problem]

    @property
    def illustrative(self) -> int:
        return sum(1 for r in self.rows if r.opportunity.illustrative)


def _group(rows: list[OpportunityRow], key: str, names: dict[str, str]) -> list[GroupTotal]:
    groups: dict[str, list[OpportunityRow]] = defaultdict(list)
    for r in rows:
        if r.low is None:
            continue
        obj = getattr(r.opportunity, key)
        groups[obj.code if obj is not None else ""].append(r)
    order = list(names)
    out = []
    for code in sorted(groups, key=lambda c: order.index(c) if c in order else len(order)):
        rs = groups[code]
        out.append(_total(names.get(code, "No " + key), rs))
    return out


def _total(name: str, rows: list[OpportunityRow]) -> GroupTotal:
    sized = [r for r in rows if r.low is not None]
    return GroupTotal(
        name,
        sum((r.low for r in sized if r.low is not None), Decimal(0)),
        sum((r.mid for r in sized if r.mid is not None), Decimal(0)),
        sum((r.high for r in sized if r.high is not None), Decimal(0)),
        len(sized),
    )


def opportunity_table(council: Council, baselines: Baselines | None = None) -> OpportunityTable:
    """Low / mid / high to the penny per opportunity, per layer, per lever and in total, and any overlaps."""
    baselines = baselines or council_baselines(council)
    rows: list[OpportunityRow] = []
    every = list(opportunities_for(council))
    for opp in every:
        row = OpportunityRow(opp)
        problem = missing_baseline(opp, baselines)
        if problem:
            row.problem = problem
            rows.append(row)
            continue
        eng = engine_opportunity(opp, baselines)
        pots = {p.code: p for p in baselines.engine_pots()}
        try:
            rng = E.size_opportunity(eng, pots)
        except E.CaseError as exc:
            row.problem = str(exc)
            rows.append(row)
            continue
        row.baseline = rng.baseline
        pot = baselines.pots.get(eng.pot) if eng.pot else None
        row.baseline_source = pot.source if pot else ("Entered" if rng.baseline is not None else "")
        row.low, row.mid, row.high = pennies(rng.low), pennies(rng.mid), pennies(rng.high)
        rows.append(row)
    overlaps, codes = claims.overlap_messages(every, baselines)
    for r in rows:
        r.overlapping = r.opportunity.code in codes
    layers = {x.code: x.name for x in Layer.objects.filter(council=council)}
    levers = {x.code: x.name for x in Lever.objects.filter(council=council)}
    return OpportunityTable(
        rows=rows,
        by_layer=_group(rows, "layer", layers),
        by_lever=_group(rows, "lever", levers),
        total=_total("Total", rows),
        overlaps=overlaps,
        baselines=baselines,
    )


# --- cases ------------------------------------------------------------------------------------------


def cases_for(council: Council) -> QuerySet[BusinessCase]:
    return BusinessCase.objects.filter(council=council).prefetch_related("options")


def case_get(council: Council, pk: int) -> BusinessCase:
    return get_object_or_404(BusinessCase.objects.filter(council=council), pk=pk)


def option_get(case: BusinessCase, pk: int) -> CaseOption:
    return get_object_or_404(CaseOption.objects.filter(case=case), pk=pk)


def cost_get(option: CaseOption, pk: int) -> CostLine:
    return get_object_or_404(CostLine.objects.filter(option=option), pk=pk)


def options_of(case: BusinessCase) -> list[CaseOption]:
    lines = OptionLine.objects.select_related("opportunity__layer", "opportunity__lever")
    return list(
        case.options.prefetch_related(Prefetch("lines", queryset=lines), "costs").order_by("position", "id")
    )


def average_cost_per_fte(council: Council, baselines: Baselines) -> Decimal | None:
    """From the activity baseline where it gives FTE, else the establishment's cost over its FTE."""
    found = baselines.average_cost_per_fte
    if found is not None:
        return found
    stats = establishment_stats(council)
    if stats.fte and stats.annual_cost:
        return stats.annual_cost / stats.fte
    return None


@dataclass
class OptionFigures:
    option: CaseOption
    result: E.CaseResult | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None


def compute_option(
    case: BusinessCase,
    option: CaseOption,
    baselines: Baselines,
    average_cost: Decimal | None,
    releases: list[Release] | None = None,
) -> OptionFigures:
    try:
        model = engine_case(
            case,
            option,
            baselines,
            average_cost=average_cost,
            lines=list(option.lines.all()),
            costs=list(option.costs.all()),
            releases=releases,
        )
        return OptionFigures(option, E.compute_case(model))
    except (CaseProblem, E.CaseError) as exc:
        return OptionFigures(option, problem=str(exc))


@dataclass
class CaseFigures:
    case: BusinessCase
    options: list[OptionFigures]
    shown: OptionFigures | None
    baselines: Baselines
    average_cost: Decimal | None
    risk: RiskFigures | None = None
    releases: list[Release] = field(default_factory=list)

    @property
    def recommended(self) -> OptionFigures | None:
        rec = self.case.recommended_option_id
        return next((o for o in self.options if o.option.pk == rec), None)


def case_figures(
    case: BusinessCase,
    option_pk: int | None = None,
    *,
    baselines: Baselines | None = None,
    with_risk: bool = True,
) -> CaseFigures:
    """Every option of the case computed; the one shown (asked for, else recommended, else first), with
    its risk range (cached by the case's inputs, see risk_figures)."""
    baselines = baselines or council_baselines(case.council)
    average = average_cost_per_fte(case.council, baselines)
    releases = list(case.releases.all())
    options = [compute_option(case, o, baselines, average, releases) for o in options_of(case)]
    wanted = option_pk or case.recommended_option_id
    shown = next((o for o in options if o.option.pk == wanted), options[0] if options else None)
    risk = None
    if with_risk and shown is not None and shown.result is not None and shown.result.lines:
        risk = risk_of(shown.result, risk_settings(case))
    return CaseFigures(case, options, shown, baselines, average, risk, releases)
