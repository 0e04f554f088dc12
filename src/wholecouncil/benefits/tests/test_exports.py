"""The MTFP workbook: one row per saving, and a position whose formulas, recalculated by LibreOffice, give the
app's own figures, year by year."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from tests.recalc import recalculate

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.exports import POSITION_HEAD, SAVINGS_HEAD, position_workbook
from wholecouncil.benefits.tests.helpers import benefit, line, sign_off
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import services as portfolio_services
from wholecouncil.portfolio.tests import helpers as portfolio

D = Decimal
PENNY = D("0.01")
TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


def _money(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return D(repr(value) if isinstance(value, float) else str(value)).quantize(PENNY)


@pytest.fixture
def register(council: Council, make_member: Callable[..., Membership]) -> None:
    """Savings in every column and RAG: banked (one with a slipped milestone), pipeline, at risk,
    undeliverable and non-cashable, over years with and without savings required."""
    finance = make_member(council, Role.FINANCE)
    lead = make_member(council, Role.PROGRAMME_LEAD)
    project = portfolio.project(council)
    milestone = portfolio_services.milestone_save(
        project=project,
        data={"name": "Go live", "baseline_date": dt.date(2026, 3, 1), "forecast_date": dt.date(2026, 9, 1)},
        actor=None,
    )
    r100 = line(council, "R100", "5000000")
    banked = sign_off(
        benefit(council, "BEN-1", budget_line=r100, profile={2026: "60000.50", 2027: "120000"}), finance, lead
    )
    services.actual_record(
        benefit=banked, month=dt.date(2026, 4, 1), amount=D("4000.25"), actor=None, today=TODAY
    )
    sign_off(
        benefit(
            council,
            "BEN-2",
            budget_line=r100,
            value="33333.33",
            profile={2026: "33333.33", 2027: "33333.33"},
            projects=[project],
            milestone=milestone,
        ),
        finance,
        lead,
    )
    benefit(council, "BEN-3", budget_line=r100, value="7777.77", profile={2026: "7777.77"})
    risky = sign_off(
        benefit(council, "BEN-4", budget_line=r100, value="15000", profile={2027: "15000"}), finance, lead
    )
    services.benefit_transition(
        benefit=risky, action=Action.MARK_AT_RISK, actor=lead.user, role=lead.role, reason="Supplier late"
    )
    gone = benefit(council, "BEN-5", budget_line=r100, value="5000", profile={2026: "5000"})
    services.benefit_transition(
        benefit=gone, action=Action.MARK_UNDELIVERABLE, actor=finance.user, role=finance.role, reason="No"
    )
    benefit(council, "BEN-6", category="cost_avoidance", value="9999.99", profile={2026: "9999.99"})
    services.savings_required_set(council=council, amounts={2026: D("250000")}, actor=None)


def test_the_recalculated_position_equals_the_apps(council: Council, register: None, tmp_path: Path) -> None:
    view = selectors.mtfp_position(council, TODAY, every_saving=True)
    content = position_workbook(council, view, TODAY)
    book = recalculate(content, tmp_path, "mtfp.xlsx")
    rows = list(book["Position"].iter_rows(values_only=True))
    assert list(rows[0]) == POSITION_HEAD
    quick = selectors.mtfp_position(council, TODAY).position  # the page's figures
    assert len(rows) - 1 == len(quick.years)
    for row, year in zip(rows[1:], quick.years, strict=True):
        assert row[0] == str(year.year)
        expected = [
            year.required,
            year.banked,
            year.banked_at_risk,
            year.shortfall,
            year.pipeline,
            year.at_risk,
            year.unachievable,
            year.non_cashable,
        ]
        assert [_money(v) for v in row[1:]] == expected, row[0]
    first = quick.years[0]
    assert (first.banked, first.banked_at_risk, first.shortfall) == (
        D("93333.83"),
        D("33333.33"),
        D("156666.17"),
    )
    assert first.pipeline == D("7777.77") and first.unachievable == D("5000")
    assert first.non_cashable == D("9999.99")
    second = quick.years[1]
    assert second.required is None and second.shortfall is None
    assert second.at_risk == D("15000") and second.banked == D("153333.33")
    # A year with no savings required has no shortfall in the workbook either, not minus the banked figure.
    assert rows[2][4] in (None, "")


def test_the_savings_sheet_names_the_cost_centre_and_recalculates_variance(
    council: Council, register: None, tmp_path: Path
) -> None:
    view = selectors.mtfp_position(council, TODAY, every_saving=True)
    book = recalculate(position_workbook(council, view, TODAY), tmp_path, "mtfp.xlsx")
    sheet = list(book["Savings"].iter_rows(values_only=True))
    head = list(sheet[0])
    assert head == SAVINGS_HEAD
    col = {name: head.index(name) for name in head}
    rows = {(r[col["Reference"]], r[col["Financial year"]]): r for r in sheet[1:]}
    first = rows[("BEN-1", "2026/27")]
    assert first[col["Cost centre code"]] == "R100"
    assert first[col["Budget line"]] == "Line R100"
    assert _money(first[col["Planned (£)"]]) == D("60000.50")
    assert _money(first[col["Actual to date (£)"]]) == D("4000.25")
    # Forecast: 4,000.25 + 60,000.50 x 11 / 12; variance = forecast - planned, recalculated.
    assert _money(first[col["Variance (£)"]]) == (D("4000.25") - D("60000.50") / 12).quantize(PENNY)
    slipped = rows[("BEN-2", "2026/27")]
    assert slipped[col["RAG"]] == "At risk" and slipped[col["Delivering milestone slipped"]] == "Yes"
    assert rows[("BEN-6", "2026/27")][col["Cost centre code"]] in (None, "")


def test_the_export_downloads_for_every_role(
    council: Council, register: None, client_for: Callable[..., Client]
) -> None:
    response = client_for(council, Role.COUNCILLOR).get(reverse("benefits:mtfp_xlsx", args=[council.slug]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["About", "Savings", "Position"]
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert "forecast outturn is short of plan" in about["RAG: At risk"]
