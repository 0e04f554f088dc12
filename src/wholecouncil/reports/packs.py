"""The three board packs, each assembled from the live portfolio and benefits register.

`board_pack` gives everything a pack's page and its PDF show; the templates add nothing of their own. Figures
about the period (gate decisions, highlight reports, savings delivered, projects completed) cover the period
chosen; figures about where things stand (submissions waiting, open conditions, risks, milestones, the MTFP
position) are as at the day the pack is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from wholecouncil.benefits import charts as benefit_charts
from wholecouncil.benefits.engine.mtfp import YearPosition
from wholecouncil.benefits.realisation import GroupRow, realisation
from wholecouncil.benefits.selectors import mtfp_position
from wholecouncil.council.engine import FinancialYear, add_months
from wholecouncil.council.models import Council
from wholecouncil.portfolio import charts as portfolio_charts
from wholecouncil.portfolio import selectors as portfolio
from wholecouncil.reports import selectors
from wholecouncil.reports.engine import (
    ANNUAL,
    KINDS,
    MONTHLY,
    QUARTERLY,
    Listing,
    Period,
    by_year,
    decision_bars,
    decision_rows,
    plain_decision,
    share_pct,
    totals,
    window,
)

# How many rows each list shows; the pack says how many there are in all.
NARRATIVES = 60
WAITING = 25
DECISIONS = 50
CONDITIONS = 25
KEY_RISKS = 5
MILESTONES = 25
BENEFITS = 25
CLOSURES = 50
ENDING = 25


def year_of(years: tuple[YearPosition, ...], year: FinancialYear) -> YearPosition | None:
    return next((y for y in years if y.year == year), None)


def _position(council: Council, today: dt.date) -> dict[str, Any]:
    view = mtfp_position(council, today)
    years = view.position.years
    return {
        "position": view.position,
        "years": years,
        "position_chart": benefit_charts.position_chart(years),
        "has_required": bool(view.required),
        "this_year": year_of(years, FinancialYear.containing(today)),
        "totals": {
            name: view.position.total(name) if name != "required" or view.required else None
            for name in ("required", "banked", "pipeline", "at_risk")
        },
    }


def _decisions(council: Council, period: Period, limit: int) -> dict[str, Any]:
    listing, counts = selectors.decisions_in(council, period, limit)
    return {
        "decisions": listing,
        "decision_rows": decision_rows(counts),
        "decision_chart": portfolio_charts.bars(decision_bars(counts)),
    }


def _stages(board: portfolio.Dashboard) -> dict[str, Any]:
    return {
        "stage_chart": portfolio_charts.bars([(f"{r.number} {r.name}", r.open) for r in board.stage_rows]),
        "open_projects": sum(board.status_totals.get(s, 0) for s in portfolio.OPEN_STATUSES),
    }


def _monthly(council: Council, period: Period, today: dt.date) -> dict[str, Any]:
    board = portfolio.dashboard(council, today)
    trend = portfolio.rag_trend(council, portfolio.months_back(period.months[-1], 12))
    month = selectors.latest_report_month(council, period)
    following = period.shifted(1)
    return {
        "board": board,
        "trend": trend,
        "trend_chart": portfolio_charts.stacked_rag(trend),
        "report_month": month,
        "concerns": selectors.concerns(council, month, NARRATIVES),
        "programme_reports": selectors.programme_reports(council, month),
        "waiting": selectors.pending_submissions(council, WAITING),
        "conditions": selectors.open_conditions(council, CONDITIONS),
        "risks": Listing(board.top_risks, selectors.open_risk_count(council)),
        "slipped": selectors.slipped_milestones(council, MILESTONES),
        "following": following,
        "due_next": selectors.milestones_due(council, max(following.start, today), following.end, MILESTONES),
        "at_risk": selectors.benefits_at_risk(council, BENEFITS),
        "awaiting": selectors.benefits_awaiting(council, BENEFITS),
        **_stages(board),
        **_decisions(council, period, DECISIONS),
        **_position(council, today),
    }


def _delivered(row: GroupRow | None) -> Decimal:
    return row.actual_to_date if row is not None else Decimal(0)


def _quarterly(council: Council, period: Period, today: dt.date) -> dict[str, Any]:
    board = portfolio.dashboard(council, today)
    real = realisation(council, share_council=council.pk)
    realised = {r.name: r for r in real.by_programme}
    groups = portfolio.programme_rows(council)
    stages = portfolio.stage_names(council)
    decisions = _decisions(council, period, DECISIONS)
    quarter_planned, quarter_actual = totals(window(real.points, period.start, period.end))
    year_points = window(real.points, period.year.starts, period.year.ends)
    closed = selectors.closures(council, period, 0)
    return {
        "board": board,
        "programmes": [(g, realised.get(g.group.name)) for g in groups],
        "programme_savings": [
            {"name": g.group.name, "value": _delivered(realised.get(g.group.name))} for g in groups
        ],
        "workstreams": portfolio.workstream_rows(council),
        "stage_total": len(stages),
        "plain_decisions": [
            (d, plain_decision(d.decision, d.gate, stages)) for d in decisions["decisions"].rows
        ],
        "risks": selectors.top_risks(council, KEY_RISKS),
        "realisation": real,
        "quarter_planned": quarter_planned,
        "quarter_actual": quarter_actual,
        "quarter_pct": share_pct(quarter_actual, quarter_planned),
        "year_points": year_points,
        "year_chart": benefit_charts.curve_chart(year_points) if year_points else None,
        "completed": closed.completed.total,
        "stopped": closed.stopped.total,
        **_stages(board),
        **decisions,
        **_position(council, today),
    }


def _annual(council: Council, period: Period, today: dt.date) -> dict[str, Any]:
    board = portfolio.dashboard(council, today)
    real = realisation(council, share_council=council.pk)
    year_points = window(real.points, period.start, period.end)
    year_planned, year_actual = totals(year_points)
    closed = selectors.closures(council, period, CLOSURES)
    position = _position(council, today)
    next_year = period.year + 1
    as_at = period.as_at(today)
    return {
        "board": board,
        "realisation": real,
        "year_points": year_points,
        "year_chart": benefit_charts.curve_chart(year_points) if year_points else None,
        "year_planned": year_planned,
        "year_actual": year_actual,
        "year_pct": share_pct(year_actual, year_planned),
        "year_position": year_of(position["years"], period.year),
        "closures": closed,
        "outcomes": selectors.outcomes(council, [r.number for r in board.stage_rows], closed),
        "curve_chart": benefit_charts.curve_chart(real.points) if real.points else None,
        "curve_years": by_year(real.points),
        "next_year": next_year,
        "next_position": year_of(position["years"], next_year),
        "ending": selectors.projects_ending(council, next_year.starts, next_year.ends, ENDING),
        "soon_end": add_months(as_at, 3),
        "due_soon": selectors.milestones_due(council, as_at, add_months(as_at, 3), MILESTONES),
        **_stages(board),
        **_decisions(council, period, 0),
        **position,
    }


BUILDERS: dict[str, Callable[[Council, Period, dt.date], dict[str, Any]]] = {
    MONTHLY: _monthly,
    QUARTERLY: _quarterly,
    ANNUAL: _annual,
}


def board_pack(council: Council, period: Period, today: dt.date) -> dict[str, Any]:
    """Everything the pack for `period` shows, as at `today`."""
    pack = KINDS[period.kind]
    return {
        "pack": pack,
        "period": period,
        "generated": today,
        "to_date": today < period.end,
        "as_at": period.as_at(today),
        **BUILDERS[period.kind](council, period, today),
    }
