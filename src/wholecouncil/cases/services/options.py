"""Options of a case: the opportunities each chooses, at which point, phased how, and their costs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from wholecouncil.cases import engine as E
from wholecouncil.cases.baselines import (
    Baselines,
    council_baselines,
)
from wholecouncil.cases.convert import engine_opportunity, missing_baseline
from wholecouncil.cases.engine.money import fmt_pounds
from wholecouncil.cases.models import (
    BusinessCase,
    CaseOption,
    CostLine,
    Opportunity,
    OptionLine,
    Point,
    Release,
)
from wholecouncil.cases.services.common import (
    COST_FIELDS,
    HUNDRED,
    OPTION_FIELDS,
    ZERO,
    CaseInputError,
    _money_list,
)
from wholecouncil.council.audit import Actor, audit_record, snapshot


@transaction.atomic
def option_create(
    *, case: BusinessCase, name: str, actor: Actor, description: str = "", point: str = Point.MID
) -> CaseOption:
    if point not in Point.values:
        raise CaseInputError("Choose low, mid, high or custom.", "point")
    top = case.options.aggregate(m=Max("position"))["m"]
    option = CaseOption.objects.create(
        council=case.council,
        case=case,
        name=name,
        description=description,
        point=point,
        position=0 if top is None else top + 1,
    )
    audit_record(
        council=case.council,
        actor=actor,
        action="case_option.create",
        obj=option,
        after=snapshot(option, OPTION_FIELDS),
    )
    return option


@transaction.atomic
def option_update(*, option: CaseOption, actor: Actor, **changes: Any) -> CaseOption:
    unknown = set(changes) - set(OPTION_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    if "point" in changes and changes["point"] not in Point.values:
        raise CaseInputError("Choose low, mid, high or custom.", "point")
    option = CaseOption.objects.select_for_update().select_related("council").get(pk=option.pk)
    before = snapshot(option, OPTION_FIELDS)
    for name, value in changes.items():
        setattr(option, name, value)
    if option.point == Point.CUSTOM and before["point"] != Point.CUSTOM:
        stored = option.lines.select_related("opportunity__layer", "opportunity__lever")
        _check_custom(
            option, [LineInput(ln.opportunity, [], ln.point, ln.custom_amount) for ln in stored], None
        )
    option.save()
    after = snapshot(option, OPTION_FIELDS)
    if before != after:
        audit_record(
            council=option.council,
            actor=actor,
            action="case_option.update",
            obj=option,
            before=before,
            after=after,
        )
    return option


@transaction.atomic
def option_save(
    *, option: CaseOption, lines: Sequence[LineInput], actor: Actor, **changes: Any
) -> CaseOption:
    """Change an option and the opportunities it chooses together: both are saved or neither."""
    option_lines_set(option=option, lines=lines, actor=actor, point=changes.get("point"))
    return option_update(option=option, actor=actor, **changes)


@transaction.atomic
def option_delete(*, option: CaseOption, actor: Actor) -> None:
    audit_record(
        council=option.council,
        actor=actor,
        action="case_option.delete",
        obj=option,
        before={**snapshot(option, OPTION_FIELDS), "lines": _lines_snapshot(option)},
    )
    option.delete()


@dataclass(frozen=True)
class LineInput:
    """One opportunity chosen in an option: phasing as fractions (0-1) by year, or shares (percent) of its
    full-year saving by release totalling 100, and its own point."""

    opportunity: Opportunity
    phasing: Sequence[Decimal]
    point: str = ""
    custom_amount: Decimal | None = None
    release_shares: Mapping[Release, Decimal] = field(default_factory=dict)


def _lines_snapshot(option: CaseOption) -> dict[str, Any]:
    return {
        line.opportunity.code: {
            "phasing": list(line.phasing),
            "release_shares": dict(line.release_shares),
            "point": line.point,
            "custom_amount": None if line.custom_amount is None else str(line.custom_amount),
        }
        for line in option.lines.select_related("opportunity")
    }


def _check_line(case: BusinessCase, option: CaseOption, line: LineInput) -> None:
    code = line.opportunity.code
    if line.opportunity.council_id != option.council_id:
        raise CaseInputError(f"{code} is not one of this council's opportunities.")
    if len(line.phasing) > case.years:
        raise CaseInputError(f"{code}: phasing has more years than the case.")
    if any(f < 0 or f > 1 for f in line.phasing):
        raise CaseInputError(f"{code}: each year's phasing must be between 0% and 100%.")
    if sum(line.phasing, ZERO) > 1:
        raise CaseInputError(f"{code}: the phasing adds up to more than 100% of the full-year saving.")
    if line.release_shares:
        if any(line.phasing):
            raise CaseInputError(f"{code}: phase it by year or by release, not both.")
        if any(r.case_id != case.pk for r in line.release_shares):
            raise CaseInputError(f"{code}: choose releases of this case.")
        if any(not ZERO <= v <= HUNDRED for v in line.release_shares.values()):
            raise CaseInputError(f"{code}: each release's share must be between 0% and 100%.")
        summed = sum(line.release_shares.values(), ZERO)
        if summed != HUNDRED:
            raise CaseInputError(
                f"{code}: the release shares add up to {summed.normalize():f}%; they must total 100%."
            )
    if line.point and line.point not in Point.values:
        raise CaseInputError(f"{code}: choose low, mid, high or custom.")


def _check_custom(
    option: CaseOption, lines: Sequence[LineInput], baselines: Baselines | None, point: str | None = None
) -> None:
    """A custom point needs an amount within the opportunity's low-high range. `point` is the option's
    point when it is about to change."""
    default = point or option.point
    custom = [ln for ln in lines if ln.point == Point.CUSTOM or (not ln.point and default == Point.CUSTOM)]
    if not custom:
        return
    found = baselines or council_baselines(option.council)
    for line in custom:
        code = line.opportunity.code
        if line.custom_amount is None:
            raise CaseInputError(f"{code}: a custom point needs an amount.")
        problem = missing_baseline(line.opportunity, found)
        if problem:
            raise CaseInputError(
                f"{code}: a custom amount cannot be checked against its range yet. {problem}"
            )
        rng = E.size_opportunity(engine_opportunity(line.opportunity, found), found.engine_pot_map())
        if not rng.low <= line.custom_amount <= rng.high:
            raise CaseInputError(
                f"{code}: the custom amount {fmt_pounds(line.custom_amount)} is outside its range "
                f"{fmt_pounds(rng.low)} to {fmt_pounds(rng.high)}."
            )


@transaction.atomic
def option_lines_set(
    *,
    option: CaseOption,
    lines: Sequence[LineInput],
    actor: Actor,
    baselines: Baselines | None = None,
    point: str | None = None,
) -> None:
    """Replace the opportunities an option chooses and their phasing (by year or by release). `point` is
    the option's point when it is changing at the same time (see option_save)."""
    case = option.case
    seen: set[int] = set()
    for line in lines:
        if line.opportunity.pk in seen:
            raise CaseInputError(f"{line.opportunity.code} is chosen twice.")
        seen.add(line.opportunity.pk)
        _check_line(case, option, line)
    _check_custom(option, lines, baselines, point)
    before = _lines_snapshot(option)
    option.lines.all().delete()
    OptionLine.objects.bulk_create(
        OptionLine(
            council=option.council,
            option=option,
            opportunity=line.opportunity,
            phasing=[] if line.release_shares else [str(f) for f in line.phasing],
            release_shares={str(r.pk): str(v) for r, v in line.release_shares.items()},
            point=line.point,
            custom_amount=line.custom_amount,
        )
        for line in lines
    )
    after = _lines_snapshot(option)
    if before != after:
        audit_record(
            council=option.council,
            actor=actor,
            action="case_option.choose",
            obj=option,
            before=before,
            after=after,
        )


