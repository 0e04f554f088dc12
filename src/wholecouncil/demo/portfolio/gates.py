"""Taking the demo's projects through the gates with the portfolio services: assessments, submissions with
their documents, board decisions, conditions and their closure, each audited as if made through the pages."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from wholecouncil.council.models import DesignPrinciple
from wholecouncil.demo.portfolio.data import DOCUMENT, Built
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import GateCriterion, GateDecision, Project


def answers_for(
    project: Project, criteria: list[GateCriterion], upload: bool = False
) -> list[services.CriterionAnswer]:
    """Every criterion met. A document is a link to the (fictional) council file store, or for a project
    waiting at a gate an uploaded file, so the board can open it from the decision page."""
    answers = []
    for c in criteria:
        slug = "-".join(c.text.lower().split())[:60]
        file = (
            services.Attachment(
                f"{project.code}-{slug}.txt", DOCUMENT.format(code=project.code, title=c.text).encode()
            )
            if upload and c.is_artefact
            else None
        )
        link = (
            ""
            if file or not c.is_artefact
            else f"https://documents.exampleshire.example/{project.code}/{slug}"
        )
        answers.append(services.CriterionAnswer(c.pk, True, "In the project file", link=link, file=file))
    return answers


def walk(
    built: Built,
    lead: Any,
    principles: list[DesignPrinciple],
    criteria: dict[int, list[GateCriterion]],
    rng: random.Random,
) -> None:
    """Take the project through the services to its target stage and status."""
    project = built.project
    stage, status = built.target
    ratings = {
        p.pk: (
            rng.choice(["supports", "supports", "neutral"]),
            f"The proposal is consistent with '{p.title}'.",
        )
        for p in principles
    }
    if rng.random() < 0.15:
        first = principles[0]
        ratings[first.pk] = ("conflicts", f"It keeps a separate channel, against '{first.title}'.")
    services.assessment_record(project=project, ratings=ratings, notes="", actor=None)
    gates_to_pass = stage - 1 + (1 if status == "closed" else 0)
    for gate in range(1, gates_to_pass + 1):
        answers = answers_for(project, criteria.get(gate, []))
        services.gate_submit(project=project, summary=f"Ready for gate {gate}.", answers=answers, actor=None)
        conflicts = gate == 1 and any(r[0] == "conflicts" for r in ratings.values())
        with_conditions = conflicts or (gate < 5 and rng.random() < 0.2)
        if with_conditions:
            services.gate_decide(
                project=project,
                decision="approve_with_conditions",
                reasons="The board agreed the case subject to the conditions below.",
                conditions=[
                    services.NewCondition("Confirm the savings with finance before the next gate", "Finance")
                ],
                actor=lead,
            )
            if gate < gates_to_pass or rng.random() < 0.5:
                for condition in project.conditions.filter(status="open"):
                    services.condition_close(condition=condition, note="Confirmed by finance.", actor=lead)
        else:
            services.gate_decide(project=project, decision="approve", reasons="Criteria met.", actor=lead)
    if status in {"at_gate", "stopped"}:
        if project.conditions.filter(status="open").exists():
            for condition in project.conditions.filter(status="open"):
                services.condition_close(condition=condition, note="Confirmed by finance.", actor=lead)
        answers = answers_for(project, criteria.get(stage, []), upload=status == "at_gate")
        services.gate_submit(project=project, summary=f"Ready for gate {stage}.", answers=answers, actor=None)
        if status == "stopped":
            services.gate_decide(
                project=project,
                decision="stop",
                reasons="The outline case does not show value for money against the other options.",
                actor=lead,
            )


def spread_decisions(built: list[Built], anchor: dt.date) -> None:
    """Board decisions dated across each project's life rather than all on the day the demo was loaded."""
    ids = [b.project.pk for b in built]
    decisions = list(GateDecision.objects.filter(project_id__in=ids).order_by("project_id", "id"))
    by_project: dict[int, list[GateDecision]] = {}
    for d in decisions:
        by_project.setdefault(d.project_id, []).append(d)
    for b in built:
        mine = by_project.get(b.project.pk, [])
        span = max((anchor - b.started).days, 30)
        for i, d in enumerate(mine):
            day = b.started + dt.timedelta(days=span * (i + 1) // (len(mine) + 1))
            d.decided_at = dt.datetime.combine(day, dt.time(10), dt.UTC)
    GateDecision.objects.bulk_update(decisions, ["decided_at"])
