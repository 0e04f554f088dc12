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
from wholecouncil.cases import release_services, selectors, services
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


EDIT_CONTROLS = (
    "Add an opportunity",
    "Start from illustrative defaults",
    "Enter baselines",
    "Start a business case",
    "Change the assumptions",
    "Change opportunities and phasing",
    "Add a cost",
    "Add an option",
    "Recommend an option",
    "Add a release",
    ">Change<",
    ">Remove<",
    "/edit/",
    "/delete/",
    "/add/",
)


def test_a_councillor_reads_every_figure_but_changes_nothing(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, option = small_case(council)
    release = release_services.release_create(
        case=case, code="R1", name="Release 1", go_live_year=2026, actor=None
    )
    client = client_for(council, Role.COUNCILLOR)
    reads, edits = _pages(council, case, option)  # type: ignore[misc]
    edits += [
        reverse("cases:opportunity_defaults", args=[council.slug]),
        reverse("cases:release_add", args=[council.slug, case.pk]),
        reverse("cases:release_edit", args=[council.slug, case.pk, release.pk]),
        reverse("cases:release_delete", args=[council.slug, case.pk, release.pk]),
    ]
    for path in reads:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        main = html[html.index("<main") :]
        shown = [c for c in EDIT_CONTROLS if c in main]
        assert shown == [], (path, shown)
    audit_before = AuditEvent.objects.count()
    for path in edits:
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"name": "x", "code": "X"}).status_code == 403, path
    assert AuditEvent.objects.count() == audit_before
    assert Opportunity.objects.filter(council=council).count() == 1
    assert client.get(reverse("cases:workbook", args=[council.slug, case.pk])).status_code == 200
    # the same pages offer the edit controls to someone who may edit
    editor = client_for(council, Role.FINANCE).get(reads[3]).content.decode()
    assert "Change the assumptions" in editor and "Add a release" in editor


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


def _three_options(council: Council) -> tuple[BusinessCase, dict[str, CaseOption]]:
    """Do nothing; meet the MTFP (CM-1 only, at low); full ambition (CM-1 and ES-1 at high)."""
    case, preferred = small_case(council)
    staff_baseline(council, "enabling-support", "2000000", fte="40")
    es = pct_opportunity(council, "ES-1", "5", "10", layer_code="enabling-support")
    cm = Opportunity.objects.get(council=council, code="CM-1")
    nothing = services.option_create(case=case, name="Do nothing", actor=None)
    services.option_update(option=preferred, actor=None, name="Meet the MTFP", point="low")
    full = services.option_create(case=case, name="Full ambition", actor=None, point="high")
    services.option_lines_set(
        option=full,
        lines=[services.LineInput(cm, [D(0), D(1)]), services.LineInput(es, [D(0), D("0.5"), D("0.5")])],
        actor=None,
    )
    services.cost_create(
        option=full, actor=None, name="Programme team", kind=CostLine.Kind.IMPLEMENTATION, amounts=["250000"]
    )
    services.case_recommend(case=case, option=full, reasons="It closes the whole gap by 2027/28.", actor=None)
    return case, {"nothing": nothing, "mtfp": preferred, "full": full}


