"""Opportunities: a low-high saving per operating-model layer and lever, sized from a baseline.

An opportunity's baseline is either an amount in pounds entered for it, or a reference to a shared baseline
pot (the cost of the processes mapped to a layer, or a spend category). Its saving is either a low and a high
percentage of that baseline, or a low and a high amount in pounds entered directly. The mid point is the
midpoint of low and high.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from wholecouncil.cases.engine.errors import CaseError, OverlapError
from wholecouncil.cases.engine.money import HUNDRED, ZERO, fmt_pct, fmt_pounds, pennies, total


class PotKind(StrEnum):
    STAFF = "staff"
    SPEND = "spend"
    OTHER = "other"


@dataclass(frozen=True)
class BaselinePot:
    """A baseline several opportunities may draw on, such as the staff cost of one layer's processes."""

    code: str
    name: str
    amount: Decimal
    kind: PotKind = PotKind.OTHER
    fte: Decimal | None = None  # for a staff pot: the FTE whose cost it is


@dataclass(frozen=True)
class Opportunity:
    """One layer x lever saving assumption.

    Give `low_pct` and `high_pct` (percent of the baseline) or `low_amount` and `high_amount` (pounds).
    The baseline is `baseline` (pounds) or the pot named by `pot`; entered amounts need no baseline.
    `staff_pct` is the share of the saving that comes from staff cost, which drives the workforce impact.
    """

    code: str
    name: str
    layer: str
    lever: str
    low_pct: Decimal | None = None
    high_pct: Decimal | None = None
    low_amount: Decimal | None = None
    high_amount: Decimal | None = None
    baseline: Decimal | None = None
    pot: str | None = None
    staff_pct: Decimal = ZERO
    rationale: str = ""
    source: str = ""
    illustrative: bool = False

    @property
    def is_percentage(self) -> bool:
        return self.low_pct is not None


@dataclass(frozen=True)
class OpportunityRange:
    """An opportunity's full-year recurring saving at the low, mid and high points (pounds, unrounded)."""

    code: str
    layer: str
    lever: str
    baseline: Decimal | None
    low: Decimal
    high: Decimal

    @property
    def mid(self) -> Decimal:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class RangeTotal:
    """Low, mid and high summed over a group of opportunities, to the penny."""

    key: str
    low: Decimal
    mid: Decimal
    high: Decimal


def baseline_of(opp: Opportunity, pots: Mapping[str, BaselinePot]) -> Decimal | None:
    if opp.pot is not None:
        if opp.pot not in pots:
            raise CaseError(f"Opportunity {opp.code}: there is no baseline pot '{opp.pot}'.")
        return pots[opp.pot].amount
    return opp.baseline


def validate_opportunity(opp: Opportunity) -> None:
    """Check the shape of one opportunity's assumption; the file loader reports the same rules by field."""
    pct = (opp.low_pct, opp.high_pct)
    amt = (opp.low_amount, opp.high_amount)
    if (None in pct) == (None in amt):
        raise CaseError(
            f"Opportunity {opp.code}: give low_pct and high_pct, or low_amount and high_amount (not both)."
        )
    if opp.pot is not None and opp.baseline is not None:
        raise CaseError(f"Opportunity {opp.code}: give a baseline amount or a baseline pot, not both.")
    if opp.low_pct is not None and opp.high_pct is not None:
        if opp.pot is None and opp.baseline is None:
            raise CaseError(
                f"Opportunity {opp.code}: a percentage saving needs a baseline or a baseline pot."
            )
        for name, v in (("low_pct", opp.low_pct), ("high_pct", opp.high_pct)):
            if not ZERO <= v <= HUNDRED:
                raise CaseError(f"Opportunity {opp.code}: {name} must be between 0 and 100.")
        if opp.low_pct > opp.high_pct:
            raise CaseError(f"Opportunity {opp.code}: low_pct must not be more than high_pct.")
    if opp.low_amount is not None and opp.high_amount is not None:
        if opp.low_amount < 0:
            raise CaseError(f"Opportunity {opp.code}: low_amount must not be negative.")
        if opp.low_amount > opp.high_amount:
            raise CaseError(f"Opportunity {opp.code}: low_amount must not be more than high_amount.")
    if opp.baseline is not None and opp.baseline < 0:
        raise CaseError(f"Opportunity {opp.code}: the baseline must not be negative.")
    if not ZERO <= opp.staff_pct <= HUNDRED:
        raise CaseError(f"Opportunity {opp.code}: staff_pct must be between 0 and 100.")


