"""The reads board packs need beyond the portfolio's and the benefits register's own selectors.

Each takes the council and makes the same number of queries however many rows there are. A list shown in
part comes with the count of the whole list (`Listing`), so a headline figure is never the length of a
capped list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, F, Max, Model, Q, QuerySet, Sum

from wholecouncil.benefits.models import Benefit
from wholecouncil.benefits.selectors import Slip, benefits_for, slips
from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.portfolio import selectors as portfolio
from wholecouncil.portfolio.engine.status import Rag
from wholecouncil.portfolio.models import (
    Condition,
    GateDecision,
    GateSubmission,
    HighlightReport,
    Milestone,
    Programme,
    Project,
    Risk,
    Workstream,
)
from wholecouncil.reports.engine import Listing, Period, awaiting

M = TypeVar("M", bound=Model)
ZERO = Decimal(0)
FINAL = ("closed", "stopped")


def _listing(rows: QuerySet[M], limit: int) -> Listing[M]:
    return Listing(list(rows[:limit]), rows.count())


def _on_days(period: Period, name: str) -> Q:
    return Q(**{f"{name}__date__gte": period.start, f"{name}__date__lte": period.end})


# --- Gate business ---------------------------------------------------------------------------------------


def pending_submissions(council: Council, limit: int) -> Listing[GateSubmission]:
    return _listing(
        GateSubmission.objects.filter(council=council, status=GateSubmission.Status.PENDING)
        .select_related("project", "submitted_by")
        .order_by("submitted_at", "id"),
        limit,
    )


def decisions_in(
    council: Council, period: Period, limit: int
) -> tuple[Listing[GateDecision], dict[str, int]]:
    """The board's decisions in the period, newest first, and how many of each kind it made."""
    found = GateDecision.objects.filter(_on_days(period, "decided_at"), council=council)
    counts = dict(found.values_list("decision").annotate(n=Count("id")).order_by())
    rows = list(
        found.select_related("project", "meeting")
        .annotate(n_conditions=Count("conditions"))
        .order_by("-decided_at", "-id")[:limit]
    )
    return Listing(rows, sum(counts.values())), counts


def open_conditions(council: Council, limit: int) -> Listing[Condition]:
    return _listing(
        Condition.objects.filter(council=council, status=Condition.Status.OPEN)
        .select_related("project", "decision")
        .order_by(F("due_date").asc(nulls_last=True), "id"),
        limit,
    )


# --- Highlight reports -----------------------------------------------------------------------------------


def latest_report_month(council: Council, period: Period) -> dt.date | None:
    """The latest month, up to the end of the period, with a submitted project report."""
    month: dt.date | None = HighlightReport.objects.filter(
        council=council, project__isnull=False, status__in=portfolio.REPORTED, month__lte=period.end
    ).aggregate(m=Max("month"))["m"]
    return month


def concerns(council: Council, month: dt.date | None, limit: int) -> Listing[HighlightReport]:
    """The month's submitted project reports rated Red or Amber, Red first."""
    if month is None:
        return Listing([], 0)
    return _listing(
        HighlightReport.objects.filter(
            council=council,
            project__isnull=False,
            month=month,
            status__in=portfolio.REPORTED,
            rag__in=[Rag.RED, Rag.AMBER],
        )
        .select_related("project")
        .order_by("-rag", "project__code"),
        limit,
    )


def programme_reports(council: Council, month: dt.date | None) -> list[HighlightReport]:
    if month is None:
        return []
    return list(
        HighlightReport.objects.filter(
            council=council, programme__isnull=False, month=month, status__in=portfolio.REPORTED
        ).select_related("programme")
    )


# --- Risks and milestones --------------------------------------------------------------------------------


def top_risks(council: Council, limit: int) -> Listing[Risk]:
    return _listing(portfolio.open_risks(council), limit)


def open_risk_count(council: Council) -> int:
    return Risk.objects.filter(council=council, status=Risk.Status.OPEN).count()


def slipped_milestones(council: Council, limit: int) -> Listing[Milestone]:
    """Open milestones forecast after their baseline, furthest slipped first (`slip` in days)."""
    rows = (
        Milestone.objects.filter(
            council=council, actual_date__isnull=True, forecast_date__gt=F("baseline_date")
        )
        .select_related("project")
        .annotate(slip=F("forecast_date") - F("baseline_date"))
        .order_by("-slip", "forecast_date", "id")
    )
    found = _listing(rows, limit)
    for m in found.rows:
        m.slip_days = m.slip.days if isinstance(m.slip, dt.timedelta) else int(m.slip)  # type: ignore[attr-defined]
    return found


def milestones_due(council: Council, start: dt.date, end: dt.date, limit: int) -> Listing[Milestone]:
    """Milestones not yet achieved, forecast from `start` to `end`, soonest first."""
    return _listing(
        Milestone.objects.filter(
            council=council, actual_date__isnull=True, forecast_date__gte=start, forecast_date__lte=end
        )
        .select_related("project")
        .order_by("forecast_date", "project__code", "id"),
        limit,
    )


def projects_ending(council: Council, start: dt.date, end: dt.date, limit: int) -> Listing[Project]:
    """Open projects planned to end from `start` to `end`."""
    return _listing(
        portfolio.projects(council)
        .filter(status__in=portfolio.OPEN_STATUSES, end_date__gte=start, end_date__lte=end)
        .order_by("end_date", "code"),
        limit,
    )


