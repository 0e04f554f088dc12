"""The RAID log and dependencies between projects and between milestones: risks scored on save, loops in
dependencies refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from wholecouncil.council.audit import Actor, snapshot
from wholecouncil.portfolio.engine import graph, raid
from wholecouncil.portfolio.engine.errors import PortfolioError
from wholecouncil.portfolio.models import (
    Assumption,
    Decision,
    Dependency,
    Issue,
    Milestone,
    MilestoneDependency,
    Project,
    Risk,
)
from wholecouncil.portfolio.services.common import PortfolioDomainError, record

RISK_FIELDS = (
    "title",
    "description",
    "owner",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "mitigations",
    "proximity_date",
    "status",
    "raised_on",
)
ASSUMPTION_FIELDS = ("text", "owner", "status", "note", "raised_on")
ISSUE_FIELDS = ("title", "description", "owner", "severity", "status", "raised_on", "resolved_on")
DECISION_FIELDS = ("title", "detail", "owner", "raised_on")

RAID_MODELS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "risk": (Risk, RISK_FIELDS),
    "assumption": (Assumption, ASSUMPTION_FIELDS),
    "issue": (Issue, ISSUE_FIELDS),
    "decision": (Decision, DECISION_FIELDS),
}


def _score(entry: Risk) -> None:
    try:
        scores = raid.score_risk(
            int(entry.likelihood),
            int(entry.impact),
            int(entry.residual_likelihood),
            int(entry.residual_impact),
        )
    except PortfolioError as exc:
        raise PortfolioDomainError(str(exc)) from exc
    entry.score, entry.residual_score = scores.current, scores.residual


@transaction.atomic
def raid_save(
    *, kind: str, project: Project, data: Mapping[str, Any], actor: Actor, entry: models.Model | None = None
) -> models.Model:
    """Create or change a risk, assumption, issue or decision on the project's log."""
    model, fields = RAID_MODELS[kind]
    if entry is not None and (not isinstance(entry, model) or entry.project_id != project.pk):  # type: ignore[attr-defined]
        raise PortfolioDomainError(f"That {kind} is not on this project's log.")
    before = snapshot(entry, fields) if entry is not None else None
    obj: Any = entry if entry is not None else model(council=project.council, project=project)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    if isinstance(obj, Risk):
        _score(obj)
    if isinstance(obj, Issue) and obj.status == Issue.Status.RESOLVED and obj.resolved_on is None:
        raise PortfolioDomainError("Enter the date the issue was resolved.")
    obj.save()
    after = snapshot(obj, fields)
    if isinstance(obj, Risk):
        after |= {"score": obj.score, "residual_score": obj.residual_score}
    action = f"{kind}.{'update' if before else 'create'}"
    record(council=project.council, actor=actor, action=action, obj=obj, before=before, after=after)
    return obj


@transaction.atomic
def dependency_add(*, project: Project, depends_on: Project, note: str, actor: Actor) -> Dependency:
    """`project` depends on `depends_on`. Refused if it would make a loop, naming the loop."""
    if depends_on.council_id != project.council_id:
        raise PortfolioDomainError("The other project belongs to another council.")
    rows = Dependency.objects.filter(council_id=project.council_id)
    edges = list(rows.values_list("project_id", "depends_on_id"))
    if (project.pk, depends_on.pk) in set(edges):
        raise PortfolioDomainError(f"{project.code} already depends on {depends_on.code}.")
    names = dict(Project.objects.filter(council_id=project.council_id).values_list("pk", "code"))
    try:
        graph.check_new_dependency(edges, project.pk, depends_on.pk, names)
    except PortfolioError as exc:
        raise PortfolioDomainError(str(exc)) from exc
    dep = Dependency.objects.create(
        council=project.council, project=project, depends_on=depends_on, note=note.strip()[:300]
    )
    record(
        council=project.council,
        actor=actor,
        action="dependency.add",
        obj=dep,
        after={"project": project.code, "depends_on": depends_on.code, "note": dep.note},
    )
    return dep


@transaction.atomic
def dependency_remove(*, dependency: Dependency, actor: Actor) -> None:
    before = {"project": dependency.project.code, "depends_on": dependency.depends_on.code}
    record(council=dependency.council, actor=actor, action="dependency.remove", obj=dependency, before=before)
    dependency.delete()


@transaction.atomic
def milestone_dependency_add(
    *, milestone: Milestone, depends_on: Milestone, actor: Actor
) -> MilestoneDependency:
    """`milestone` cannot happen before `depends_on`. Refused if it would make a loop, naming the loop."""
    if depends_on.council_id != milestone.council_id:
        raise PortfolioDomainError("The other milestone belongs to another council.")
    edges = list(
        MilestoneDependency.objects.filter(council_id=milestone.council_id).values_list(
            "milestone_id", "depends_on_id"
        )
    )
    if (milestone.pk, depends_on.pk) in set(edges):
        raise PortfolioDomainError("That dependency is already recorded.")
    ids = {milestone.pk, depends_on.pk} | {k for e in edges for k in e}
    names = {
        m.pk: f"{m.project.code}: {m.name}"
        for m in Milestone.objects.filter(pk__in=ids).select_related("project")
    }
    try:
        graph.check_new_dependency(edges, milestone.pk, depends_on.pk, names)
    except PortfolioError as exc:
        raise PortfolioDomainError(str(exc)) from exc
    dep = MilestoneDependency.objects.create(
        council=milestone.council, milestone=milestone, depends_on=depends_on
    )
    record(
        council=milestone.council,
        actor=actor,
        action="milestone_dependency.add",
        obj=dep,
        after={"milestone": names[milestone.pk], "depends_on": names[depends_on.pk]},
    )
    return dep


@transaction.atomic
def milestone_dependency_remove(*, dependency: MilestoneDependency, actor: Actor) -> None:
    before = {
        "milestone": f"{dependency.milestone.project.code}: {dependency.milestone.name}",
        "depends_on": f"{dependency.depends_on.project.code}: {dependency.depends_on.name}",
    }
    record(
        council=dependency.council,
        actor=actor,
        action="milestone_dependency.remove",
        obj=dependency,
        before=before,
    )
    dependency.delete()
