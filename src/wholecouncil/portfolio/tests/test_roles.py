"""Who may change what, tried with real POSTs: councillors change nothing on any portfolio page; project
managers change only their own projects; nobody decides a gate they submitted or approves a report outside
the programmes they lead; partner councils read the projects that serve them and change nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from tests.urlwalk import Route, all_routes

from wholecouncil.accounts.roles import Perm, Role
from wholecouncil.council import services as council_services
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import (
    Condition,
    GateCriterion,
    HighlightReport,
    Project,
)
from wholecouncil.portfolio.tests.helpers import allocate, assess, milestone, project, report, risk, submit

pytestmark = pytest.mark.django_db

EDIT_ROUTES = [
    r for r in all_routes() if r.name.startswith("portfolio:") and r.permission not in {Perm.VIEW, None}
]
# Whatever a form could want: if a check were missing, these would change rows.
ANYTHING = {
    "name": "Changed",
    "code": "CHANGED",
    "title": "Changed",
    "text": "Changed",
    "summary": "Changed",
    "narrative": "Changed",
    "reason": "Changed",
    "reasons": "Changed",
    "note": "Changed",
    "decision": "approve",
    "action": "stop",
    "outcome": "met",
    "direction": "up",
    "gate": "2",
    "position": "1",
    "rag": "red",
    "benefit_status": "on_track",
    "month": "2026-01",
    "fte": "1",
    "role": "Analyst",
    "likelihood": "3",
    "impact": "3",
    "residual_likelihood": "1",
    "residual_impact": "1",
    "raised_on": "2026-01-01",
    "baseline_date": "2026-02-01",
    "forecast_date": "2026-03-01",
    "held_on": "2026-01-01",
    "kind": "board",
}


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every portfolio table, and the audit log."""
    models = [*apps.get_app_config("portfolio").get_models(), AuditEvent]
    return {
        m._meta.label: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in m._default_manager.order_by("pk").values_list()
        ]
        for m in models
    }


@dataclass
class World:
    council: Council
    project: Project
    values: dict[str, dict[str, object]]

    def path(self, route: Route, slug: str | None = None) -> str:
        short = route.name.split(":", 1)[1]
        found = self.values.get(short, {})
        if "<int:pk>" in route.route and "pk" not in found and "/projects/<int:pk>/" in route.route:
            found = {**found, "pk": self.project.pk}
        return route.path(slug or self.council.slug, **found)


