"""Milestones with their slippage and the milestones they must follow, the timeline, and re-baselining."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine import schedule
from wholecouncil.portfolio.models import Milestone, MilestoneDependency, MilestoneRebaseline, Project


def _when(m: Milestone) -> dt.date:
    return schedule.effective_date(m.forecast_date, m.actual_date)


@dataclass(frozen=True)
class Link:
    """One milestone dependency: `milestone` must not happen before `depends_on`."""

    dependency: MilestoneDependency
    milestone: Milestone
    depends_on: Milestone

    @property
    def conflict(self) -> bool:
        return schedule.out_of_order(_when(self.milestone), _when(self.depends_on))


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    view: schedule.MilestoneView
    after: tuple[Link, ...] = ()

    @property
    def conflict(self) -> bool:
        return any(link.conflict for link in self.after)


def _links(dependencies: Iterable[MilestoneDependency]) -> list[Link]:
    return [Link(d, d.milestone, d.depends_on) for d in dependencies]


def milestone_rows(
    milestones: Sequence[Milestone], today: dt.date, links: Iterable[Link] = ()
) -> list[MilestoneRow]:
    """Each milestone's slippage and state, with the milestones it must follow among `links`."""
    after: dict[int, list[Link]] = {}
    for link in links:
        after.setdefault(link.milestone.pk, []).append(link)
    return [
        MilestoneRow(
            m,
            schedule.milestone_state(m.baseline_date, m.forecast_date, m.actual_date, today),
            tuple(after.get(m.pk, ())),
        )
        for m in milestones
    ]


def links_of(milestones: Sequence[Milestone]) -> list[Link]:
    """The dependencies of these milestones on others (in any project), in one query."""
    ids = [m.pk for m in milestones]
    return _links(
        MilestoneDependency.objects.filter(milestone_id__in=ids)
        .select_related("milestone__project", "depends_on__project")
        .order_by("depends_on__forecast_date", "id")
    )


def rows_with_links(milestones: Sequence[Milestone], today: dt.date) -> list[MilestoneRow]:
    return milestone_rows(milestones, today, links_of(milestones))


def project_links(project: Project) -> list[Link]:
    """Every dependency either side of which is one of the project's milestones."""
    return _links(
        MilestoneDependency.objects.filter(Q(milestone__project=project) | Q(depends_on__project=project))
        .select_related("milestone__project", "depends_on__project")
        .order_by("milestone__forecast_date", "milestone_id", "depends_on__forecast_date")
    )


def rebaselines(project: Project) -> list[MilestoneRebaseline]:
    return list(
        MilestoneRebaseline.objects.filter(milestone__project=project)
        .select_related("milestone", "changed_by")
        .order_by("-changed_at", "-id")
    )


def timeline(
    council: Council, start: dt.date, end: dt.date, programme_id: int | None = None
) -> list[Milestone]:
    qs = Milestone.objects.filter(
        council=council, forecast_date__gte=start, forecast_date__lte=end
    ).select_related("project")
    if programme_id:
        qs = qs.filter(project__programme_id=programme_id)
    return list(qs.order_by("forecast_date", "project__code")[:200])


def milestone_choices(council: Council) -> list[tuple[str, list[tuple[int, str]]]]:
    """The council's milestones grouped by project, for choosing the one a milestone must follow."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for pk, code, name, milestone in (
        Milestone.objects.filter(council=council)
        .order_by("project__code", "forecast_date", "id")
        .values_list("pk", "project__code", "project__name", "name")
    ):
        grouped.setdefault(f"{code} {name}", []).append((pk, milestone))
    return list(grouped.items())
