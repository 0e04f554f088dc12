"""Business cases: their assumptions, years and the recommended option."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from wholecouncil.cases.models import (
    BusinessCase,
    CaseOption,
    CostLine,
    OptionLine,
    Release,
)
from wholecouncil.cases.services.common import (
    CASE_FIELDS,
    CASE_SNAPSHOT,
    HUNDRED,
    ILLUSTRATIVE_DEFAULTS,
    ZERO,
    CaseInputError,
    _money_list,
)
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council


def _check_case(case: BusinessCase) -> None:
    if not 1 <= case.years <= 30:
        raise CaseInputError("A case runs for 1 to 30 years.", "years")
    if not 2000 <= case.first_year <= 2100:
        raise CaseInputError("Enter the first financial year, like 2025/26.", "first_year")
    if case.discount_rate_pct <= -HUNDRED or case.discount_rate_pct > HUNDRED:
        raise CaseInputError("Enter a discount rate between -100% and 100%.", "discount_rate_pct")
    if case.optimism_bias_pct < 0:
        raise CaseInputError("Optimism bias must not be negative.", "optimism_bias_pct")
    for name in ("turnover_capture_pct", "redeployment_pct"):
        if not ZERO <= getattr(case, name) <= HUNDRED:
            raise CaseInputError("Enter a percentage between 0 and 100.", name)
    if case.average_cost_per_fte is not None and case.average_cost_per_fte <= 0:
        raise CaseInputError("The average cost per FTE must be more than 0.", "average_cost_per_fte")
    if case.average_redundancy_cost < 0:
        raise CaseInputError("The average redundancy cost must not be negative.", "average_redundancy_cost")
    for what, label in (("discount_rate", "discount rate"), ("optimism_bias", "optimism bias")):
        low, high = getattr(case, f"{what}_low_pct"), getattr(case, f"{what}_high_pct")
        if (low is None) != (high is None):
            raise CaseInputError(f"Enter both ends of the {label}'s range, or neither.", f"{what}_low_pct")
        if low is not None and (low > high or low < (0 if what == "optimism_bias" else -HUNDRED)):
            raise CaseInputError(
                f"The {label}'s range must run from its low end up to its high end.", f"{what}_low_pct"
            )
    case.mtfp_gap = _money_list(case.mtfp_gap)[: case.years]
    case.turnover_fte = _money_list(case.turnover_fte)[: case.years]
    if any(Decimal(v) < 0 for v in case.turnover_fte):
        raise CaseInputError("Turnover must not be negative.", "turnover_fte")
    if case.pk is not None:
        last = FinancialYear(case.first_year) + (case.years - 1)
        outside = [
            r.code
            for r in Release.objects.filter(case=case)
            if not case.first_year <= r.go_live_year <= last.start_year
        ]
        if outside:
            raise CaseInputError(
                f"Releases {', '.join(outside)} would go live outside the case's years; change their go-live "
                "years first.",
                "years",
            )
    if case.redundancy_in_costs and case.pk is not None:
        entered = CostLine.objects.filter(option__case=case, kind=CostLine.Kind.REDUNDANCY)
        if entered.exists():
            raise CaseInputError(
                "Redundancy costs are entered as cost lines, so they cannot also be worked out from the "
                "workforce impact; remove those cost lines first.",
                "redundancy_in_costs",
            )


@transaction.atomic
def case_create(*, council: Council, name: str, first_year: int, actor: Actor, **values: Any) -> BusinessCase:
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot set {', '.join(sorted(unknown))}.")
    case = BusinessCase(council=council, name=name, first_year=first_year, **values)
    case.illustrative_defaults = [f for f in ILLUSTRATIVE_DEFAULTS if f not in values]
    _check_case(case)
    case.save()
    audit_record(
        council=council,
        actor=actor,
        action="business_case.create",
        obj=case,
        after=snapshot(case, CASE_SNAPSHOT),
    )
    return case


@transaction.atomic
def case_update(
    *, case: BusinessCase, actor: Actor, confirm_defaults: bool = False, **changes: Any
) -> BusinessCase:
    """Change a case's assumptions. An illustrative default stops being marked so once it is changed, or
    when `confirm_defaults` says the figures shown are the council's own."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    case = BusinessCase.objects.select_for_update().select_related("council").get(pk=case.pk)
    before = snapshot(case, CASE_SNAPSHOT)
    stored = {name: getattr(case, name) for name in ILLUSTRATIVE_DEFAULTS}
    for name, value in changes.items():
        setattr(case, name, value)
    case.illustrative_defaults = (
        []
        if confirm_defaults
        else [f for f in case.illustrative_defaults or [] if f not in changes or changes[f] == stored.get(f)]
    )
    _check_case(case)
    case.save()
    if "years" in changes:
        _trim_years(case)
    after = snapshot(case, CASE_SNAPSHOT)
    if before != after:
        audit_record(
            council=case.council,
            actor=actor,
            action="business_case.update",
            obj=case,
            before=before,
            after=after,
        )
    return case


def _trim_years(case: BusinessCase) -> None:
    """Figures by year beyond a shortened case's last year are dropped."""
    for line in OptionLine.objects.filter(option__case=case):
        if len(line.phasing) > case.years:
            line.phasing = line.phasing[: case.years]
            line.save(update_fields=["phasing"])
    for cost in CostLine.objects.filter(option__case=case):
        if len(cost.amounts) > case.years:
            cost.amounts = cost.amounts[: case.years]
            cost.save(update_fields=["amounts"])


@transaction.atomic
def case_recommend(*, case: BusinessCase, option: CaseOption | None, reasons: str, actor: Actor) -> None:
    if option is not None and option.case_id != case.pk:
        raise CaseInputError("Choose one of this case's options.", "option")
    if option is not None and not reasons.strip():
        raise CaseInputError("Give the reasons for recommending this option.", "reasons")
    before = {
        "recommended_option": case.recommended_option,
        "recommendation_reasons": case.recommendation_reasons,
    }
    case.recommended_option = option
    case.recommendation_reasons = reasons.strip()
    case.save(update_fields=["recommended_option", "recommendation_reasons", "updated_at"])
    after = {"recommended_option": option, "recommendation_reasons": case.recommendation_reasons}
    audit_record(
        council=case.council,
        actor=actor,
        action="business_case.recommend",
        obj=case,
        before=before,
        after=after,
    )


# --- options ----------------------------------------------------------------------------------------
