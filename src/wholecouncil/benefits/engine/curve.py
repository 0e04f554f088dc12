"""The realisation curve: cumulative planned against cumulative actual savings, month by month.

A year's planned amount is spread evenly over its twelve months. The actual line stops at the last month
with an actual recorded, so a month not yet reported is not drawn as a zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from wholecouncil.benefits.engine.performance import month_of
from wholecouncil.council.engine import FinancialYear

ZERO = Decimal(0)
TWELVE = Decimal(12)


@dataclass(frozen=True)
class CurvePoint:
    month: dt.date
    planned: Decimal  # in the month
    actual: Decimal | None  # in the month; None after the last month reported
    planned_cumulative: Decimal
    actual_cumulative: Decimal | None


def realisation_curve(
    planned: Iterable[tuple[int, Decimal]], actuals: Iterable[tuple[dt.date, Decimal]]
) -> list[CurvePoint]:
    """Points from April of the first year planned (or reported) to March of the last."""
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for year, amount in planned:
        by_year[year] += amount
    by_month: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for month, amount in actuals:
        by_month[month.replace(day=1)] += amount
    years = set(by_year) | {FinancialYear.containing(m).start_year for m in by_month}
    if not years:
        return []
    last_reported = max(by_month) if by_month else None
    points: list[CurvePoint] = []
    plan_cum = ZERO
    actual_cum = ZERO
    for year in range(min(years), max(years) + 1):
        monthly = by_year.get(year, ZERO) / TWELVE
        for index in range(1, 13):
            month = month_of(FinancialYear(year), index)
            plan_cum += monthly
            actual: Decimal | None = None
            if last_reported is not None and month <= last_reported:
                actual = by_month.get(month, ZERO)
                actual_cum += actual
            points.append(
                CurvePoint(month, monthly, actual, plan_cum, actual_cum if actual is not None else None)
            )
    return points
