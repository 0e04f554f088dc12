"""The portfolio pages: who may see what, the gate journey through the pages, reports, and the figures the
pages and files show."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council, DesignPrinciple, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import Condition, HighlightReport, Project
from wholecouncil.portfolio.tests.helpers import allocate, assess, milestone, programme, project, risk, submit

pytestmark = pytest.mark.django_db


def login(membership: Membership) -> Client:
    c = Client()
    c.force_login(membership.user)
    return c


def build(council: Council, n: int, manager: Any = None, lead: Any = None) -> list[Project]:
    """`n` projects with risks, milestones, resources, reports and a pending gate, across two programmes."""
    progs = [programme(council, "cx", "Customer experience"), programme(council, "bs", "Business support")]
    services.workstream_save(council=council, data={"code": "fin", "name": "Finance"}, actor=None)
    made = []
    for i in range(n):
        p = project(council, f"P-{i:03}", manager=manager, programme=progs[i % 2])
        services.raid_save(
            kind="risk",
            project=p,
            data={
                "title": f"Risk {i}",
                "likelihood": 1 + i % 5,
                "impact": 3,
                "residual_likelihood": 1,
                "residual_impact": 2,
                "raised_on": dt.date(2025, 5, 1),
            },
            actor=None,
        )
        services.milestone_save(
            project=p,
            data={
                "name": f"Go live {i}",
                "baseline_date": dt.date.today(),
                "forecast_date": dt.date.today() + dt.timedelta(days=i),
            },
            actor=None,
        )
        services.allocation_save(project=p, data={"role": "Analyst", "fte": Decimal("0.5")}, actor=None)
        report = services.report_save(
            council=council,
            project=p,
            month=dt.date.today(),
            data={
                "rag": ["green", "amber", "red"][i % 3],
                "narrative": "Going",
                "benefit_status": "on_track",
            },
            actor=None,
        )
        services.report_submit(report=report, actor=None)
        assess(p)
        if i % 2:
            submit(p)
        made.append(p)
    return made


@pytest.fixture
def people(council: Council, make_member: Callable[..., Membership]) -> dict[str, Membership]:
    return {
        "admin": make_member(council, Role.ADMIN),
        "lead": make_member(council, Role.PROGRAMME_LEAD),
        "pm": make_member(council, Role.PROJECT_MANAGER),
        "other_pm": make_member(council, Role.PROJECT_MANAGER, username="other-pm"),
        "councillor": make_member(council, Role.COUNCILLOR),
    }


def read_urls(council: Council, p: Project) -> list[str]:
    slug = council.slug
    prog = p.programme
    report = HighlightReport.objects.filter(project=p).first()
    return [
        reverse("portfolio:overview", args=[slug]),
        reverse("portfolio:projects", args=[slug]),
        reverse("portfolio:projects", args=[slug]) + "?stage=1&status=in_stage&rag=red&mine=1&programme=none",
        reverse("portfolio:project", args=[slug, p.pk]),
        reverse("portfolio:raid", args=[slug, p.pk]),
        reverse("portfolio:plan", args=[slug, p.pk]),
        reverse("portfolio:programmes", args=[slug]),
        reverse("portfolio:programme", args=[slug, prog.pk]),
        reverse("portfolio:board", args=[slug]),
        reverse("portfolio:risks", args=[slug]),
        reverse("portfolio:timeline", args=[slug]),
        reverse("portfolio:reviews", args=[slug]),
        reverse("portfolio:stages", args=[slug]),
        reverse("portfolio:report", args=[slug, report.pk]),
        reverse("portfolio:workstream", args=[slug, p.council.workstreams.get().pk]),
    ]


@pytest.mark.parametrize("role", ["admin", "councillor", "pm"])
def test_every_read_page_renders_for_every_role(
    council: Council, people: dict[str, Membership], role: str
) -> None:
    made = build(council, 4, manager=people["pm"].user)
    client = login(people[role])
    for url in read_urls(council, made[1]):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("portfolio:project", args=[council.slug, made[0].pk])).content.decode()
    assert ("Change the details" in page) == (role in {"admin", "pm"})
    assert (
        "Record the board"
        in client.get(reverse("portfolio:project", args=[council.slug, made[1].pk])).content.decode()
    ) == (role == "admin")


def test_the_councillor_sees_no_edit_links(council: Council, people: dict[str, Membership]) -> None:
    made = build(council, 2, manager=people["pm"].user)
    client = login(people["councillor"])
    for url in read_urls(council, made[1]):
        html = client.get(url).content.decode()
        for text in (
            "Add a project",
            "Change the details",
            "Submit for gate",
            "Record the board",
            "Add a risk",
            "Close<",
        ):
            assert text not in html, f"{text!r} on {url}"


def test_a_project_manager_edits_only_their_own_projects(
    council: Council, people: dict[str, Membership]
) -> None:
    mine = project(council, "MINE", manager=people["pm"].user)
    theirs = project(council, "THEIRS", manager=people["other_pm"].user)
    client = login(people["pm"])
    slug = council.slug
    assert client.get(reverse("portfolio:project_edit", args=[slug, mine.pk])).status_code == 200
    for name in (
        "project_edit",
        "gate_submit",
        "assessment",
        "milestone_add",
        "report_add",
        "dependency_add",
    ):
        assert client.get(reverse(f"portfolio:{name}", args=[slug, theirs.pk])).status_code == 403, name
    response = client.post(reverse("portfolio:raid_add", args=[slug, theirs.pk, "risk"]), {"title": "x"})
    assert response.status_code == 403
    assert client.get(reverse("portfolio:project_add", args=[slug])).status_code == 403
    page = client.get(reverse("portfolio:project", args=[slug, theirs.pk])).content.decode()
    assert "Change the details" not in page


def test_another_councils_project_is_not_found(
    council: Council, people: dict[str, Membership], make_council: Callable[..., Council]
) -> None:
    other = make_council()
    theirs = project(other, "THEIRS")
    client = login(people["admin"])
    for name in ("project", "project_edit", "raid", "plan", "gate_decide"):
        assert client.get(reverse(f"portfolio:{name}", args=[council.slug, theirs.pk])).status_code == 404


def test_gate_journey_through_the_pages(council: Council, people: dict[str, Membership]) -> None:
    slug = council.slug
    pm, lead = login(people["pm"]), login(people["lead"])
    p = project(council, "GJ-1", manager=people["pm"].user)
    url = reverse("portfolio:gate_submit", args=[slug, p.pk])
    page = pm.get(url).content.decode()
    assert "cannot pass gate 1 without a design-principles assessment" in page
    principles = list(DesignPrinciple.objects.filter(council=council))
    bad = pm.post(
        reverse("portfolio:assessment", args=[slug, p.pk]), {f"rating-{principles[0].pk}": "supports"}
    )
    assert bad.status_code == 200 and "Give the reason" in bad.content.decode()
    data = {}
    for i, pr in enumerate(principles):
        data[f"rating-{pr.pk}"] = "conflicts" if i == 0 else "supports"
        data[f"reason-{pr.pk}"] = "Because"
    assert pm.post(reverse("portfolio:assessment", args=[slug, p.pk]), data).status_code == 302
    from wholecouncil.portfolio.models import GateCriterion

    form = {"summary": "Ready"}
    for c in GateCriterion.objects.filter(council=council, stage__number=1):
        form[f"met-{c.pk}"] = "yes"
    assert pm.post(url, form).status_code == 302
    decide = reverse("portfolio:gate_decide", args=[slug, p.pk])
    assert pm.get(decide).status_code == 403
    refused = lead.post(decide, {"decision": "approve", "reasons": "Good"})
    assert refused.status_code == 200 and "conflicts with" in refused.content.decode()
    done = lead.post(
        decide,
        {
            "decision": "approve_with_conditions",
            "reasons": "Good",
            "condition-1": "Resolve the conflict",
            "condition-1-due": "2026-01-31",
        },
    )
    assert done.status_code == 302
    p.refresh_from_db()
    assert (p.stage, p.status) == (2, "in_stage")
    condition = Condition.objects.get(project=p)
    assert condition.due_date == dt.date(2026, 1, 31)
    assert pm.get(reverse("portfolio:condition_close", args=[slug, condition.pk])).status_code == 403
    assert (
        lead.post(
            reverse("portfolio:condition_close", args=[slug, condition.pk]),
            {"outcome": "met", "note": "Redesigned"},
        ).status_code
        == 302
    )
    condition.refresh_from_db()
    assert condition.status == "met"


def test_report_submit_locks_and_approve(council: Council, people: dict[str, Membership]) -> None:
    slug = council.slug
    pm, lead = login(people["pm"]), login(people["lead"])
    cx = services.programme_save(
        council=council, data={"code": "cx", "name": "CX", "lead": people["lead"].user}, actor=None
    )
    p = project(council, "R-1", manager=people["pm"].user, programme=cx)
    response = pm.post(
        reverse("portfolio:report_add", args=[slug, p.pk]),
        {"month": "2025-06", "rag": "amber", "narrative": "Fine", "benefit_status": "on_track"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = HighlightReport.objects.get(project=p)
    assert pm.post(reverse("portfolio:report_submit", args=[slug, report.pk])).status_code == 302
    assert pm.post(reverse("portfolio:report_approve", args=[slug, report.pk])).status_code == 403
    locked = pm.post(
        reverse("portfolio:report_edit", args=[slug, report.pk]),
        {"rag": "green", "narrative": "Changed", "benefit_status": "on_track"},
    )
    assert "locked" in locked.content.decode()
    assert lead.post(reverse("portfolio:report_approve", args=[slug, report.pk])).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.rag) == ("approved", "amber")


def test_the_spreadsheet_reads_back_with_each_projects_own_figures(
    council: Council, people: dict[str, Membership]
) -> None:
    cx = programme(council)
    p = project(council, "FIG-1", programme=cx)
    allocate(p, "0.5"), allocate(p, "0.5", "Tester")
    for i in range(3):
        risk(p, f"Open {i}", score=(4, 5))
    risk(p, "Closed", status="closed")
    milestone(p, "Go live", dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    project(council, "FIG-2", programme=cx, budget=Decimal("2500.50"))
    response = login(people["councillor"]).get(reverse("portfolio:export_xlsx", args=[council.slug]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Projects"]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]
    }
    assert (rows["FIG-1"]["FTE"], rows["FIG-1"]["Open risks"]) == (1.0, 3)
    assert (rows["FIG-2"]["FTE"], rows["FIG-2"]["Open risks"], rows["FIG-2"]["Budget (£)"]) == (0, 0, 2500.5)
    assert rows["Total"]["Budget (£)"] == "=SUM(L2:L3)"
    risks = list(book["Risks"].iter_rows(min_row=2, values_only=True))
    assert len(risks) == 4 and {r[5] for r in risks} == {"=D2*E2", "=D3*E3", "=D4*E4", "=D5*E5"}
    plan = list(book["Milestones"].iter_rows(min_row=2, values_only=True))
    assert plan[0][:2] == ("FIG-1", "Go live") and plan[0][5] == '=IF(E2<>"",E2,D2)-C2'


def test_the_calendar_has_every_milestone_and_meeting(
    council: Council, people: dict[str, Membership]
) -> None:
    p = project(council, "CAL-1", name="A project whose name is long enough to fold the summary line over")
    milestone(p, "Go live", dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    done = milestone(p, "Design", dt.date(2026, 3, 1))
    services.milestone_save(project=p, milestone=done, data={"actual_date": dt.date(2026, 3, 4)}, actor=None)
    services.meeting_create(
        council=council, kind="board", held_on=dt.date(2026, 7, 1), title="Board", actor=None
    )
    ics = login(people["councillor"]).get(reverse("portfolio:calendar", args=[council.slug])).content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VEVENT") == 3
    assert "DTSTART;VALUE=DATE:20260615" in ics and "DTSTART;VALUE=DATE:20260304" in ics
    assert f"UID:milestone-{done.pk}@testserver" in ics and "SUMMARY:Board" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_programme_and_workstream_pages_show_each_projects_own_fte_and_open_risks(
    council: Council, people: dict[str, Membership]
) -> None:
    cx = programme(council)
    fin = services.workstream_save(
        council=council, data={"code": "fin", "name": "Finance", "capacity_fte": Decimal(4)}, actor=None
    )
    for code, group in (("IN-CX", {"programme": cx}), ("IN-FIN", {"workstream": fin})):
        p = project(council, code, **group)
        allocate(p, "0.5"), allocate(p, "0.5", "Tester")
        for i in range(3):
            risk(p, f"Risk {i}")
    client = login(people["councillor"])
    for name, pk in (("programme", cx.pk), ("workstream", fin.pk)):
        html = client.get(reverse(f"portfolio:{name}", args=[council.slug, pk])).content.decode()
        cells = re.findall(r'<td class="govuk-table__cell wc-num">([^<]*)</td>', html)
        assert cells[1:3] == ["1.0", "3"], (name, cells)
    overview = client.get(reverse("portfolio:programmes", args=[council.slug])).content.decode()
    assert "25.0%" in overview, "1 FTE allocated against a capacity of 4"


def test_the_decision_form_starts_with_empty_conditions(
    council: Council, people: dict[str, Membership]
) -> None:
    p = project(council, "D-1")
    assess(p)
    submit(p)
    html = (
        login(people["lead"])
        .get(reverse("portfolio:gate_decide", args=[council.slug, p.pk]))
        .content.decode()
    )
    assert 'name="condition-1" type="text" value=""' in html
