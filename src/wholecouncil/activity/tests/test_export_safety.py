"""Names people typed or uploaded (council, survey, process, directorate and unit names, job titles) are
written to the activity workbooks as text, never as a formula or a link."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.activity import selectors
from wholecouncil.activity.exports import baseline_workbook
from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.tests.analysis_factories import establishment, survey_with_answers
from wholecouncil.activity.tests.survey_factories import open_survey
from wholecouncil.council.models import Council
from wholecouncil.tabular.tests.hostile import HYPERLINK, SUM, assert_text

pytestmark = pytest.mark.django_db

URL = "http://x.example.invalid/unit"


def _no_formulas(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (sheet.title, cell.coordinate, cell.value)


def test_the_baseline_workbook_writes_every_name_as_text(council: Council) -> None:
    Council.objects.filter(pk=council.pk).update(name=SUM)
    council.refresh_from_db()
    establishment(council, {(SUM, URL): (6, "30000"), ("Large", HYPERLINK): (30, "28000")})
    survey = survey_with_answers(
        council, {URL: {"hr": "20", "finance": "17"}, HYPERLINK: {"hr": "5", "enquiries": "32"}}
    )
    survey.title = HYPERLINK
    survey.processes = [{**p, "name": SUM} if p["code"] == "hr" else p for p in survey.processes]
    survey.save()
    result = selectors.survey_baseline(council, Survey.objects.get(pk=survey.pk))
    book = openpyxl.load_workbook(io.BytesIO(baseline_workbook(council, result)))

    about = {row[0].value: row[1] for row in book["About"].iter_rows()}
    assert_text(about["Council"], SUM)
    assert_text(about["Survey"], HYPERLINK)
    header = book["Process by directorate"][1]
    assert_text(next(c for c in header if str(c.value).startswith(SUM)), f"{SUM} (FTE)")
    processes = {row[1].value: row for row in book["By process"].iter_rows(min_row=2)}
    assert_text(processes[SUM][1], SUM)
    units = {row[0].value: row for row in book["Units"].iter_rows(min_row=2)}
    assert_text(units[f"{SUM} / {URL}"][0], f"{SUM} / {URL}")
    by_unit = [c.value for c in book["Process by unit (FTE)"][1]]
    assert f"Large / {HYPERLINK} (FTE)" in by_unit
    _no_formulas(book)


def test_the_outstanding_links_workbook_writes_every_cell_as_text(
    council: Council, client_for: Callable[..., Client]
) -> None:
    survey = open_survey(council)
    Respondent.objects.filter(survey=survey).update(job_title=HYPERLINK)
    client = client_for(council, Role.ADMIN)
    response = client.get(reverse("activity:survey_links_xlsx", args=[council.slug, survey.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Outstanding links"].iter_rows(min_row=2))
    assert rows
    for row in rows:
        assert_text(row[3], HYPERLINK)
        assert row[5].data_type == "s" and str(row[5].value).startswith("http://testserver/s/")
    _no_formulas(book)
