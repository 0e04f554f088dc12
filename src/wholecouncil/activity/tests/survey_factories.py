"""Building establishments and surveys for the survey tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services import survey as services
from wholecouncil.council.models import Council
from wholecouncil.workforce.engine import PostRow
from wholecouncil.workforce.services import establishment_replace


def staff(council: Council, n: int = 12, *, vacant_every: int = 4) -> None:
    """`n` posts in two directorates, each with a service and two teams; every `vacant_every`th vacant."""
    rows = []
    for i in range(n):
        d, t = i % 2, (i // 2) % 2
        rows.append(
            PostRow(
                post_ref=f"P{i:04d}",
                org_path=(f"Directorate {d}", f"Service {d}", f"Team {d}.{t}"),
                job_title=f"Officer {i}",
                fte=Decimal("0.5") if i % 3 == 2 else Decimal("1"),
                annual_cost=Decimal("30000"),
                vacant=bool(vacant_every) and i % vacant_every == 0,
            )
        )
    establishment_replace(council=council, rows=rows, actor=None)


def open_survey(council: Council, *, posts: int = 12, **settings: Any) -> Survey:
    staff(council, posts)
    survey = services.survey_create(council=council, title="Where our time goes", actor=None, **settings)
    services.survey_open(survey=survey, actor=None)
    survey.refresh_from_db()
    return survey


def respondent(survey: Survey, *, contracted: str = "37.00") -> Respondent:
    return (
        Respondent.objects.select_related("survey", "survey__council", "org_unit")
        .filter(survey=survey, contracted_hours=Decimal(contracted))
        .order_by("ref")
        .first()
    )


def full_week(hours: str = "37") -> dict[str, str]:
    """Answers for the default process list adding up to `hours`: three quarters enquiries, the rest HR."""
    total = Decimal(hours)
    first = (total * Decimal("0.75")).quantize(Decimal("0.01"))
    return {"enquiries": str(first), "hr": str(total - first)}