@pytest.fixture
def world(council: Council, make_member: Callable[..., Membership]) -> World:
    """One of everything, in the council and on a project the `pm` manages."""
    pm = make_member(council, Role.PROJECT_MANAGER, username="pat-pm").user
    lead = make_member(council, Role.PROGRAMME_LEAD, username="lee-lead").user
    cx = services.programme_save(council=council, data={"code": "cx", "name": "CX", "lead": lead}, actor=None)
    ws = services.workstream_save(council=council, data={"code": "fin", "name": "Finance"}, actor=None)
    p, other = project(council, "P-1", manager=pm, programme=cx), project(council, "P-2")
    r = risk(p)
    first, second = milestone(p, "Design", dt.date(2026, 3, 1)), milestone(p, "Live", dt.date(2026, 6, 1))
    link = services.milestone_dependency_add(milestone=second, depends_on=first, actor=None)
    alloc = allocate(p)
    dep = services.dependency_add(project=p, depends_on=other, note="", actor=None)
    assess(other)
    submit(other)
    services.gate_decide(
        project=other,
        decision="approve_with_conditions",
        reasons="Go",
        conditions=[services.NewCondition("Close it")],
        actor=lead,
    )
    submitted = report(p, dt.date(2026, 1, 1), actor=pm)
    draft = report(p, dt.date(2026, 2, 1), actor=pm, submitted=False)
    review = services.review_create(
        council=council, name="Review", held_on=dt.date(2026, 1, 1), projects=[p], notes="", actor=None
    )
    imp = services.register_upload(council=council, file_name="r.csv", content=b"Ref,Name\nA,B\n", actor=None)
    values: dict[str, dict[str, object]] = {
        "raid_edit": {"kind": "risk", "entry_pk": r.pk},
        "raid_add": {"kind": "risk"},
        "milestone_edit": {"milestone_pk": first.pk},
        "milestone_rebaseline": {"milestone_pk": first.pk},
        "milestone_dependency_remove": {"pk": link.pk},
        "allocation_remove": {"pk": alloc.pk},
        "dependency_remove": {"pk": dep.pk},
        "condition_close": {"pk": Condition.objects.get(project=other).pk},
        "report_edit": {"pk": draft.pk},
        "report_submit": {"pk": draft.pk},
        "report_approve": {"pk": submitted.pk},
        "programme_edit": {"pk": cx.pk},
        "programme_report_add": {"pk": cx.pk},
        "workstream_edit": {"pk": ws.pk},
        "review_item": {"pk": review.items.get().pk},
        "review_conclude": {"pk": review.pk},
        "import_map": {"pk": imp.pk},
        "import_check": {"pk": imp.pk},
        "import_confirm": {"pk": imp.pk},
        "stage_edit": {"number": 2},
        "stage_move": {"number": 2},
        "stage_remove": {"number": 5},
        "criterion_add": {"number": 2},
        "criterion_remove": {"pk": GateCriterion.objects.filter(council=council).first().pk},
        "gate_decide": {"pk": other.pk},
        "project_state": {"pk": other.pk},
    }
    return World(council, p, values)


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_routes_under_test_cover_every_kind_of_change() -> None:
    names = {r.name for r in EDIT_ROUTES}
    assert len(names) >= 40
    assert {"portfolio:gate_decide", "portfolio:report_approve", "portfolio:stage_add"} <= names


def test_a_councillor_can_post_to_no_portfolio_page(
    world: World, make_member: Callable[..., Membership]
) -> None:
    councillor = login(make_member(world.council, Role.COUNCILLOR).user)
    before = fingerprint()
    for route in EDIT_ROUTES:
        path = world.path(route)
        assert "987654" not in path, f"{route.name} needs a real object in the world fixture"
        assert councillor.post(path, ANYTHING).status_code == 403, path
        assert councillor.get(path).status_code in {403, 405}, path
    assert fingerprint() == before


PROJECT_EDITS = [r for r in EDIT_ROUTES if r.permission == Perm.EDIT_OWN_PROJECTS]


def test_a_project_manager_changes_nothing_on_another_managers_project(
    world: World, make_member: Callable[..., Membership]
) -> None:
    other_pm = login(make_member(world.council, Role.PROJECT_MANAGER, username="other-pm").user)
    assert len(PROJECT_EDITS) >= 15
    before = fingerprint()
    for route in PROJECT_EDITS + [r for r in EDIT_ROUTES if r.permission != Perm.EDIT_OWN_PROJECTS]:
        path = world.path(route)
        assert other_pm.post(path, ANYTHING).status_code == 403, path
    assert fingerprint() == before


def test_a_programme_lead_cannot_decide_a_gate_they_submitted(world: World) -> None:
    lead = login(Membership.objects.get(user__username="lee-lead").user)
    slug, p = world.council.slug, Project.objects.get(code="P-2")
    assess(p)
    form = {"summary": "Ready for gate 2"}
    for c in GateCriterion.objects.filter(council=world.council, stage__number=2):
        form[f"met-{c.pk}"] = "yes"
        form[f"link-{c.pk}"] = "https://documents.example.gov.uk/obc"
    Condition.objects.filter(project=p).update(status="met")
    assert lead.post(reverse("portfolio:gate_submit", args=[slug, p.pk]), form).status_code == 302
    board = lead.get(reverse("portfolio:board", args=[slug])).content.decode()
    assert reverse("portfolio:gate_decide", args=[slug, p.pk]) not in board
    assert "Another board member decides: you submitted it or manage the project" in board
    refused = lead.post(
        reverse("portfolio:gate_decide", args=[slug, p.pk]), {"decision": "approve", "reasons": "Looks good"}
    )
    assert refused.status_code == 200
    assert "You submitted this gate, so another member of the board must record the decision." in (
        refused.content.decode()
    )
    p.refresh_from_db()
    assert (p.stage, p.status) == (2, "at_gate")


