"""The realisation curve's figures: planned against actual cumulative savings, for the whole benefits and for
each council's share, by programme, category and council, consistent with each council's MTFP position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit
from wholecouncil.benefits.realisation import GroupRow, partner_councils, realisation
from wholecouncil.benefits.tests.helpers import benefit, line, sign_off
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio.tests import helpers as portfolio

D = Decimal
TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


def _actuals(b: Benefit, amounts: dict[dt.date, str]) -> None:
    for month, amount in amounts.items():
        services.actual_record(benefit=b, month=month, amount=D(amount), actor=None, today=TODAY)


@pytest.fixture
def world(
    council: Council, make_council: Callable[..., Council], make_member: Callable[..., Membership]
) -> dict[str, object]:
    """Testshire hosts three signed-off benefits and one in the pipeline; BEN-1 is shared 70/30 with
    Partner District. Actuals run from April to June 2025."""
    partner = make_council(slug="partner", name="Partner District")
    council_services.partnership_create(name="Both", councils=[council, partner], actor=None)
    finance = make_member(council, Role.FINANCE)
    lead = make_member(council, Role.PROGRAMME_LEAD)
    contact = portfolio.project(council, "P-1", programme=portfolio.programme(council, "cx", "Contact"))
    income = portfolio.project(council, "P-2", programme=portfolio.programme(council, "inc", "Income"))
    r100 = line(council, "R100", "900000")
    shared = sign_off(
        benefit(
            council,
            "BEN-1",
            budget_line=r100,
            value="24000",
            profile={2025: "12000", 2026: "24000"},
            projects=[contact],
            shares={council: D("70"), partner: D("30")},
        ),
        finance,
        lead,
    )
    _actuals(shared, {dt.date(2025, 4, 1): "1000", dt.date(2025, 5, 1): "1000", dt.date(2025, 6, 1): "1000"})
    fees = sign_off(
        benefit(
            council,
            "BEN-2",
            budget_line=line(council, "R200"),
            value="6000",
            category="income",
            profile={2025: "6000"},
            projects=[income],
        ),
        finance,
        lead,
    )
    _actuals(fees, {dt.date(2025, 4, 1): "400", dt.date(2025, 5, 1): "600"})
    risky = sign_off(
        benefit(council, "BEN-3", budget_line=r100, value="1200", profile={2025: "1200"}), finance, lead
    )
    services.benefit_transition(
        benefit=risky, action=Action.MARK_AT_RISK, actor=lead.user, role=lead.role, reason="Supplier late"
    )
    benefit(council, "BEN-4", budget_line=r100, value="99000", profile={2025: "99000"})  # pipeline
    for who in (council, partner):  # so that the MTFP position covers 2025/26 too
        services.savings_required_set(council=who, amounts={2025: D("10000")}, actor=None)
    return {"partner": partner, "shared": shared}


def _row(rows: list[GroupRow], name: str) -> GroupRow:
    return next(r for r in rows if r.name == name)


def test_the_whole_benefits_cumulative_by_month(council: Council, world: dict[str, object]) -> None:
    result = realisation(council)
    assert result.benefits == 3  # signed off: the pipeline benefit is not on the curve
    assert result.last_month == dt.date(2025, 6, 1)
    by_month = {p.month: p for p in result.points}
    assert len(result.points) == 24  # April 2025 to March 2027
    # Planned a month: 12,000 / 12 + 6,000 / 12 + 1,200 / 12 = 1,600 in 2025/26.
    assert by_month[dt.date(2025, 4, 1)].planned_cumulative == D("1600")
    assert by_month[dt.date(2025, 4, 1)].actual_cumulative == D("1400")
    assert by_month[dt.date(2025, 6, 1)].planned_cumulative == D("4800")
    assert by_month[dt.date(2025, 6, 1)].actual == D("1000")
    assert by_month[dt.date(2025, 6, 1)].actual_cumulative == D("4000")
    assert by_month[dt.date(2025, 7, 1)].actual_cumulative is None  # not reported yet: not drawn as zero
    assert by_month[dt.date(2026, 3, 1)].planned_cumulative == D("19200")
    assert by_month[dt.date(2027, 3, 1)].planned_cumulative == D("43200")


def test_rows_by_programme_category_and_council(council: Council, world: dict[str, object]) -> None:
    result = realisation(council)
    contact = _row(result.by_programme, "Contact")
    assert (contact.benefits, contact.planned_to_date, contact.actual_to_date) == (1, D("3000"), D("3000"))
    income = _row(result.by_programme, "Income")
    # Reported to May only; "to date" is to June, the last month any benefit reported.
    assert (income.planned_to_date, income.actual_to_date) == (D("1500"), D("1000"))
    assert income.variance == D("-500")
    assert income.realised_pct is not None and round(income.realised_pct, 1) == D("66.7")
    assert _row(result.by_programme, "No programme").planned_to_date == D("300")
    staff = _row(result.by_category, "Staff cost reduction")
    assert (staff.benefits, staff.planned_to_date, staff.actual_to_date) == (2, D("3300"), D("3000"))
    assert _row(result.by_category, "Income").actual_to_date == D("1000")
    ours = _row(result.by_council, "Testshire Council")
    theirs = _row(result.by_council, "Partner District")
    assert (ours.benefits, theirs.benefits) == (3, 1)
    assert (theirs.planned_to_date, theirs.actual_to_date) == (D("900"), D("900"))
    assert ours.planned_to_date + theirs.planned_to_date == D("4800")
    assert ours.actual_to_date + theirs.actual_to_date == D("4000")


def test_a_councils_share_filters_and_agrees_with_its_mtfp(
    council: Council, world: dict[str, object]
) -> None:
    ours = realisation(council, share_council=council.pk)
    march = {p.month: p for p in ours.points}[dt.date(2026, 3, 1)]
    # 70% of BEN-1, all of BEN-2 and BEN-3.
    assert march.planned_cumulative == D("8400") + D("6000") + D("1200")
    staff = _row(ours.by_category, "Staff cost reduction")
    assert (staff.planned_to_date, staff.actual_to_date) == (D("2400"), D("2100"))
    year = selectors.mtfp_position(council, TODAY).position.years
    banked_2025 = next(y for y in year if y.year.start_year == 2025).banked
    at_risk_2025 = next(y for y in year if y.year.start_year == 2025).at_risk
    assert march.planned_cumulative == banked_2025 + at_risk_2025
    income_only = realisation(council, category="income", share_council=council.pk)
    assert income_only.benefits == 1
    assert income_only.points[-1].planned_cumulative == D("6000")
    programme = Benefit.objects.get(reference="BEN-1").projects.get().programme
    assert programme is not None
    assert realisation(council, programme=programme.pk).benefits == 1


def test_a_partner_sees_its_share_of_a_shared_benefit(council: Council, world: dict[str, object]) -> None:
    partner: Council = world["partner"]  # type: ignore[assignment]
    theirs = realisation(partner, share_council=partner.pk)
    assert theirs.benefits == 1
    by_month = {p.month: p for p in theirs.points}
    assert by_month[dt.date(2025, 6, 1)].planned_cumulative == D("900")
    assert by_month[dt.date(2025, 6, 1)].actual_cumulative == D("900")
    # The year's planned total is what the partner's MTFP banks for that year.
    position = selectors.mtfp_position(partner, TODAY).position
    for y in position.years:
        if y.year.start_year in (2025, 2026):
            end = {p.month: p for p in theirs.points}[y.year.ends.replace(day=1)]
            before = sum((p.planned for p in theirs.points if p.month < y.year.starts), D(0))
            assert end.planned_cumulative - before == y.banked
    # The host's programmes are not shown to the partner: the benefit is under its host.
    assert [r.name for r in theirs.by_programme] == ["Hosted by Testshire Council"]
    assert [(r.name, r.benefits) for r in theirs.by_council] == [
        ("Partner District", 1),
        ("Testshire Council", 1),
    ]
    assert [c.pk for c in partner_councils(partner)] == [partner.pk, council.pk]
    assert [c.pk for c in partner_councils(council)] == [council.pk, partner.pk]


def test_the_page_defaults_to_the_councils_share(
    council: Council, world: dict[str, object], client_for: Callable[..., Client]
) -> None:
    partner: Council = world["partner"]  # type: ignore[assignment]
    page = client_for(partner, Role.COUNCILLOR).get(reverse("benefits:curve", args=[partner.slug]))
    text = page.content.decode()
    assert "(1 benefit, Partner District&#x27;s share)" in text
    assert "£900" in text and "Hosted by Testshire Council" in text
    whole = client_for(council, Role.COUNCILLOR).get(
        reverse("benefits:curve", args=[council.slug]) + "?council=whole"
    )
    assert "whole benefits" in whole.content.decode()
    assert "£4,800" in whole.content.decode()
