"""The business-case pages: what each role sees and may change, tenancy, and the figures on the page."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.cases import services
from wholecouncil.cases.models import BusinessCase, CaseOption, CostLine, Opportunity
from wholecouncil.cases.tests.factories import layer, lever, pct_opportunity, small_case, staff_baseline
from wholecouncil.council.models import AuditEvent, Council

pytestmark = pytest.mark.django_db
D = Decimal


def _pages(council: Council, case: BusinessCase, option: CaseOption) -> list[str]:
    slug = council.slug
    opp = Opportunity.objects.get(council=council, code="CM-1")
    cost = option.costs.get()
    return [
        reverse("cases:overview", args=[slug]),
        reverse("cases:opportunities", args=[slug]),
        reverse("cases:baselines", args=[slug]),
        reverse("cases:case", args=[slug, case.pk]),
        reverse("cases:case", args=[slug, case.pk]) + f"?option={option.pk}",
        reverse("cases:document", args=[slug, case.pk]),
    ], [
        reverse("cases:opportunity_add", args=[slug]),
        reverse("cases:opportunity_edit", args=[slug, opp.pk]),
        reverse("cases:opportunity_delete", args=[slug, opp.pk]),
        reverse("cases:baselines_edit", args=[slug]),
        reverse("cases:case_add", args=[slug]),
        reverse("cases:case_edit", args=[slug, case.pk]),
        reverse("cases:case_recommend", args=[slug, case.pk]),
        reverse("cases:option_add", args=[slug, case.pk]),
        reverse("cases:option_edit", args=[slug, case.pk, option.pk]),
        reverse("cases:option_delete", args=[slug, case.pk, option.pk]),
        reverse("cases:cost_add", args=[slug, case.pk, option.pk]),
        reverse("cases:cost_edit", args=[slug, case.pk, option.pk, cost.pk]),
        reverse("cases:cost_delete", args=[slug, case.pk, option.pk, cost.pk]),
    ]  # type: ignore[return-value]


def test_every_page_opens_for_an_admin(council: Council, client_for: Callable[..., Client]) -> None:
    case, option = small_case(council)
    client = client_for(council, Role.ADMIN)
    reads, edits = _pages(council, case, option)  # type: ignore[misc]
    for path in [*reads, *edits]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_a_councillor_reads_every_figure_but_changes_nothing(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, option = small_case(council)
    client = client_for(council, Role.COUNCILLOR)
    reads, edits = _pages(council, case, option)  # type: ignore[misc]
    for path in reads:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"Change" not in response.content or b"Change the assumptions" not in response.content
    page = client.get(reads[3]).content.decode()
    assert "Add an opportunity" not in page and "Change the assumptions" not in page
    for path in edits:
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"name": "x"}).status_code == 403, path
    assert client.get(reverse("cases:workbook", args=[council.slug, case.pk])).status_code == 200


def test_another_councils_case_is_not_found(
    council: Council, make_council: Callable[..., Council], client_for: Callable[..., Client]
) -> None:
    rival = make_council(slug="rivalford", name="Rivalford Borough")
    case, option = small_case(rival)
    client = client_for(council, Role.ADMIN)
    slug = council.slug
    for path in (
        reverse("cases:case", args=[slug, case.pk]),
        reverse("cases:case_edit", args=[slug, case.pk]),
        reverse("cases:option_edit", args=[slug, case.pk, option.pk]),
        reverse("cases:workbook", args=[slug, case.pk]),
        reverse("cases:document_pdf", args=[slug, case.pk]),
        reverse("cases:opportunity_edit", args=[slug, Opportunity.objects.get(council=rival).pk]),
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"name": "Hijacked"}).status_code == 404, path
    assert not BusinessCase.objects.filter(name="Hijacked").exists()
    # an option of another council's case is not reachable through one's own case either
    own, _ = small_case(council)
    path = reverse("cases:option_edit", args=[slug, own.pk, option.pk])
    assert client.get(path).status_code == 404
    assert client.get(reverse("cases:case", args=[slug, own.pk]) + f"?option={option.pk}").status_code == 404


def test_the_case_page_shows_the_figures(council: Council, client_for: Callable[..., Client]) -> None:
    case, _ = small_case(council)
    page = client_for(council, Role.COUNCILLOR).get(reverse("cases:case", args=[council.slug, case.pk]))
    html = page.content.decode()
    assert "£125,000" in html  # NPV at 0% = final cumulative net
    assert "2027/28" in html
    assert 'role="img"' in html and "<title" in html
    assert "Posts not absorbed by turnover or redeployment" in html
    assert "P10" in html and "Sensitivity of NPV" in html


def test_editing_an_assumption_through_the_form(council: Council, client_for: Callable[..., Client]) -> None:
    case, _ = small_case(council)
    opp = Opportunity.objects.get(council=council, code="CM-1")
    client = client_for(council, Role.FINANCE)
    data = {
        "code": "CM-1",
        "name": "One front door",
        "layer": layer(council, "customer-management").pk,
        "lever": lever(council, "automation-technology").pk,
        "basis": "activity",
        "saving": "percent",
        "low_pct": "20",
        "high_pct": "40%",
        "rationale": "Status chasing",
        "source": "Activity analysis",
    }
    response = client.post(reverse("cases:opportunity_edit", args=[council.slug, opp.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    opp.refresh_from_db()
    assert (opp.low_pct, opp.high_pct) == (D("20"), D("40"))
    html = client.get(reverse("cases:case", args=[council.slug, case.pk])).content.decode()
    assert "£300,000" in html  # mid of 20-40% of £1,000,000
    assert AuditEvent.objects.filter(council=council, action="opportunity.update").exists()


def test_an_overlapping_assumption_is_refused_on_the_form(
    council: Council, client_for: Callable[..., Client]
) -> None:
    small_case(council)
    client = client_for(council, Role.ADMIN)
    data = {
        "code": "CM-2",
        "name": "Another",
        "layer": layer(council, "customer-management").pk,
        "lever": lever(council, "ways-of-working").pk,
        "basis": "activity",
        "saving": "percent",
        "low_pct": "50",
        "high_pct": "90",
    }
    response = client.post(reverse("cases:opportunity_add", args=[council.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CM-1 (20%), CM-2 (90%) together claim 110%" in html
    assert "govuk-error-summary" in html


def test_the_option_form_sets_phasing(council: Council, client_for: Callable[..., Client]) -> None:
    case, option = small_case(council)
    opp = Opportunity.objects.get(council=council, code="CM-1")
    client = client_for(council, Role.PROGRAMME_LEAD)
    data = {
        "option-name": "Preferred",
        "option-description": "",
        "option-point": "high",
        f"inc_{opp.pk}": "on",
        f"point_{opp.pk}": "",
        f"custom_{opp.pk}": "",
        f"y0_{opp.pk}": "100",
        f"y1_{opp.pk}": "",
        f"y2_{opp.pk}": "",
    }
    response = client.post(reverse("cases:option_edit", args=[council.slug, case.pk, option.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    line = option.lines.get()
    assert line.phasing == ["1", "0", "0"]
    data[f"y1_{opp.pk}"] = "50"
    response = client.post(reverse("cases:option_edit", args=[council.slug, case.pk, option.pk]), data)
    assert response.status_code == 200
    assert "more than 100%" in response.content.decode()


def test_case_assumptions_and_costs_through_the_forms(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, option = small_case(council)
    client = client_for(council, Role.ADMIN)
    data = {
        "name": "Renamed",
        "years": "3",
        "discount_rate_pct": "3.5",
        "optimism_bias_pct": "10",
        "average_cost_per_fte": "",
        "turnover_capture_pct": "100",
        "redeployment_pct": "0",
        "average_redundancy_cost": "£20,000",
        "redundancy_in_costs": "on",
        "risk_distribution": "triangular",
        "gap_0": "1,000,000",
        "gap_1": "",
        "gap_2": "",
        "turnover_0": "1",
        "turnover_1": "0",
        "turnover_2": "0",
    }
    response = client.post(reverse("cases:case_edit", args=[council.slug, case.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.mtfp_gap == ["1000000", "0", "0"]
    assert case.optimism_bias_pct == D("10")
    cost = {"name": "Licences", "kind": CostLine.Kind.RECURRING, "low_pct": "100", "high_pct": "120"}
    cost |= {"amount_0": "0", "amount_1": "5000", "amount_2": "5000"}
    response = client.post(reverse("cases:cost_add", args=[council.slug, case.pk, option.pk]), cost)
    assert response.status_code == 302
    assert option.costs.filter(kind=CostLine.Kind.RECURRING).get().amounts == ["0", "5000", "5000"]


def test_the_workbook_has_the_apps_figures_as_cached_values(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, _ = small_case(council)
    response = client_for(council, Role.COUNCILLOR).get(
        reverse("cases:workbook", args=[council.slug, case.pk])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    profile = book["Profile"]
    assert [profile.cell(4, c).value for c in range(2, 5)] == [0, 75000, 150000]
    assert profile["B26"].value == 125000
    assert profile["B27"].value == "2027/28"
    formulas = openpyxl.load_workbook(io.BytesIO(response.content))
    assert str(formulas["Profile"]["B26"].value).startswith("=ROUND(SUMPRODUCT(")


def test_the_opportunities_and_case_pages_do_not_query_per_opportunity(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, option = small_case(council)
    client = client_for(council, Role.COUNCILLOR)
    pages = [
        reverse("cases:opportunities", args=[council.slug]),
        reverse("cases:case", args=[council.slug, case.pk]),
        reverse("cases:overview", args=[council.slug]),
    ]

    def counts() -> list[int]:
        out = []
        for path in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    more = [pct_opportunity(council, f"ES-{i}", "1", "2", layer_code="enabling-support") for i in range(8)]
    staff_baseline(council, "enabling-support", "1000000")
    lines = [services.LineInput(o, [D("0.5"), D("0.5")]) for o in [*more, option.lines.get().opportunity]]
    services.option_lines_set(option=option, lines=lines, actor=None)
    assert counts() == before
