"""Benefits created from a business case: one per opportunity chosen in an option, with its full-year saving
and its profile (the cumulative recurring saving in force each year), linked to the opportunity and to the
projects that deliver it. An opportunity that already has a benefit is skipped, so nothing is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from wholecouncil.benefits.engine.categories import CATEGORY_LABELS, Category, category_from_case
from wholecouncil.benefits.models import Benefit
from wholecouncil.benefits.services.common import BenefitError
from wholecouncil.benefits.services.register import BenefitInput, benefit_create
from wholecouncil.cases.models import BusinessCase, CaseOption, Opportunity
from wholecouncil.cases.selectors import case_figures
from wholecouncil.council.audit import Actor
from wholecouncil.council.engine import FinancialYear

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Proposed:
    opportunity: Opportunity
    category: Category
    full_year_value: Decimal
    profile: dict[int, Decimal]
    already: Benefit | None = None

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def profile_labels(self) -> list[tuple[str, Decimal]]:
        return [(str(FinancialYear(y)), a) for y, a in sorted(self.profile.items())]


@dataclass
class FromCase:
    case: BusinessCase
    option: CaseOption | None
    proposed: list[Proposed] = field(default_factory=list)
    problem: str = ""

    @property
    def new(self) -> list[Proposed]:
        return [p for p in self.proposed if p.already is None]


def _pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def proposed_benefits(case: BusinessCase, option: CaseOption | None = None) -> FromCase:
    """What creating benefits from `option` (else the case's recommended option, else its first) would add."""
    figures = case_figures(case, option.pk if option else None, with_risk=False)
    shown = figures.shown
    if shown is None:
        return FromCase(case, None, problem="The case has no options yet.")
    if shown.result is None:
        return FromCase(case, shown.option, problem=shown.problem)
    opportunities = {
        o.code: o for o in Opportunity.objects.filter(council=case.council).select_related("lever")
    }
    existing = {
        b.opportunity_id: b for b in Benefit.objects.filter(council=case.council, opportunity__isnull=False)
    }
    out = FromCase(case, shown.option)
    for line in shown.result.lines:
        opp = opportunities.get(line.opportunity.code)
        if opp is None:
            continue
        running = Decimal(0)
        profile: dict[int, Decimal] = {}
        for i, increment in enumerate(line.increments):
            running += increment
            if running:
                profile[case.first_year + i] = _pennies(running)
        out.proposed.append(
            Proposed(
                opportunity=opp,
                category=_category(opp),
                full_year_value=_pennies(line.value),
                profile=profile,
                already=existing.get(opp.pk),
            )
        )
    return out


def _category(opp: Opportunity) -> Category:
    lever = f"{opp.lever.code} {opp.lever.name}" if opp.lever is not None else ""
    return category_from_case(
        staff_pct=opp.effective_staff_pct, lever=lever, spend_based=opp.basis == Opportunity.Basis.SPEND
    )


def _next_reference(council_id: int, taken: set[str]) -> str:
    n = Benefit.objects.filter(council_id=council_id).count() + 1
    while f"BEN-{n:03d}" in taken:
        n += 1
    return f"BEN-{n:03d}"


@transaction.atomic
def benefits_from_case(*, case: BusinessCase, option: CaseOption | None, actor: Actor) -> list[Benefit]:
    plan = proposed_benefits(case, option)
    if plan.problem:
        raise BenefitError(f"Benefits cannot be created from this case yet: {plan.problem}")
    if not plan.new:
        raise BenefitError("Every opportunity in this option already has a benefit in the register.")
    taken = set(Benefit.objects.filter(council=case.council).values_list("reference", flat=True))
    made: list[Benefit] = []
    for p in plan.new:
        reference = _next_reference(case.council_id, taken)
        taken.add(reference)
        values = {
            "reference": reference,
            "title": p.opportunity.name,
            "description": p.opportunity.rationale,
            "feature": f"{case.name}, option '{plan.option}': {p.opportunity.code} {p.opportunity.name}",
            "category": p.category.value,
            "opportunity": p.opportunity,
            "full_year_value": p.full_year_value,
        }
        projects = list(p.opportunity.projects.filter(council=case.council))
        data = BenefitInput(values=values, projects=projects, profile=p.profile)
        made.append(benefit_create(council=case.council, data=data, actor=actor))
    return made
