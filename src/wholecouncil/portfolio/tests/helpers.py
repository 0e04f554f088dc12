"""Building portfolio data for tests through the services, as a user would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from wholecouncil.cases import services as case_services
from wholecouncil.cases.models import Opportunity
from wholecouncil.council.models import Council, DesignPrinciple, Layer, Lever
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import GateCriterion, Programme, Project


def programme(council: Council, code: str = "cx", name: str = "Customer experience") -> Programme:
    return services.programme_save(
        council=council, data={"code": code, "name": name, "lead_name": "Director of Place"}, actor=None
    )


def project(council: Council, code: str = "P-1", manager: Any = None, stage: int = 1, **data: Any) -> Project:
    fields = {
        "code": code,
        "name": data.pop("name", f"Project {code}"),
        "manager": manager,
        "budget": Decimal("100000"),
        "start_date": dt.date(2025, 4, 1),
        "end_date": dt.date(2027, 3, 31),
        **data,
    }
    return services.project_create(council=council, data=fields, actor=None, stage=stage)


def assess(project: Project, conflicts: int = 0) -> None:
    principles = list(DesignPrinciple.objects.filter(council=project.council))
    ratings = {
        p.pk: ("conflicts" if i < conflicts else "supports", f"Because of {p.title}")
        for i, p in enumerate(principles)
    }
    services.assessment_record(project=project, ratings=ratings, notes="", actor=None)


def all_met(project: Project) -> list[services.CriterionAnswer]:
    """Every criterion of the project's gate met; each document given as a link."""
    criteria = GateCriterion.objects.filter(council=project.council, stage__number=project.stage)
    return [
        services.CriterionAnswer(
            c.pk,
            True,
            "Seen by the board",
            link=f"https://documents.example.gov.uk/{project.code}/{c.pk}" if c.is_artefact else "",
        )
        for c in criteria
    ]


def submit(project: Project, actor: Any = None) -> None:
    project.refresh_from_db()
    services.gate_submit(project=project, summary="Ready for the gate", answers=all_met(project), actor=actor)


def opportunity(council: Council, code: str) -> Opportunity:
    """A business-case opportunity entered in pounds, so it needs no baseline."""
    return case_services.opportunity_create(
        council=council,
        actor=None,
        code=code,
        name=f"Opportunity {code}",
        layer=Layer.objects.filter(council=council).first(),
        lever=Lever.objects.filter(council=council).first(),
        basis=Opportunity.Basis.NONE,
        saving=Opportunity.Saving.AMOUNT,
        low_amount=Decimal("10000"),
        high_amount=Decimal("20000"),
    )


def risk(
    p: Project, title: str = "Supplier slips", status: str = "open", score: tuple[int, int] = (3, 3)
) -> Any:
    return services.raid_save(
        kind="risk",
        project=p,
        data={
            "title": title,
            "likelihood": score[0],
            "impact": score[1],
            "residual_likelihood": 1,
            "residual_impact": 1,
            "status": status,
            "raised_on": dt.date(2025, 5, 1),
        },
        actor=None,
    )


def allocate(p: Project, fte: str = "0.5", role: str = "Analyst") -> Any:
    return services.allocation_save(project=p, data={"role": role, "fte": Decimal(fte)}, actor=None)


def milestone(p: Project, name: str, baseline: dt.date, forecast: dt.date | None = None) -> Any:
    return services.milestone_save(
        project=p,
        data={"name": name, "baseline_date": baseline, "forecast_date": forecast or baseline},
        actor=None,
    )


def report(p: Project, month: dt.date, rag: str = "green", actor: Any = None, submitted: bool = True) -> Any:
    made = services.report_save(
        council=p.council,
        project=p,
        month=month,
        data={"rag": rag, "narrative": f"{p.code} in {month:%B}", "benefit_status": "on_track"},
        actor=actor,
    )
    return services.report_submit(report=made, actor=actor) if submitted else made
