"""Milestones, resource allocations and highlight reports (which lock once submitted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor, snapshot
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio.models import (
    HighlightReport,
    Milestone,
    MilestoneRebaseline,
    Programme,
    Project,
    ResourceAllocation,
)
from wholecouncil.portfolio.services.common import (
    PortfolioDomainError,
    approval_refusal,
    record,
    user_or_none,
)

MILESTONE_FIELDS = ("name", "baseline_date", "forecast_date", "actual_date")
ALLOCATION_FIELDS = ("role", "person", "org_unit", "fte")
REPORT_FIELDS = ("rag", "narrative", "key_risks", "next_milestones", "benefit_status")
MAX_FTE = Decimal("50")


@transaction.atomic
def milestone_save(
    *, project: Project, data: Mapping[str, Any], actor: Actor, milestone: Milestone | None = None
) -> Milestone:
    """Add a milestone (with its baseline) or change its name, forecast and actual dates. Once set, the
    baseline date changes only through milestone_rebaseline, with a reason, so slippage cannot be erased."""
    if milestone is not None and milestone.project_id != project.pk:
        raise PortfolioDomainError("That milestone is not in this project's plan.")
    if milestone is not None:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        wanted = data.get("baseline_date", milestone.baseline_date)
        if wanted != milestone.baseline_date:
            raise PortfolioDomainError(
                "The baseline date cannot be changed here: slippage is measured against it. Ask the board "
                "to re-baseline the milestone, giving the reason."
            )
    before = snapshot(milestone, MILESTONE_FIELDS) if milestone is not None else None
    obj = milestone or Milestone(council=project.council, project=project)
    for name in MILESTONE_FIELDS:
        if name in data and (milestone is None or name != "baseline_date"):
            setattr(obj, name, data[name])
    if not str(obj.name).strip():
        raise PortfolioDomainError("Enter the milestone's name.")
    if obj.baseline_date is None:
        raise PortfolioDomainError("Enter the baseline date.")
    if obj.forecast_date is None:
        obj.forecast_date = obj.baseline_date
    obj.save()
    action = f"milestone.{'update' if before else 'create'}"
    record(
        council=project.council,
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=snapshot(obj, MILESTONE_FIELDS),
    )
    return obj


@transaction.atomic
def milestone_rebaseline(
    *, milestone: Milestone, baseline_date: dt.date, reason: str, actor: Actor
) -> MilestoneRebaseline:
    """The board agrees a new baseline date for a milestone, with the reason. The old date is kept."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("project").get(pk=milestone.pk)
    )
    if actor is not None and getattr(actor, "pk", None) == milestone.project.manager_id:
        raise PortfolioDomainError(
            "The project's manager cannot re-baseline its own plan: the board agrees a new baseline."
        )
    if baseline_date is None:
        raise PortfolioDomainError("Enter the new baseline date.")
    if baseline_date == milestone.baseline_date:
        raise PortfolioDomainError(f"The baseline is already {baseline_date:%-d %B %Y}.")
    if not reason.strip():
        raise PortfolioDomainError("Give the reason for re-baselining, as the board agreed it.")
    change = MilestoneRebaseline.objects.create(
        council=milestone.council,
        milestone=milestone,
        previous_date=milestone.baseline_date,
        new_date=baseline_date,
        reason=reason.strip(),
        changed_by=user_or_none(actor),
    )
    milestone.baseline_date = baseline_date
    milestone.save(update_fields=["baseline_date"])
    record(
        council=milestone.council,
        actor=actor,
        action="milestone.rebaseline",
        obj=milestone,
        before={"baseline_date": change.previous_date},
        after={"baseline_date": change.new_date, "reason": change.reason},
    )
    return change


@transaction.atomic
def allocation_save(*, project: Project, data: Mapping[str, Any], actor: Actor) -> ResourceAllocation:
    fte = Decimal(data.get("fte") or 0)
    if not Decimal("0") < fte <= MAX_FTE:
        raise PortfolioDomainError(f"The FTE must be more than 0 and at most {MAX_FTE}.")
    unit = data.get("org_unit")
    if unit is not None and unit.council_id != project.council_id:
        raise PortfolioDomainError("The team belongs to another council.")
    alloc = ResourceAllocation(council=project.council, project=project)
    for name in ALLOCATION_FIELDS:
        if name in data:
            setattr(alloc, name, data[name])
    alloc.save()
    record(
        council=project.council,
        actor=actor,
        action="allocation.create",
        obj=alloc,
        after=snapshot(alloc, ALLOCATION_FIELDS),
    )
    return alloc


