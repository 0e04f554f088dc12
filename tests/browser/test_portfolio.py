"""The portfolio in a real Chromium: a gate submission, the board's decision and the condition closed, then
the next gate's document uploaded; and every portfolio page checked for accessibility."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import crawl, sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import Condition, Project

pytestmark = pytest.mark.browser


@pytest.fixture
def fictionshire(transactional_db: None) -> Council:
    return council_services.council_create(
        slug="fictionshire", name="Fictionshire County Council", is_demo=True
    )


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


def go(page: Any, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).first.click()
    check_page(page)


def test_gate_submission_board_decision_and_condition_closed(
    page: Any, fictionshire: Council, make_member: Callable[..., Membership]
) -> None:
    pm = make_member(fictionshire, Role.PROJECT_MANAGER, username="pat.pm")
    make_member(fictionshire, Role.PROGRAMME_LEAD, username="lee.lead")
    cx = services.programme_save(
        council=fictionshire, data={"code": "cx", "name": "Customer experience"}, actor=None
    )
    services.project_create(
        council=fictionshire,
        data={"code": "CX-01", "name": "Online forms and accounts", "manager": pm.user, "programme": cx},
        actor=None,
    )

    # The project manager tries to submit, is told the assessment is missing, assesses, then submits.
    sign_in(page, "pat.pm")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Portfolio").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    go(page, "Projects")
    go(page, "CX-01 Online forms and accounts")
    page.get_by_role("button", name="Submit for gate 1").click()
    check_page(page)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "A project cannot pass gate 1 without a design-principles assessment."
    )
    go(page, "Assess the project against the design principles")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whether the project supports")
    check_page(page)
    fieldsets = page.locator("form fieldset")
    for i in range(fieldsets.count()):
        fieldset = fieldsets.nth(i)
        fieldset.get_by_label("Conflicts" if i == 0 else "Supports", exact=True).check()
        fieldset.get_by_role("textbox").fill("Checked at the design workshop")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("Design-principles assessment recorded.")
    check_page(page)
    page.get_by_role("button", name="Submit for gate 1").click()
    check_page(page)
    page.get_by_label("What the project asks the board to agree").fill("Agree the early proposal.")
    for box in page.get_by_label("Met").all():
        box.check()
    page.get_by_role("button", name="Submit to the board").click()
    expect(page.get_by_role("alert")).to_contain_text("Submitted for gate 1.")
    expect(page.get_by_text("waiting for the board's decision")).to_be_visible()
    check_page(page)
    expect(page.get_by_role("button", name="Record the board's decision")).to_have_count(0)
    sign_out(page)

    # The programme lead records the board's decision: a plain approval is refused because of the conflict.
    sign_in(page, "lee.lead")
    page.goto(f"/c/{fictionshire.slug}/portfolio/board/")
    check_page(page)
    go(page, "Decide gate 1 for CX-01")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Reasons").fill("A sound proposal.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("conflicts with")
    check_page(page)
    page.get_by_label("Approve with conditions").check()
    page.get_by_label("Reasons").fill("A sound proposal, once the channel conflict is resolved.")
    page.locator("#condition-1").fill("Close the separate phone line for forms")
    page.locator("#condition-1-owner").fill("Head of customer services")
    page.locator("#condition-1-due").fill("2026-03-31")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded: approve with conditions.")
    check_page(page)
    conditions = page.get_by_role("table", name="Conditions set by the board")
    expect(conditions).to_contain_text("Close the separate phone line for forms")
    expect(conditions).to_contain_text("Open")
    conditions.get_by_role("link", name=re.compile("Close")).click()
    check_page(page)
    page.get_by_role("button", name="Close the condition").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("How it was met, or why it is waived").fill("The line closed on 1 March.")
    page.get_by_role("button", name="Close the condition").click()
    expect(page.get_by_role("alert")).to_contain_text("Condition closed.")
    expect(page.get_by_role("table", name="Conditions set by the board")).to_contain_text("Met")
    check_page(page)

    project = Project.objects.get(code="CX-01")
    assert (project.stage, project.status) == (2, "in_stage")
    assert Condition.objects.get(project=project).status == "met"
    sign_out(page)

    # Gate 2 asks for the outline business case: the submission is refused until the file is uploaded.
    sign_in(page, "pat.pm")
    page.goto(f"/c/{fictionshire.slug}/portfolio/projects/{project.pk}/")
    page.get_by_role("button", name="Submit for gate 2").click()
    check_page(page)
    page.get_by_label("What the project asks the board to agree").fill("Agree the outline business case.")
    for box in page.get_by_label("Met").all():
        box.check()
    page.get_by_role("button", name="Submit to the board").click()
    expect(page.locator(".govuk-error-message")).to_contain_text("Missing: Outline business case.")
    check_page(page)
    for box in page.get_by_label("Met").all():
        box.check()
    page.locator("fieldset", has_text="Outline business case").get_by_label(
        "Upload the document"
    ).set_input_files(
        files=[{"name": "obc.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 outline case"}]
    )
    page.get_by_role("button", name="Submit to the board").click()
    expect(page.get_by_role("alert")).to_contain_text("Submitted for gate 2.")
    expect(page.get_by_role("link", name=re.compile("obc.pdf"))).to_be_visible()
    check_page(page)


def _portfolio_data(council: Council, pm: Any) -> None:
    cx = services.programme_save(
        council=council,
        data={"code": "cx", "name": "Customer experience", "capacity_fte": Decimal(8)},
        actor=None,
    )
    services.workstream_save(council=council, data={"code": "fin", "name": "Finance"}, actor=None)
    today = dt.date.today()
    for i in range(3):
        p = services.project_create(
            council=council,
            data={
                "code": f"CX-{i}",
                "name": f"Project {i}",
                "programme": cx,
                "manager": pm,
                "budget": Decimal(1000),
            },
            actor=None,
        )
        services.raid_save(
            kind="risk",
            project=p,
            data={
                "title": "Supplier slips",
                "likelihood": 4,
                "impact": 4,
                "residual_likelihood": 2,
                "residual_impact": 3,
                "raised_on": today,
                "proximity_date": today + dt.timedelta(days=40),
            },
            actor=None,
        )
        for kind, data in (
            ("assumption", {"text": "Staff are released for design", "raised_on": today}),
            ("issue", {"title": "Test data missing", "raised_on": today}),
            ("decision", {"title": "Use the council's own forms platform", "raised_on": today}),
        ):
            services.raid_save(kind=kind, project=p, data=data, actor=None)
        services.milestone_save(
            project=p,
            data={
                "name": "Go live",
                "baseline_date": today,
                "forecast_date": today + dt.timedelta(days=20 * i),
            },
            actor=None,
        )
        services.allocation_save(project=p, data={"role": "Analyst", "fte": Decimal("0.5")}, actor=None)
        report = services.report_save(
            council=council,
            project=p,
            month=today,
            data={
                "rag": ["green", "amber", "red"][i],
                "narrative": "This month",
                "benefit_status": "on_track",
            },
            actor=None,
        )
        services.report_submit(report=report, actor=None)
    first, second = (Project.objects.get(council=council, code=c) for c in ("CX-0", "CX-1"))
    services.milestone_dependency_add(
        milestone=second.milestones.get(), depends_on=first.milestones.get(), actor=None
    )
    services.milestone_rebaseline(
        milestone=first.milestones.get(),
        baseline_date=today + dt.timedelta(days=5),
        reason="Agreed by the board",
        actor=None,
    )
    services.review_create(
        council=council,
        name="Spring review",
        held_on=today,
        projects=list(Project.objects.filter(council=council)),
        notes="",
        actor=None,
    )


def test_every_portfolio_page_is_accessible(
    page: Any, fictionshire: Council, make_member: Callable[..., Membership]
) -> None:
    pm = make_member(fictionshire, Role.PROJECT_MANAGER, username="pat.pm")
    make_member(fictionshire, Role.ADMIN, username="ada.admin")
    _portfolio_data(fictionshire, pm.user)
    sign_in(page, "ada.admin")
    page.goto(f"/c/{fictionshire.slug}/portfolio/")
    visited = crawl(page, limit=120, within="/portfolio/")
    for part in (
        "/raid/",
        "/plan/",
        "/plan/dependencies/add/",
        "/rebaseline/",
        "/reviews/",
        "/stages/",
        "/stages/add/",
        "/stages/design-gate/",
        "/import/",
        "/reports/",
        "/timeline/",
    ):
        assert any(part in url for url in visited), f"the crawl never reached a {part} page; it saw {visited}"
