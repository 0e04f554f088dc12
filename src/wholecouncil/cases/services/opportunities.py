"""Opportunities: created, changed and removed, each checked against the claims on its baseline."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from wholecouncil.cases import claims
from wholecouncil.cases.baselines import (
    Baselines,
    council_baselines,
)
from wholecouncil.cases.models import (
    Opportunity,
)
from wholecouncil.cases.services.common import (
    HUNDRED,
    OPPORTUNITY_FIELDS,
    ZERO,
    CaseInputError,
)
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.models import Council, Layer, Lever


def _check_opportunity(opp: Opportunity) -> None:
    """The shape of one assumption, with the form field at fault."""
    percent = opp.saving == Opportunity.Saving.PERCENT
    if opp.layer is None:
        raise CaseInputError("Choose the layer of the operating model.", "layer")
    if opp.lever is None:
        raise CaseInputError("Choose the lever.", "lever")
    if opp.basis == Opportunity.Basis.SPEND and not opp.spend_category.strip():
        raise CaseInputError("Enter the spend category the saving comes from.", "spend_category")
    if opp.basis == Opportunity.Basis.ENTERED:
        if opp.baseline_amount is None:
            raise CaseInputError("Enter the baseline in pounds.", "baseline_amount")
        if opp.baseline_amount < 0:
            raise CaseInputError("The baseline must not be negative.", "baseline_amount")
    if percent:
        if opp.basis == Opportunity.Basis.NONE:
            raise CaseInputError(
                "A percentage saving needs a baseline: choose one, or enter the saving in pounds.", "saving"
            )
        for name in ("low_pct", "high_pct"):
            value = getattr(opp, name)
            if value is None:
                raise CaseInputError(f"Enter the {name.split('_')[0]} percentage.", name)
            if not ZERO <= value <= HUNDRED:
                raise CaseInputError("Enter a percentage between 0 and 100.", name)
        if opp.low_pct > opp.high_pct:  # type: ignore[operator]
            raise CaseInputError("The low percentage must not be more than the high percentage.", "low_pct")
        opp.low_amount = opp.high_amount = None
    else:
        for name in ("low_amount", "high_amount"):
            value = getattr(opp, name)
            if value is None:
                raise CaseInputError(f"Enter the {name.split('_')[0]} saving in pounds.", name)
            if value < 0:
                raise CaseInputError("A saving must not be negative.", name)
        if opp.low_amount > opp.high_amount:  # type: ignore[operator]
            raise CaseInputError("The low saving must not be more than the high saving.", "low_amount")
        opp.low_pct = opp.high_pct = None
    if opp.staff_pct is not None and not ZERO <= opp.staff_pct <= HUNDRED:
        raise CaseInputError("Enter a percentage between 0 and 100.", "staff_pct")
    if opp.basis != Opportunity.Basis.SPEND:
        opp.spend_category = ""
    if opp.basis != Opportunity.Basis.ENTERED:
        opp.baseline_amount = None


def _check_no_overlap(council: Council, changed: Opportunity, baselines: Baselines) -> None:
    """Refuse a change that makes the council's opportunities claim more than 100% of one baseline."""
    others = (
        Opportunity.objects.filter(council=council).exclude(pk=changed.pk).select_related("layer", "lever")
    )
    messages, codes = claims.overlap_messages([*others, changed], baselines)
    if messages and changed.code in codes:
        field = "high_pct" if changed.saving == Opportunity.Saving.PERCENT else "high_amount"
        raise CaseInputError(" ".join(messages), field)


def _check_code(council: Council, code: str, exclude: int | None) -> None:
    clash = Opportunity.objects.filter(council=council, code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise CaseInputError(f"The code '{code}' is already used by another opportunity.", "code")


def _own(council: Council, layer: Layer | None, lever: Lever | None) -> None:
    if layer is not None and layer.council_id != council.pk:
        raise CaseInputError("Choose one of your council's layers.", "layer")
    if lever is not None and lever.council_id != council.pk:
        raise CaseInputError("Choose one of your council's levers.", "lever")


@transaction.atomic
def opportunity_create(
    *, council: Council, actor: Actor, baselines: Baselines | None = None, **values: Any
) -> Opportunity:
    unknown = set(values) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot set {', '.join(sorted(unknown))}.")
    opp = Opportunity(council=council, **values)
    _own(council, opp.layer, opp.lever)
    _check_code(council, opp.code, None)
    _check_opportunity(opp)
    _check_no_overlap(council, opp, baselines or council_baselines(council))
    top = Opportunity.objects.filter(council=council).aggregate(m=Max("position"))["m"]
    opp.position = 0 if top is None else top + 1
    opp.save()
    audit_record(
        council=council,
        actor=actor,
        action="opportunity.create",
        obj=opp,
        after=snapshot(opp, OPPORTUNITY_FIELDS),
    )
    return opp


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, actor: Actor, baselines: Baselines | None = None, **changes: Any
) -> Opportunity:
    unknown = set(changes) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    # Read the stored row: a bound ModelForm may already have set the new values on the instance.
    opp = Opportunity.objects.select_for_update().select_related("council").get(pk=opportunity.pk)
    before = snapshot(opp, OPPORTUNITY_FIELDS)
    for name, value in changes.items():
        setattr(opp, name, value)
    _own(opp.council, opp.layer, opp.lever)
    _check_code(opp.council, opp.code, opp.pk)
    _check_opportunity(opp)
    _check_no_overlap(opp.council, opp, baselines or council_baselines(opp.council))
    opp.save()
    after = snapshot(opp, OPPORTUNITY_FIELDS)
    if before != after:
        audit_record(
            council=opp.council, actor=actor, action="opportunity.update", obj=opp, before=before, after=after
        )
    return opp


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, actor: Actor) -> None:
    used = sorted(
        {
            f"{line.option.case.name}: {line.option.name}"
            for line in opportunity.option_lines.select_related("option__case")
        }
    )
    if used:
        raise CaseInputError(
            f"{opportunity.code} is chosen in {'; '.join(used)}. Take it out of those options first."
        )
    audit_record(
        council=opportunity.council,
        actor=actor,
        action="opportunity.delete",
        obj=opportunity,
        before=snapshot(opportunity, OPPORTUNITY_FIELDS),
    )
    opportunity.delete()


# --- business cases ---------------------------------------------------------------------------------
