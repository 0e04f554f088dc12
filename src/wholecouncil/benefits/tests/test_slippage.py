"""A benefit whose delivering milestone slips is flagged at risk, by one rule, everywhere: the register and
its "at risk" filter, the benefit's page, each saving's RAG and the MTFP position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import saving_list, selectors
from wholecouncil.benefits.engine.mtfp import SavingRag
from wholecouncil.benefits.engine.performance import milestone_slipped
from wholecouncil.benefits.models import Benefit
from wholecouncil.benefits.tests.helpers import benefit, line, sign_off
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import services as portfolio_services
from wholecouncil.portfolio.models import Milestone, Project
from wholecouncil.portfolio.tests import helpers as portfolio

D = Decimal
TODAY = dt.date(2026, 11, 23)
START = dt.date(2026, 4, 1)  # the savings start of a profile from 2026/27
pytestmark = pytest.mark.django_db

# (baseline, forecast, actual): the milestones of the grid below.
DATES = [
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), None),  # on time, before the savings start
    (dt.date(2026, 1, 1), dt.date(2026, 2, 1), None),  # slipped, still before the savings start
    (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 2, 1)),  # reached late, before the start
    (dt.date(2026, 6, 1), dt.date(2026, 6, 1), None),  # on time, but after the savings start
    (dt.date(2026, 1, 1), dt.date(2025, 12, 1), dt.date(2026, 5, 1)),  # reached after the start
    (dt.date(2026, 3, 1), dt.date(2026, 2, 1), None),  # ahead of its baseline
]


def _milestone(
    project: Project, i: int, baseline: dt.date, forecast: dt.date, actual: dt.date | None
) -> Milestone:
    return portfolio_services.milestone_save(
        project=project,
        data={"name": f"M{i}", "baseline_date": baseline, "forecast_date": forecast, "actual_date": actual},
        actor=None,
    )


@pytest.fixture
def grid(council: Council, make_member: Callable[..., Membership]) -> list[Benefit]:
    finance = make_member(council, Role.FINANCE)
    lead = make_member(council, Role.PROGRAMME_LEAD)
    project = portfolio.project(council)
    r100 = line(council, "R100", "9000000")
    made = []
    for i, dates in enumerate(DATES):
        m = _milestone(project, i, *dates)
        b = benefit(council, f"BEN-{i}", budget_line=r100, projects=[project], milestone=m)
        made.append(sign_off(b, finance, lead))
    return made


def _expected(b: Benefit) -> bool:
    m = Milestone.objects.get(pk=b.milestone_id)
    return milestone_slipped(b.savings_start, m.forecast_date, m.actual_date, baseline=m.baseline_date)


def test_the_database_and_the_engine_agree_on_every_case(council: Council, grid: list[Benefit]) -> None:
    expected = {b.pk: _expected(b) for b in grid}
    assert [expected[b.pk] for b in grid] == [False, True, False, True, True, False]
    found = selectors.slips(Benefit.objects.filter(council=council))
    assert {b.pk: b.pk in found for b in grid} == expected
    savings = selectors.savings_of(council, [2026])
    assert {s.key: s.slipped for s in savings} == expected


def test_the_flag_shows_in_the_register_filter_the_rag_and_the_position(
    council: Council, grid: list[Benefit]
) -> None:
    flagged = {b.reference for b in grid if _expected(b)}
    at_risk = selectors.benefits_for(council, status="at_risk")
    assert {b.reference for b in at_risk} == flagged
    lines = saving_list.savings_in_year(council, TODAY, 2026)
    assert {line.reference for line in lines if line.rag is SavingRag.AT_RISK} == flagged
    year = selectors.mtfp_position(council, TODAY).position.years[0]
    assert year.banked == D("60000") * len(grid)
    assert year.banked_at_risk == D("60000") * len(flagged)
    assert year.rag_counts[SavingRag.AT_RISK] == len(flagged)
    for b in grid:
        assert (selectors.saving_rags(b, TODAY)[2026] is SavingRag.AT_RISK) == (b.reference in flagged)


def test_a_realised_benefit_is_no_longer_flagged(council: Council, grid: list[Benefit]) -> None:
    slipped = grid[1]
    Benefit.objects.filter(pk=slipped.pk).update(status="realised")
    assert slipped.pk not in selectors.slips(Benefit.objects.filter(council=council))
    assert slipped.reference not in {b.reference for b in selectors.benefits_for(council, status="at_risk")}


def test_the_flag_clears_when_the_milestone_recovers(council: Council, grid: list[Benefit]) -> None:
    slipped = grid[1]
    milestone = Milestone.objects.get(pk=slipped.milestone_id)
    assert slipped.pk in selectors.slips(Benefit.objects.filter(pk=slipped.pk))
    portfolio_services.milestone_save(
        project=milestone.project,
        milestone=milestone,
        data={"forecast_date": dt.date(2026, 1, 1)},
        actor=None,
    )
    assert slipped.pk not in selectors.slips(Benefit.objects.filter(pk=slipped.pk))
    assert Benefit.objects.get(pk=slipped.pk).status == "in_delivery"  # the flag never moves the status


def test_the_pages_show_the_flag_and_why(
    council: Council, grid: list[Benefit], client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.COUNCILLOR)
    register = client.get(reverse("benefits:overview", args=[council.slug]) + "?status=at_risk")
    text = register.content.decode()
    assert "At risk: milestone slipped" in text
    assert "BEN-1 " in text and "BEN-0 " not in text and "BEN-5 " not in text
    page = client.get(reverse("benefits:benefit", args=[council.slug, grid[1].pk])).content.decode()
    assert "M1, is forecast for 1 February 2026, later than its baseline date of 1 January 2026" in page
    late = client.get(reverse("benefits:benefit", args=[council.slug, grid[4].pk])).content.decode()
    assert "landed on 1 May 2026, after the benefit&#x27;s savings are due to start on 1 April 2026" in late
    calm = client.get(reverse("benefits:benefit", args=[council.slug, grid[0].pk])).content.decode()
    assert "At risk:" not in calm
