"""Board packs without the database: the packs and their sections, reporting periods, capped lists, what a
benefit is waiting for, and windows onto the realisation curve.

A monthly pack covers a calendar month; a quarterly report a quarter of the financial year (quarter 1 is
April to June); an annual summary a financial year (1 April to 31 March). A period is named by a key that
goes in the address: `2025-06` (June 2025), `2025-q1` (April to June 2025, quarter 1 of 2025/26) and
`2025` (the financial year 2025/26).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from wholecouncil.benefits.engine.curve import CurvePoint
from wholecouncil.council.engine import FinancialYear, add_months
from wholecouncil.portfolio.engine.lifecycle import DECISION_LABELS, Decision

ZERO = Decimal(0)
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"


@dataclass(frozen=True)
class Section:
    slug: str
    heading: str


@dataclass(frozen=True)
class PackKind:
    slug: str
    title: str
    audience: str
    summary: str
    months: int
    sections: tuple[Section, ...]


KINDS: dict[str, PackKind] = {
    MONTHLY: PackKind(
        MONTHLY,
        "Monthly transformation board pack",
        "the transformation board",
        "Delivery confidence, Red and Amber projects, gate business, conditions, risks, milestones, the "
        "MTFP position and the benefits needing attention.",
        1,
        (
            Section("summary", "Summary"),
            Section("confidence", "Delivery confidence"),
            Section("concerns", "Red and Amber projects"),
            Section("waiting", "Gate submissions waiting"),
            Section("decisions", "Gate decisions this month"),
            Section("conditions", "Open conditions"),
            Section("risks", "Top risks"),
            Section("milestones", "Milestones slipped and due next month"),
            Section("stages", "Projects by stage"),
            Section("mtfp", "MTFP position"),
            Section("benefits_at_risk", "Benefits at risk"),
            Section("benefits_awaiting", "Benefits awaiting validation or sign-off"),
        ),
    ),
    QUARTERLY: PackKind(
        QUARTERLY,
        "Quarterly councillor steering-group report",
        "the councillor steering group",
        "Each programme's progress, the board's decisions, the main risks, savings delivered against plan "
        "and what they mean for the budget, in plain words.",
        3,
        (
            Section("quarter_brief", "The quarter in brief"),
            Section("programmes", "How each programme is doing"),
            Section("quarter_decisions", "Decisions the board made"),
            Section("key_risks", "The main risks"),
            Section("quarter_savings", "Savings delivered against plan"),
            Section("budget", "What the savings mean for the budget"),
            Section("glossary", "What the terms mean"),
        ),
    ),
    ANNUAL: PackKind(
        ANNUAL,
        "Annual cabinet summary",
        "cabinet",
        "The financial year in review: savings delivered and banked, what each programme achieved, "
        "projects completed and stopped, the realisation curve and the year ahead.",
        12,
        (
            Section("year_review", "The year in review"),
            Section("year_savings", "Savings delivered against plan in the year"),
            Section("banked", "Savings banked into the MTFP, year by year"),
            Section("outcomes", "What each programme achieved"),
            Section("closures", "Projects completed and stopped"),
            Section("curve", "The realisation curve"),
            Section("ahead", "Looking ahead"),
            Section("glossary", "What the terms mean"),
        ),
    ),
}


# --- Periods ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # the last day

    @property
    def key(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start:%Y-%m}"
        year = FinancialYear.containing(self.start)
        if self.kind == QUARTERLY:
            return f"{year.start_year}-q{self.quarter}"
        return str(year.start_year)

    @property
    def quarter(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def year(self) -> FinancialYear:
        return FinancialYear.containing(self.start)

    @property
    def label(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start:%B %Y}"
        if self.kind == QUARTERLY:
            return f"{self.start:%B} to {self.end:%B %Y} (quarter {self.quarter} of {self.year})"
        return str(self.year)

    @property
    def months(self) -> list[dt.date]:
        """The first day of every month in the period, oldest first."""
        count = KINDS[self.kind].months
        return [add_months(self.start, i) for i in range(count)]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, periods: int) -> Period:
        """The period `periods` later (earlier when negative)."""
        return period_containing(self.kind, add_months(self.start, periods * KINDS[self.kind].months))

    def as_at(self, today: dt.date) -> dt.date:
        """The last day the period's figures can cover: its end, or today while it is still running."""
        return min(self.end, today)


def period_containing(kind: str, day: dt.date) -> Period:
    months = KINDS[kind].months
    if kind == MONTHLY:
        start = day.replace(day=1)
    elif kind == QUARTERLY:
        start = dt.date(day.year, day.month - (day.month - 4) % 3, 1)
    else:
        start = FinancialYear.containing(day).starts
    return Period(kind, start, add_months(start, months) - dt.timedelta(days=1))


def recent_periods(kind: str, today: dt.date, count: int) -> list[Period]:
    """The period containing today and the `count - 1` before it, newest first."""
    current = period_containing(kind, today)
    return [current.shifted(-back) for back in range(count)]


