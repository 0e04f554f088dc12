"""What every portfolio service shares: the domain error, audit shorthand and who may edit a project."""

from __future__ import annotations

from typing import Any

from django.db import models

from wholecouncil.accounts.roles import Perm, Role, role_has
from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council, Membership
from wholecouncil.council.services import DomainError
from wholecouncil.portfolio.models import HighlightReport, Programme, Project, Workstream


class PortfolioDomainError(DomainError):
    """A portfolio change the rules refuse, with a message fit to show the user."""


def user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def record(
    *,
    council: Council,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit_record(
        council=council, actor=actor, action=f"portfolio.{action}", obj=obj, before=before, after=after
    )


def may_edit_project(membership: Membership | None, project: Project) -> bool:
    """Programme leads and admins edit any project; a project manager only the projects they manage."""
    if membership is None or project.council_id != membership.council_id:
        return False
    if role_has(membership.role, Perm.MANAGE_PORTFOLIO):
        return True
    return role_has(membership.role, Perm.EDIT_OWN_PROJECTS) and project.manager_id == membership.user_id


def state_dict(project: Project) -> dict[str, Any]:
    return {"stage": project.stage, "status": project.status}


def report_group(report: HighlightReport) -> Programme | Workstream | None:
    """The programme (or workstream) whose lead approves the report."""
    if report.programme is not None:
        return report.programme
    project = report.project
    return project.parent if project is not None else None


def approval_refusal(membership: Membership | None, report: HighlightReport) -> str | None:
    """Why this member cannot approve the report, or None when they can. Programme leads approve the reports
    of the programmes and workstreams they lead; admins any; nobody the report they submitted, or the
    report of a project they manage."""
    if membership is None or membership.council_id != report.council_id:
        return "Only a member of the council can approve its reports."
    if not role_has(membership.role, Perm.APPROVE_REPORTS):
        return "Your role cannot approve highlight reports."
    user_id = membership.user_id
    if report.submitted_by_id is not None and report.submitted_by_id == user_id:
        return "You submitted this report, so another programme lead must approve it."
    if report.project is not None and report.project.manager_id == user_id:
        return "You manage this project, so its programme lead must approve its reports."
    if membership.role == Role.ADMIN:
        return None
    group = report_group(report)
    if group is None:
        return (
            "The project is in no programme or workstream, so the transformation office approves its reports."
        )
    if group.lead_id != user_id:
        return f"Only the lead of {group.name} (or the transformation office) can approve this report."
    return None
