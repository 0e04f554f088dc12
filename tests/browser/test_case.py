"""The business-case journey in a real Chromium: edit an assumption, see the case's totals change, download
the workbook; every page visited is checked with axe."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.cases.models import Opportunity
from wholecouncil.cases.tests.factories import small_case
from wholecouncil.council import services
from wholecouncil.council.models import AuditEvent, Council, Membership

pytestmark = pytest.mark.browser


@pytest.fixture
def case_council(transactional_db: None) -> Council:
    return services.council_create(slug="casebury", name="Casebury County Council", is_demo=True)


def test_finance_edits_an_assumption_and_downloads_the_workbook(
    page: Any, case_council: Council, make_member: Callable[..., Membership]
) -> None:
    case, _ = small_case(case_council)
    make_member(case_council, Role.FINANCE, username="fay.finance")
    sign_in(page, "fay.finance")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Business case", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Business case")
    check_page(page)

    page.get_by_role("link", name="Test case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test case")
    headline = page.locator("#headline")
    expect(headline.locator('[data-figure="final_benefit"]')).to_have_text("£150,000")
    expect(headline.locator('[data-figure="payback"]')).to_have_text("2027/28")
    chart = page.get_by_role("img", name="Benefits, costs and cumulative net position by year")
    expect(chart).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="Back to the business case").click()
    page.get_by_role("link", name="See every opportunity and its assumptions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities")
    check_page(page)
    page.get_by_role("link", name="Change CM-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change CM-1")
    check_page(page)

    # a percentage outside 0-100 is refused at the field
    page.get_by_label("High saving, % of the baseline").fill("120")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a percentage between 0 and 100")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)

    page.get_by_label("Low saving, % of the baseline").fill("20")
    page.get_by_label("High saving, % of the baseline").fill("40")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Opportunity CM-1 saved.")
    row = page.get_by_role("row", name=re.compile("CM-1"))
    expect(row).to_contain_text("£300,000")
    check_page(page)
    assert AuditEvent.objects.filter(council=case_council, action="opportunity.update").exists()

    page.goto(f"/c/{case_council.slug}/business-case/cases/{case.pk}/")
    expect(headline.locator('[data-figure="final_benefit"]')).to_have_text("£300,000")
    expect(headline.locator('[data-figure="npv"]')).to_have_text("£350,000")
    check_page(page)

    with page.expect_download() as caught:
        page.get_by_role("link", name="Workbook with live formulas (XLSX)").click()
    download = caught.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()), data_only=True)  # noqa: SIM115
    profile = book["Profile"]
    assert [profile.cell(4, c).value for c in range(2, 5)] == [0, 150000, 300000]
    assert profile["B26"].value == 350000

    page.get_by_role("link", name="Business-case document (HTML)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test case")
    expect(page.get_by_role("heading", name="4. Financial case")).to_be_visible()
    check_page(page)


def test_an_overlapping_opportunity_is_refused_with_an_error_summary(
    page: Any, case_council: Council, make_member: Callable[..., Membership]
) -> None:
    small_case(case_council)  # CM-1 claims up to 20% of customer management's staff cost
    make_member(case_council, Role.FINANCE, username="fay.finance")
    sign_in(page, "fay.finance")
    page.goto(f"/c/{case_council.slug}/business-case/opportunities/add/")
    page.get_by_label("Short code").fill("CM-2")
    page.get_by_label("Name").first.fill("Standard triage")
    page.get_by_label("Layer of the operating model").select_option(label="Customer management")
    page.get_by_label("Lever").select_option(label="Ways of working")
    page.get_by_label("Staff cost of the processes mapped to the layer").check()
    page.get_by_label("Percentage of the baseline").check()
    page.get_by_label("Low saving, % of the baseline").fill("50")
    page.get_by_label("High saving, % of the baseline").fill("90")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("CM-1 (20%), CM-2 (90%) together claim 110%")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_high_pct")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    assert not Opportunity.objects.filter(council=case_council, code="CM-2").exists()


def test_a_councillor_reads_the_case_without_edit_controls(
    page: Any, case_council: Council, make_member: Callable[..., Membership]
) -> None:
    case, _ = small_case(case_council)
    make_member(case_council, Role.COUNCILLOR, username="cllr.case")
    sign_in(page, "cllr.case")
    page.goto(f"/c/{case_council.slug}/business-case/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Options appraisal")).to_be_visible()
    expect(page.get_by_role("link", name="Change the assumptions")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Add a cost"))).to_have_count(0)
    check_page(page)
    response = page.goto(f"/c/{case_council.slug}/business-case/cases/{case.pk}/assumptions/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("button", name="Save assumptions")).to_have_count(0)
