"""No portfolio page makes more queries as the rows grow. Each page is requested in a council with one project
that has one of everything, and in a council with many projects that each have several of everything (risks,
milestones with dependencies, allocations, reports, decisions, conditions, documents, RAID entries, review
items, import rows); the two counts must be equal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import (
    Condition,
    GateSubmission,
    HighlightReport,
    Project,
    ProjectImport,
    ReprioritisationReview,
)
from wholecouncil.portfolio.tests.helpers import allocate, assess, milestone, project, report, risk, submit

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@dataclass
class Built:
    council: Council
    client: Client
    first: Project
    pending: Project
    project_report: HighlightReport
    programme_report: HighlightReport
    review: ReprioritisationReview
    imp: ProjectImport
    condition: Condition

    def count(self, name: str, *args: object) -> int:
        url = reverse(f"portfolio:{name}", args=[self.council.slug, *args])
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)


def _rows(p: Project, k: int, lead: Any) -> None:
    """`k` of every record a project's pages show."""
    for i in range(k):
        risk(p, f"Risk {i}", score=(1 + i % 5, 4))
        risk(p, f"Closed risk {i}", status="closed")
        allocate(p, "0.5", f"Role {i}")
        for kind, data in (
            ("assumption", {"text": f"Assumption {i}", "raised_on": TODAY}),
            ("issue", {"title": f"Issue {i}", "raised_on": TODAY}),
            ("decision", {"title": f"Decision {i}", "raised_on": TODAY}),
        ):
            services.raid_save(kind=kind, project=p, data=data, actor=None)
    made = [
        milestone(p, f"M{i}", TODAY + dt.timedelta(days=10 * i), TODAY + dt.timedelta(days=12 * i))
        for i in range(k + 1)
    ]
    for later, earlier in zip(made[1:], made, strict=False):
        services.milestone_dependency_add(milestone=later, depends_on=earlier, actor=None)
    services.milestone_rebaseline(
        milestone=made[-1], baseline_date=TODAY + dt.timedelta(days=99), reason="Agreed", actor=lead
    )
    for back in range(k):
        report(p, TODAY - dt.timedelta(days=31 * back), ["green", "amber", "red"][back % 3])


def build(council: Council, n: int, k: int, make_member: Callable[..., Membership]) -> Built:
    admin = make_member(council, Role.ADMIN)
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    cx = services.programme_save(
        council=council,
        data={"code": "cx", "name": "CX", "lead": lead, "capacity_fte": Decimal(9)},
        actor=None,
    )
    fin = services.workstream_save(
        council=council, data={"code": "fin", "name": "Finance", "lead": lead}, actor=None
    )
    made: list[Project] = []
    for i in range(n):
        group = {"programme": cx} if i % 2 == 0 else {"workstream": fin}
        p = project(council, f"P-{i:02}", **group)
        _rows(p, k, lead)
        assess(p)
        submit(p)
        services.gate_decide(
            project=p,
            decision="approve_with_conditions",
            reasons="Go",
            conditions=[services.NewCondition(f"Condition {j}", due_date=TODAY) for j in range(k)],
            actor=lead,
        )
        if made:
            services.dependency_add(project=p, depends_on=made[-1], note="", actor=None)
        made.append(p)
    pending = project(council, "WAITING", programme=cx)
    _rows(pending, k, lead)
    assess(pending)
    submit(pending)
    for back in range(k):
        programme_report = services.report_save(
            council=council,
            programme=cx,
            month=TODAY - dt.timedelta(days=31 * back),
            data={"rag": "amber", "narrative": "Programme", "benefit_status": "on_track"},
            actor=None,
        )
        services.report_submit(report=programme_report, actor=None)
    review = services.review_create(
        council=council, name="Review", held_on=TODAY, projects=made, notes="", actor=None
    )
    rows = "".join(f"X-{i},Project {i},Nowhere\n" for i in range(k * 3))
    imp = services.register_upload(
        council=council, file_name="r.csv", content=f"Ref,Name,Programme\n{rows}".encode(), actor=None
    )
    services.register_check(imp=imp, mapping={"code": "Ref", "name": "Name", "programme": "Programme"})
    for day in range(k):
        services.meeting_create(
            council=council,
            kind="board",
            held_on=TODAY + dt.timedelta(days=day),
            title=f"Board {day}",
            actor=None,
        )
    client = Client()
    client.force_login(admin.user)
    return Built(
        council=council,
        client=client,
        first=made[0],
        pending=pending,
        project_report=HighlightReport.objects.filter(project=made[0]).first(),
        programme_report=HighlightReport.objects.filter(programme=cx).first(),
        review=review,
        imp=imp,
        condition=Condition.objects.filter(project=made[0]).first(),
    )


@pytest.fixture
def worlds(
    council: Council, make_council: Callable[..., Council], make_member: Callable[..., Membership]
) -> tuple[Built, Built]:
    return build(council, 1, 1, make_member), build(make_council(), 4, 2, make_member)


LISTS = [
    "overview",
    "projects",
    "programmes",
    "risks",
    "timeline",
    "reviews",
    "stages",
    "import_upload",
    "export_xlsx",
    "calendar",
]


@pytest.mark.parametrize("name", LISTS)
def test_lists_dashboard_and_files_make_the_same_queries_for_one_row_or_many(
    worlds: tuple[Built, Built], name: str
) -> None:
    one, many = worlds
    assert Project.objects.filter(council=many.council).count() == 5
    assert one.count(name) == many.count(name)


PAGES: list[tuple[str, Callable[[Built], tuple[object, ...]]]] = [
    ("project", lambda b: (b.first.pk,)),
    ("raid", lambda b: (b.first.pk,)),
    ("plan", lambda b: (b.first.pk,)),
    ("programme", lambda b: (b.first.programme_id,)),
    ("workstream", lambda b: (b.council.workstreams.get().pk,)),
    ("report", lambda b: (b.project_report.pk,)),
    ("report", lambda b: (b.programme_report.pk,)),
    ("review", lambda b: (b.review.pk,)),
    ("gate_decide", lambda b: (b.pending.pk,)),
    ("gate_submit", lambda b: (b.first.pk,)),
    ("milestone_dependency_add", lambda b: (b.first.pk,)),
    ("condition_close", lambda b: (b.condition.pk,)),
    ("import_map", lambda b: (b.imp.pk,)),
    ("import_check", lambda b: (b.imp.pk,)),
]


@pytest.mark.parametrize(("name", "args"), PAGES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PAGES)])
def test_a_page_about_one_thing_makes_the_same_queries_however_much_it_holds(
    worlds: tuple[Built, Built], name: str, args: Callable[[Built], tuple[object, ...]]
) -> None:
    one, many = worlds
    assert GateSubmission.objects.filter(project=many.pending, status="pending").exists()
    assert one.count(name, *args(one)) == many.count(name, *args(many))
