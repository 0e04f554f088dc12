"""Prudence: what may count towards the MTFP, and budget lines claimed more than once.

- Only cashable benefits that are in delivery or realised count towards the MTFP ("banked"); every other
  benefit is pipeline (or at risk, or unachievable) and never adds to the banked figure.
- A budget line's baseline is the most its benefits can take out of it. A cashable benefit claims its
  full-year value from its line from the moment finance validates it (until it is undeliverable). A benefit
  cannot be signed off while its claim and the other claims on the same line add up to more than the line's
  baseline; the refusal names every benefit on the line with its claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from wholecouncil.benefits.engine.categories import Kind
from wholecouncil.benefits.engine.lifecycle import BenefitState, Status

ZERO = Decimal(0)
BANKED = frozenset({Status.IN_DELIVERY, Status.REALISED})


def counts_towards_mtfp(kind: Kind | str, status: Status | str) -> bool:
    """True for a cashable benefit that is in delivery or realised: the only savings the MTFP banks."""
    return Kind(kind) is Kind.CASHABLE and Status(status) in BANKED


def claims_budget_line(kind: Kind | str, state: BenefitState) -> bool:
    """A cashable benefit claims its line once validated, and stops only when it is undeliverable."""
    return Kind(kind) is Kind.CASHABLE and state.is_validated and state.status is not Status.UNDELIVERABLE


@dataclass(frozen=True)
class Claim:
    reference: str
    title: str
    amount: Decimal

    def __str__(self) -> str:
        return f"{self.reference} {self.title} (£{self.amount:,.2f})"


@dataclass(frozen=True)
class Collision:
    line: str
    baseline: Decimal
    subject: Claim
    others: tuple[Claim, ...]

    @property
    def total(self) -> Decimal:
        return self.subject.amount + sum((o.amount for o in self.others), ZERO)

    @property
    def excess(self) -> Decimal:
        return self.total - self.baseline

    @property
    def message(self) -> str:
        names = "; ".join(str(o) for o in self.others)
        with_others = f" together with {names}" if self.others else ""
        return (
            f"{self.subject.reference} cannot be signed off: on budget line {self.line}{with_others} "
            f"it claims £{self.total:,.2f}, £{self.excess:,.2f} more than the line's baseline of "
            f"£{self.baseline:,.2f}. "
            "Reduce a claim, move a benefit to another line or mark one undeliverable."
        )


def line_collision(
    subject: Claim, others: Sequence[Claim], *, line: str, baseline: Decimal
) -> Collision | None:
    """The over-claim if `subject` and `others` together claim more than the line's `baseline`."""
    found = Collision(line, baseline, subject, tuple(others))
    return found if found.total > baseline else None
