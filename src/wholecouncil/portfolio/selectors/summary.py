"""The portfolio dashboard, programmes and workstreams: every figure counted in the database, none capped."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine import capacity, status
from wholecouncil.portfolio.engine.lifecycle import Status
from wholecouncil.portfolio.models import (
    Condition,
    GateSubmission,
    HighlightReport,
    Milestone,
    MilestoneDependency,
    Programme,
    Project,
    ResourceAllocation,
    Risk,
    Workstream,
)
from wholecouncil.portfolio.selectors.common import OPEN_STATUSES, REPORTED, months_back, projects, stages

PENDING_SHOWN = 20


@dataclass(frozen=True)
class StageRow:
    number: int
    name: str
    purpose: str
    counts: dict[str, int]

    @property
    def open(self) -> int:
        return sum(self.counts.get(s, 0) for s in OPEN_STATUSES)


@dataclass
class Dashboard:
    stage_rows: list[StageRow]
    status_totals: dict[str, int]
    rag_counts: dict[status.Rag, int]
    rag_overall: status.Rag | None
    programme_rows: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    top_risks: list[Risk]
    pending: list[GateSubmission]
    pending_count: int
    open_conditions: int
    overdue_conditions: int
    reports_to_approve: int
    slipping_milestones: int
    out_of_order: int = 0
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def project_total(self) -> int:
        return sum(self.status_totals.values())


def rag_trend(
    council: Council, months: list[dt.date], programme: Programme | None = None
) -> list[dict[str, Any]]:
    """Submitted project reports by month and rating, for the trend chart and its table."""
    reports = HighlightReport.objects.filter(
        council=council,
        project__isnull=False,
        status__in=REPORTED,
        month__gte=months[0],
        month__lte=months[-1],
    )
    if programme is not None:
        reports = reports.filter(project__programme=programme)
    by_month: dict[dt.date, dict[status.Rag, int]] = {m: dict.fromkeys(status.Rag, 0) for m in months}
    for month, rag, n in reports.values_list("month", "rag").annotate(n=Count("id")).order_by():
        if month in by_month and rag:
            by_month[month][status.Rag(rag)] += n
    return [
        {"month": m, "counts": c, "total": sum(c.values()), "overall": status.roll_up(c)}
        for m, c in by_month.items()
    ]


def dashboard(council: Council, today: dt.date) -> Dashboard:
    names = stages(council)
    by_stage: dict[int, dict[str, int]] = defaultdict(dict)
    status_totals: dict[str, int] = dict.fromkeys((s.value for s in Status), 0)
    rows = (
        Project.objects.filter(council=council)
        .values_list("stage", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for stage, st, n in rows:
        by_stage[stage][st] = by_stage[stage].get(st, 0) + n
        status_totals[st] += n
    stage_rows = [StageRow(s.number, s.name, s.purpose, by_stage.get(s.number, {})) for s in names]

    rag_rows = (
        Project.objects.filter(council=council, status__in=OPEN_STATUSES)
        .exclude(latest_rag="")
        .values_list("programme_id", "latest_rag")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_programme: dict[int | None, dict[status.Rag, int]] = defaultdict(lambda: dict.fromkeys(status.Rag, 0))
    overall = dict.fromkeys(status.Rag, 0)
    for programme_id, rag, n in rag_rows:
        per_programme[programme_id][status.Rag(rag)] += n
        overall[status.Rag(rag)] += n
    programme_rows = [
        {"programme": p, "counts": per_programme[p.pk], "overall": status.roll_up(per_programme[p.pk])}
        for p in Programme.objects.filter(council=council)
    ]
    if None in per_programme:
        programme_rows.append(
            {"programme": None, "counts": per_programme[None], "overall": status.roll_up(per_programme[None])}
        )

    open_conditions = Condition.objects.filter(council=council, status=Condition.Status.OPEN).aggregate(
        n=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
    pending = GateSubmission.objects.filter(council=council, status=GateSubmission.Status.PENDING)
    totals = Project.objects.filter(council=council, status__in=OPEN_STATUSES).aggregate(budget=Sum("budget"))
    totals["fte"] = ResourceAllocation.objects.filter(
        council=council, project__status__in=OPEN_STATUSES
    ).aggregate(fte=Sum("fte"))["fte"]
    return Dashboard(
        stage_rows=stage_rows,
        status_totals=status_totals,
        rag_counts=overall,
        rag_overall=status.roll_up(overall),
        programme_rows=programme_rows,
        trend=rag_trend(council, months_back(today, 12)),
        top_risks=list(
            Risk.objects.filter(council=council, status=Risk.Status.OPEN)
            .select_related("project")
            .order_by("-score", "-residual_score", "id")[:10]
        ),
        pending=list(
            pending.select_related("project", "submitted_by").order_by("submitted_at")[:PENDING_SHOWN]
        ),
        pending_count=pending.count(),
        open_conditions=open_conditions["n"],
        overdue_conditions=open_conditions["overdue"],
        reports_to_approve=HighlightReport.objects.filter(
            council=council, status=HighlightReport.Status.SUBMITTED
        ).count(),
        slipping_milestones=Milestone.objects.filter(
            council=council, actual_date__isnull=True, forecast_date__gt=F("baseline_date")
        ).count(),
        out_of_order=out_of_order(council).count(),
        totals=totals,
    )


@dataclass
class GroupRow:
    group: Programme | Workstream
    projects: int
    open_projects: int
    budget: Decimal
    fte: Decimal
    counts: dict[status.Rag, int]

    @property
    def overall(self) -> status.Rag | None:
        return status.roll_up(self.counts)

    @property
    def utilisation(self) -> Decimal | None:
        return capacity.utilisation(self.fte, self.group.capacity_fte)


def _group_rows(model: type[Programme] | type[Workstream], council: Council) -> list[GroupRow]:
    open_q = Q(projects__status__in=OPEN_STATUSES)
    groups = (
        model.objects.filter(council=council)
        .select_related("lead")
        .annotate(
            n=Count("projects", distinct=True),
            n_open=Count("projects", filter=open_q, distinct=True),
            budget_total=Sum("projects__budget", filter=open_q),
        )
    )
    key = "programme_id" if model is Programme else "workstream_id"
    fte = dict(
        ResourceAllocation.objects.filter(council=council, project__status__in=OPEN_STATUSES)
        .values_list(f"project__{key}")
        .annotate(total=Sum("fte"))
        .order_by()
    )
    rags: dict[int, dict[status.Rag, int]] = defaultdict(lambda: dict.fromkeys(status.Rag, 0))
    for gid, rag, n in (
        Project.objects.filter(council=council, status__in=OPEN_STATUSES)
        .exclude(latest_rag="")
        .values_list(key, "latest_rag")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if gid is not None:
            rags[gid][status.Rag(rag)] += n
    return [
        GroupRow(g, g.n, g.n_open, g.budget_total or Decimal(0), fte.get(g.pk) or Decimal(0), rags[g.pk])
        for g in groups
    ]


def programme_rows(council: Council) -> list[GroupRow]:
    return _group_rows(Programme, council)


def workstream_rows(council: Council) -> list[GroupRow]:
    return _group_rows(Workstream, council)


def unaligned_count(council: Council) -> int:
    return Project.objects.filter(
        council=council, programme__isnull=True, workstream__isnull=True, status__in=OPEN_STATUSES
    ).count()


def _per_project(model: Any, aggregate: Any, output: Any, **filters: Any) -> Coalesce:
    """One figure per project from its own rows, so two related tables never multiply each other's rows."""
    rows = (
        model.objects.filter(project=OuterRef("pk"), **filters)
        .order_by()
        .values("project")
        .annotate(total=aggregate)
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=output), 0, output_field=output)


def with_totals(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Each project's allocated FTE and open risks, each from its own subquery."""
    return qs.annotate(
        fte=_per_project(ResourceAllocation, Sum("fte"), DecimalField(max_digits=9, decimal_places=2)),
        open_risks=_per_project(Risk, Count("id"), IntegerField(), status=Risk.Status.OPEN),
    )


def out_of_order(council: Council) -> QuerySet[MilestoneDependency]:
    """Milestone dependencies whose dependent is forecast (or done) before its prerequisite."""
    return (
        MilestoneDependency.objects.filter(council=council)
        .alias(
            dependent_on=Coalesce("milestone__actual_date", "milestone__forecast_date"),
            prerequisite_on=Coalesce("depends_on__actual_date", "depends_on__forecast_date"),
        )
        .filter(dependent_on__lt=F("prerequisite_on"))
    )


def group_projects(council: Council, **filters: Any) -> list[Project]:
    return list(with_totals(projects(council).filter(**filters)).order_by("stage", "code"))
