"""Building portfolio data for tests through the services, as a user would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from wholecouncil.council.models import Council, DesignPrinciple
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import GateCriterion, Programme, Project


def programme(council: Council, code: str = "cx", name: str = "Customer experience") -> Programme:
    return services.programme_save(
        council=council, data={"code": code, "name": name, "lead_name": "Director of Place"}, actor=None
    )


def project(council: Council, code: str = "P-1", manager: Any = None, **data: Any) -> Project:
    fields = {
        "code": code,
        "name": data.pop("name", f"Project {code}"),
        "manager": manager,
        "budget": Decimal("100000"),
        "start_date": dt.date(2025, 4, 1),
        "end_date": dt.date(2027, 3, 31),
        **data,
    }
    return services.project_create(council=council, data=fields, actor=None)


def assess(project: Project, conflicts: int = 0) -> None:
    principles = list(DesignPrinciple.objects.filter(council=project.council))
    ratings = {
        p.pk: ("conflicts" if i < conflicts else "supports", f"Because of {p.title}")
        for i, p in enumerate(principles)
    }
    services.assessment_record(project=project, ratings=ratings, notes="", actor=None)


def all_met(project: Project) -> list[services.CriterionAnswer]:
    criteria = GateCriterion.objects.filter(council=project.council, stage__number=project.stage)
    return [services.CriterionAnswer(c.pk, True, "Seen by the board") for c in criteria]


def submit(project: Project, actor: Any = None) -> None:
    project.refresh_from_db()
    services.gate_submit(project=project, summary="Ready for the gate", answers=all_met(project), actor=actor)