def test_a_programme_lead_cannot_approve_another_programmes_report(
    world: World, make_member: Callable[..., Membership]
) -> None:
    other_lead = login(make_member(world.council, Role.PROGRAMME_LEAD, username="lou-lead").user)
    own_lead = login(Membership.objects.get(user__username="lee-lead").user)
    submitted = HighlightReport.objects.get(project=world.project, status="submitted")
    url = reverse("portfolio:report_approve", args=[world.council.slug, submitted.pk])
    page = other_lead.get(
        reverse("portfolio:report", args=[world.council.slug, submitted.pk])
    ).content.decode()
    assert "Approve the report" not in page and "Only the lead of CX" in page
    board = other_lead.get(reverse("portfolio:board", args=[world.council.slug])).content.decode()
    assert "Only the lead of CX" in board and "You can approve" not in board
    assert (
        "You can approve"
        in own_lead.get(reverse("portfolio:board", args=[world.council.slug])).content.decode()
    )
    assert other_lead.post(url).status_code == 403
    assert HighlightReport.objects.get(pk=submitted.pk).status == "submitted"
    assert own_lead.post(url).status_code == 302
    assert HighlightReport.objects.get(pk=submitted.pk).status == "approved"


def test_a_partner_council_reads_the_projects_that_serve_it_and_changes_nothing(
    world: World, make_council: Callable[..., Council], make_member: Callable[..., Membership]
) -> None:
    partner = make_council(slug="westshire", name="Westshire District Council")
    council_services.partnership_create(name="Shared", councils=[world.council, partner], actor=None)
    services.project_update(project=world.project, data={}, councils=[world.council, partner], actor=None)
    reader = login(make_member(partner, Role.ADMIN).user)
    p, slug = world.project, partner.slug
    listing = reader.get(reverse("portfolio:projects", args=[slug])).content.decode()
    assert "Run by partner councils for Westshire District Council" in listing and "P-1" in listing
    page = reader.get(reverse("portfolio:project", args=[slug, p.pk])).content.decode()
    assert "Run by Testshire Council" in page
    for text in ("Change the details", "Submit for gate", "Write this month", "Add a dependency"):
        assert text not in page, text
    for name in ("raid", "plan"):
        html = reader.get(reverse(f"portfolio:{name}", args=[slug, p.pk])).content.decode()
        assert "Add a" not in html and "Change<" not in html, name
    report_pk = HighlightReport.objects.filter(project=p).first().pk
    assert reader.get(reverse("portfolio:report", args=[slug, report_pk])).status_code == 200
    not_served = Project.objects.get(code="P-2")
    assert reader.get(reverse("portfolio:project", args=[slug, not_served.pk])).status_code == 404
    before = fingerprint()
    for route in PROJECT_EDITS:
        assert reader.post(world.path(route, slug), ANYTHING).status_code in {403, 404}, route.name
    assert fingerprint() == before


def test_nothing_here_links_a_partner_to_a_page_it_cannot_open(
    world: World, make_council: Callable[..., Council], make_member: Callable[..., Membership]
) -> None:
    partner = make_council(slug="westshire", name="Westshire District Council")
    council_services.partnership_create(name="Shared", councils=[world.council, partner], actor=None)
    services.project_update(project=world.project, data={}, councils=[world.council, partner], actor=None)
    reader = login(make_member(partner, Role.ADMIN).user)
    for name in ("project", "raid", "plan"):
        html = reader.get(
            reverse(f"portfolio:{name}", args=[partner.slug, world.project.pk])
        ).content.decode()
        for href in set(re.findall(r'href="(/c/westshire/portfolio/[^"]+)"', html)):
            assert reader.get(href).status_code == 200, f"{name} links to {href}"
