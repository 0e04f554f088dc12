"""Building opportunities and cases through the services, for the web-side tests."""

from __future__ import annotations

from decimal import Decimal

from wholecouncil.cases import services
from wholecouncil.cases.models import BaselineFigure, BusinessCase, CaseOption, CostLine, Opportunity
from wholecouncil.council.models import Council, Layer, Lever

D = Decimal


def layer(council: Council, code: str) -> Layer:
    return Layer.objects.get(council=council, code=code)


def lever(council: Council, code: str) -> Lever:
    return Lever.objects.get(council=council, code=code)


def staff_baseline(council: Council, code: str, amount: str, fte: str | None = None) -> None:
    services.baseline_figure_set(
        council=council,
        kind=BaselineFigure.Kind.STAFF,
        key=code,
        amount=D(amount),
        fte=D(fte) if fte else None,
        actor=None,
    )


def pct_opportunity(
    council: Council,
    code: str,
    low: str,
    high: str,
    layer_code: str = "customer-management",
    lever_code: str = "automation-technology",
    **extra: object,
) -> Opportunity:
    return services.opportunity_create(
        council=council,
        actor=None,
        code=code,
        name=f"Opportunity {code}",
        layer=layer(council, layer_code),
        lever=lever(council, lever_code),
        basis=Opportunity.Basis.ACTIVITY,
        saving=Opportunity.Saving.PERCENT,
        low_pct=D(low),
        high_pct=D(high),
        rationale="Rework and rekeying",
        source="Activity analysis",
        **extra,
    )


def small_case(council: Council) -> tuple[BusinessCase, CaseOption]:
    """A hand-checkable case: a £1,000,000 staff baseline, one opportunity at 10-20% (mid £150,000),
    delivered 50% in the second year and 50% in the third; £100,000 implementation in year one."""
    staff_baseline(council, "customer-management", "1000000", fte="25")
    opp = pct_opportunity(council, "CM-1", "10", "20")
    case = services.case_create(
        council=council,
        name="Test case",
        first_year=2025,
        actor=None,
        years=3,
        mtfp_gap=["100000", "200000", "300000"],
        discount_rate_pct=D("0"),
    )
    option = services.option_create(case=case, name="Preferred", actor=None)
    services.option_lines_set(
        option=option,
        lines=[services.LineInput(opp, [D(0), D("0.5"), D("0.5")])],
        actor=None,
    )
    services.cost_create(
        option=option,
        actor=None,
        name="Programme team",
        kind=CostLine.Kind.IMPLEMENTATION,
        amounts=["100000"],
    )
    return case, option
