"""Roles a council's users hold, and what each role may do.

Permissions are capabilities checked by views and services; a role is a named set of them. A user holds one
role per council (through council.Membership). Survey respondents hold no account: they reach the survey by a
personal link only.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Transformation office admin"
    FINANCE = "finance", "Finance"
    PROGRAMME_LEAD = "programme_lead", "Programme lead"
    PROJECT_MANAGER = "project_manager", "Project manager"
    COUNCILLOR = "councillor", "Councillor (read only)"


class Perm(StrEnum):
    VIEW = "council.view"
    VIEW_AUDIT = "council.view_audit"
    EDIT_OPERATING_MODEL = "council.edit_operating_model"
    MANAGE_PARTNERSHIPS = "council.manage_partnerships"
    MANAGE_MEMBERS = "council.manage_members"
    IMPORT_ESTABLISHMENT = "workforce.import_establishment"
    RUN_SURVEY = "activity.run_survey"  # create, open, remind and close activity surveys; import responses
    EDIT_PROCESSES = "activity.edit_processes"  # edit the process taxonomy and comparator profiles
    IMPORT_SPEND = "spend.import"  # import supplier spend and contracts
    REVIEW_SPEND = "spend.review"  # decide supplier merges, categories and duplicate-payment candidates
    EDIT_CASE = "cases.edit"  # opportunities, assumptions, business cases and scenarios
    MANAGE_PORTFOLIO = "portfolio.manage"  # programmes, workstreams, any project, reprioritisation reviews
    EDIT_OWN_PROJECTS = "portfolio.edit_own_projects"  # projects the user manages: RAID, plan, gates
    DECIDE_GATES = "portfolio.decide_gates"  # record board decisions and close conditions
    APPROVE_REPORTS = "portfolio.approve_reports"  # approve highlight reports
    EDIT_BENEFITS = "benefits.edit"  # record and change benefits, profiles and actuals
    VALIDATE_BENEFITS = "benefits.validate"  # finance: validate, sign off for the MTFP, savings required
    SIGN_OFF_BENEFITS = "benefits.sign_off"  # the board's sign-off that a benefit is in delivery


_READ = frozenset({Perm.VIEW, Perm.VIEW_AUDIT})

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.FINANCE: _READ
    | {Perm.IMPORT_ESTABLISHMENT, Perm.IMPORT_SPEND, Perm.REVIEW_SPEND, Perm.EDIT_CASE, Perm.RUN_SURVEY}
    | {Perm.EDIT_BENEFITS, Perm.VALIDATE_BENEFITS},
    Role.PROGRAMME_LEAD: _READ
    | {Perm.EDIT_CASE, Perm.MANAGE_PORTFOLIO, Perm.EDIT_OWN_PROJECTS}
    | {Perm.DECIDE_GATES, Perm.APPROVE_REPORTS, Perm.EDIT_BENEFITS, Perm.SIGN_OFF_BENEFITS},
    Role.PROJECT_MANAGER: _READ | {Perm.EDIT_OWN_PROJECTS},
    Role.COUNCILLOR: _READ,
}

READ_ONLY_ROLES = frozenset({Role.COUNCILLOR})


def role_has(role: str | None, perm: Perm | str) -> bool:
    """True when `role` grants `perm`. An unknown or missing role grants nothing."""
    if role is None:
        return False
    return Perm(perm) in ROLE_PERMISSIONS.get(role, frozenset())
