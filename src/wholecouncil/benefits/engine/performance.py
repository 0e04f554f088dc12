"""Actuals against plan: plan to date, forecast outturn, variance, tolerance RAG and milestone slippage.

A year's planned amount is spread evenly over its twelve months (April is month 1). For one benefit in one
financial year, with `reported` the last month with an actual (0 when none):

- plan to date = planned x reported / 12;
- forecast outturn = the actual total once the year has ended; the planned amount before it starts; during
  the year, actuals to date + planned x (12 - reported) / 12 (the months not yet reported, at plan);
- variance = forecast outturn - planned (negative: short of plan);
- tolerance RAG: green when the forecast meets the plan, amber when it falls short by no more than the
  benefit's tolerance (a percentage of the planned amount), red beyond it.

A benefit's delivering milestone puts it at risk ("slipped") when the milestone, not yet reached, is forecast
later than its baseline date, or when it lands (its actual date, else its forecast) after the start of the
first year in which the benefit plans a saving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from wholecouncil.council.engine import FinancialYear

ZERO = Decimal(0)
TWELVE = Decimal(12)
HUNDRED = Decimal(100)
DEFAULT_TOLERANCE_PCT = Decimal(10)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


RAG_LABELS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
RAG_COLOURS = {Rag.GREEN: "green", Rag.AMBER: "yellow", Rag.RED: "red"}


def month_index(day: dt.date) -> int:
    """April is 1, March is 12."""
    return (day.month - 4) % 12 + 1


def month_of(year: FinancialYear, index: int) -> dt.date:
    """The first day of month `index` (1 = April) of `year`."""
    month = (index + 2) % 12 + 1
    return dt.date(year.start_year + (1 if month < 4 else 0), month, 1)


def plan_to_date(planned: Decimal, reported: int) -> Decimal:
    return planned * reported / TWELVE


def forecast_outturn(
    planned: Decimal, actual: Decimal, reported: int, year: FinancialYear, today: dt.date
) -> Decimal:
    if today > year.ends:
        return actual
    if today < year.starts and reported == 0:
        return planned
    return actual + planned * (12 - reported) / TWELVE


def tolerance_rag(planned: Decimal, forecast: Decimal, tolerance_pct: Decimal) -> Rag:
    shortfall = planned - forecast
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= planned * tolerance_pct / HUNDRED:
        return Rag.AMBER
    return Rag.RED


@dataclass(frozen=True)
class YearPerformance:
    year: FinancialYear
    planned: Decimal
    actual: Decimal
    reported: int
    plan_to_date: Decimal
    forecast: Decimal
    rag: Rag

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.planned

    @property
    def variance_to_date(self) -> Decimal:
        return self.actual - self.plan_to_date


def year_performance(
    year: FinancialYear,
    planned: Decimal,
    actual: Decimal,
    reported: int,
    today: dt.date,
    tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT,
) -> YearPerformance:
    if not 0 <= reported <= 12:
        raise ValueError(f"The last month reported must be 0 to 12, not {reported}.")
    forecast = forecast_outturn(planned, actual, reported, year, today)
    return YearPerformance(
        year=year,
        planned=planned,
        actual=actual,
        reported=reported,
        plan_to_date=plan_to_date(planned, reported),
        forecast=forecast,
        rag=tolerance_rag(planned, forecast, tolerance_pct),
    )


def profile_start(planned_by_year: dict[int, Decimal]) -> dt.date | None:
    """The first day of the first financial year with a planned saving, or None when nothing is planned."""
    years = [y for y, amount in planned_by_year.items() if amount > 0]
    return FinancialYear(min(years)).starts if years else None


def milestone_slipped(
    start: dt.date | None,
    forecast: dt.date,
    actual: dt.date | None = None,
    *,
    baseline: dt.date | None = None,
) -> bool:
    """True when the benefit's delivering milestone puts it at risk: the milestone is not yet reached and is
    forecast later than its baseline date (it has slipped), or it lands (actual date, else forecast) after
    the benefit's savings are due to start (`start`)."""
    if actual is None and baseline is not None and forecast > baseline:
        return True
    if start is None:
        return False
    return (actual or forecast) > start
