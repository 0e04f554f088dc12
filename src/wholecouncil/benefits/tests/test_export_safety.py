"""Text people typed (benefit references and titles, budget lines, the council's name) is written to the
MTFP workbook as text, never as a formula or a link; the variance and position are still live formulas
that LibreOffice recalculates to the app's figures."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from tests.recalc import recalculate

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.exports import SAVINGS_HEAD, position_workbook
from wholecouncil.benefits.tests.helpers import benefit, sign_off
from wholecouncil.council.models import Council, Membership
from wholecouncil.tabular.tests.hostile import HYPERLINK, SUM, assert_text

pytestmark = pytest.mark.django_db

URL = "http://x.example.invalid/line"
TODAY = dt.date(2026, 11, 23)
COL = {name: i for i, name in enumerate(SAVINGS_HEAD)}


@pytest.fixture
def content(council: Council, make_member: Callable[..., Membership]) -> bytes:
    Council.objects.filter(pk=council.pk).update(name=URL)
    council.refresh_from_db()
    finance, lead = make_member(council, Role.FINANCE), make_member(council, Role.PROGRAMME_LEAD)
    budget = services.budget_line_save(
        council=council, data={"code": SUM, "name": HYPERLINK, "baseline": Decimal("500000")}, actor=None
    )
    sign_off(
        benefit(council, "BEN-1", budget_line=budget, title=HYPERLINK, profile={2026: "60000"}), finance, lead
    )
    services.savings_required_set(council=council, amounts={2026: Decimal("100000")}, actor=None)
    view = selectors.mtfp_position(council, TODAY, every_saving=True)
    return position_workbook(council, view, TODAY)


def test_typed_text_is_text_and_the_figures_are_formulas(content: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    about = {row[0].value: row[1] for row in book["About"].iter_rows()}
    assert_text(about["Council"], URL)
    row = next(r for r in book["Savings"].iter_rows(min_row=2) if r[0].value == "BEN-1")
    assert_text(row[COL["Title"]], HYPERLINK)
    assert_text(row[COL["Cost centre code"]], SUM)
    assert_text(row[COL["Budget line"]], HYPERLINK)
    assert_text(row[COL["Hosted by"]], URL)
    assert row[COL["Variance (£)"]].data_type == "f"
    position = list(book["Position"].iter_rows(min_row=2))
    assert position and all(cell.data_type == "f" for r in position for cell in r[2:9])


def test_the_recalculated_position_is_unchanged_by_the_text(content: bytes, tmp_path: Path) -> None:
    book = recalculate(content, tmp_path, "mtfp.xlsx")
    first = next(r for r in book["Position"].iter_rows(min_row=2, values_only=True))
    banked, shortfall = first[2], first[4]
    assert (round(banked, 2), round(shortfall, 2)) == (60000, 40000)
    row = next(r for r in book["Savings"].iter_rows(min_row=2, values_only=True) if r[0] == "BEN-1")
    assert row[COL["Title"]] == HYPERLINK