def test_options_are_appraised_side_by_side_with_the_recommendation(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, _ = _three_options(council)
    figures = selectors.case_figures(case, with_risk=False)
    by_name = {o.option.name: o.result for o in figures.options}
    assert all(r is not None for r in by_name.values())
    # do nothing: no saving, no cost; meet the MTFP: CM-1 at low (£100,000) half in each of years 2 and 3,
    # less £100,000 of cost: net 0, 50,000, 100,000 -> NPV at 0% £50,000
    assert by_name["Do nothing"].npv == 0 and by_name["Do nothing"].chosen_full_year == 0  # type: ignore[union-attr]
    assert by_name["Meet the MTFP"].chosen_full_year == D(100_000)  # type: ignore[union-attr]
    assert by_name["Meet the MTFP"].npv == D(50_000)  # type: ignore[union-attr]
    # full ambition: CM-1 at high (£200,000) in year 2; ES-1 at high (£200,000) half in years 2 and 3:
    # benefit 0, 300,000, 400,000 less £250,000 cost -> NPV £450,000
    assert by_name["Full ambition"].chosen_full_year == D(400_000)  # type: ignore[union-attr]
    assert by_name["Full ambition"].npv == D(450_000)  # type: ignore[union-attr]
    client = client_for(council, Role.COUNCILLOR)
    html = client.get(reverse("cases:case", args=[council.slug, case.pk])).content.decode()
    table = html[html.index("Options compared side by side") :]
    table = table[: table.index("</table>")]
    head = table[: table.index("</thead>")]
    assert head.index("Meet the MTFP") < head.index("Do nothing") < head.index("Full ambition")  # as added
    npv_row = table[table.index("Net present value") :]
    npv_row = npv_row[: npv_row.index("</tr>")]
    assert [c.split("<")[0] for c in npv_row.split('govuk-!-font-weight-bold">')[1:]] == [
        "£50,000",
        "£0",
        "£450,000",
    ]
    for figure in ("£0", "£50,000", "£450,000", "£100,000", "£400,000"):
        assert figure in table, figure
    assert 'Full ambition <strong class="govuk-tag govuk-tag--green">Recommended</strong>' in table
    assert "Recommended: Full ambition." in html and "It closes the whole gap by 2027/28." in html
    assert "Net present value of each option" in html  # the chart, beside the table
    document = client.get(reverse("cases:document", args=[council.slug, case.pk])).content.decode()
    economic = document[document.index("2. Economic case") : document.index("3. Commercial case")]
    for name in ("Do nothing", "Meet the MTFP", "Full ambition"):
        assert name in economic
    assert "£450,000" in economic and "£50,000" in economic
    assert "Recommended option: Full ambition." in economic
    assert "It closes the whole gap by 2027/28." in economic


def test_the_document_links_keep_the_option_shown(
    council: Council, client_for: Callable[..., Client]
) -> None:
    case, options = _three_options(council)
    client = client_for(council, Role.COUNCILLOR)
    chosen = options["mtfp"]
    html = client.get(
        reverse("cases:case", args=[council.slug, case.pk]) + f"?option={chosen.pk}"
    ).content.decode()
    for name in ("workbook", "document", "document_pdf"):
        link = reverse(f"cases:{name}", args=[council.slug, case.pk]) + f"?option={chosen.pk}"
        assert f'href="{link}"' in html, name
    document = client.get(reverse("cases:document", args=[council.slug, case.pk]) + f"?option={chosen.pk}")
    text = document.content.decode()
    assert "Option set out: Meet the MTFP." in text
    assert "£50,000" in text[text.index("<dl>") : text.index("</dl>")]  # its NPV, not full ambition's
    default = client.get(reverse("cases:document", args=[council.slug, case.pk])).content.decode()
    assert "Option set out: Full ambition (recommended)." in default


def test_phasing_by_release_through_the_forms(council: Council, client_for: Callable[..., Client]) -> None:
    case, option = small_case(council)
    opp = Opportunity.objects.get(council=council, code="CM-1")
    client = client_for(council, Role.FINANCE)
    add = reverse("cases:release_add", args=[council.slug, case.pk])
    for code, year in (("R1", "2026"), ("R2", "2027")):
        response = client.post(add, {"code": code, "name": f"Release {code}", "go_live_year": year})
        assert response.status_code == 302, response.content.decode()[:2000]
    r1, r2 = case.releases.order_by("go_live_year")
    data = {
        "option-name": "Preferred",
        "option-description": "",
        "option-point": "mid",
        f"inc_{opp.pk}": "on",
        f"point_{opp.pk}": "",
        f"custom_{opp.pk}": "",
        f"r{r1.pk}_{opp.pk}": "40",
        f"r{r2.pk}_{opp.pk}": "50",
    }
    url = reverse("cases:option_edit", args=[council.slug, case.pk, option.pk])
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "CM-1: the release shares add up to 90%; they must total 100%." in refused.content.decode()
    data[f"r{r2.pk}_{opp.pk}"] = "60"
    assert client.post(url, data).status_code == 302
    html = client.get(reverse("cases:case", args=[council.slug, case.pk])).content.decode()
    assert "Release: R1 40%, R2 60%" in html
    releases = html[html.index('id="releases"') :]
    assert "£60,000" in releases and "£90,000" in releases  # 40% and 60% of the £150,000 mid


def test_starting_from_the_illustrative_defaults(council: Council, client_for: Callable[..., Client]) -> None:
    client = client_for(council, Role.ADMIN)
    url = reverse("cases:opportunity_defaults", args=[council.slug])
    page = client.get(url).content.decode()
    assert "These ranges are illustrative, not evidence about your council" in page
    response = client.post(url)
    assert response.status_code == 302
    made = Opportunity.objects.filter(council=council)
    assert made.count() > 10 and all(o.illustrative for o in made)
    html = client.get(reverse("cases:opportunities", args=[council.slug])).content.decode()
    assert (
        f"{made.count()} of the {made.count()} opportunities have <strong>illustrative</strong> figures"
        in html
    )
    assert html.count('govuk-tag--yellow">Illustrative</strong>') == made.count()
    assert 'Staff cost share: 100% <strong class="govuk-tag govuk-tag--yellow">Illustrative default' in html
    assert AuditEvent.objects.filter(council=council, action="opportunity.create").count() == made.count()
