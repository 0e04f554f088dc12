"""The portfolio pages: who may see and change what, the gate journey through the pages, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council, DesignPrinciple, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import Condition, HighlightReport, Project
from wholecouncil.portfolio.tests.helpers import assess, programme, project, submit

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
        reverse("portfolio:board_pack", args=[slug, "monthly"]),
        reverse("portfolio:board_pack", args=[slug, "quarterly"]),
        reverse("portfolio:board_pack", args=[slug, "annual"]),
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
    p = project(council, "R-1", manager=people["pm"].user)
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


def test_exports(council: Council, people: dict[str, Membership]) -> None:
    build(council, 3)
    client = login(people["councillor"])
    xlsx = client.get(reverse("portfolio:export_xlsx", args=[council.slug]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    ics = client.get(reverse("portfolio:calendar", args=[council.slug])).content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VEVENT") == 3
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    pdf = client.get(reverse("portfolio:board_pack_pdf", args=[council.slug, "monthly"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


LISTS = [
    ("portfolio:overview", 18),
    ("portfolio:projects", 12),
    ("portfolio:programmes", 10),
    ("portfolio:board", 10),
    ("portfolio:risks", 10),
    ("portfolio:timeline", 10),
    ("portfolio:reviews", 8),
    ("portfolio:stages", 8),
]


@pytest.mark.parametrize(("name", "limit"), LISTS)
def test_lists_and_the_dashboard_do_not_grow_their_queries(
    council: Council, people: dict[str, Membership], django_assert_max_num_queries: Any, name: str, limit: int
) -> None:
    build(council, 12, manager=people["pm"].user)
    client = login(people["admin"])
    url = reverse(name, args=[council.slug])
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    build_more = [project(council, f"X-{i}", programme=None) for i in range(10)]
    assert build_more
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


PER_OBJECT = ["project", "raid", "plan", "programme"]


@pytest.mark.parametrize("name", PER_OBJECT)
def test_project_and_programme_pages_have_a_fixed_number_of_queries(
    council: Council, people: dict[str, Membership], django_assert_max_num_queries: Any, name: str
) -> None:
    made = build(council, 6, manager=people["pm"].user)
    p = made[1]
    for i in range(5):
        services.raid_save(
            kind="issue",
            project=p,
            data={"title": f"Issue {i}", "raised_on": dt.date(2025, 1, 1)},
            actor=None,
        )
        services.milestone_save(
            project=p, data={"name": f"M{i}", "baseline_date": dt.date(2025, 1, 1)}, actor=None
        )
    client = login(people["admin"])
    pk = p.programme_id if name == "programme" else p.pk
    with django_assert_max_num_queries(24):
        assert client.get(reverse(f"portfolio:{name}", args=[council.slug, pk])).status_code == 200


@pytest.mark.parametrize("kind", ["monthly", "quarterly", "annual"])
def test_board_packs_have_a_fixed_number_of_queries(
    council: Council, people: dict[str, Membership], django_assert_max_num_queries: Any, kind: str
) -> None:
    build(council, 10)
    client = login(people["councillor"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("portfolio:board_pack", args=[council.slug, kind]))
    assert response.status_code == 200


def test_a_register_imports_whole_or_not_at_all(council: Council, people: dict[str, Membership]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    programme(council, "cx", "Customer experience")
    client = login(people["admin"])
    slug = council.slug
    bad = (
        "Ref,Project name,Programme,Project manager,Budget £,Start,End,Stage\n"
        'A-1,Chatbot,cx,project_manager-testshire,"£12,000",01/04/2025,31/03/2026,Understand\n'
        "A-2,Telephony,Nowhere,nobody,abc,2025-13-01,,9\n"
        "A-1,Duplicate,,,,,,\n"
    )
    upload = client.post(
        reverse("portfolio:import_upload", args=[slug]),
        {"file": SimpleUploadedFile("register.csv", bad.encode())},
    )
    assert upload.status_code == 302
    imp_pk = int(upload["Location"].rstrip("/").split("/")[-2])
    mapping = {
        "code": "Ref",
        "name": "Project name",
        "programme": "Programme",
        "manager": "Project manager",
        "budget": "Budget £",
        "start_date": "Start",
        "end_date": "End",
        "stage": "Stage",
    }
    checked = client.post(reverse("portfolio:import_map", args=[slug, imp_pk]), mapping, follow=True)
    html = checked.content.decode()
    assert "nothing has been imported" in html
    assert (
        "&#x27;abc&#x27; is not an amount of money" in html
        and "2025-13-01" in html
        and "also on row 2" in html
    )
    assert client.post(reverse("portfolio:import_confirm", args=[slug, imp_pk])).status_code == 302
    assert Project.objects.filter(council=council).count() == 0
    good = bad.splitlines()[0] + "\n" + bad.splitlines()[1] + "\nA-3,Telephony,,,,,,\n"
    upload = client.post(
        reverse("portfolio:import_upload", args=[slug]), {"file": SimpleUploadedFile("ok.csv", good.encode())}
    )
    imp_pk = int(upload["Location"].rstrip("/").split("/")[-2])
    client.post(reverse("portfolio:import_map", args=[slug, imp_pk]), mapping)
    assert client.post(reverse("portfolio:import_confirm", args=[slug, imp_pk])).status_code == 302
    a1 = Project.objects.get(council=council, code="A-1")
    assert (a1.stage, a1.budget, a1.programme.code, a1.manager.username) == (
        2,
        Decimal("12000"),
        "cx",
        "project_manager-testshire",
    )
    assert Project.objects.filter(council=council).count() == 2


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
