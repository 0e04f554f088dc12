"""Workforce impact: posts reduced by staff-cost savings, weighed against natural turnover and redeployment.

For each year:
- posts reduced (FTE) = the staff-cost part of that year's new recurring saving / the cost per FTE (each
  opportunity's own layer's where its staff baseline gives FTE, otherwise the average);
- absorbed by turnover = the smaller of the posts reduced and the leavers that year whose posts can be
  deleted (leavers x turnover capture %); spare leavers are not carried to another year;
- redeployed = what turnover does not absorb x redeployment %;
- not absorbed = the rest: posts at risk of compulsory redundancy;
- redundancy cost = not absorbed x the average redundancy cost (before any optimism bias).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from wholecouncil.cases.engine.errors import CaseError
from wholecouncil.cases.engine.money import HUNDRED, ONE, ZERO


@dataclass(frozen=True)
class WorkforceAssumptions:
    average_cost_per_fte: Decimal
    turnover_fte: tuple[Decimal, ...]
    turnover_capture_pct: Decimal = HUNDRED
    redeployment_pct: Decimal = ZERO
    average_redundancy_cost: Decimal = ZERO
    redundancy_in_costs: bool = True

    def validate(self) -> None:
        if self.average_cost_per_fte <= 0:
            raise CaseError("Workforce: the average cost per FTE must be more than 0.")
        for name, pct in (
            ("turnover_capture_pct", self.turnover_capture_pct),
            ("redeployment_pct", self.redeployment_pct),
        ):
            if not ZERO <= pct <= HUNDRED:
                raise CaseError(f"Workforce: {name} must be between 0 and 100.")
        if any(t < 0 for t in self.turnover_fte):
            raise CaseError("Workforce: turnover must not be negative.")
        if self.average_redundancy_cost < 0:
            raise CaseError("Workforce: the average redundancy cost must not be negative.")


@dataclass(frozen=True)
class WorkforceYear:
    """One year's workforce figures, unrounded (FTE and pounds)."""

    posts_reduced: Decimal
    leavers: Decimal
    absorbed_by_turnover: Decimal
    redeployed: Decimal
    not_absorbed: Decimal
    redundancy_cost: Decimal


def workforce_impact(
    staff_savings: Sequence[Decimal],
    assumptions: WorkforceAssumptions,
    posts: Sequence[Decimal] | None = None,
) -> tuple[WorkforceYear, ...]:
    """`staff_savings[y]` is the staff-cost part of the recurring saving first delivered in year y.

    `posts[y]`, when given, is the posts reduced that year worked out line by line (each at its own
    layer's cost per FTE); otherwise it is the staff saving over the average cost per FTE.
    """
    assumptions.validate()
    years: list[WorkforceYear] = []
    for y, saving in enumerate(staff_savings):
        posts_y = posts[y] if posts is not None else max(saving, ZERO) / assumptions.average_cost_per_fte
        leavers = assumptions.turnover_fte[y] if y < len(assumptions.turnover_fte) else ZERO
        absorbed = min(posts_y, leavers * assumptions.turnover_capture_pct / HUNDRED)
        remaining = posts_y - absorbed
        redeployed = remaining * assumptions.redeployment_pct / HUNDRED
        at_risk = remaining * (ONE - assumptions.redeployment_pct / HUNDRED)
        years.append(
            WorkforceYear(
                posts_reduced=posts_y,
                leavers=leavers,
                absorbed_by_turnover=absorbed,
                redeployed=redeployed,
                not_absorbed=at_risk,
                redundancy_cost=at_risk * assumptions.average_redundancy_cost,
            )
        )
    return tuple(years)
