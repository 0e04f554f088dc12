"""The MTFP position by financial year, and the RAG of each saving.

A *saving* is one financial benefit's planned amount in one financial year. Every cashable saving lands in
exactly one column of the position, by its benefit's status:

| column | statuses |
|---|---|
| banked | in delivery, realised (the only savings that count towards the MTFP) |
| pipeline | identified, validated |
| at risk | at risk (not banked until it recovers) |
| unachievable | undeliverable |

Non-cashable savings are shown in their own column and never banked; non-financial benefits are not in the
position. For each year: shortfall = savings required - banked (negative when banked savings exceed what is
required); "banked at risk" is the part of the banked figure whose RAG is at risk.

RAG of a saving (cashable and non-cashable):
- unachievable: the benefit is undeliverable, or (unless it is realised) the year has ended and its actuals
  fell short of the plan by more than the benefit's tolerance;
- delivered: the benefit is realised, or the year has ended with actuals within tolerance of the plan;
- at risk: the benefit is at risk, its delivering milestone has slipped (see
  performance.milestone_slipped), or its forecast outturn for the year falls short of plan by more than its
  tolerance;
- on track: otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from wholecouncil.benefits.engine.categories import Kind
from wholecouncil.benefits.engine.lifecycle import Status
from wholecouncil.benefits.engine.performance import (
    DEFAULT_TOLERANCE_PCT,
    Rag,
    forecast_outturn,
    tolerance_rag,
)
from wholecouncil.benefits.engine.prudence import counts_towards_mtfp
from wholecouncil.council.engine import FinancialYear

ZERO = Decimal(0)


class SavingRag(StrEnum):
    DELIVERED = "delivered"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    UNACHIEVABLE = "unachievable"


SAVING_RAG_LABELS = {
    SavingRag.DELIVERED: "Delivered",
    SavingRag.ON_TRACK: "On track",
    SavingRag.AT_RISK: "At risk",
    SavingRag.UNACHIEVABLE: "Unachievable",
}
SAVING_RAG_COLOURS = {
    SavingRag.DELIVERED: "green",
    SavingRag.ON_TRACK: "turquoise",
    SavingRag.AT_RISK: "yellow",
    SavingRag.UNACHIEVABLE: "red",
}

# What each RAG means, as the pages and the export explain it.
SAVING_RAG_DEFINITIONS = {
    SavingRag.DELIVERED: (
        "The benefit is realised, or the year has ended with actuals within the benefit's tolerance of plan."
    ),
    SavingRag.ON_TRACK: (
        "The year has not ended, the benefit is not at risk and its forecast outturn is within its tolerance "
        "of plan."
    ),
    SavingRag.AT_RISK: (
        "The year has not ended and the benefit is marked at risk, its delivering milestone has slipped "
        "(forecast later than its baseline date, or landing after the savings start), or its forecast "
        "outturn is short of plan by more than its tolerance."
    ),
    SavingRag.UNACHIEVABLE: (
        "The benefit is undeliverable, or (unless it is realised) the year has ended with actuals short of "
        "plan by more than its tolerance."
    ),
}


class Column(StrEnum):
    BANKED = "banked"
    PIPELINE = "pipeline"
    AT_RISK = "at_risk"
    UNACHIEVABLE = "unachievable"
    NON_CASHABLE = "non_cashable"


COLUMN_LABELS = {
    Column.BANKED: "Banked",
    Column.PIPELINE: "Pipeline",
    Column.AT_RISK: "At risk (not banked)",
    Column.UNACHIEVABLE: "Unachievable",
    Column.NON_CASHABLE: "Non-cashable (never banked)",
}

_CASHABLE_COLUMN = {
    Status.IN_DELIVERY: Column.BANKED,
    Status.REALISED: Column.BANKED,
    Status.IDENTIFIED: Column.PIPELINE,
    Status.VALIDATED: Column.PIPELINE,
    Status.AT_RISK: Column.AT_RISK,
    Status.UNDELIVERABLE: Column.UNACHIEVABLE,
}


def column_of(kind: Kind | str, status: Status | str) -> Column | None:
    kind = Kind(kind)
    if kind is Kind.NON_FINANCIAL:
        return None
    if kind is Kind.NON_CASHABLE:
        return Column.NON_CASHABLE
    return _CASHABLE_COLUMN[Status(status)]


class Saving(NamedTuple):
    """One benefit's planned saving in one financial year, with its actuals so far."""

    key: object
    kind: Kind
    status: Status
    year: int
    planned: Decimal
    actual: Decimal = ZERO
    reported: int = 0  # the last month (1 = April) with an actual, 0 when none
    tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT
    slipped: bool = False


def saving_rag(s: Saving, today: dt.date) -> SavingRag:
    if s.status is Status.UNDELIVERABLE:
        return SavingRag.UNACHIEVABLE
    if s.status is Status.REALISED:
        return SavingRag.DELIVERED
    year = FinancialYear(s.year)
    forecast = forecast_outturn(s.planned, s.actual, s.reported, year, today)
    rag = tolerance_rag(s.planned, forecast, s.tolerance_pct)
    if today > year.ends:
        return SavingRag.UNACHIEVABLE if rag is Rag.RED else SavingRag.DELIVERED
    if s.status is Status.AT_RISK or s.slipped or rag is Rag.RED:
        return SavingRag.AT_RISK
    return SavingRag.ON_TRACK


