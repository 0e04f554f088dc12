"""What the case page and the business-case document show: tables by year, comparisons, risk and charts.

The same rows feed the page, the document (HTML and PDF) and the charts, so every chart has a table with
exactly its figures beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholecouncil.cases import charts, presentation_extra
from wholecouncil.cases import engine as E
from wholecouncil.cases.convert import by_year
from wholecouncil.cases.engine.money import tenths
from wholecouncil.cases.selectors import CaseFigures, OptionFigures

ZERO = Decimal(0)
COST_LABELS = {
    E.CostType.IMPLEMENTATION: "Implementation",
    E.CostType.TECHNOLOGY: "Technology",
    E.CostType.CHANGE_SUPPORT: "Change support",
    E.CostType.REDUNDANCY: "Redundancy",
}


@dataclass
class Row:
    label: str
    values: list[Any]
    total: Any = None
    kind: str = "money"  # money, pct, fte
    strong: bool = False
    indent: bool = False


def _sum(values: Sequence[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def year_rows(result: E.CaseResult) -> list[Row]:
    ys = result.years
    rows = [
        Row(
            "Recurring benefit delivered in-year",
            [y.recurring_in_year for y in ys],
            _sum([y.recurring_in_year for y in ys]),
        ),
        Row(
            "Cumulative recurring benefit",
            [y.cumulative_recurring for y in ys],
            _sum([y.cumulative_recurring for y in ys]),
            strong=True,
        ),
    ]
    for kind, label in COST_LABELS.items():
        values = [y.one_off_by_type.get(kind, ZERO) for y in ys]
        rows.append(Row(f"One-off: {label.lower()}", values, _sum(values), indent=True))
    rows += [
        Row("One-off costs", [y.one_off_costs for y in ys], _sum([y.one_off_costs for y in ys])),
        Row("Recurring costs", [y.recurring_costs for y in ys], _sum([y.recurring_costs for y in ys])),
        Row(
            "Of which optimism bias",
            [y.optimism_bias for y in ys],
            _sum([y.optimism_bias for y in ys]),
            indent=True,
        ),
        Row("Net position", [y.net for y in ys], _sum([y.net for y in ys]), strong=True),
        Row("Cumulative net position", [y.cumulative_net for y in ys], None, strong=True),
    ]
    return rows


def gap_rows(result: E.CaseResult) -> list[Row]:
    ys = result.years
    if all(y.mtfp_gap is None for y in ys):
        return []
    return [
        Row("MTFP gap", [y.mtfp_gap for y in ys]),
        Row("Closed by the case (recurring benefit less recurring costs)", [y.gap_closed for y in ys]),
        Row("Remaining gap", [y.remaining_gap for y in ys], strong=True),
        Row("Share of the gap closed", [y.gap_coverage_pct for y in ys], kind="pct"),
    ]


def workforce_rows(result: E.CaseResult) -> list[Row]:
    ws = [y.workforce for y in result.years]
    if any(w is None for w in ws):
        return []
    wf = [w for w in ws if w is not None]

    def fte(values: list[Decimal]) -> tuple[list[Decimal], Decimal]:
        return [tenths(v) for v in values], tenths(sum(values, ZERO))

    rows = []
    for label, attr, strong in (
        ("Posts reduced (FTE)", "posts_reduced", False),
        ("Leavers (natural turnover, FTE)", "leavers", False),
        ("Absorbed by turnover (FTE)", "absorbed_by_turnover", False),
        ("Redeployed (FTE)", "redeployed", False),
        ("Not absorbed: at risk of redundancy (FTE)", "not_absorbed", True),
    ):
        values, total = fte([getattr(w, attr) for w in wf])
        rows.append(Row(label, list(values), total, kind="fte", strong=strong))
    costs = [Decimal(w.redundancy_cost).quantize(Decimal("0.01")) for w in wf]
    rows.append(Row("Redundancy cost, before optimism bias", list(costs), _sum(list(costs)), strong=True))
    return rows


@dataclass
class OptionSummary:
    figures: OptionFigures
    recommended: bool
    full_year: Decimal | None = None
    final_benefit: Decimal | None = None
    total_costs: Decimal | None = None
    npv: Decimal | None = None
    payback: str = ""
    final_gap_closed: Decimal | None = None
    final_coverage: Decimal | None = None
    posts_reduced: Decimal | None = None
    not_absorbed: Decimal | None = None
    redundancy_cost: Decimal | None = None
    opportunities: int = 0


def option_summaries(figures: CaseFigures) -> list[OptionSummary]:
    out = []
    for o in figures.options:
        s = OptionSummary(o, o.option.pk == figures.case.recommended_option_id)
        r = o.result
        if r is not None:
            last = r.years[-1]
            s.full_year = r.chosen_full_year
            s.final_benefit = last.cumulative_recurring
            s.total_costs = sum((y.one_off_costs + y.recurring_costs for y in r.years), ZERO)
            s.npv = r.npv
            if not r.lines and not s.total_costs:
                s.payback = "No investment"
            else:
                s.payback = str(r.payback_year) if r.payback_year else "Not within the case"
            s.final_gap_closed = last.gap_closed
            s.final_coverage = last.gap_coverage_pct
            s.opportunities = len(r.lines)
            if last.workforce is not None:
                s.posts_reduced = tenths(
                    sum((y.workforce.posts_reduced for y in r.years if y.workforce), ZERO)
                )
                s.not_absorbed = tenths(r.redundancy_fte)
                s.redundancy_cost = sum(
                    (Decimal(y.workforce.redundancy_cost) for y in r.years if y.workforce), ZERO
                ).quantize(Decimal("0.01"))
        out.append(s)
    return out


@dataclass
class RiskRow:
    label: str
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass
class TornadoRow:
    name: str
    kind: str
    npv_low: Decimal
    npv_high: Decimal
    swing: Decimal


def _d(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


@dataclass
class RiskView:
    rows: list[RiskRow]
    tornado: list[TornadoRow]
    iterations: int
    distribution: str
    chart: Any = None
    tornado_chart: Any = None
    names: dict[str, str] = field(default_factory=dict)


def risk_view(figures: CaseFigures, top: int = 10) -> RiskView | None:
    if figures.risk is None or figures.shown is None or figures.shown.result is None:
        return None
    mc = figures.risk.monte_carlo
    result = figures.shown.result
    last = str(result.years[-1].year)
    rows = [
        RiskRow(f"Cumulative recurring benefit in {last}", *(_d(p) for p in _p(mc.cumulative_recurring))),
        RiskRow("Recurring benefit over the case's years", *(_d(p) for p in _p(mc.benefit_over_period))),
        RiskRow("Net present value", *(_d(p) for p in _p(mc.npv))),
    ]
    names = {ln.opportunity.code: f"{ln.opportunity.code} {ln.opportunity.name}" for ln in result.lines}
    bars = [
        TornadoRow(names.get(b.name, b.name), b.kind, _d(b.npv_low), _d(b.npv_high), _d(b.swing))
        for b in figures.risk.tornado[:top]
    ]
    view = RiskView(rows, bars, mc.iterations, str(mc.distribution), names=names)
    view.chart = charts.range_chart(
        "Risk range: P10 to P90, with P50 marked",
        f"From {mc.iterations:,} simulations. "
        + "; ".join(
            f"{r.label}: P10 {charts.money_label(float(r.p10))}, P50 {charts.money_label(float(r.p50))}, "
            f"P90 {charts.money_label(float(r.p90))}"
            for r in rows
        ),
        [charts.RangeRow(r.label, float(r.p10), float(r.p90), float(r.p50)) for r in rows],
    )
    if bars:
        view.tornado_chart = charts.range_chart(
            "Sensitivity of NPV to each assumption",
            f"NPV {charts.money_label(float(result.npv))} with every assumption at its chosen point. "
            + "; ".join(
                f"{b.name}: {charts.money_label(float(b.npv_low))} to {charts.money_label(float(b.npv_high))}"
                for b in bars
            ),
            [charts.RangeRow(b.name, float(b.npv_low), float(b.npv_high)) for b in bars],
            centre=float(result.npv),
        )
    return view


def _p(p: Any) -> tuple[float, float, float]:
    return p.p10, p.p50, p.p90


def profile_chart(result: E.CaseResult) -> Any:
    labels = [str(y.year) for y in result.years]
    costs = [y.one_off_costs + y.recurring_costs for y in result.years]
    desc = "; ".join(
        f"{y.year}: benefit {charts.money_label(float(y.cumulative_recurring))}, costs "
        f"{charts.money_label(float(c))}, cumulative net {charts.money_label(float(y.cumulative_net))}"
        for y, c in zip(result.years, costs, strict=True)
    )
    return charts.profile_chart(
        "Benefits, costs and cumulative net position by year",
        desc,
        labels,
        [y.cumulative_recurring for y in result.years],
        costs,
        [y.cumulative_net for y in result.years],
    )


def options_chart(summaries: list[OptionSummary]) -> Any:
    rows = [(s.figures.option.name, float(s.npv)) for s in summaries if s.npv is not None]
    if not rows:
        return None
    return charts.bar_chart(
        "Net present value of each option",
        "; ".join(f"{name}: {charts.money_label(v)}" for name, v in rows),
        rows,
    )


def case_context(figures: CaseFigures) -> dict[str, Any]:
    shown = figures.shown
    result = shown.result if shown is not None else None
    summaries = option_summaries(figures)
    context: dict[str, Any] = {
        "case": figures.case,
        "figures": figures,
        "shown": shown,
        "result": result,
        "options": summaries,
        "options_chart": options_chart(summaries),
        "baselines": figures.baselines,
        "average_cost": figures.average_cost,
        "years": figures.case.year_labels,
        "releases": figures.releases,
        "release_rows": presentation_extra.release_rows(figures.releases, result),
        "illustrative_assumptions": presentation_extra.illustrative_assumptions(figures.case),
        "risk_ranges": presentation_extra.ranges_of(figures.case),
        "cost_rows": (
            [(c, list(by_year(c.amounts, figures.case.years))) for c in shown.option.costs.all()]
            if shown is not None
            else []
        ),
    }
    if result is not None:
        context.update(
            {
                "year_rows": year_rows(result),
                "gap_rows": gap_rows(result),
                "workforce_rows": workforce_rows(result),
                "profile_chart": profile_chart(result),
                "risk": risk_view(figures),
                "optimism_total": sum((y.optimism_bias for y in result.years), ZERO),
                "by_layer": result.by_layer,
                "by_lever": result.by_lever,
                "post_costs": presentation_extra.post_costs(
                    result, figures.average_cost, figures.baselines.layer_names
                ),
                "by_release": any(ln.release_shares for ln in result.lines),
            }
        )
    return context
