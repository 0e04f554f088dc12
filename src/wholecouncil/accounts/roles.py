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


_READ = frozenset({Perm.VIEW, Perm.VIEW_AUDIT})

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.FINANCE: _READ | {Perm.IMPORT_ESTABLISHMENT},
    Role.PROGRAMME_LEAD: _READ,
    Role.PROJECT_MANAGER: _READ,
    Role.COUNCILLOR: _READ,
}

READ_ONLY_ROLES = frozenset({Role.COUNCILLOR})


def role_has(role: str | None, perm: Perm | str) -> bool:
    """True when `role` grants `perm`. An unknown or missing role grants nothing."""
    if role is None:
        return False
    return Perm(perm) in ROLE_PERMISSIONS.get(role, frozenset())
