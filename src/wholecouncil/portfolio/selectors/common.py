"""Reads every portfolio page shares: stages, the council's projects (and those it is served by), months."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from wholecouncil.council.engine import add_months
from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.lifecycle import STATUS_LABELS, Status
from wholecouncil.portfolio.engine.stages import DEFAULT_STAGES, DESIGN_PRINCIPLES_GATE
from wholecouncil.portfolio.models import GateCriterion, HighlightReport, Project, Stage

OPEN_STATUSES = (Status.IN_STAGE.value, Status.AT_GATE.value, Status.PAUSED.value)
REPORTED = (HighlightReport.Status.SUBMITTED, HighlightReport.Status.APPROVED)


def stages(council: Council, with_criteria: bool = False) -> list[Stage]:
    """The council's stages, or the default five (unsaved) until it has its own."""
    qs = Stage.objects.filter(council=council)
    found = list(qs.prefetch_related("criteria") if with_criteria else qs)
    if found:
        return found
    return [
        Stage(
            council=council,
            number=d.number,
            name=d.name,
            purpose=d.purpose,
            needs_assessment=d.number == DESIGN_PRINCIPLES_GATE,
        )
        for d in DEFAULT_STAGES
    ]


def stage_names(council: Council) -> dict[int, str]:
    return {s.number: s.name for s in stages(council)}


def design_gate_of(stage_list: list[Stage]) -> int:
    return next((s.number for s in stage_list if s.needs_assessment), DESIGN_PRINCIPLES_GATE)


def projects(council: Council) -> QuerySet[Project]:
    return Project.objects.filter(council=council).select_related("programme", "workstream", "manager")


def project_get(council: Council, pk: int) -> Project:
    return projects(council).get(pk=pk)


def serves(council: Council) -> Exists:
    """True for a project that serves `council` (a partner of the council that hosts it)."""
    return Exists(Project.councils.through.objects.filter(project=OuterRef("pk"), council=council))


def readable_projects(council: Council) -> QuerySet[Project]:
    """The council's own projects and the projects partner councils run for it, which it may read only."""
    return Project.objects.filter(Q(council=council) | serves(council)).select_related(
        "council", "programme", "workstream", "manager"
    )


def partner_projects(council: Council) -> QuerySet[Project]:
    """Projects hosted by a partner council that serve this one."""
    return (
        Project.objects.filter(serves(council))
        .exclude(council=council)
        .select_related("council", "manager")
        .order_by("council__name", "code")
    )


def criteria_for(council: Council, stage: int) -> list[GateCriterion]:
    return list(GateCriterion.objects.filter(council=council, stage__number=stage))


def months_back(today: dt.date, n: int) -> list[dt.date]:
    """The first days of the last `n` months, oldest first, ending with `today`'s month."""
    first = today.replace(day=1)
    return [add_months(first, -back) for back in range(n - 1, -1, -1)]


def status_label(value: str) -> str:
    return STATUS_LABELS[Status(value)]
