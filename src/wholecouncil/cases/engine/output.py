"""Plain data (JSON-ready) views of a computed case. Money is a decimal string in pounds to the penny."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wholecouncil.cases.engine.money import pennies, tenths
from wholecouncil.cases.engine.opportunities import RangeTotal
from wholecouncil.cases.engine.profile import CaseResult, CostType, YearFigures
from wholecouncil.cases.engine.releases import release_benefits
from wholecouncil.cases.engine.risk import MonteCarloResult, Percentiles, TornadoBar


def money(amount: Decimal | float | None) -> str | None:
    if amount is None:
        return None
    value = amount if isinstance(amount, Decimal) else Decimal(repr(float(amount)))
    return str(pennies(value))


def _year(y: YearFigures) -> dict[str, Any]:
    row: dict[str, Any] = {
        "year": str(y.year),
        "recurring_in_year": money(y.recurring_in_year),
        "cumulative_recurring": money(y.cumulative_recurring),
        "one_off_costs": money(y.one_off_costs),
        "one_off_by_type": {str(t): money(y.one_off_by_type.get(t)) for t in CostType},
        "recurring_costs": money(y.recurring_costs),
        "optimism_bias": money(y.optimism_bias),
        "net": money(y.net),
        "cumulative_net": money(y.cumulative_net),
        "mtfp_gap": money(y.mtfp_gap),
        "gap_closed": money(y.gap_closed),
        "remaining_gap": money(y.remaining_gap),
        "gap_coverage_pct": None if y.gap_coverage_pct is None else str(y.gap_coverage_pct),
    }
    if y.workforce is not None:
        w = y.workforce
        row["workforce"] = {
            "posts_reduced_fte": str(tenths(w.posts_reduced)),
            "leavers_fte": str(tenths(w.leavers)),
            "absorbed_by_turnover_fte": str(tenths(w.absorbed_by_turnover)),
            "redeployed_fte": str(tenths(w.redeployed)),
            "not_absorbed_fte": str(tenths(w.not_absorbed)),
            "redundancy_cost": money(w.redundancy_cost),
        }
    return row


def _totals(rows: tuple[RangeTotal, ...]) -> list[dict[str, Any]]:
    return [{"key": t.key, "low": money(t.low), "mid": money(t.mid), "high": money(t.high)} for t in rows]


def result_to_dict(result: CaseResult) -> dict[str, Any]:
    case = result.case
    return {
        "name": case.name,
        "first_year": str(case.first_year),
        "point": str(case.point),
        "discount_rate_pct": str(case.discount_rate_pct),
        "optimism_bias_pct": str(case.optimism_bias_pct),
        "years": [_year(y) for y in result.years],
        "payback_year": None if result.payback_year is None else str(result.payback_year),
        "npv": money(result.npv),
        "total_low": money(result.total_low),
        "total_mid": money(result.total_mid),
        "total_high": money(result.total_high),
        "chosen_full_year": money(result.chosen_full_year),
        "by_layer": _totals(result.by_layer),
        "by_lever": _totals(result.by_lever),
        "opportunities": [
            {
                "code": ln.opportunity.code,
                "name": ln.opportunity.name,
                "layer": ln.opportunity.layer,
                "lever": ln.opportunity.lever,
                "low": money(ln.range.low),
                "mid": money(ln.range.mid),
                "high": money(ln.range.high),
                "point": str(ln.point),
                "value": money(ln.value),
                "illustrative": ln.opportunity.illustrative,
                "phasing": [str(f) for f in ln.phasing],
                "releases": {code: str(share) for code, share in ln.release_shares},
            }
            for ln in result.lines
        ],
        "releases": [
            {
                "code": b.release.code,
                "name": b.release.name,
                "go_live": str(b.release.go_live),
                "full_year": money(b.full_year),
                "opportunities": list(b.lines),
            }
            for b in release_benefits(
                case.releases, ((ln.opportunity.code, ln.value, ln.release_shares) for ln in result.lines)
            )
        ],
    }


def _pcts(p: Percentiles) -> dict[str, str | None]:
    return {"p10": money(p.p10), "p50": money(p.p50), "p90": money(p.p90)}


def risk_to_dict(mc: MonteCarloResult) -> dict[str, Any]:
    return {
        "iterations": mc.iterations,
        "seed": mc.seed,
        "distribution": str(mc.distribution),
        "cumulative_benefit": _pcts(mc.cumulative_recurring),
        "benefit_over_period": _pcts(mc.benefit_over_period),
        "npv": _pcts(mc.npv),
    }


def tornado_to_list(bars: tuple[TornadoBar, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": b.name,
            "kind": b.kind,
            "npv_low": money(b.npv_low),
            "npv_high": money(b.npv_high),
            "swing": money(b.swing),
        }
        for b in bars
    ]