@dataclass
class YearPosition:
    year: FinancialYear
    required: Decimal | None
    banked: Decimal = ZERO
    banked_at_risk: Decimal = ZERO
    pipeline: Decimal = ZERO
    at_risk: Decimal = ZERO
    unachievable: Decimal = ZERO
    non_cashable: Decimal = ZERO
    rag_counts: dict[SavingRag, int] = field(default_factory=lambda: dict.fromkeys(SavingRag, 0))

    @property
    def shortfall(self) -> Decimal | None:
        """Savings required less banked savings; negative when more is banked than required."""
        return None if self.required is None else self.required - self.banked

    @property
    def coverage_pct(self) -> Decimal | None:
        if not self.required:
            return None
        return self.banked / self.required * 100

    def add(self, column: Column, amount: Decimal) -> None:
        setattr(self, column.value, getattr(self, column.value) + amount)


@dataclass(frozen=True)
class Position:
    years: tuple[YearPosition, ...]

    def total(self, name: str) -> Decimal:
        return sum((getattr(y, name) or ZERO for y in self.years), ZERO)

    @property
    def total_shortfall(self) -> Decimal | None:
        if all(y.required is None for y in self.years):
            return None
        return self.total("required") - self.total("banked")


BEFORE, DURING, ENDED = 0, 1, 2


def _phase(year: int, today: dt.date) -> int:
    fy = FinancialYear(year)
    return ENDED if today > fy.ends else BEFORE if today < fy.starts else DURING


def _fast_rag(s: Saving, phase: int) -> SavingRag:
    """saving_rag with the year's phase worked out once: the same answers (a property test checks), fewer
    steps, for positions over tens of thousands of savings."""
    status = s.status
    if status is Status.UNDELIVERABLE:
        return SavingRag.UNACHIEVABLE
    if status is Status.REALISED:
        return SavingRag.DELIVERED
    planned = s.planned
    if phase == ENDED:
        short = planned - s.actual
        return (
            SavingRag.UNACHIEVABLE
            if short > 0 and short * 100 > planned * s.tolerance_pct
            else SavingRag.DELIVERED
        )
    if status is Status.AT_RISK or s.slipped:
        return SavingRag.AT_RISK
    if s.reported:
        short = planned - s.actual - planned * (12 - s.reported) / 12
        if short > 0 and short * 100 > planned * s.tolerance_pct:
            return SavingRag.AT_RISK
    elif phase == DURING and s.actual < 0 and -s.actual * 100 > planned * s.tolerance_pct:
        return SavingRag.AT_RISK
    return SavingRag.ON_TRACK


class Group(NamedTuple):
    """Savings already summed (by the database, say): their year, column, RAG (None for non-cashable ones,
    which have no RAG in the position), total planned amount and how many savings (`number`)."""

    year: int
    column: Column
    rag: SavingRag | None
    total: Decimal
    number: int


def group_savings(savings: Iterable[Saving], today: dt.date) -> list[Group]:
    """Savings summed by year, column and RAG: what a database query gives, worked out here from the rules."""
    sums: dict[tuple[int, Column, SavingRag | None], list[Any]] = {}
    for s in savings:
        column = column_of(s.kind, s.status)
        if column is None:
            continue
        rag = saving_rag(s, today) if s.kind is Kind.CASHABLE else None
        entry = sums.setdefault((s.year, column, rag), [ZERO, 0])
        entry[0] += s.planned
        entry[1] += 1
    return [Group(y, c, r, total, n) for (y, c, r), (total, n) in sums.items()]


def position(
    savings: Iterable[Saving],
    required: Mapping[int, Decimal],
    years: Sequence[int],
    today: dt.date,
    groups: Iterable[Group] = (),
) -> Position:
    """The position for `years` from savings one by one, plus any `groups` of savings already summed;
    savings in other years are left out."""
    by_year = {y: YearPosition(FinancialYear(y), required.get(y)) for y in years}
    phases = {y: _phase(y, today) for y in years}
    sums = {y: dict.fromkeys(Column, ZERO) for y in years}
    at_risk = dict.fromkeys(years, ZERO)
    counts = {y: by_year[y].rag_counts for y in years}
    cashable, non_cashable = Kind.CASHABLE, Kind.NON_CASHABLE
    for s in savings:
        year = s.year
        column_sums = sums.get(year)
        if column_sums is None:
            continue
        kind = s.kind
        if kind is non_cashable:
            column_sums[Column.NON_CASHABLE] += s.planned
            continue
        if kind is not cashable:
            continue
        column = _CASHABLE_COLUMN[s.status]
        column_sums[column] += s.planned
        rag = _fast_rag(s, phases[year])
        counts[year][rag] += 1
        if column is Column.BANKED and rag is SavingRag.AT_RISK:
            at_risk[year] += s.planned
    for g in groups:
        if g.year not in sums:
            continue
        sums[g.year][g.column] += g.total
        if g.rag is not None:
            counts[g.year][g.rag] += g.number
            if g.column is Column.BANKED and g.rag is SavingRag.AT_RISK:
                at_risk[g.year] += g.total
    for y, row in by_year.items():
        for column, amount in sums[y].items():
            row.add(column, amount)
        row.banked_at_risk = at_risk[y]
    return Position(tuple(by_year[y] for y in years))


def banked(savings: Iterable[Saving], year: int) -> Decimal:
    """The banked figure for one year, straight from the rule: the sum of eligible savings."""
    return sum((s.planned for s in savings if s.year == year and counts_towards_mtfp(s.kind, s.status)), ZERO)
