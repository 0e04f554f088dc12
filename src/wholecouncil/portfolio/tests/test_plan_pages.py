"""The plan pages: milestone dependencies added, refused when they loop, shown and flagged on the plan and the
timeline; baselines moved only by the board's re-baselining; documents uploaded with a gate submission and
downloaded only through the council's own pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import (
    GateCriterion,
    Milestone,
    MilestoneDependency,
    Project,
    SubmissionArtefact,
)
from wholecouncil.portfolio.tests.helpers import assess, milestone, project, submit

pytestmark = pytest.mark.django_db
SOON = dt.date.today() + dt.timedelta(days=20)


@pytest.fixture
def people(council: Council, make_member: Callable[..., Membership]) -> dict[str, Client]:
    clients = {}
    for key, role in (
        ("pm", Role.PROJECT_MANAGER),
        ("lead", Role.PROGRAMME_LEAD),
        ("councillor", Role.COUNCILLOR),
    ):
        c = Client()
        c.force_login(make_member(council, role).user)
        clients[key] = c
    return clients


def url(council: Council, name: str, *args: object) -> str:
    return reverse(f"portfolio:{name}", args=[council.slug, *args])


def test_milestone_dependencies_through_the_plan_page(council: Council, people: dict[str, Client]) -> None:
    pm_user = Membership.objects.get(council=council, role=Role.PROJECT_MANAGER).user
    a, b = project(council, "A", manager=pm_user), project(council, "B")
    design = milestone(a, "Design", SOON)
    live = milestone(a, "Live", SOON + dt.timedelta(days=30))
    supplier = milestone(b, "Supplier ready", SOON + dt.timedelta(days=60))
    pm = people["pm"]
    form = pm.get(url(council, "milestone_dependency_add", a.pk)).content.decode()
    assert '<optgroup label="B Project B">' in form and "Supplier ready" in form
    same = pm.post(
        url(council, "milestone_dependency_add", a.pk), {"milestone": live.pk, "depends_on": live.pk}
    )
    assert "A milestone cannot depend on itself" in same.content.decode()
    for mine, other in ((live, design), (live, supplier)):
        response = pm.post(
            url(council, "milestone_dependency_add", a.pk), {"milestone": mine.pk, "depends_on": other.pk}
        )
        assert response.status_code == 302
    services.milestone_dependency_add(milestone=supplier, depends_on=design, actor=None)
    loop = pm.post(
        url(council, "milestone_dependency_add", a.pk), {"milestone": design.pk, "depends_on": live.pk}
    )
    assert loop.status_code == 200
    assert "This dependency would make a loop: A: Design → A: Live → A: Design." in loop.content.decode()
    plan = pm.get(url(council, "plan", a.pk)).content.decode()
    assert "1 milestone is forecast before a milestone it depends on." in plan
    assert "B: Supplier ready" in plan and "Forecast before it" in plan and "In order" in plan
    timeline = people["councillor"].get(url(council, "timeline")).content.decode()
    assert "1 milestone is forecast before a milestone it depends on" in timeline
    assert "B: Supplier ready (" in timeline
    overview = people["councillor"].get(url(council, "overview")).content.decode()
    assert "1 milestone is forecast before a milestone it depends on" in overview
    link = MilestoneDependency.objects.get(milestone=live, depends_on=supplier)
    assert people["councillor"].post(url(council, "milestone_dependency_remove", link.pk)).status_code == 403
    assert pm.post(url(council, "milestone_dependency_remove", link.pk)).status_code == 302
    assert not MilestoneDependency.objects.filter(pk=link.pk).exists()
    assert "forecast before a milestone" not in pm.get(url(council, "plan", a.pk)).content.decode()


def test_only_the_board_moves_a_baseline_and_the_plan_keeps_the_history(
    council: Council, people: dict[str, Client]
) -> None:
    pm_user = Membership.objects.get(council=council, role=Role.PROJECT_MANAGER).user
    p = project(council, "A", manager=pm_user)
    m = milestone(p, "Go live", SOON, SOON + dt.timedelta(days=40))
    pm, lead = people["pm"], people["lead"]
    edit = pm.get(url(council, "milestone_edit", p.pk, m.pk)).content.decode()
    assert 'name="baseline_date"' not in edit and "changes only when the board" in edit
    later = (SOON + dt.timedelta(days=40)).isoformat()
    pm.post(
        url(council, "milestone_edit", p.pk, m.pk),
        {"name": "Go live", "forecast_date": later, "baseline_date": later},
    )
    assert Milestone.objects.get(pk=m.pk).baseline_date == SOON, "a baseline posted with an edit is ignored"
    assert pm.get(url(council, "milestone_rebaseline", p.pk, m.pk)).status_code == 403
    assert "Re-baseline<" not in pm.get(url(council, "plan", p.pk)).content.decode()
    no_reason = lead.post(url(council, "milestone_rebaseline", p.pk, m.pk), {"baseline_date": later})
    assert "Give the reason for re-baselining" in no_reason.content.decode()
    done = lead.post(
        url(council, "milestone_rebaseline", p.pk, m.pk), {"baseline_date": later, "reason": "Scope agreed"}
    )
    assert done.status_code == 302 and Milestone.objects.get(pk=m.pk).baseline_date.isoformat() == later
    plan = people["councillor"].get(url(council, "plan", p.pk)).content.decode()
    assert "Scope agreed" in plan and f"{SOON:%-d %b %Y}" in plan


def test_a_gate_document_is_uploaded_and_downloaded_only_through_the_council(
    council: Council,
    people: dict[str, Client],
    make_council: Callable[..., Council],
    make_member: Callable[..., Membership],
) -> None:
    pm_user = Membership.objects.get(council=council, role=Role.PROJECT_MANAGER).user
    p = project(council, "DOC", manager=pm_user)
    assess(p)
    submit(p)
    services.gate_decide(project=p, decision="approve", reasons="Fine", actor=None)
    criteria = list(GateCriterion.objects.filter(council=council, stage__number=2))
    document = next(c for c in criteria if c.is_artefact)
    form: dict[str, object] = {"summary": "Ready for gate 2"}
    for c in criteria:
        if not c.is_artefact:
            form[f"met-{c.pk}"] = "yes"
    pm = people["pm"]
    page = pm.get(url(council, "gate_submit", p.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in page and f'name="file-{document.pk}"' in page
    missing = pm.post(url(council, "gate_submit", p.pk), form)
    assert "Missing: Outline business case." in missing.content.decode()
    assert Project.objects.get(pk=p.pk).status == "in_stage"
    form[f"file-{document.pk}"] = SimpleUploadedFile("obc.pdf", b"%PDF-1.4 outline case", "application/pdf")
    assert pm.post(url(council, "gate_submit", p.pk), form).status_code == 302
    stored = SubmissionArtefact.objects.get(criterion_id=document.pk)
    detail = people["councillor"].get(url(council, "project", p.pk)).content.decode()
    assert url(council, "artefact", stored.pk) in detail and "obc.pdf" in detail
    decide = people["lead"].get(url(council, "gate_decide", p.pk)).content.decode()
    assert url(council, "artefact", stored.pk) in decide
    download = people["councillor"].get(url(council, "artefact", stored.pk))
    assert download.content == b"%PDF-1.4 outline case"
    assert (
        download["Content-Type"] == "application/pdf"
        and 'attachment; filename="obc.pdf"' in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    other = make_council()
    stranger = Client()
    stranger.force_login(make_member(other, Role.ADMIN).user)
    assert stranger.get(reverse("portfolio:artefact", args=[other.slug, stored.pk])).status_code == 404
    assert stranger.get(url(council, "artefact", stored.pk)).status_code == 404
