"""What every portfolio service shares: the domain error, audit shorthand and who may edit a project."""

from __future__ import annotations

from typing import Any

from django.db import models

from wholecouncil.accounts.roles import Perm, role_has
from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council, Membership
from wholecouncil.council.services import DomainError
from wholecouncil.portfolio.models import Project


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