@transaction.atomic
def allocation_remove(*, allocation: ResourceAllocation, actor: Actor) -> None:
    record(
        council=allocation.council,
        actor=actor,
        action="allocation.remove",
        obj=allocation,
        before=snapshot(allocation, ALLOCATION_FIELDS),
    )
    allocation.delete()


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def report_save(
    *,
    council: Council,
    data: Mapping[str, Any],
    actor: Actor,
    month: dt.date | None = None,
    project: Project | None = None,
    programme: Programme | None = None,
    report: HighlightReport | None = None,
) -> HighlightReport:
    """Start or change a draft highlight report. A submitted report is locked."""
    if report is not None:
        report = HighlightReport.objects.select_for_update().get(pk=report.pk)
        if report.is_locked:
            raise PortfolioDomainError(
                f"This report was submitted on {report.submitted_at:%-d %B %Y} and is locked: "
                "it cannot be changed."
                if report.submitted_at
                else "This report is locked; it cannot be changed."
            )
    else:
        if (project is None) == (programme is None):
            raise PortfolioDomainError("A highlight report is for one project or one programme.")
        if month is None:
            raise PortfolioDomainError("Choose the month the report covers.")
        month = first_of_month(month)
        subject: dict[str, Any] = {"project": project} if project is not None else {"programme": programme}
        if HighlightReport.objects.filter(council=council, month=month, **subject).exists():
            raise PortfolioDomainError(f"There is already a report for {month:%B %Y}.")
        report = HighlightReport(council=council, month=month, created_by=user_or_none(actor), **subject)
    before = snapshot(report, REPORT_FIELDS) if report.pk else None
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if not str(report.narrative).strip():
        raise PortfolioDomainError("Write the narrative: what happened this month and what comes next.")
    report.save()
    action = f"report.{'update' if before else 'create'}"
    record(
        council=council,
        actor=actor,
        action=action,
        obj=report,
        before=before,
        after=snapshot(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def report_submit(*, report: HighlightReport, actor: Actor) -> HighlightReport:
    """Submit the report to the board. From now on it is locked."""
    report = (
        HighlightReport.objects.select_for_update(of=("self",))
        .select_related("project", "council")
        .get(pk=report.pk)
    )
    if report.status != HighlightReport.Status.DRAFT:
        raise PortfolioDomainError("This report has already been submitted.")
    report.status = HighlightReport.Status.SUBMITTED
    report.submitted_by = user_or_none(actor)
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_by", "submitted_at"])
    project = report.project
    if project is not None and (
        project.latest_report_month is None or report.month >= project.latest_report_month
    ):
        project.latest_rag, project.latest_report_month = report.rag, report.month
        project.save(update_fields=["latest_rag", "latest_report_month", "updated_at"])
    record(
        council=report.council,
        actor=actor,
        action="report.submit",
        obj=report,
        before={"status": "draft"},
        after={"status": report.status, "rag": report.rag},
    )
    return report


@transaction.atomic
def report_approve(*, report: HighlightReport, actor: Actor) -> HighlightReport:
    report = (
        HighlightReport.objects.select_for_update(of=("self",))
        .select_related("council", "programme", "project__programme", "project__workstream")
        .get(pk=report.pk)
    )
    if report.status == HighlightReport.Status.DRAFT:
        raise PortfolioDomainError("A draft report cannot be approved: it must be submitted first.")
    if report.status == HighlightReport.Status.APPROVED:
        raise PortfolioDomainError("This report has already been approved.")
    user = user_or_none(actor)
    if user is not None:
        membership = Membership.objects.filter(council=report.council, user=user).first()
        if problem := approval_refusal(membership, report):
            raise PortfolioDomainError(problem)
    report.status = HighlightReport.Status.APPROVED
    report.approved_by = user
    report.approved_at = timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        council=report.council,
        actor=actor,
        action="report.approve",
        obj=report,
        before={"status": "submitted"},
        after={"status": report.status},
    )
    return report
