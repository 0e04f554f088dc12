"""The benefits register in a real Chromium: finance validates, the board signs off, finance signs off,
and the saving appears as banked in the MTFP position. Every page visited is checked for accessibility."""

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
