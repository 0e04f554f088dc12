"""What every write to the business case shares: the refusal it raises and the fields it audits."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from wholecouncil.council.services.errors import DomainError

HUNDRED = Decimal(100)
ZERO = Decimal(0)

OPPORTUNITY_FIELDS = (
    "code",
    "name",
    "layer",
    "lever",
    "basis",
    "spend_category",
    "baseline_amount",
    "saving",
    "low_pct",
    "high_pct",
    "low_amount",
    "high_amount",
    "staff_pct",
    "rationale",
    "source",
    "illustrative",
)
CASE_FIELDS = (
    "name",
    "first_year",
    "years",
    "discount_rate_pct",
    "optimism_bias_pct",
    "mtfp_gap",
    "turnover_fte",
    "average_cost_per_fte",
    "turnover_capture_pct",
    "redeployment_pct",
    "average_redundancy_cost",
    "redundancy_in_costs",
    "risk_distribution",
    "discount_rate_low_pct",
    "discount_rate_high_pct",
    "optimism_bias_low_pct",
    "optimism_bias_high_pct",
    "strategic_context",
    "commercial_approach",
    "management_arrangements",
)
CASE_SNAPSHOT = (*CASE_FIELDS, "illustrative_defaults")
# Assumptions with a built-in default that is illustrative, not evidence: marked so until someone sets them.
ILLUSTRATIVE_DEFAULTS = ("turnover_capture_pct", "redeployment_pct")
OPTION_FIELDS = ("name", "description", "point")
COST_FIELDS = ("name", "kind", "amounts", "low_pct", "high_pct")
BASELINE_FIELDS = ("kind", "key", "amount", "fte", "source", "illustrative")


class CaseInputError(DomainError):
    """A refused change; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _money_list(values: Sequence[object] | None) -> list[str]:
    return [str(Decimal(str(v))) for v in (values or [])]


# --- baselines --------------------------------------------------------------------------------------
