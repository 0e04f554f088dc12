"""Reprioritisation reviews: each project continues, is aligned into a programme, paused or stopped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from wholecouncil.council.audit import Actor
from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.capacity import Capacity, Outcome, released
from wholecouncil.portfolio.models import Project, ReprioritisationReview, ReviewItem
from wholecouncil.portfolio.services import gates
from wholecouncil.portfolio.services.common import PortfolioDomainError, record, user_or_none


def capacity_of(projects: Iterable[Project]) -> dict[int, Capacity]:
    """People, FTE and budget of each project, in one query."""
    ids = [p.pk for p in projects]
    budgets = {p.pk: p.budget for p in projects}
    rows = (
        Project.objects.filter(pk__in=ids)
        .annotate(people=Count("allocations"), fte=Sum("allocations__fte"))
        .values_list("pk", "people", "fte")
    )
    return {pk: Capacity(people, fte or Decimal("0"), budgets[pk]) for pk, people, fte in rows}


@transaction.atomic
def review_create(
    *, council: Council, name: str, held_on: dt.date, projects: Iterable[Project], notes: str, actor: Actor
) -> ReprioritisationReview:
    chosen = [p for p in projects if p.council_id == council.pk]
    if not name.strip():
        raise PortfolioDomainError("Enter the review's name.")
    if not chosen:
        raise PortfolioDomainError("Choose at least one project to review.")
    review = ReprioritisationReview.objects.create(
        council=council, name=name.strip(), held_on=held_on, notes=notes
    )
    ReviewItem.objects.bulk_create(ReviewItem(review=review, project=p) for p in chosen)
    record(
        council=council,
        actor=actor,
        action="review.create",
        obj=review,
        after={"name": review.name, "projects": [p.code for p in chosen]},
    )
    return review


@transaction.atomic
def review_item_set(*, item: ReviewItem, data: Mapping[str, Any], actor: Actor) -> ReviewItem:
    if item.review.status != ReprioritisationReview.Status.DRAFT:
        raise PortfolioDomainError("The review has been concluded; its outcomes can no longer change.")
    outcome = data.get("outcome", "")
    if outcome not in {o.value for o in Outcome}:
        raise PortfolioDomainError("Choose continue, align, pause or stop.")
    before = {"outcome": item.outcome, "rationale": item.rationale}
    item.outcome = outcome
    item.rationale = str(data.get("rationale", "")).strip()
    item.programme = data.get("programme")
    item.workstream = data.get("workstream")
    if outcome == Outcome.ALIGN and (item.programme is None) == (item.workstream is None):
        raise PortfolioDomainError("Choose the one programme or workstream to align the project into.")
    if outcome != Outcome.ALIGN:
        item.programme = item.workstream = None
    item.save()
    record(
        council=item.review.council,
        actor=actor,
        action="review.item",
        obj=item,
        before=before,
        after={"outcome": item.outcome, "rationale": item.rationale},
    )
    return item


@transaction.atomic
def review_conclude(*, review: ReprioritisationReview, actor: Actor) -> ReprioritisationReview:
    """Apply every outcome at once (pauses and stops go through the lifecycle); record capacity released."""
    review = ReprioritisationReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReprioritisationReview.Status.DRAFT:
        raise PortfolioDomainError("This review has already been concluded.")
    items = list(review.items.select_related("project", "programme", "workstream"))
    undecided = [i.project.code for i in items if not i.outcome or not i.rationale]
    if undecided:
        raise PortfolioDomainError(
            "Every project needs an outcome and a rationale first. Still to decide: "
            + ", ".join(undecided)
            + "."
        )
    capacity = capacity_of([i.project for i in items])
    for item in items:
        cap = capacity[item.project_id]
        item.people, item.fte, item.budget = cap.people, cap.fte, cap.budget
        project = item.project
        reason = f"{review.name}: {item.rationale}"
        try:
            if item.outcome == Outcome.PAUSE:
                gates.project_pause(project=project, reason=reason, actor=actor)
            elif item.outcome == Outcome.STOP:
                gates.project_stop(project=project, reason=reason, actor=actor)
            elif item.outcome == Outcome.ALIGN:
                before = {
                    "programme": str(project.programme or ""),
                    "workstream": str(project.workstream or ""),
                }
                project.programme, project.workstream = item.programme, item.workstream
                project.save(update_fields=["programme", "workstream", "updated_at"])
                after = {
                    "programme": str(project.programme or ""),
                    "workstream": str(project.workstream or ""),
                }
                record(
                    council=review.council,
                    actor=actor,
                    action="project.align",
                    obj=project,
                    before=before,
                    after=after,
                )
        except PortfolioDomainError as exc:
            raise PortfolioDomainError(f"{project.code}: {exc}") from exc
        item.save(update_fields=["people", "fte", "budget"])
    total = released((i.outcome, capacity[i.project_id]) for i in items)
    review.status = ReprioritisationReview.Status.CONCLUDED
    review.released_people, review.released_fte, review.released_budget = (
        total.people,
        total.fte,
        total.budget,
    )
    review.concluded_by = user_or_none(actor)
    review.concluded_at = timezone.now()
    review.save()
    record(
        council=review.council,
        actor=actor,
        action="review.conclude",
        obj=review,
        after={"people": total.people, "fte": total.fte, "budget": total.budget},
    )
    return review