def parse_period(kind: str, key: str, today: dt.date) -> Period | None:
    """The period a key names, or None when the key is malformed or the period has not started."""
    try:
        if kind == MONTHLY:
            year, _, month = key.partition("-")
            found = period_containing(kind, dt.date(int(year), int(month), 1))
        elif kind == QUARTERLY:
            year, _, quarter = key.partition("-q")
            number = int(quarter)
            if not 1 <= number <= 4:
                return None
            found = period_containing(kind, add_months(FinancialYear(int(year)).starts, 3 * (number - 1)))
        else:
            found = period_containing(kind, FinancialYear(int(key)).starts)
    except (ValueError, OverflowError):
        return None
    if found.key != key or found.start > today:
        return None
    return found


# --- Lists shown in part ---------------------------------------------------------------------------------

T = TypeVar("T", covariant=True)


@dataclass(frozen=True)
class Listing(Generic[T]):
    """Some rows of a longer list, with how many there are in all."""

    rows: Sequence[T]
    total: int

    @property
    def shown(self) -> int:
        return len(self.rows)

    @property
    def capped(self) -> bool:
        return self.total > len(self.rows)


# --- Gate decisions --------------------------------------------------------------------------------------


# Short enough to sit under a bar; the table beside the chart gives the full label.
DECISION_SHORT: dict[Decision, str] = {
    Decision.APPROVE: "Approve",
    Decision.APPROVE_WITH_CONDITIONS: "With conditions",
    Decision.DEFER: "Defer",
    Decision.REJECT: "Reject",
    Decision.STOP: "Stop",
}


def decision_bars(counts: Mapping[str, int]) -> list[tuple[str, float]]:
    return [(DECISION_SHORT[d], counts.get(d.value, 0)) for d in Decision]


def decision_rows(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """(label, number) for every kind of decision, in the order the board weighs them."""
    return [(DECISION_LABELS[d], counts.get(d.value, 0)) for d in Decision]


def plain_decision(decision: str, gate: int, stages: Mapping[int, str]) -> str:
    """What a gate decision meant, in words for members."""
    here = f"stage {gate} ({stages[gate]})" if gate in stages else f"stage {gate}"
    following = gate + 1
    if following in stages:
        onward = f"moves on to stage {following} ({stages[following]})"
    else:
        onward = "has finished its last stage"
    return {
        Decision.APPROVE: f"Approved: the project {onward}.",
        Decision.APPROVE_WITH_CONDITIONS: f"Approved with conditions: the project {onward}.",
        Decision.DEFER: f"Deferred: the board will decide at a later meeting; the project stays at {here}.",
        Decision.REJECT: f"Sent back: the project stays at {here} to rework its case.",
        Decision.STOP: "Stopped: the project will not go ahead.",
    }[Decision(decision)]


# --- Benefits --------------------------------------------------------------------------------------------


def awaiting(status: str, board_signed: bool, finance_signed: bool) -> str:
    """Who a benefit is waiting for before it can count towards the MTFP ('' when it is not waiting)."""
    if status == "identified":
        return "Validation by finance"
    if status != "validated":
        return ""
    if board_signed and not finance_signed:
        return "Sign-off by finance"
    if finance_signed and not board_signed:
        return "Sign-off by the board"
    return "Sign-off by the board and finance"


@dataclass(frozen=True)
class YearRow:
    year: FinancialYear
    planned: Decimal
    actual: Decimal | None
    planned_cumulative: Decimal
    actual_cumulative: Decimal | None


def window(points: Sequence[CurvePoint], start: dt.date, end: dt.date) -> list[CurvePoint]:
    """The curve's months from `start` to `end`, accumulated afresh from the first of them."""
    out: list[CurvePoint] = []
    planned_cum = actual_cum = ZERO
    for p in points:
        if not start <= p.month <= end:
            continue
        planned_cum += p.planned
        if p.actual is not None:
            actual_cum += p.actual
        out.append(
            CurvePoint(
                p.month, p.planned, p.actual, planned_cum, actual_cum if p.actual is not None else None
            )
        )
    return out


def totals(points: Iterable[CurvePoint]) -> tuple[Decimal, Decimal | None]:
    """Planned and actual savings over the points; actual is None when no month among them is reported."""
    rows = list(points)
    planned = sum((p.planned for p in rows), ZERO)
    reported = [p.actual for p in rows if p.actual is not None]
    return planned, (sum(reported, ZERO) if reported else None)


def by_year(points: Sequence[CurvePoint]) -> list[YearRow]:
    """The curve by financial year: each year's planned and actual savings and the running totals."""
    years: dict[int, list[CurvePoint]] = {}
    for p in points:
        years.setdefault(FinancialYear.containing(p.month).start_year, []).append(p)
    out = []
    for year, rows in years.items():
        planned, actual = totals(rows)
        last = rows[-1]
        reached = [p.actual_cumulative for p in rows if p.actual_cumulative is not None]
        out.append(
            YearRow(
                FinancialYear(year),
                planned,
                actual,
                last.planned_cumulative,
                reached[-1] if reached else None,
            )
        )
    return out


def share_pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """`part` as a percentage of `whole`, or None when there is nothing to compare with."""
    if part is None or not whole:
        return None
    return part / whole * 100
