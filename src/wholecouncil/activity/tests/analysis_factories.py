"""Establishments and surveys with answers, for the tests of the results pages and the export."""

from __future__ import annotations

from decimal import Decimal

from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services import processes
from wholecouncil.council.models import Council
from wholecouncil.workforce import services as workforce_services
from wholecouncil.workforce.engine import PostRow


def establishment(council: Council, teams: dict[tuple[str, ...], tuple[int, str]]) -> None:
    """`teams` maps an org path to (posts, annual cost of each); every post is 1 FTE."""
    rows = []
    n = 0
    for path, (count, cost) in teams.items():
        for _ in range(count):
            n += 1
            rows.append(
                PostRow(
                    post_ref=f"P{n:03}",
                    org_path=path,
                    job_title="Officer",
                    fte=Decimal("1"),
                    annual_cost=Decimal(cost),
                    manager_ref="" if n == 1 else "P001",
                )
            )
    workforce_services.establishment_replace(council=council, rows=rows, actor=None)


def survey_with_answers(
    council: Council, answered: dict[str, dict[str, str]], *, status: str = Survey.Status.CLOSED
) -> Survey:
    """A survey (closed unless said) where everyone in each named team answers the given hours."""
    survey = Survey.objects.create(
        council=council, title="Test survey", status=status, processes=processes.process_snapshot(council)
    )
    for post in council.posts.select_related("org_unit"):
        hours = answered.get(post.org_unit.name)
        Respondent.objects.create(
            survey=survey,
            ref=post.post_ref,
            post=post,
            org_unit=post.org_unit,
            contracted_hours=Decimal("37"),
            status=Respondent.Status.SUBMITTED if hours else Respondent.Status.NOT_STARTED,
            answers=hours or {},
        )
    return survey
