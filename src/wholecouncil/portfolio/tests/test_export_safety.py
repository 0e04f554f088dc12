"""Text people typed (project, programme and workstream names, sponsors, risks, owners, milestones) is
written to the portfolio workbook as text, never as a formula or a link; the totals, risk scores and
slippage are still live formulas, and dates are dates."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from wholecouncil.council.models import Council
from wholecouncil.portfolio.exports import portfolio_xlsx
from wholecouncil.portfolio.models import Risk
from wholecouncil.portfolio.tests.helpers import milestone, programme, project, risk
from wholecouncil.tabular.tests.hostile import HYPERLINK, SUM, assert_text

pytestmark = pytest.mark.django_db

URL = "http://x.example.invalid/project"


def test_typed_text_is_text_and_the_figures_are_formulas(council: Council) -> None:
    p = project(council, "P-1", name=HYPERLINK, programme=programme(council, name=URL), sponsor=SUM)
    made = risk(p, SUM)
    Risk.objects.filter(pk=made.pk).update(owner=URL)
    milestone(p, HYPERLINK, dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    book = openpyxl.load_workbook(io.BytesIO(portfolio_xlsx(council)))

    projects = book["Projects"]
    header = [c.value for c in projects[1]]
    row = {h: c for h, c in zip(header, projects[2], strict=True)}
    assert_text(row["Name"], HYPERLINK)
    assert_text(row["Programme"], URL)
    assert_text(row["Sponsor"], SUM)
    assert row["Start"].is_date and row["Start"].value == dt.datetime(2025, 4, 1)
    total = projects.cell(projects.max_row, 12)
    assert (total.data_type, total.value) == ("f", "=SUM(L2:L2)")

    risks = book["Risks"]
    assert_text(risks["B2"], SUM)
    assert_text(risks["C2"], URL)
    assert (risks["F2"].data_type, risks["F2"].value) == ("f", "=D2*E2")
    assert (risks["I2"].data_type, risks["I2"].value) == ("f", "=G2*H2")

    plan = book["Milestones"]
    assert_text(plan["B2"], HYPERLINK)
    assert plan["C2"].is_date and plan["F2"].data_type == "f"
