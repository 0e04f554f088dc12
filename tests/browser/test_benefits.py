"""The benefits register in a real Chromium: finance validates, the board signs off, finance signs off, and
the saving appears as banked in the MTFP position; finance records a monthly actual with its evidence and
sees the variance and RAG; an over-claimed budget line refuses a sign-off; the realisation curve shows its
figures. Every page visited is checked for accessibility."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.council import services as council_services
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council, Membership

pytestmark = pytest.mark.browser


@pytest.fixture
def fictionshire(transactional_db: None) -> Council:
    return council_services.council_create(
        slug="fictionshire", name="Fictionshire County Council", is_demo=True
    )


def go(page: Any, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).first.click()
    check_page(page)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


def banked_this_year(page: Any, year: str) -> str:
    row = (
        page.get_by_role("table", name=re.compile("Position by year"))
        .get_by_role("row")
        .filter(has_text=year)
    )
    return str(row.locator("td").nth(1).inner_text())


def test_finance_validates_the_board_signs_off_and_the_saving_is_banked(
    page: Any, fictionshire: Council, make_member: Callable[..., Membership]
) -> None:
    make_member(fictionshire, Role.FINANCE, username="fran.finance")
    make_member(fictionshire, Role.PROGRAMME_LEAD, username="lee.lead")
    make_member(fictionshire, Role.COUNCILLOR, username="cllr.cole")
    year = FinancialYear.containing(timezone.localdate())
    line = services.budget_line_save(
        council=fictionshire,
        data={"code": "R1010", "name": "Customer services staffing", "baseline": Decimal("500000")},
        actor=None,
    )
    services.savings_required_set(
        council=fictionshire, amounts={year.start_year: Decimal("200000")}, actor=None
    )
    services.benefit_create(
        council=fictionshire,
        data=services.BenefitInput(
            values={
                "reference": "BEN-001",
                "title": "One customer contact team",
                "feature": "A single front door for every contact",
                "category": "staff_cost",
                "owner": "Head of Customer Services",
                "budget_line": line,
                "full_year_value": Decimal("120000"),
                "tolerance_pct": Decimal("10"),
            },
            profile={year.start_year: Decimal("120000"), year.start_year + 1: Decimal("120000")},
        ),
        actor=None,
    )

    # Finance finds the benefit in the register, sees it is pipeline, and validates it.
    sign_in(page, "fran.finance")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Benefits").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits register")
    go(page, "BEN-001 One customer contact team")
    expect(page.locator(".govuk-inset-text")).to_contain_text("This benefit is pipeline")
    go(page, "Validate")
    page.get_by_role("button", name="Validate").click()
    check_page(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("validate recorded")
    go(page, "Back to the register")
    go(page, "MTFP position")
    expect(page.get_by_role("img", name=re.compile("Savings by year"))).to_be_visible()
    assert banked_this_year(page, str(year)) == "£0"
    sign_out(page)

    # The programme lead signs off for the board; finance's sign-off is not theirs to give.
    sign_in(page, "lee.lead")
    page.goto(f"/c/{fictionshire.slug}/benefits/")
    check_page(page)
    go(page, "BEN-001 One customer contact team")
    expect(page.get_by_role("link", name="Sign off for finance", exact=True)).to_have_count(0)
    go(page, "Sign off for the board")
    page.get_by_label("Note (optional)").fill("Transformation board, 12 March")
    page.get_by_role("button", name="Sign off for the board").click()
    check_page(page)
    expect(page.locator("main .govuk-tag").first).to_have_text("Validated by finance")
    sign_out(page)

    # Finance gives the second sign-off: the benefit is in delivery and its saving is banked.
    sign_in(page, "fran.finance")
    page.goto(f"/c/{fictionshire.slug}/benefits/")
    go(page, "BEN-001 One customer contact team")
    go(page, "Sign off for finance")
    page.get_by_role("button", name="Sign off for finance").click()
    check_page(page)
    expect(page.locator("main .govuk-tag").first).to_have_text("In delivery")
    expect(page.locator(".govuk-inset-text")).to_contain_text("banked in the Medium Term Financial Plan")
    go(page, "Back to the register")
    go(page, "MTFP position")
    assert banked_this_year(page, str(year)) == "£120,000"
    go(page, "Realisation curve")
    go(page, "Budget lines")
    sign_out(page)

    # A councillor reads the position and the benefit, and is offered nothing to change.
    sign_in(page, "cllr.cole")
    page.goto(f"/c/{fictionshire.slug}/benefits/mtfp/")
    check_page(page)
    assert banked_this_year(page, str(year)) == "£120,000"
    go(page, "Register")
    go(page, "BEN-001 One customer contact team")
    expect(page.get_by_role("heading", name="What you can do")).to_have_count(0)


def _signed_off(council: Council, finance: Membership, lead: Membership, **values: Any) -> Any:
    b = services.benefit_create(council=council, data=services.BenefitInput(**values), actor=None)
    for action, who in (
        (Action.VALIDATE, finance),
        (Action.BOARD_SIGN_OFF, lead),
        (Action.FINANCE_SIGN_OFF, finance),
    ):
        b = services.benefit_transition(benefit=b, action=action, actor=who.user, role=who.role)
    return b


def test_actuals_with_evidence_the_refused_over_claim_and_the_realisation_curve(
    page: Any, fictionshire: Council, make_member: Callable[..., Membership]
) -> None:
    finance = make_member(fictionshire, Role.FINANCE, username="fran.finance")
    lead = make_member(fictionshire, Role.PROGRAMME_LEAD, username="lee.lead")
    year = FinancialYear.containing(timezone.localdate())
    line = services.budget_line_save(
        council=fictionshire,
        data={"code": "R1010", "name": "Customer services staffing", "baseline": Decimal("500000")},
        actor=None,
    )
    common = {"feature": "A single front door", "category": "staff_cost", "owner": "Head of Service"}
    _signed_off(
        fictionshire,
        finance,
        lead,
        values={
            **common,
            "reference": "BEN-001",
            "title": "One customer contact team",
            "budget_line": line,
            "full_year_value": Decimal("120000"),
            "tolerance_pct": Decimal("10"),
        },
        profile={year.start_year: Decimal("120000")},
    )
    second = services.benefit_create(
        council=fictionshire,
        data=services.BenefitInput(
            values={
                **common,
                "reference": "BEN-002",
                "title": "Contact centre automation",
                "budget_line": line,
                "full_year_value": Decimal("450000"),
                "tolerance_pct": Decimal("10"),
            },
            profile={year.start_year: Decimal("450000")},
        ),
        actor=None,
    )
    services.benefit_transition(benefit=second, action=Action.VALIDATE, actor=finance.user, role=finance.role)

    # Finance records April's actual, £4,000 against a plan of £10,000 a month, with a note and a file.
    sign_in(page, "fran.finance")
    page.goto(f"/c/{fictionshire.slug}/benefits/")
    check_page(page)
    go(page, "BEN-001 One customer contact team")
    go(page, "Record a monthly actual")
    page.get_by_label("Month", exact=True).fill(f"{year.starts:%Y-%m}")
    page.get_by_label("Amount delivered in the month").fill("4000")
    page.get_by_label("Evidence note").fill("Payroll report for April: two posts deleted")
    page.get_by_label("Evidence file (optional)").set_input_files(
        files=[{"name": "payroll-april.csv", "mimeType": "text/csv", "buffer": b"post,saving\nCS01,2000\n"}]
    )
    page.get_by_role("button", name="Save the actual").click()
    check_page(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recorded")
    actuals = page.get_by_role("table", name=re.compile("month recorded"))
    expect(actuals).to_contain_text("Payroll report for April: two posts deleted")
    expect(actuals.get_by_role("link", name="payroll-april.csv")).to_be_visible()
    # Forecast £4,000 + £110,000 for the months not yet reported: £6,000 (5%) short, within tolerance.
    row = (
        page.get_by_role("region", name="Plan, actuals and forecast by year")
        .get_by_role("row")
        .filter(has_text=str(year))
    )
    expect(row).to_contain_text("£114,000")
    expect(row).to_contain_text("\N{MINUS SIGN}£6,000")
    expect(row).to_contain_text("Amber")
    expect(row).to_contain_text("On track")

    # Signing off BEN-002 would claim £570,000 from a £500,000 line: refused, naming BEN-001.
    go(page, "Back to the register")
    go(page, "BEN-002 Contact centre automation")
    go(page, "Sign off for finance")
    warning = page.locator(".govuk-warning-text")
    expect(warning).to_contain_text("BEN-002 cannot be signed off")
    expect(warning).to_contain_text("together with BEN-001 One customer contact team (£120,000.00)")
    page.get_by_role("button", name="Sign off for finance").click()
    check_page(page)
    expect(page.get_by_role("alert")).to_contain_text("BEN-001 One customer contact team")
    expect(page.get_by_role("alert")).to_contain_text("£70,000.00 more than the line's baseline")
    go(page, "Back to BEN-002")
    expect(page.locator("main .govuk-tag").first).to_have_text("Validated by finance")

    # The realisation curve, with its figures in a table beside it.
    go(page, "Back to the register")
    go(page, "Realisation curve")
    expect(page.get_by_role("img", name=re.compile("Cumulative planned and actual savings"))).to_be_visible()
    figures = page.get_by_role("table", name=re.compile("planned and actual savings by month"))
    april = figures.get_by_role("row").filter(has_text=f"Apr {year.start_year}")
    expect(april.locator("td")).to_have_text(["£10,000", "£10,000", "£4,000", "£4,000"])
    realised = page.get_by_role("table", name="By category")
    expect(realised.get_by_role("row").filter(has_text="Staff cost reduction")).to_contain_text("£4,000")
    page.get_by_label("Council", exact=True).select_option(label="Whole benefits")
    page.get_by_role("button", name="Show").click()
    check_page(page)
    expect(figures).to_contain_text("whole benefits")