# --- costs ------------------------------------------------------------------------------------------


def _check_cost(case: BusinessCase, cost: CostLine) -> None:
    if not cost.name.strip():
        raise CaseInputError("Enter the cost's name.", "name")
    if cost.kind not in CostLine.Kind.values:
        raise CaseInputError("Choose the type of cost.", "kind")
    if cost.kind == CostLine.Kind.REDUNDANCY and case.redundancy_in_costs:
        raise CaseInputError(
            "This case works out redundancy costs from its workforce impact, so they are not entered as "
            "well. Change that in the case's assumptions to enter them by hand.",
            "kind",
        )
    cost.amounts = _money_list(cost.amounts)
    if len(cost.amounts) > case.years:
        raise CaseInputError("There are more years of figures than the case has.", "amounts")
    if any(Decimal(a) < 0 for a in cost.amounts):
        raise CaseInputError("Costs must not be negative.", "amounts")
    if not ZERO <= cost.low_pct <= HUNDRED:
        raise CaseInputError("The low end of the range is between 0% and 100%.", "low_pct")
    if cost.high_pct < HUNDRED:
        raise CaseInputError("The high end of the range is 100% or more.", "high_pct")


@transaction.atomic
def cost_create(*, option: CaseOption, actor: Actor, **values: Any) -> CostLine:
    unknown = set(values) - set(COST_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot set {', '.join(sorted(unknown))}.")
    cost = CostLine(council=option.council, option=option, **values)
    _check_cost(BusinessCase.objects.get(pk=option.case_id), cost)
    top = option.costs.aggregate(m=Max("position"))["m"]
    cost.position = 0 if top is None else top + 1
    cost.save()
    audit_record(
        council=option.council,
        actor=actor,
        action="case_cost.create",
        obj=cost,
        after=snapshot(cost, COST_FIELDS),
    )
    return cost


@transaction.atomic
def cost_update(*, cost: CostLine, actor: Actor, **changes: Mapping[str, Any] | Any) -> CostLine:
    unknown = set(changes) - set(COST_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    cost = CostLine.objects.select_for_update().select_related("option__case").get(pk=cost.pk)
    before = snapshot(cost, COST_FIELDS)
    for name, value in changes.items():
        setattr(cost, name, value)
    _check_cost(cost.option.case, cost)
    cost.save()
    after = snapshot(cost, COST_FIELDS)
    if before != after:
        audit_record(
            council=cost.council, actor=actor, action="case_cost.update", obj=cost, before=before, after=after
        )
    return cost


@transaction.atomic
def cost_delete(*, cost: CostLine, actor: Actor) -> None:
    audit_record(
        council=cost.council,
        actor=actor,
        action="case_cost.delete",
        obj=cost,
        before=snapshot(cost, COST_FIELDS),
    )
    cost.delete()
