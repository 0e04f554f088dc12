"""A project's page, its gate submission with the documents given, and the reports a council may read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from wholecouncil.council.models import Council, DesignPrinciple
from wholecouncil.portfolio.models import (
    Condition,
    DesignPrinciplesAssessment,
    GateDecision,
    GateSubmission,
    HighlightReport,
    Milestone,
    PrincipleRating,
    Project,
    Risk,
    Stage,
    SubmissionArtefact,
)
from wholecouncil.portfolio.selectors.common import design_gate_of, readable_projects, serves, stages


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

    @property
    def design_gate(self) -> int:
        return design_gate_of(self.stage_list)


def pending_submission(project: Project) -> GateSubmission | None:
    """The submission waiting for the board, with its documents (the files themselves are not read)."""
    return (
        project.submissions.filter(status=GateSubmission.Status.PENDING)
        .select_related("submitted_by")
        .prefetch_related(Prefetch("artefacts", SubmissionArtefact.objects.defer("file")))
        .order_by("-submitted_at")
        .first()
    )


def project_page(council: Council, pk: int) -> ProjectPage:
    """Everything the project page shows. `council` may be a partner the project serves."""
    project = readable_projects(council).prefetch_related("councils", "opportunities").get(pk=pk)
    host = project.council
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
        stage_list=stages(host),
        pending=pending_submission(project),
        decisions=list(project.decisions.select_related("decided_by", "meeting")),
        conditions=list(project.conditions.select_related("decision", "closed_by")),
        assessment=assessment,
        principle_count=DesignPrinciple.objects.filter(council=host).count(),
        reports=list(project.reports.order_by("-month")[:12]),
        milestones=list(project.milestones.all()),
        dependencies=list(project.dependencies.select_related("depends_on")),
        dependents=list(project.dependents.select_related("project")),
        risk_counts=risk_counts,
        fte=project.allocations.aggregate(t=Sum("fte"))["t"] or Decimal(0),
    )


def readable_reports(council: Council) -> QuerySet[HighlightReport]:
    """The council's own reports, and the reports of partner projects that serve it."""
    served = Project.objects.filter(serves(council)).values("pk")
    return HighlightReport.objects.filter(Q(council=council) | Q(project__in=served)).select_related(
        "council", "project__programme", "project__workstream", "programme", "submitted_by", "approved_by"
    )
