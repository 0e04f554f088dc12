"""Decimal helpers shared by the engine modules."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal("100")
ZERO = Decimal("0")
ONE = Decimal("1")


def pennies(amount: Decimal) -> Decimal:
    """Round pounds to the penny, half up (the convention finance systems use)."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def tenths(amount: Decimal) -> Decimal:
    return amount.quantize(TENTH, rounding=ROUND_HALF_UP)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def running(values: Iterable[Decimal]) -> tuple[Decimal, ...]:
    """The running sum: element y is the sum of elements 0..y."""
    out: list[Decimal] = []
    acc = ZERO
    for v in values:
        acc += v
        out.append(acc)
    return tuple(out)


def fmt_pct(pct: Decimal) -> str:
    text = format(pct.normalize(), "f")
    return f"{text}%"


def fmt_pounds(amount: Decimal) -> str:
    return f"£{pennies(amount):,.2f}"
