"""Names people typed (the case, its opportunities, releases and costs) are written to the case workbook as
text, never as a formula or a link, while every figure the app computes is still a live formula that
LibreOffice recalculates to the app's figures."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from tests.recalc import recalculate

from wholecouncil.cases import selectors
from wholecouncil.cases.models import BusinessCase, CostLine, Opportunity, Release
from wholecouncil.cases.tests.test_outputs import _profile_figures, rich_case
from wholecouncil.cases.workbook import PROFILE_ROWS, PROFILE_SUMMARY_ROW, case_workbook
from wholecouncil.council.models import Council
from wholecouncil.tabular.tests.hostile import HYPERLINK, SUM, assert_text

pytestmark = pytest.mark.django_db

URL = "http://x.example.invalid/release"


def _hostile_case(council: Council) -> BusinessCase:
    case = rich_case(council)
    BusinessCase.objects.filter(pk=case.pk).update(name=SUM)
    Opportunity.objects.filter(council=council, code="PF-1").update(name=HYPERLINK)
    Opportunity.objects.filter(council=council, code="CM-1").update(name=URL)
    Release.objects.filter(case=case, code="R1").update(name=URL)
    Release.objects.filter(case=case, code="R2").update(name=HYPERLINK)
    CostLine.objects.filter(option__case=case, kind=CostLine.Kind.TECHNOLOGY).update(name=SUM)
    case.refresh_from_db()
    return case


def test_names_are_text_and_figures_are_formulas(council: Council) -> None:
    case = _hostile_case(council)
    book = openpyxl.load_workbook(io.BytesIO(case_workbook(selectors.case_figures(case, with_risk=False))))
    assert_text(book["Assumptions"]["A1"], f"{SUM}: assumptions")
    names = {row[0].value: row[1] for row in book["Opportunities"].iter_rows(min_row=2) if row[0].value}
    assert_text(names["PF-1"], HYPERLINK)
    assert_text(names["CM-1"], URL)
    releases = book["Releases"]
    assert_text(releases["B2"], URL)
    assert_text(releases["C2"], HYPERLINK)
    costs = [row[0] for row in book["Costs"].iter_rows(min_row=2) if row[0].value == SUM]
    assert len(costs) == 1
    assert_text(costs[0], SUM)
    # The figures the app computes are still formulas.
    profile = book["Profile"]
    for row in PROFILE_ROWS.values():
        assert profile.cell(row, 2).data_type == "f", row
    assert profile.cell(PROFILE_SUMMARY_ROW, 2).data_type == "f"
    assert book["Opportunities"]["M2"].data_type == "f"
    assert releases["B3"].data_type == "f"
    assert "DiscountRate" in book.defined_names


def test_with_hostile_names_the_recalculated_workbook_still_equals_the_apps_figures(
    council: Council, tmp_path: Path
) -> None:
    case = _hostile_case(council)
    figures = selectors.case_figures(case, with_risk=False)
    result = figures.shown.result
    assert result is not None
    book = recalculate(case_workbook(figures, cache=False), tmp_path, "case.xlsx")
    assert _profile_figures(book, case.years) == {
        name: [getattr(y, name) for y in result.years] for name in PROFILE_ROWS
    }
    assert book["Assumptions"]["A1"].value == f"{SUM}: assumptions"
    names = {row[0]: row[1] for row in book["Opportunities"].iter_rows(min_row=2, values_only=True)}
    assert names["PF-1"] == HYPERLINK
