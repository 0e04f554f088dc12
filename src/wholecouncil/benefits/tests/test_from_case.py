"""The category a benefit made from a business case gets: staff cost, income or third-party spend, from the
opportunity's staff share, its lever and what it is sized from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.benefits import services
from wholecouncil.benefits.engine.categories import Category, category_from_case, generates_income
from wholecouncil.benefits.models import Benefit
from wholecouncil.cases import services as case_services
from wholecouncil.cases.models import BaselineFigure, Opportunity
from wholecouncil.cases.tests.factories import layer, lever
from wholecouncil.council.models import Council

D = Decimal


def test_levers_that_generate_income() -> None:
    assert generates_income("spend-income Spend reduction and income generation")
    assert generates_income("Fees and charges")
    assert generates_income("commercial-trading Trading services to other councils")
    assert not generates_income("automation-technology Automation and technology enablement")
    assert not generates_income("demand-management Demand management")
    assert not generates_income("")


def test_the_category_from_an_opportunity() -> None:
    income = "spend-income Spend reduction and income generation"
    assert category_from_case(staff_pct=D(0), lever=income, spend_based=False) is Category.INCOME
    assert category_from_case(staff_pct=D(0), lever=income, spend_based=True) is Category.THIRD_PARTY_SPEND
    assert category_from_case(staff_pct=D(50), lever=income, spend_based=False) is Category.STAFF_COST
    assert (
        category_from_case(staff_pct=D("49.99"), lever="ways-of-working", spend_based=False)
        is Category.THIRD_PARTY_SPEND
    )


@given(staff=st.decimals(0, 100, places=2), lever=st.text(max_size=40), spend=st.booleans())
def test_the_category_is_always_cashable_and_staff_first(staff: Decimal, lever: str, spend: bool) -> None:
    found = category_from_case(staff_pct=staff, lever=lever, spend_based=spend)
    assert found in (Category.STAFF_COST, Category.THIRD_PARTY_SPEND, Category.INCOME)
    assert (found is Category.STAFF_COST) == (staff >= 50)
    if found is Category.INCOME:
        assert generates_income(lever) and not spend


def _amount_opportunity(council: Council, code: str, lever_code: str, **values: object) -> Opportunity:
    return case_services.opportunity_create(
        council=council,
        actor=None,
        layer=layer(council, "enabling-support"),
        lever=lever(council, lever_code),
        code=code,
        name=f"Opportunity {code}",
        saving="amount",
        low_amount=D("10000"),
        high_amount=D("20000"),
        **values,
    )


@pytest.mark.django_db
def test_benefits_from_a_case_take_income_for_income_levers(council: Council) -> None:
    case_services.baseline_figure_set(
        council=council,
        kind=BaselineFigure.Kind.SPEND,
        key="Facilities: energy",
        amount=D("400000"),
        actor=None,
    )
    charging = _amount_opportunity(council, "IN-1", "spend-income", basis="none", staff_pct=D("10"))
    contract = _amount_opportunity(
        council, "SP-1", "spend-income", basis="spend", spend_category="Facilities: energy"
    )
    team = _amount_opportunity(
        council, "ST-1", "consolidation-standardisation", basis="none", staff_pct=D(80)
    )
    other = _amount_opportunity(council, "DM-1", "demand-management", basis="none")
    case = case_services.case_create(council=council, name="Case", first_year=2026, actor=None, years=2)
    option = case_services.option_create(case=case, name="All", actor=None)
    case_services.option_lines_set(
        option=option,
        lines=[
            case_services.LineInput(opportunity=o, phasing=[D("1"), D("0")])
            for o in (charging, contract, team, other)
        ],
        actor=None,
    )
    plan = services.proposed_benefits(case, option)
    assert not plan.problem, plan.problem
    proposed = {p.opportunity.code: p.category for p in plan.proposed}
    assert proposed == {
        "IN-1": Category.INCOME,
        "SP-1": Category.THIRD_PARTY_SPEND,
        "ST-1": Category.STAFF_COST,
        "DM-1": Category.THIRD_PARTY_SPEND,
    }
    services.benefits_from_case(case=case, option=option, actor=None)
    made = {b.opportunity.code: b.category for b in Benefit.objects.filter(council=council)}  # type: ignore[union-attr]
    assert made == {code: category.value for code, category in proposed.items()}
