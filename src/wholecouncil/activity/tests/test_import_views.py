"""Importing a survey tool's export through the pages: upload, match the columns, check and import.

A file lands whole as a closed survey, or nothing lands and every problem is listed by row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wholecouncil.accounts.roles import Role
from wholecouncil.activity.models import Respondent, ResponseImport, Survey
from wholecouncil.activity.services import processes, response_import
from wholecouncil.activity.tests.analysis_factories import establishment
from wholecouncil.council.models import Council

TEAMS = {("People", "Big team"): (10, "30000"), ("Place", "Roads team"): (6, "35000")}
HEADER = ["Respondent", "Team", "Weekly hours", "enquiries", "hr"]


def _csv(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(str(v) for v in row) for row in rows).encode()


def _upload(client: Client, council: Council, content: bytes, name: str = "export.csv") -> ResponseImport:
    response = client.post(
        f"/c/{council.slug}/activity/import/", {"file": SimpleUploadedFile(name, content, "text/csv")}
    )
    imp = ResponseImport.objects.get(council=council)
    assert response.status_code == 302
    assert response["Location"] == f"/c/{council.slug}/activity/import/{imp.pk}/"
    return imp


def _mapping_form(client: Client, council: Council, imp: ResponseImport) -> dict[str, str]:
    """The mapping page's form as suggested: every field with its chosen column."""
    response = client.get(f"/c/{council.slug}/activity/import/{imp.pk}/")
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.fixture
def importer(council: Council, client_for: Callable[..., Client]) -> Client:
    establishment(council, TEAMS)
    processes.ensure_processes(council)
    return client_for(council, Role.ADMIN)


def test_a_clean_export_lands_as_a_closed_survey(council: Council, importer: Client) -> None:
    imp = _upload(importer, council, _csv([HEADER, *[[f"R{i}", "Big team", 37, 30, 7] for i in range(6)]]))
    data = _mapping_form(importer, council, imp)
    assert data["f_respondent_id"] == "Respondent" and data["f_org_unit"] == "Team"
    assert data["p_enquiries"] == "enquiries" and data["p_hr"] == "hr" and data["p_finance"] == ""
    data["title"] = "Spring survey (imported)"
    response = importer.post(f"/c/{council.slug}/activity/import/{imp.pk}/", data)
    survey = Survey.objects.get(council=council)
    assert response.status_code == 302
    assert response["Location"] == f"/c/{council.slug}/activity/?survey={survey.pk}"
    assert survey.status == Survey.Status.CLOSED and survey.source == Survey.Source.IMPORT
    assert survey.respondents.filter(status=Respondent.Status.SUBMITTED).count() == 6
    assert importer.get(response["Location"]).context["result"].submitted == 6
    # The same upload again finds its survey: nothing lands twice.
    again = importer.post(f"/c/{council.slug}/activity/import/{imp.pk}/", data)
    assert again.status_code == 302 and Survey.objects.filter(council=council).count() == 1


def test_row_errors_name_the_row_and_column_and_nothing_lands(council: Council, importer: Client) -> None:
    bad = _csv(
        [
            HEADER,
            ["R1", "Big team", 37, 30, 7],
            ["R2", "Big team", 37, "lots", 7],
            ["R3", "No such team", 37, 30, 7],
            ["R1", "Big team", 37, 30, 7],
            ["R5", "Roads team", 37, -3, 40],
        ]
    )
    imp = _upload(importer, council, bad, "bad.csv")
    data = _mapping_form(importer, council, imp) | {"title": "Bad"}
    response = importer.post(f"/c/{council.slug}/activity/import/{imp.pk}/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was imported" in page
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(
            r"<tr class=\"govuk-table__row\">(.*?)</tr>", page.split('id="errors"')[1], re.S
        )
    ]
    places = {(c[1], c[2]) for c in cells if c}
    assert {("3", "enquiries"), ("4", "Team"), ("5", "Respondent"), ("6", "enquiries")} <= places
    assert all(c[0] == "bad.csv" for c in cells if c)
    assert not Survey.objects.filter(council=council).exists() and not Respondent.objects.exists()
    imp.refresh_from_db()
    assert imp.status == ResponseImport.Status.FAILED


def test_one_column_cannot_answer_two_questions(council: Council, importer: Client) -> None:
    imp = _upload(importer, council, _csv([HEADER, *[[f"R{i}", "Big team", 37, 30, 7] for i in range(6)]]))
    data = _mapping_form(importer, council, imp) | {"title": "Twice", "p_finance": "enquiries"}
    response = importer.post(f"/c/{council.slug}/activity/import/{imp.pk}/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert (
        "The column 'enquiries' is also chosen for Finance and budget management"
        in form.errors["p_enquiries"][0]
    )
    assert "also chosen for Handling enquiries" in form.errors["p_finance"][0]
    assert not Survey.objects.filter(council=council).exists()
    # The service refuses it too, whoever calls it.
    mapping = {"respondent_id": "Respondent", "org_unit": "Team", "contracted_hours": "Weekly hours"}
    survey, errors = response_import.import_commit(
        imp=imp, mapping=mapping | {"enquiries": "enquiries", "finance": "enquiries"}, title="T", actor=None
    )
    assert (
        survey is None and errors[0].column == "enquiries" and "choose it for one only" in errors[0].message
    )


def test_a_file_that_is_not_a_table_is_refused_on_upload(council: Council, importer: Client) -> None:
    response = importer.post(
        f"/c/{council.slug}/activity/import/",
        {"file": SimpleUploadedFile("export.xlsx", b"not a workbook", "application/octet-stream")},
    )
    assert response.status_code == 200
    assert "export.xlsx" in response.context["form"].errors["file"][0]
    assert not ResponseImport.objects.exists()


def test_councillors_cannot_import(council: Council, client_for: Callable[..., Client]) -> None:
    client = client_for(council, Role.COUNCILLOR)
    assert client.get(f"/c/{council.slug}/activity/import/").status_code == 403