def size_opportunity(opp: Opportunity, pots: Mapping[str, BaselinePot]) -> OpportunityRange:
    validate_opportunity(opp)
    base = baseline_of(opp, pots)
    if opp.low_pct is not None and opp.high_pct is not None:
        assert base is not None
        low, high = base * opp.low_pct / HUNDRED, base * opp.high_pct / HUNDRED
    else:
        assert opp.low_amount is not None and opp.high_amount is not None
        low, high = opp.low_amount, opp.high_amount
    return OpportunityRange(opp.code, opp.layer, opp.lever, base, low, high)


def claimed_pct(opp: Opportunity, pot: BaselinePot) -> Decimal:
    """The most of a pot an opportunity can claim: its high percentage, or its high amount over the pot."""
    if opp.high_pct is not None:
        return opp.high_pct
    assert opp.high_amount is not None
    if pot.amount == 0:
        return HUNDRED * 2 if opp.high_amount > 0 else ZERO
    return opp.high_amount / pot.amount * HUNDRED


def check_overlaps(opportunities: Iterable[Opportunity], pots: Mapping[str, BaselinePot]) -> None:
    """Refuse opportunities whose high points together claim more than 100% of one baseline pot.

    Checking the high end means no point in the range can count the same pound twice.
    """
    by_pot: dict[str, list[Opportunity]] = defaultdict(list)
    for opp in opportunities:
        if opp.pot is not None:
            if opp.pot not in pots:
                raise CaseError(f"Opportunity {opp.code}: there is no baseline pot '{opp.pot}'.")
            by_pot[opp.pot].append(opp)
    for code, opps in by_pot.items():
        pot = pots[code]
        claims = [(o, claimed_pct(o, pot)) for o in opps]
        claimed = total(c for _, c in claims)
        if claimed > HUNDRED:
            parts = ", ".join(f"{o.code} ({fmt_pct(c.quantize(Decimal('0.1')))})" for o, c in claims)
            known = pot.amount or any(o.high_pct is None for o in opps)
            about = f"{pot.name}, {fmt_pounds(pot.amount)}" if known else pot.name
            raise OverlapError(
                f"Opportunities {parts} together claim {fmt_pct(claimed.quantize(Decimal('0.1')))} of the "
                f"baseline pot '{pot.code}' ({about}) at their high points; "
                "at most 100% of a baseline can be claimed, so the same saving would be counted twice.",
                pot=pot.code,
                codes=tuple(o.code for o in opps),
            )


def size_all(
    opportunities: Iterable[Opportunity], pots: Iterable[BaselinePot]
) -> dict[str, OpportunityRange]:
    """Size every opportunity after refusing duplicate codes and overlapping claims on a pot."""
    opps = tuple(opportunities)
    by_code = {p.code: p for p in pots}
    seen: set[str] = set()
    for opp in opps:
        if opp.code in seen:
            raise CaseError(f"Two opportunities have the code {opp.code}.")
        seen.add(opp.code)
    ranges = {o.code: size_opportunity(o, by_code) for o in opps}
    check_overlaps(opps, by_code)
    return ranges


def range_totals(ranges: Iterable[OpportunityRange], by: str) -> tuple[RangeTotal, ...]:
    """Low / mid / high to the penny per layer (`by="layer"`), per lever (`"lever"`) or in total."""
    groups: dict[str, list[OpportunityRange]] = defaultdict(list)
    for r in ranges:
        key = "total" if by == "total" else getattr(r, by)
        groups[key].append(r)
    return tuple(
        RangeTotal(
            key,
            total(pennies(r.low) for r in rs),
            total(pennies(r.mid) for r in rs),
            total(pennies(r.high) for r in rs),
        )
        for key, rs in groups.items()
    )
