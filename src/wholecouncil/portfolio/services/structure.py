"""Stages, programmes, workstreams and projects: creating and changing them, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from wholecouncil.council.audit import Actor, snapshot
from wholecouncil.council.models import Council
from wholecouncil.portfolio.models import Programme, Project, Workstream
from wholecouncil.portfolio.services.common import PortfolioDomainError, record
from wholecouncil.portfolio.services.stages import stages_ensure

PROGRAMME_FIELDS = ("code", "name", "kind", "description", "lead_name", "lead", "capacity_fte")
WORKSTREAM_FIELDS = ("code", "name", "description", "lead_name", "lead", "capacity_fte")
PROJECT_FIELDS = (
    "code",
    "name",
    "programme",
    "workstream",
    "manager",
    "sponsor",
    "scope",
    "start_date",
    "end_date",
    "budget",
)


def _check_owner(council: Council, obj: Any, label: str) -> None:
    if obj is not None and getattr(obj, "council_id", council.pk) != council.pk:
        raise PortfolioDomainError(f"The {label} belongs to another council.")


def _check_lead(council: Council, user: Any) -> None:
    if user is not None and not user.memberships.filter(council=council).exists():
        raise PortfolioDomainError(f"{user.get_username()} is not a member of {council.name}.")


def _save_group(
    model: type[Programme] | type[Workstream],
    *,
    council: Council,
    obj: Programme | Workstream | None,
    data: Mapping[str, Any],
    actor: Actor,
) -> Programme | Workstream:
    fields = PROGRAMME_FIELDS if model is Programme else WORKSTREAM_FIELDS
    label = "programme" if model is Programme else "workstream"
    code = str(data["code"]).strip()
    clash = model.objects.filter(council=council, code=code)
    if obj is not None:
        clash = clash.exclude(pk=obj.pk)
    if clash.exists():
        raise PortfolioDomainError(f"The short code '{code}' is already used by another {label}.")
    _check_lead(council, data.get("lead"))
    before = snapshot(obj, fields) if obj is not None else None
    if obj is None:
        top = model.objects.filter(council=council).aggregate(m=Max("position"))["m"]
        obj = model(council=council, position=0 if top is None else top + 1)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    obj.code = code
    obj.save()
    action = f"{label}.{'update' if before else 'create'}"
    record(council=council, actor=actor, action=action, obj=obj, before=before, after=snapshot(obj, fields))
    return obj


@transaction.atomic
def programme_save(
    *, council: Council, data: Mapping[str, Any], actor: Actor, programme: Programme | None = None
) -> Programme:
    obj = _save_group(Programme, council=council, obj=programme, data=data, actor=actor)
    assert isinstance(obj, Programme)
    return obj


@transaction.atomic
def workstream_save(
    *, council: Council, data: Mapping[str, Any], actor: Actor, workstream: Workstream | None = None
) -> Workstream:
    obj = _save_group(Workstream, council=council, obj=workstream, data=data, actor=actor)
    assert isinstance(obj, Workstream)
    return obj


def _check_project(council: Council, data: Mapping[str, Any], exclude_pk: int | None) -> None:
    code = str(data.get("code", "")).strip()
    if not code:
        raise PortfolioDomainError("Enter the project's code.")
    clash = Project.objects.filter(council=council, code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise PortfolioDomainError(f"The code '{code}' is already used by another project.")
    if data.get("programme") is not None and data.get("workstream") is not None:
        raise PortfolioDomainError("A project belongs to a programme or to a workstream, not both.")
    _check_owner(council, data.get("programme"), "programme")
    _check_owner(council, data.get("workstream"), "workstream")
    _check_lead(council, data.get("manager"))
    start, end = data.get("start_date"), data.get("end_date")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        raise PortfolioDomainError("The end date must be on or after the start date.")
    budget = data.get("budget")
    if budget is not None and Decimal(budget) < 0:
        raise PortfolioDomainError("The budget cannot be negative.")


def _project_snapshot(project: Project) -> dict[str, Any]:
    snap = snapshot(project, PROJECT_FIELDS)
    snap["councils"] = sorted(c.slug for c in project.councils.all())
    snap["opportunities"] = sorted(str(o) for o in project.opportunities.all())
    return snap


def _set_links(
    project: Project, councils: Iterable[Council] | None, opportunities: Iterable[Any] | None
) -> None:
    council = project.council
    if councils is not None:
        wanted = list(councils)
        allowed = {council.pk} | {c.pk for p in council.partnerships.all() for c in p.councils.all()}
        outside = [c.name for c in wanted if c.pk not in allowed]
        if outside:
            raise PortfolioDomainError(
                f"{', '.join(outside)} is not in a partnership with {council.name}, "
                "so the project cannot serve it."
            )
        project.councils.set(wanted)
    if opportunities is not None:
        wanted_opps = list(opportunities)
        if any(o.council_id != council.pk for o in wanted_opps):
            raise PortfolioDomainError("An opportunity belongs to another council.")
        project.opportunities.set(wanted_opps)


@transaction.atomic
def project_create(
    *,
    council: Council,
    data: Mapping[str, Any],
    actor: Actor,
    councils: Iterable[Council] | None = None,
    opportunities: Iterable[Any] | None = None,
    stage: int = 1,
) -> Project:
    """A new project in stage `stage` (1 unless it is an existing project being registered)."""
    stages = stages_ensure(council=council)
    if not 1 <= stage <= len(stages):
        raise PortfolioDomainError(f"The stage must be from 1 to {len(stages)}.")
    _check_project(council, data, None)
    project = Project(council=council, stage=stage)
    for name in PROJECT_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    project.code = str(data["code"]).strip()
    project.save()
    _set_links(project, councils if councils is not None else [council], opportunities)
    record(
        council=council, actor=actor, action="project.create", obj=project, after=_project_snapshot(project)
    )
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    data: Mapping[str, Any],
    actor: Actor,
    councils: Iterable[Council] | None = None,
    opportunities: Iterable[Any] | None = None,
) -> Project:
    """Change a project's details. Its stage and status change only through the lifecycle."""
    project = Project.objects.select_for_update().select_related("council").get(pk=project.pk)
    _check_project(project.council, {**{f: getattr(project, f) for f in PROJECT_FIELDS}, **data}, project.pk)
    before = _project_snapshot(project)
    for name in PROJECT_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    project.code = str(project.code).strip()
    project.save()
    _set_links(project, councils, opportunities)
    after = _project_snapshot(project)
    if after != before:
        record(
            council=project.council,
            actor=actor,
            action="project.update",
            obj=project,
            before=before,
            after=after,
        )
    return project


def users_in(council: Council) -> Any:
    """The council's members, for choosing a project manager or a programme lead."""
    return get_user_model().objects.filter(memberships__council=council).order_by("username")
