"""Design-principles assessments: each principle rated supports, neutral or conflicts, with a reason."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from wholecouncil.council.audit import Actor
from wholecouncil.council.models import DesignPrinciple
from wholecouncil.portfolio.engine.lifecycle import Assessment
from wholecouncil.portfolio.models import DesignPrinciplesAssessment, PrincipleRating, Project
from wholecouncil.portfolio.services.common import PortfolioDomainError, record, user_or_none

Rating = PrincipleRating.Rating


def assessment_summary(project: Project) -> Assessment | None:
    """What the latest design-principles assessment says against the council's principles today."""
    latest = project.assessments.order_by("-assessed_at", "-id").first()
    if latest is None:
        return None
    ratings = {r.principle_id: r for r in latest.ratings.all()}
    principles = list(DesignPrinciple.objects.filter(council_id=project.council_id))
    missing = tuple(p.title for p in principles if p.pk not in ratings or not ratings[p.pk].reason.strip())
    conflicts = tuple(
        p.title for p in principles if p.pk in ratings and ratings[p.pk].rating == Rating.CONFLICTS
    )
    return Assessment(missing=missing, conflicts=conflicts)


@transaction.atomic
def assessment_record(
    *, project: Project, ratings: Mapping[int, tuple[str, str]], notes: str, actor: Actor
) -> DesignPrinciplesAssessment:
    """Record a design-principles assessment: for each principle id, (supports|neutral|conflicts, reason)."""
    project = Project.objects.select_for_update().select_related("council").get(pk=project.pk)
    if not project.is_open:
        raise PortfolioDomainError("The project is no longer open, so it cannot be assessed.")
    principles = {p.pk: p for p in DesignPrinciple.objects.filter(council=project.council)}
    if not principles:
        raise PortfolioDomainError(
            "The council has no design principles yet: add them to the operating model."
        )
    problems = []
    for pk, p in principles.items():
        rating, reason = ratings.get(pk, ("", ""))
        if rating not in Rating.values:
            problems.append(f"{p.title}: choose supports, neutral or conflicts")
        elif not reason.strip():
            problems.append(f"{p.title}: give the reason")
    if any(pk not in principles for pk in ratings):
        problems.append("A rating names a principle the council does not have")
    if problems:
        raise PortfolioDomainError("; ".join(problems) + ".")
    assessment = DesignPrinciplesAssessment.objects.create(
        council=project.council, project=project, notes=notes.strip(), assessed_by=user_or_none(actor)
    )
    PrincipleRating.objects.bulk_create(
        PrincipleRating(
            assessment=assessment, principle_id=pk, rating=ratings[pk][0], reason=ratings[pk][1].strip()
        )
        for pk in principles
    )
    after = {principles[pk].title: f"{ratings[pk][0]}: {ratings[pk][1].strip()}" for pk in principles}
    record(council=project.council, actor=actor, action="assessment.record", obj=project, after=after)
    return assessment
