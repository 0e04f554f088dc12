"""Building benefits data for tests through the services, as a user would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wholecouncil.benefits import services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, BudgetLine
from wholecouncil.council.models import Council, Membership

D = Decimal


def line(council: Council, code: str = "R100", baseline: str = "500000") -> BudgetLine:
    return services.budget_line_save(
        council=council, data={"code": code, "name": f"Line {code}", "baseline": D(baseline)}, actor=None
    )


def benefit(
    council: Council,
    reference: str = "BEN-1",
    *,
    budget_line: BudgetLine | None = None,
    value: str = "120000",
    profile: dict[int, str] | None = None,
    category: str = "staff_cost",
    projects: Any = (),
    shares: dict[Council, Decimal] | None = None,
    **values: Any,
) -> Benefit:
    data = {
        "reference": reference,
        "title": values.pop("title", f"Benefit {reference}"),
        "feature": "A single front door for contacts",
        "category": category,
        "owner": "Head of Customer Services",
        "budget_line": budget_line,
        "full_year_value": D(value),
        "tolerance_pct": D("10"),
        **values,
    }
    planned = {y: D(a) for y, a in (profile or {2026: "60000", 2027: "120000"}).items()}
    return services.benefit_create(
        council=council,
        data=services.BenefitInput(
            values=data, projects=list(projects), profile=planned, shares=shares or {}
        ),
        actor=None,
    )


def sign_off(b: Benefit, finance: Membership, lead: Membership) -> Benefit:
    """Validate, then both sign-offs: the benefit is in delivery."""
    services.benefit_transition(benefit=b, action=Action.VALIDATE, actor=finance.user, role=finance.role)
    services.benefit_transition(benefit=b, action=Action.BOARD_SIGN_OFF, actor=lead.user, role=lead.role)
    return services.benefit_transition(
        benefit=b, action=Action.FINANCE_SIGN_OFF, actor=finance.user, role=finance.role
    )
