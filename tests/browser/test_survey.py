"""The staff time survey in a real Chromium: an admin opens it, staff answer it, the admin closes it.

Every page visited is checked with axe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services import survey as services
from wholecouncil.activity.tests.survey_factories import staff
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, Membership

pytestmark = pytest.mark.browser


@pytest.fixture
def fictionshire(transactional_db: None) -> Council:
    council = council_services.council_create(
        slug="fictionshire", name="Fictionshire County Council", is_demo=True
    )
    staff(council, 12)
    return council


@pytest.fixture
def staff_tab(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A second browser, with no account: the member of staff opening their personal link."""
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _respondent(survey: Survey) -> Respondent:
    return Respondent.objects.filter(survey=survey, contracted_hours=37).order_by("ref").first()


def test_running_and_answering_a_survey(
    page: Any, staff_tab: Any, fictionshire: Council, make_member: Callable[..., Membership]
) -> None:
    make_member(fictionshire, Role.ADMIN, username="tess.admin")
    sign_in(page, "tess.admin")
    page.goto(f"/c/{fictionshire.slug}/activity/surveys/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff time surveys")
    check_page(page)

    # Create: a mistake first, then the survey.
    page.get_by_role("button", name="Create a survey").click()
    check_page(page)
    page.get_by_role("button", name="Create the survey").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the survey")
    check_page(page)
    page.get_by_label("Title").fill("Where our time goes")
    page.get_by_label("Introduction (optional)").fill("Tell us about a typical week.")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Create the survey").click()
    expect(page.get_by_role("alert")).to_contain_text("Survey created as a draft")
    check_page(page)

    # Open it: one link per filled post.
    page.get_by_role("button", name="Open the survey").click()
    expect(page.locator("main")).to_contain_text("each of the 9 filled posts")
    check_page(page)
    page.get_by_role("button", name="Open the survey").click()
    expect(page.get_by_role("alert")).to_contain_text("9 personal links created")
    rates = page.get_by_role("table", name="Response rates by directorate, service and team")
    expect(rates.get_by_role("row", name=re.compile("^Whole council"))).to_contain_text("0%")
    check_page(page)
    page.get_by_role("link", name="Send reminders").click()
    expect(page.get_by_role("button", name="Download outstanding links (Excel)")).to_be_visible()
    check_page(page)

    # A member of staff answers through their link: no account, no council navigation.
    survey = Survey.objects.get(council=fictionshire)
    person = _respondent(survey)
    staff_tab.goto(f"/s/{person.token}/")
    expect(staff_tab.get_by_role("heading", level=1)).to_have_text("Where our time goes")
    expect(staff_tab.locator("main")).to_contain_text(f"You are answering as {person.job_title}")
    expect(staff_tab.get_by_role("navigation", name="Menu")).to_have_count(0)
    total = staff_tab.locator("#total")
    expect(total).to_contain_text("Total: 0 of 37 hours")
    check_page(staff_tab)

    staff_tab.get_by_label("Handling enquiries").fill("20")
    expect(total).to_contain_text("Total: 20 of 37 hours")
    expect(total).to_contain_text("17 hours left to account for")
    staff_tab.get_by_label("HR and recruitment").fill("20")
    expect(total).to_contain_text("3 hours more than your contracted hours")
    staff_tab.get_by_label("HR and recruitment").fill("")
    expect(staff_tab.locator("[data-survey-announce]")).to_have_text(
        "Total 20 of 37 hours. 17 hours left to account for"
    )
    check_page(staff_tab)

    staff_tab.get_by_role("button", name="Save and come back later").click()
    expect(staff_tab.get_by_role("alert")).to_contain_text("Your answers have been saved")
    check_page(staff_tab)

    # Coming back later with the same link: the answers are there.
    staff_tab.goto("about:blank")
    staff_tab.goto(f"/s/{person.token}/")
    expect(staff_tab.get_by_label("Handling enquiries")).to_have_value("20")
    expect(total).to_contain_text("Total: 20 of 37 hours")

    # Sending a total that does not add up: the server says which and where.
    staff_tab.get_by_label("Finance and budget management").fill("10")
    expect(total).to_contain_text("7 hours left to account for")
    staff_tab.get_by_role("button", name="Send your answers").click()
    expect(staff_tab).to_have_title(re.compile(r"^Error: "))
    summary = staff_tab.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Your hours add up to 30 but must add up to your contracted 37 hours")
    check_page(staff_tab)
    summary.get_by_role("link").first.click()
    expect(staff_tab.get_by_label("Information and advice")).to_be_focused()

    staff_tab.get_by_label("Finance and budget management").fill("17")
    expect(total).to_contain_text("Adds up to your contracted hours")
    staff_tab.get_by_label("Anything else you want to tell us? (optional)").fill(
        "Half my week is phone calls."
    )
    staff_tab.get_by_role("button", name="Send your answers").click()
    expect(staff_tab.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    expect(staff_tab.get_by_role("table", name="Your answers")).to_contain_text("Handling enquiries")
    check_page(staff_tab)
    person.refresh_from_db()
    assert person.status == Respondent.Status.SUBMITTED
    assert person.answers == {"enquiries": 20.0, "finance": 17.0}

    # The link again: the same confirmation, nothing to change.
    staff_tab.goto(f"/s/{person.token}/")
    expect(staff_tab.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")

    # The admin sees the response rate move, then closes the survey.
    page.goto(f"/c/{fictionshire.slug}/activity/surveys/{survey.pk}/")
    expect(rates.get_by_role("row", name=re.compile("^Whole council"))).to_contain_text("11%")
    expect(page.locator("main")).not_to_contain_text("Half my week")
    expect(page.locator("main")).to_contain_text(
        "Results appear on the activity analysis pages when the survey is closed"
    )
    check_page(page)

    # While it is open the results pages show no figures, only when they will appear.
    page.goto(f"/c/{fictionshire.slug}/activity/")
    expect(page.locator("main")).to_contain_text("Its results appear here once it is closed")
    expect(page.locator("main")).to_contain_text("1 of 9 staff have answered")
    expect(page.get_by_role("table")).to_have_count(0)
    check_page(page)

    page.goto(f"/c/{fictionshire.slug}/activity/surveys/{survey.pk}/")
    page.get_by_role("link", name="Close the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to close the survey?")
    check_page(page)
    page.get_by_role("button", name="Close the survey").click()
    expect(page.get_by_role("alert")).to_contain_text("Survey closed")
    check_page(page)

    # Closed, it has results: one answer is too few to show any figure, and the pages say so.
    page.get_by_role("link", name="See the results of this survey").click()
    expect(page.locator("main")).to_contain_text("Hidden: fewer than 5 answers")
    check_page(page)
    page.goto(f"/c/{fictionshire.slug}/activity/directorates/")
    fte_table = page.get_by_role("table", name="FTE by process (rows) and directorate (columns)")
    expect(fte_table.get_by_role("row", name=re.compile("^Handling enquiries"))).to_contain_text("hidden")
    expect(page.get_by_role("table", name=re.compile("^Annual cost in pounds by process"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^FTE by layer"))).to_be_visible()
    check_page(page)

    # Someone else's link after closing: a polite refusal.
    other = Respondent.objects.filter(survey=survey, status=Respondent.Status.NOT_STARTED).first()
    staff_tab.goto(f"/s/{other.token}/")
    expect(staff_tab.get_by_role("heading", level=1)).to_have_text("This survey has closed")
    check_page(staff_tab)


def test_the_survey_works_without_javascript(chromium: Any, live_server: Any, fictionshire: Council) -> None:
    survey = services.survey_create(council=fictionshire, title="No script", actor=None)
    services.survey_open(survey=survey, actor=None)
    person = _respondent(survey)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"/s/{person.token}/")
        tab.get_by_label("Handling enquiries").fill("30")
        tab.get_by_role("button", name="Save and come back later").click()
        expect(tab.locator("#total")).to_contain_text("Total: 30 of 37 hours")
        expect(tab.locator("#total")).to_contain_text("7 hours left to account for")
        tab.get_by_role("button", name="Send your answers").click()
        expect(tab.locator(".govuk-error-summary")).to_contain_text("Your hours add up to 30")
        tab.get_by_label("Bookings and appointments").fill("7")
        tab.get_by_role("button", name="Send your answers").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    finally:
        context.close()
    person.refresh_from_db()
    assert person.status == Respondent.Status.SUBMITTED
