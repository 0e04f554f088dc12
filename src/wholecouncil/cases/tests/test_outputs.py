"""The workbook recalculated by LibreOffice equals the app's figures; the PDF reads back with its figures."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from tests.recalc import recalculate

from wholecouncil.cases import release_services, selectors, services
from wholecouncil.cases.document import document_pdf
from wholecouncil.cases.models import BusinessCase, CostLine, Opportunity
from wholecouncil.cases.tests.factories import layer, lever, pct_opportunity, small_case, staff_baseline
from wholecouncil.cases.workbook import PROFILE_ROWS, PROFILE_SUMMARY_ROW, case_workbook
from wholecouncil.council.models import Council

pytestmark = pytest.mark.django_db
D = Decimal
PENNY = D("0.01")


def _money(value: object) -> Decimal:
    return D(repr(value)).quantize(PENNY) if isinstance(value, float) else D(str(value)).quantize(PENNY)


def rich_case(council: Council) -> BusinessCase:
    """Every kind of line: percentage and entered-amount savings, a custom point, phasing by year and by
    release, posts at a layer's own cost per FTE and at the average, costs of every type with optimism
    bias, recurring costs, workforce with redundancy in the costs, an MTFP gap and discounting."""
    case, option = small_case(council)
    staff_baseline(council, "enabling-support", "2345678.91", fte="61.5")
    es = pct_opportunity(council, "ES-1", "7.5", "13.25", layer_code="enabling-support")
    amount = services.opportunity_create(
        council=council,
        actor=None,
        code="PF-1",
        name="Advice before the front door",
        layer=layer(council, "pre-front-door"),
        lever=lever(council, "demand-management"),
        basis=Opportunity.Basis.NONE,
        saving=Opportunity.Saving.AMOUNT,
        low_amount=D("123456.78"),
        high_amount=D("234567.89"),
        staff_pct=D("35"),
    )
    cm = Opportunity.objects.get(council=council, code="CM-1")
    r1 = release_services.release_create(
        case=case, code="R1", name="Release 1: digital front door", go_live_year=2026, actor=None
    )
    r2 = release_services.release_create(
        case=case, code="R2", name="Release 2: advice online", go_live_year=2027, actor=None
    )
    services.option_lines_set(
        option=option,
        lines=[
            services.LineInput(cm, [D(0), D("0.5"), D("0.5")]),
            services.LineInput(es, [D("0.3"), D("0.3"), D("0.3")], "custom", D("250000.33")),
            services.LineInput(amount, [], "high", release_shares={r1: D("37.5"), r2: D("62.5")}),
        ],
        actor=None,
    )
    for kind, amounts in (
        (CostLine.Kind.TECHNOLOGY, ["50000.10", "25000"]),
        (CostLine.Kind.CHANGE_SUPPORT, ["0", "12345.67", "1000"]),
        (CostLine.Kind.RECURRING, ["0", "7777.77", "8888.88"]),
    ):
        services.cost_create(option=option, actor=None, name=str(kind), kind=kind, amounts=amounts)
    return services.case_update(
        case=case,
        actor=None,
        discount_rate_pct=D("3.5"),
        optimism_bias_pct=D("17.5"),
        turnover_fte=["2", "1.5", "0.5"],
        turnover_capture_pct=D("60"),
        redeployment_pct=D("25"),
        average_redundancy_cost=D("23456.78"),
        mtfp_gap=["500000", "900000", "1300000"],
    )


def _profile_figures(book: openpyxl.Workbook, years: int) -> dict[str, list[Decimal]]:
    ws = book["Profile"]
    return {
        name: [_money(ws.cell(row, 2 + y).value) for y in range(years)] for name, row in PROFILE_ROWS.items()
    }


def test_the_workbook_recalculated_by_libreoffice_equals_the_apps_figures(
    council: Council, tmp_path: Path
) -> None:
    case = rich_case(council)
    figures = selectors.case_figures(case, with_risk=False)
    result = figures.shown.result
    assert result is not None, figures.shown.problem
    assert any(y.one_off_by_type["redundancy"] for y in result.years), "the case should have redundancy costs"
    assert [ln.release_shares != () for ln in result.lines] == [False, False, True]
    assert [ln.cost_per_fte is not None for ln in result.lines] == [True, True, False]
    assert result.lines[2].phasing == (D(0), D("0.375"), D("0.625"))
    expected = {name: [getattr(y, name) for y in result.years] for name in PROFILE_ROWS}
    # every cached value zeroed, so only a real recalculation can give the app's figures
    book = recalculate(case_workbook(figures, cache=False), tmp_path, "case.xlsx")
    assert _profile_figures(book, case.years) == expected
    ws = book["Profile"]
    assert _money(ws.cell(PROFILE_SUMMARY_ROW, 2).value) == result.npv
    assert ws.cell(PROFILE_SUMMARY_ROW + 1, 2).value == str(result.payback_year)
    totals = [_money(ws.cell(PROFILE_SUMMARY_ROW + k, 2).value) for k in range(2, 6)]
    assert totals == [result.total_low, result.total_mid, result.total_high, result.chosen_full_year]
    # and the workbook as downloaded carries the same figures as its cached values
    cached = openpyxl.load_workbook(io.BytesIO(case_workbook(figures)), data_only=True)
    assert _profile_figures(cached, case.years) == expected
    assert _money(cached["Profile"].cell(PROFILE_SUMMARY_ROW, 2).value) == result.npv


def test_changing_an_assumption_in_the_workbook_recalculates_the_totals(
    council: Council, tmp_path: Path
) -> None:
    case = rich_case(council)
    figures = selectors.case_figures(case, with_risk=False)
    book = openpyxl.load_workbook(io.BytesIO(case_workbook(figures)))
    book["Assumptions"]["B2"] = 0  # discount rate
    buffer = io.BytesIO()
    book.save(buffer)
    recalculated = recalculate(buffer.getvalue(), tmp_path, "case.xlsx")
    result = figures.shown.result
    assert result is not None
    # at 0% the NPV is the final cumulative net position
    assert (
        _money(recalculated["Profile"].cell(PROFILE_SUMMARY_ROW, 2).value) == result.years[-1].cumulative_net
    )


def test_the_pdf_reads_back_with_the_five_cases_and_the_npv(council: Council) -> None:
    case = rich_case(council)
    figures = selectors.case_figures(case)
    result = figures.shown.result
    assert result is not None
    pdf = document_pdf(figures)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for heading in (
        "Strategic case",
        "Economic case",
        "Commercial case",
        "Financial case",
        "Management case",
    ):
        assert heading in flat
    npv = f"£{result.npv:,.0f}" if result.npv >= 0 else f"\N{MINUS SIGN}£{abs(result.npv):,.0f}"
    assert npv in flat, (npv, flat[:2000])
    assert case.name in flat
    assert len(reader.pages) >= 2


def test_the_html_document_has_every_case_and_chart(
    council: Council, client_for: Callable[..., object]
) -> None:
    from django.urls import reverse

    case = rich_case(council)
    client = client_for(council, "councillor")
    html = client.get(reverse("cases:document", args=[council.slug, case.pk])).content.decode()  # type: ignore[attr-defined]
    for heading in ("1. Strategic case", "2. Economic case", "3. Commercial case", "4. Financial case"):
        assert heading in html
    assert html.count('role="img"') >= 3
    response = client.get(reverse("cases:document_pdf", args=[council.slug, case.pk]))  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