# --- Projects completed and stopped ----------------------------------------------------------------------


@dataclass
class Closures:
    completed: Listing[Project]
    stopped: Listing[Project]
    by_group: dict[tuple[str, int | None], dict[str, int]] = field(default_factory=dict)


def closures(council: Council, period: Period, limit: int) -> Closures:
    """Projects that finished their last stage or were stopped in the period, as the audit log records."""
    events = AuditEvent.objects.filter(
        _on_days(period, "at"),
        council=council,
        object_type=str(Project._meta.verbose_name),
        action__in=["portfolio.gate.decide", "portfolio.project.stop"],
        after__status__in=list(FINAL),
    ).values_list("object_id", flat=True)
    ids = {int(pk) for pk in events if pk.isdigit()}
    found = portfolio.projects(council).filter(pk__in=ids, status__in=FINAL)
    by_group: dict[tuple[str, int | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FINAL, 0))
    counts: dict[str, int] = dict.fromkeys(FINAL, 0)
    for programme_id, workstream_id, status, n in (
        found.values_list("programme_id", "workstream_id", "status").annotate(n=Count("id")).order_by()
    ):
        by_group[_group_key(programme_id, workstream_id)][status] += n
        counts[status] += n
    return Closures(
        completed=Listing(list(found.filter(status="closed").order_by("code")[:limit]), counts["closed"]),
        stopped=Listing(list(found.filter(status="stopped").order_by("code")[:limit]), counts["stopped"]),
        by_group=dict(by_group),
    )


def _group_key(programme_id: int | None, workstream_id: int | None) -> tuple[str, int | None]:
    if programme_id is not None:
        return ("programme", programme_id)
    if workstream_id is not None:
        return ("workstream", workstream_id)
    return ("none", None)


@dataclass
class OutcomeRow:
    name: str
    kind: str
    by_stage: list[int]  # open projects in each stage, in stage order
    closed: int
    stopped: int
    completed_in_period: int
    stopped_in_period: int

    @property
    def open(self) -> int:
        return sum(self.by_stage)


def outcomes(council: Council, stage_numbers: list[int], closed: Closures) -> list[OutcomeRow]:
    """For every programme and workstream (and projects in neither): open projects by the stage they have
    reached, projects closed and stopped in all, and those closed or stopped in the period."""
    tally: dict[tuple[str, int | None], dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for programme_id, workstream_id, stage, status, n in (
        Project.objects.filter(council=council)
        .values_list("programme_id", "workstream_id", "stage", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = _group_key(programme_id, workstream_id)
        tally[key][status if status in FINAL else stage] += n
    groups: list[tuple[tuple[str, int | None], str, str]] = [
        (("programme", p.pk), p.name, "Programme") for p in Programme.objects.filter(council=council)
    ]
    groups += [
        (("workstream", w.pk), w.name, "Enabling workstream")
        for w in Workstream.objects.filter(council=council)
    ]
    if ("none", None) in tally:
        groups.append((("none", None), "In no programme or workstream", ""))
    rows = []
    for key, name, kind in groups:
        counts = tally.get(key, {})
        period = closed.by_group.get(key, {})
        rows.append(
            OutcomeRow(
                name,
                kind,
                [counts.get(n, 0) for n in stage_numbers],
                counts.get("closed", 0),
                counts.get("stopped", 0),
                period.get("closed", 0),
                period.get("stopped", 0),
            )
        )
    return rows


# --- Benefits --------------------------------------------------------------------------------------------


@dataclass
class BenefitsAtRisk:
    listing: Listing[tuple[Benefit, Slip | None]]  # with the delivering milestone's slip, if it has slipped
    value: Decimal


def benefits_at_risk(council: Council, limit: int) -> BenefitsAtRisk:
    """The benefits the register shows at risk, the largest first, with their full-year value in all."""
    found = benefits_for(council, status=Benefit.Status.AT_RISK)
    value = found.aggregate(v=Sum("full_year_value"))["v"] or ZERO
    shown = _listing(found.order_by(F("full_year_value").desc(nulls_last=True), "reference"), limit)
    slipped = slips(Benefit.objects.filter(pk__in=[b.pk for b in shown.rows]))
    return BenefitsAtRisk(Listing([(b, slipped.get(b.pk)) for b in shown.rows], shown.total), value)


@dataclass
class Awaiting:
    listing: Listing[tuple[Benefit, str]]
    counts: dict[str, int]
    values: dict[str, Decimal]


def benefits_awaiting(council: Council, limit: int) -> Awaiting:
    """Benefits waiting for finance's validation, or for the board's and finance's sign-off."""
    statuses = [Benefit.Status.IDENTIFIED, Benefit.Status.VALIDATED]
    found = Benefit.objects.filter(council=council, status__in=statuses)
    sums = found.aggregate(
        **{f"n_{s}": Count("id", filter=Q(status=s)) for s in statuses},
        **{f"v_{s}": Sum("full_year_value", filter=Q(status=s)) for s in statuses},
    )
    rows = list(found.order_by("-status", "reference")[:limit])
    return Awaiting(
        Listing(
            [
                (b, awaiting(b.status, b.board_signed_at is not None, b.finance_signed_at is not None))
                for b in rows
            ],
            sum(sums[f"n_{s}"] for s in statuses),
        ),
        {str(s): sums[f"n_{s}"] for s in statuses},
        {str(s): sums[f"v_{s}"] or ZERO for s in statuses},
    )
