"""Baseline figures entered for the opportunities to draw on: refused when claims would exceed them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from wholecouncil.cases import claims
from wholecouncil.cases.baselines import (
    ACTIVITY_SOURCE,
    SPEND_SOURCE,
    council_baselines,
    spend_pot_code,
    staff_pot_code,
)
from wholecouncil.cases.models import (
    BaselineFigure,
    Opportunity,
)
from wholecouncil.cases.services.common import (
    BASELINE_FIELDS,
    CaseInputError,
)
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.models import Council, Layer


@transaction.atomic
def baseline_figure_set(
    *,
    council: Council,
    kind: str,
    key: str,
    amount: Decimal | None,
    actor: Actor,
    fte: Decimal | None = None,
    source: str = "",
    illustrative: bool = False,
) -> BaselineFigure | None:
    """Enter (or with amount None, remove) the baseline of one layer's staff cost or one spend category."""
    if kind not in BaselineFigure.Kind.values:
        raise CaseInputError(f"There is no kind of baseline called '{kind}'.", "kind")
    key = key.strip()
    if not key:
        raise CaseInputError("Enter the layer or spend category the baseline is for.", "key")
    if kind == BaselineFigure.Kind.STAFF and not Layer.objects.filter(council=council, code=key).exists():
        raise CaseInputError(f"There is no layer with the short code '{key}'.", "key")
    if amount is not None and amount < 0:
        raise CaseInputError("A baseline must not be negative.", "amount")
    found = BaselineFigure.objects.select_for_update().filter(council=council, kind=kind, key=key).first()
    before = snapshot(found, BASELINE_FIELDS) if found else None
    if amount is None:
        if found is not None:
            audit_record(
                council=council, actor=actor, action="case_baseline.delete", obj=found, before=before
            )
            found.delete()
        return None
    fig, _ = BaselineFigure.objects.update_or_create(
        council=council,
        kind=kind,
        key=key,
        defaults={"amount": amount, "fte": fte, "source": source, "illustrative": illustrative},
    )
    after = snapshot(fig, BASELINE_FIELDS)
    if before != after:
        _check_baseline_claims(council, kind, key)
        action = "case_baseline.update" if found else "case_baseline.create"
        audit_record(council=council, actor=actor, action=action, obj=fig, before=before, after=after)
    return fig


@dataclass(frozen=True)
class BaselineInput:
    kind: str
    key: str
    amount: Decimal | None
    fte: Decimal | None = None
    source: str = ""
    illustrative: bool = False


@transaction.atomic
def baselines_set(*, council: Council, figures: Sequence[BaselineInput], actor: Actor) -> None:
    """Enter several baselines at once: all are saved or none (an amount of None removes one)."""
    for f in figures:
        baseline_figure_set(
            council=council,
            kind=f.kind,
            key=f.key,
            amount=f.amount,
            fte=f.fte,
            source=f.source,
            illustrative=f.illustrative,
            actor=actor,
        )


# --- opportunities ----------------------------------------------------------------------------------


def _check_baseline_claims(council: Council, kind: str, key: str) -> None:
    """Refuse a baseline figure that the opportunities drawing on it would claim more than 100% of."""
    basis = Opportunity.Basis.ACTIVITY if kind == BaselineFigure.Kind.STAFF else Opportunity.Basis.SPEND
    drawing = Opportunity.objects.filter(council=council, basis=basis).select_related("layer", "lever")
    drawing = (
        drawing.filter(layer__code=key)
        if basis == Opportunity.Basis.ACTIVITY
        else drawing.filter(spend_category=key)
    )
    if not drawing.filter(saving=Opportunity.Saving.AMOUNT).exists():
        return  # percentage claims do not depend on the figure
    pot = staff_pot_code(key) if kind == BaselineFigure.Kind.STAFF else spend_pot_code(key)
    baselines = council_baselines(council)
    used = baselines.pots.get(pot)
    if used is None or used.source in (ACTIVITY_SOURCE, SPEND_SOURCE):
        return  # an analysis's figure takes the place of the entered one
    for error in claims.overlaps(drawing, baselines):
        if error.pot == pot:
            raise CaseInputError(f"{error} Lower those claims before entering this baseline.", "amount")
