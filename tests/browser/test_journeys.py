"""Journeys through the council pages in a real Chromium, with an accessibility check on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import crawl, sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.council import services
from wholecouncil.council.models import AuditEvent, Council, DesignPrinciple, Membership, OrgUnit
from wholecouncil.demo.plan import DEMO_PASSWORD
from wholecouncil.workforce.models import Post

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_council(transactional_db: None) -> Council:
    return services.council_create(slug="fictionshire", name="Fictionshire County Council", is_demo=True)


# Pages reached through the "Council" set-up page rather than the menu: menu text -> link text there.
SETUP_LINKS = {
    "Establishment": "Establishment",
    "Services": "Service catalogue",
    "Partnerships": "Partnerships",
    "People": "People and roles",
    "Audit log": "Audit log",
}


def nav(page: Any, text: str) -> None:
    menu = page.get_by_role("navigation", name="Menu")
    if text in SETUP_LINKS:
        menu.get_by_role("link", name="Council", exact=True).click()
        check_page(page)
        page.locator("main").get_by_role("link", name=SETUP_LINKS[text], exact=True).click()
    else:
        menu.get_by_role("link", name=text, exact=True).click()
    check_page(page)


def test_transformation_office_admin_journey(
    page: Any, demo_council: Council, make_member: Callable[..., Membership], shared_data_dir: Path
) -> None:
    make_member(demo_council, Role.ADMIN, username="tess.admin")
    sign_in(page, "tess.admin")

    # Straight to the only council's overview, with the fictional-council banner.
    expect(page.get_by_role("heading", level=1)).to_have_text("Fictionshire County Council")
    expect(page.locator(".wc-demo-banner")).to_contain_text(
        "Fictionshire County Council is a fictional council"
    )
    check_page(page)

    nav(page, "Operating model")
    expect(page.get_by_role("heading", level=1)).to_have_text("Operating model")
    expect(page.get_by_text("Seven-layer model")).to_be_visible()

    page.get_by_role("link", name="Choose a template").click()
    check_page(page)
    expect(page.get_by_label("Seven-layer model")).to_be_checked()
    page.get_by_label("Six-function model").check()
    page.get_by_role("button", name="Use this template").click()
    expect(page.get_by_role("alert")).to_contain_text("Layers replaced with the template.")
    layers = page.get_by_role("table", name="Layers of the operating model")
    expect(layers.get_by_role("rowheader", name="Commissioning and procurement")).to_be_visible()
    expect(layers.get_by_role("rowheader", name="Customer assessment")).to_have_count(0)
    check_page(page)

    page.get_by_role("link", name="Add a design principle").click()
    check_page(page)
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the principle's title")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    summary.get_by_role("link", name="Enter the principle's title").click()
    expect(page.get_by_label("Title")).to_be_focused()
    page.get_by_label("Title").fill("Green by design")
    page.get_by_label("Short code").fill("green-by-design")
    page.get_by_label("One-line description").fill("Every change lowers the council's carbon footprint")
    page.get_by_label("We will").fill("Count the carbon of each option\nChoose the lower-carbon option")
    page.get_by_label("We won't").fill("Ignore the carbon cost of a proposal")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Design principle saved.")
    card = page.locator(".govuk-summary-card", has_text="Green by design")
    expect(card).to_contain_text("Choose the lower-carbon option")
    expect(card).to_contain_text("Ignore the carbon cost of a proposal")
    check_page(page)
    assert DesignPrinciple.objects.filter(council=demo_council, code="green-by-design").exists()

    nav(page, "Audit log")
    created = page.locator(".govuk-summary-card", has_text="principle.create")
    expect(created).to_contain_text("Green by design")
    expect(created).to_contain_text("by tess.admin")
    template = page.locator(".govuk-summary-card", has_text="operating_model.apply_template")
    expect(template.locator(".wc-diff-before").first).to_contain_text("Customer assessment")
    expect(template.locator(".wc-diff-after").first).to_contain_text("Commissioning and procurement")
    page.get_by_label("Show changes to").select_option(label="Design principles")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".govuk-summary-card")).to_have_count(1)
    check_page(page)
    assert AuditEvent.objects.filter(council=demo_council, action="principle.create").count() == 1

    # The establishment: upload the Trafford sample, match the columns, check, confirm.
    nav(page, "Establishment")
    expect(page.get_by_text("No establishment has been imported yet.")).to_be_visible()
    page.get_by_role("button", name="Import an establishment list").click()
    check_page(page)
    trafford = shared_data_dir / "samples" / "trafford-organisation-structure-2025-07.csv"
    page.get_by_label("Upload an establishment list").set_input_files(str(trafford))
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")
    expect(page.get_by_label("Job title")).to_have_value("JobTitle")
    check_page(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm the import")
    check_page(page)
    assert not Post.objects.filter(council=demo_council).exists(), "nothing is imported before confirming"
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("alert")).to_contain_text("Imported 80 posts")
    check_page(page)
    assert Post.objects.filter(council=demo_council).count() == 80

    nav(page, "Organisation")
    tree = page.get_by_role("table", name="Directorates, services and teams")
    expect(tree.get_by_role("link", name="Children's Services", exact=True)).to_be_visible()
    tree.get_by_role("link", name="Children's Services", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's Services")
    check_page(page)

    nav(page, "Audit log")
    expect(page.locator(".govuk-summary-card", has_text="establishment.import")).to_have_count(1)
    check_page(page)


def test_councillor_sees_the_operating_model_without_change_links(
    page: Any, demo_council: Council, make_member: Callable[..., Membership]
) -> None:
    make_member(demo_council, Role.COUNCILLOR, username="cllr.reader")
    sign_in(page, "cllr.reader")
    expect(page.get_by_text("Councillor (read only)").first).to_be_visible()
    check_page(page)
    nav(page, "Operating model")
    main = page.locator("main")
    expect(main.get_by_role("rowheader", name="Customer management")).to_be_visible()
    expect(main.get_by_text("Designed around residents")).to_be_visible()
    for name in (
        "Change",
        "Remove",
        "Choose a template",
        "Add a layer",
        "Add a lever",
        "Add a design principle",
    ):
        expect(main.get_by_role("link", name=re.compile(f"^{name}"))).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    response = page.goto(f"/c/{demo_council.slug}/operating-model/layers/add/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.locator("main")).to_contain_text("Your role (Councillor (read only)) cannot do this.")
    check_page(page)
    response = page.goto("/c/no-such-council/operating-model/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page)


def test_services_search(page: Any, demo_council: Council, make_member: Callable[..., Membership]) -> None:
    services.services_import(
        council=demo_council,
        entries=[(524, "Household waste collection", "Collecting bins from homes")]
        + [(1000 + i, f"Street service {i:02d}", "Roads and pavements") for i in range(60)],
        actor=None,
    )
    make_member(demo_council, Role.PROJECT_MANAGER, username="pat.pm")
    sign_in(page, "pat.pm")
    nav(page, "Services")
    expect(page.get_by_role("status")).to_have_text("61 services")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("table", name="Services").get_by_role("row")).to_have_count(12)
    check_page(page)
    search = page.get_by_label("Search services")
    search.fill("bins")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 service matching “bins”")
    expect(page.get_by_role("cell", name="Household waste collection")).to_be_visible()
    check_page(page)
    page.get_by_label("Search services").fill("524")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 service matching “524”")
    page.get_by_label("Search services").fill("no such thing")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("0 services matching “no such thing”")
    check_page(page)


def test_every_page_an_admin_can_reach_is_accessible(
    page: Any,
    demo_council: Council,
    make_council: Callable[..., Council],
    make_member: Callable[..., Membership],
) -> None:
    """Follow every link from the overview (pages added by later modules included) and check each page."""
    other = make_council(slug="otherton", name="Otherton Borough Council")
    partnership = services.partnership_create(
        name="Fictionshire and Otherton", councils=[demo_council, other], actor=None
    )
    unit = services.org_unit_create(
        council=demo_council, name="Shared legal", kind=OrgUnit.Kind.SERVICE, actor=None
    )
    services.org_unit_share(
        unit=unit, partnership=partnership, shares={demo_council: 50, other: 50}, actor=None
    )
    services.services_import(
        council=demo_council, entries=[(i, f"Service {i:03d}", "") for i in range(1, 80)], actor=None
    )
    services.org_unit_create(council=demo_council, name="Shared payroll", kind=OrgUnit.Kind.TEAM, actor=None)
    make_member(demo_council, Role.ADMIN, username="crawl.admin")
    sign_in(page, "crawl.admin")
    visited = crawl(page)

    # The partnership page's error and success states.
    page.goto(f"/c/{demo_council.slug}/partnerships/{partnership.pk}/")
    page.get_by_label("Unit").select_option(label="Shared payroll (Team)")
    page.get_by_label("Fictionshire County Council").fill("60")
    page.get_by_label("Otherton Borough Council").fill("30")
    page.get_by_role("button", name="Save shares").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Shares add up to 90%, not 100%.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    page.get_by_label("Unit").select_option(label="Shared payroll (Team)")
    page.get_by_label("Fictionshire County Council").fill("70")
    page.get_by_label("Otherton Borough Council").fill("30")
    page.get_by_role("button", name="Save shares").click()
    expect(page.get_by_role("alert")).to_contain_text("Shares saved.")
    expect(page.get_by_role("table", name="Shared units and each council's share")).to_contain_text(
        "Shared payroll"
    )
    check_page(page)
    for part in (
        "operating-model/",
        "services/",
        "audit/",
        "partnerships/",
        "layers/add/",
        "/edit/",
        "/delete/",
    ):
        assert any(part in url for url in visited), f"the crawl never reached a {part} page; it saw {visited}"


def test_every_page_of_the_fictional_demo_is_accessible(page: Any, transactional_db: None) -> None:
    """The demo councils have the richest data: a full organisation tree, shares, imports and history."""
    call_command("demo", stdout=StringIO())
    sign_in(page, "exampleshire-admin", DEMO_PASSWORD)
    expect(page.locator(".wc-demo-banner")).to_contain_text("is a fictional council")
    visited = crawl(page)
    for part in ("organisation/", "establishment/import/", "partnerships/", "/costs/", "?page="):
        assert any(part in url for url in visited), f"the crawl never reached a {part} page; it saw {visited}"


def test_the_page_checks_catch_problems(page: Any) -> None:
    """The checker itself: a missing alt text, a missing title and a second h1 are each reported."""
    page.set_content('<html lang="en"><title>Bad</title><main><h1>One</h1><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match=r"image-alt[\s\S]*img"):
        check_page(page)
    page.set_content('<html lang="en"><title>Two</title><main><h1>One</h1><h1>Two</h1></main></html>')
    with pytest.raises(AssertionError, match="2 h1 elements"):
        check_page(page)
    page.set_content('<html lang="en"><main><h1>One</h1></main></html>')
    with pytest.raises(AssertionError, match="no <title>"):
        check_page(page)
