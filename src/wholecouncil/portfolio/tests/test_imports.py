"""Importing a project register from CSV or XLSX: columns mapped, every problem named by file, row and column,
and every row imported at once or none at all, even when a row fails part-way through."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import Project, ProjectImport
from wholecouncil.portfolio.services import PortfolioDomainError
from wholecouncil.portfolio.services import register as register_service
from wholecouncil.portfolio.tests.helpers import programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(council: Council, make_member: Callable[..., Membership]) -> dict[str, Membership]:
    return {"admin": make_member(council, Role.ADMIN), "pm": make_member(council, Role.PROJECT_MANAGER)}


def login(membership: Membership) -> Client:
    c = Client()
    c.force_login(membership.user)
    return c


def test_a_register_imports_whole_or_not_at_all(council: Council, people: dict[str, Membership]) -> None:
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


def _xlsx(rows: list[list[object]], sheet: str = "Register") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    for i, row in enumerate(rows):
        ws.write_row(i, 0, row)
    book.close()
    return out.getvalue()


MAPPING = {
    "code": "Project ref",
    "name": "Title",
    "programme": "Programme",
    "budget": "Budget",
    "stage": "Stage",
}


def test_an_xlsx_register_imports_from_the_named_sheet(
    council: Council, people: dict[str, Membership]
) -> None:
    programme(council, "cx", "Customer experience")
    content = _xlsx(
        [
            ["Project ref", "Title", "Programme", "Budget", "Stage"],
            ["X-1", "Chatbot", "Customer experience", 12000, 2],
            ["X-2", "Telephony", "cx", "£4,500.50", "Innovate"],
        ]
    )
    imp = services.register_upload(
        council=council, file_name="register.xlsx", content=content, actor=None, sheet="Register"
    )
    assert imp.headers == ["Project ref", "Title", "Programme", "Budget", "Stage"]
    assert imp.mapping["code"] == "Project ref" and imp.row_count == 2
    imp = services.register_check(imp=imp, mapping=MAPPING)
    assert (imp.status, imp.errors) == ("checked", [])
    assert services.register_commit(imp=imp, actor=people["admin"].user) == 2
    got = {
        p.code: (p.name, p.programme.code, p.budget, p.stage) for p in Project.objects.filter(council=council)
    }
    assert got == {
        "X-1": ("Chatbot", "cx", Decimal("12000"), 2),
        "X-2": ("Telephony", "cx", Decimal("4500.50"), 3),
    }
    assert AuditEvent.objects.get(action="portfolio.register.import").after == {
        "file": "register.xlsx",
        "projects": 2,
    }
    with pytest.raises(PortfolioDomainError, match="Only a checked file"):
        services.register_commit(imp=imp, actor=None)


def test_an_xlsx_without_the_named_sheet_is_refused_by_name(council: Council) -> None:
    with pytest.raises(PortfolioDomainError, match="Projects"):
        services.register_upload(
            council=council,
            file_name="register.xlsx",
            content=_xlsx([["a"], ["b"]]),
            actor=None,
            sheet="Projects",
        )


def test_an_import_that_fails_part_way_leaves_nothing_behind(
    council: Council, people: dict[str, Membership], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["Project ref", "Title", "Programme", "Budget", "Stage"]] + [
        [f"R-{i}", f"Row {i}", "", 100, 1] for i in range(5)
    ]
    imp = services.register_upload(council=council, file_name="five.xlsx", content=_xlsx(rows), actor=None)
    imp = services.register_check(imp=imp, mapping=MAPPING)
    real = register_service.project_create
    made: list[str] = []

    def fails_on_the_fourth(**kwargs: object) -> Project:
        if len(made) == 3:
            raise PortfolioDomainError("The budget cannot be negative.")
        project = real(**kwargs)  # type: ignore[arg-type]
        made.append(project.code)
        return project

    monkeypatch.setattr(register_service, "project_create", fails_on_the_fourth)
    events = AuditEvent.objects.count()
    response = login(people["admin"]).post(
        reverse("portfolio:import_confirm", args=[council.slug, imp.pk]), follow=True
    )
    assert made == ["R-0", "R-1", "R-2"], "three rows were written before the fourth failed"
    assert (
        "five.xlsx, row 5: The budget cannot be negative. Nothing has been imported."
        in response.content.decode()
    )
    assert not Project.objects.filter(council=council).exists()
    assert AuditEvent.objects.count() == events
    assert ProjectImport.objects.get(pk=imp.pk).status == "checked"


def test_only_the_transformation_office_imports(council: Council, people: dict[str, Membership]) -> None:
    upload = login(people["pm"]).post(
        reverse("portfolio:import_upload", args=[council.slug]),
        {"file": SimpleUploadedFile("r.csv", b"Ref,Name\nA,B\n")},
    )
    assert upload.status_code == 403 and not ProjectImport.objects.exists()
