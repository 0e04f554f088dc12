"""No double counting: which stored opportunities together claim more than the whole of one baseline.

A percentage claim needs no amount to be checked, so an opportunity whose baseline has no figure yet still
counts its percentage against the layer's staff cost or the spend category it names. A claim in pounds can
only be weighed against a baseline with a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from wholecouncil.cases import engine as E
from wholecouncil.cases.baselines import Baselines, spend_pot_code, staff_pot_code
from wholecouncil.cases.convert import NO_LAYER, NO_LEVER, dec, engine_opportunity, missing_baseline
from wholecouncil.cases.models import Opportunity

ZERO = Decimal(0)


def _unfilled_pot(opp: Opportunity, baselines: Baselines) -> E.BaselinePot | None:
    """The pot a percentage opportunity names when that pot has no figure yet (else None)."""
    if opp.saving != Opportunity.Saving.PERCENT or opp.high_pct is None:
        return None
    if opp.basis == Opportunity.Basis.ACTIVITY and opp.layer is not None:
        name = f"Staff cost of {opp.layer.name} processes, no figure yet"
        return E.BaselinePot(staff_pot_code(opp.layer.code), name, ZERO, E.PotKind.STAFF)
    if opp.basis == Opportunity.Basis.SPEND and opp.spend_category.strip():
        category = opp.spend_category.strip()
        return E.BaselinePot(
            spend_pot_code(category), f"Spend: {category}, no figure yet", ZERO, E.PotKind.SPEND
        )
    return None


def overlaps(opportunities: Iterable[Opportunity], baselines: Baselines) -> list[E.OverlapError]:
    """Every baseline the opportunities claim more than 100% of at their high points."""
    pots = {p.code: p for p in baselines.engine_pots()}
    by_pot: dict[str, list[E.Opportunity]] = defaultdict(list)
    for opp in opportunities:
        if not missing_baseline(opp, baselines):
            eng = engine_opportunity(opp, baselines)
        else:
            pot = _unfilled_pot(opp, baselines)
            if pot is None:
                continue
            pots.setdefault(pot.code, pot)
            eng = E.Opportunity(
                code=opp.code,
                name=opp.name,
                layer=opp.layer.code if opp.layer is not None else NO_LAYER,
                lever=opp.lever.code if opp.lever is not None else NO_LEVER,
                low_pct=dec(opp.low_pct),
                high_pct=dec(opp.high_pct),
                pot=pot.code,
            )
        if eng.pot is not None:
            by_pot[eng.pot].append(eng)
    found: list[E.OverlapError] = []
    for group in by_pot.values():
        try:
            E.check_overlaps(group, pots)
        except E.OverlapError as exc:
            found.append(exc)
    return found


def overlap_messages(
    opportunities: Iterable[Opportunity], baselines: Baselines
) -> tuple[list[str], set[str]]:
    """The message of every over-claimed baseline, and the codes of the opportunities drawing on them."""
    errors = overlaps(opportunities, baselines)
    return [str(e) for e in errors], {c for e in errors for c in e.codes}
