"""Every read the portfolio pages, board packs and exports need.

Each takes the council; none makes more queries as the rows grow.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from wholecouncil.council.engine import add_months
from wholecouncil.council.models import Council, DesignPrinciple
from wholecouncil.portfolio.engine import capacity, schedule, status
from wholecouncil.portfolio.engine.lifecycle import STATUS_LABELS, Status
from wholecouncil.portfolio.engine.stages import DEFAULT_STAGES
from wholecouncil.portfolio.models import (
    Condition,
    DesignPrinciplesAssessment,
    GateCriterion,
    GateDecision,
    GateSubmission,
    HighlightReport,
    Milestone,
    PrincipleRating,
    Programme,
    Project,
    ReprioritisationReview,
    ResourceAllocation,
    Risk,
    Stage,
    Workstream,
)

OPEN_STATUSES = (Status.IN_STAGE.value, Status.AT_GATE.value, Status.PAUSED.value)
REPORTED = (HighlightReport.Status.SUBMITTED, HighlightReport.Status.APPROVED)


@dataclass(frozen=True)
class StageRow:
    number: int
    name: str
    purpose: str
    counts: dict[str, int]

    @property
    def open(self) -> int:
        return sum(self.counts.get(s, 0) for s in OPEN_STATUSES)


def stages(council: Council, with_criteria: bool = False) -> list[Stage]:
    qs = Stage.objects.filter(council=council)
    found = list(qs.prefetch_related("criteria") if with_criteria else qs)
    if found:
        return found
    return [Stage(council=council, number=d.number, name=d.name, purpose=d.purpose) for d in DEFAULT_STAGES]


def stage_names(council: Council) -> dict[int, str]:
    return {s.number: s.name for s in stages(council)}


def projects(council: Council) -> QuerySet[Project]:
    return Project.objects.filter(council=council).select_related("programme", "workstream", "manager")


def project_get(council: Council, pk: int) -> Project:
    return projects(council).get(pk=pk)


# --- the dashboard ---------------------------------------------------------------------------------


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
    open_conditions: int
    overdue_conditions: int
    reports_to_approve: int
    slipping_milestones: int
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def project_total(self) -> int:
        return sum(self.status_totals.values())


def months_back(today: dt.date, n: int) -> list[dt.date]:
    """The first days of the last `n` months, oldest first, ending with `today`'s month."""
    first = today.replace(day=1)
    return [add_months(first, -back) for back in range(n - 1, -1, -1)]


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
            GateSubmission.objects.filter(council=council, status=GateSubmission.Status.PENDING)
            .select_related("project", "submitted_by")
            .order_by("submitted_at")[:20]
        ),
        open_conditions=open_conditions["n"],
        overdue_conditions=open_conditions["overdue"],
        reports_to_approve=HighlightReport.objects.filter(
            council=council, status=HighlightReport.Status.SUBMITTED
        ).count(),
        slipping_milestones=Milestone.objects.filter(
            council=council, actual_date__isnull=True, forecast_date__gt=F("baseline_date")
        ).count(),
        totals=totals,
    )


# --- programmes and workstreams ------------------------------------------------------------------


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


def group_projects(council: Council, **filters: Any) -> list[Project]:
    return list(
        projects(council)
        .filter(**filters)
        .annotate(
            fte=Sum("allocations__fte"), open_risks=Count("risks", filter=Q(risks__status=Risk.Status.OPEN))
        )
        .order_by("stage", "code")
    )


# --- a project ------------------------------------------------------------------------------------


@dataclass
class ProjectPage:
    project: Project
    stage_list: list[Stage]
    pending: GateSubmission | None
    decisions: list[GateDecision]
    conditions: list[Condition]
    assessment: DesignPrinciplesAssessment | None
    principle_count: int
    reports: list[HighlightReport]
    milestones: list[Milestone]
    dependencies: list[Any]
    dependents: list[Any]
    risk_counts: dict[str, int]
    fte: Decimal

    @property
    def open_conditions(self) -> list[Condition]:
        return [c for c in self.conditions if c.status == Condition.Status.OPEN]

    @property
    def stage_name(self) -> str:
        for s in self.stage_list:
            if s.number == self.project.stage:
                return s.name
        return ""


def project_page(council: Council, pk: int) -> ProjectPage:
    project = projects(council).prefetch_related("councils", "opportunities").get(pk=pk)
    assessment = (
        project.assessments.select_related("assessed_by")
        .prefetch_related(Prefetch("ratings", PrincipleRating.objects.select_related("principle")))
        .first()
    )
    risk_counts = project.risks.aggregate(
        open=Count("id", filter=Q(status=Risk.Status.OPEN)),
        high=Count("id", filter=Q(status=Risk.Status.OPEN, score__gte=12)),
    )
    return ProjectPage(
        project=project,
        stage_list=stages(council),
        pending=project.submissions.filter(status=GateSubmission.Status.PENDING)
        .select_related("submitted_by")
        .first(),
        decisions=list(
            project.decisions.select_related("decided_by", "meeting").prefetch_related("conditions")
        ),
        conditions=list(project.conditions.select_related("decision", "closed_by")),
        assessment=assessment,
        principle_count=DesignPrinciple.objects.filter(council=council).count(),
        reports=list(project.reports.order_by("-month")[:12]),
        milestones=list(project.milestones.all()),
        dependencies=list(project.dependencies.select_related("depends_on")),
        dependents=list(project.dependents.select_related("project")),
        risk_counts=risk_counts,
        fte=project.allocations.aggregate(t=Sum("fte"))["t"] or Decimal(0),
    )


def criteria_for(council: Council, stage: int) -> list[GateCriterion]:
    return list(GateCriterion.objects.filter(council=council, stage__number=stage))


# --- milestones and the timeline ------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    view: schedule.MilestoneView


def milestone_rows(milestones: list[Milestone], today: dt.date) -> list[MilestoneRow]:
    return [
        MilestoneRow(m, schedule.milestone_state(m.baseline_date, m.forecast_date, m.actual_date, today))
        for m in milestones
    ]


def timeline(
    council: Council, start: dt.date, end: dt.date, programme_id: int | None = None
) -> list[Milestone]:
    qs = Milestone.objects.filter(
        council=council, forecast_date__gte=start, forecast_date__lte=end
    ).select_related("project")
    if programme_id:
        qs = qs.filter(project__programme_id=programme_id)
    return list(qs.order_by("forecast_date", "project__code")[:200])


# --- risks ----------------------------------------------------------------------------------------


def open_risks(council: Council) -> QuerySet[Risk]:
    return (
        Risk.objects.filter(council=council, status=Risk.Status.OPEN)
        .select_related("project")
        .order_by("-score", "-residual_score", "id")
    )


def heat_map(council: Council, residual: bool = False) -> list[list[int]]:
    """Open risks by impact (rows, 5 at the top) and likelihood (columns 1..5)."""
    grid = [[0] * 5 for _ in range(5)]
    lk, im = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    counts = (
        Risk.objects.filter(council=council, status=Risk.Status.OPEN)
        .values_list(lk, im)
        .annotate(n=Count("id"))
        .order_by()
    )
    for likelihood, impact, n in counts:
        grid[5 - impact][likelihood - 1] += n
    return grid


# --- reviews and status labels --------------------------------------------------------------------


def reviews(council: Council) -> QuerySet[ReprioritisationReview]:
    return ReprioritisationReview.objects.filter(council=council).annotate(n=Count("items"))


def status_label(value: str) -> str:
    return STATUS_LABELS[Status(value)]
