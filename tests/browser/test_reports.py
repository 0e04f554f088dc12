"""The board packs in a real Chromium: a councillor goes from the board page to the reports page, reads
each pack, chooses an earlier quarter and downloads a PDF. Every page visited is checked for accessibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, Membership
from wholecouncil.reports.engine import KINDS, period_containing
from wholecouncil.reports.tests.helpers import build

pytestmark = pytest.mark.browser


@pytest.fixture
def fictionshire(transactional_db: None) -> Council:
    return council_services.council_create(
        slug="fictionshire", name="Fictionshire County Council", is_demo=True
    )


def test_a_councillor_reads_every_board_pack(
    page: Any, fictionshire: Council, make_member: Callable[..., Membership]
) -> None:
    build(fictionshire, make_member)
    make_member(fictionshire, Role.COUNCILLOR, username="cllr.cole")
    sign_in(page, "cllr.cole")
    page.goto(f"/c/{fictionshire.slug}/portfolio/board/")
    check_page(page)
    page.get_by_role("link", name="reports page").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    index = page.url

    for pack in KINDS.values():
        page.goto(index)
        page.get_by_role("link", name=pack.title, exact=True).click()
        check_page(page)
        expect(page.get_by_role("heading", level=1)).to_contain_text(pack.title)
        headings = page.locator("main h2.govuk-heading-l")
        expect(headings).to_have_text([s.heading for s in pack.sections])
        contents = page.get_by_role("navigation", name="Contents").get_by_role("link")
        expect(contents).to_have_count(len(pack.sections))

    earlier = period_containing("quarterly", timezone.localdate()).shifted(-1)
    page.goto(index)
    page.get_by_role("link", name=KINDS["quarterly"].title, exact=True).click()
    page.get_by_label("Period", exact=True).select_option(earlier.key)
    page.get_by_role("button", name="Show").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(earlier.label)
    expect(page.get_by_text("The board made no decisions in the quarter.")).to_be_visible()

    link = page.get_by_role("link", name="Download this pack as a PDF")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert earlier.key in pdf.headers["content-disposition"]
