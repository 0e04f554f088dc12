"""Figures about spend that need no database: concentration and month keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Concentration:
    suppliers: int  # how many suppliers make up `share` of spend
    of_suppliers: int  # suppliers with positive spend
    share: float
    pennies: int  # their spend

    @property
    def fraction_of_suppliers(self) -> float:
        return self.suppliers / self.of_suppliers if self.of_suppliers else 0.0


def concentration(spend: Iterable[int], share: float = 0.8) -> Concentration:
    """The fewest suppliers whose net spend adds up to at least `share` of the total positive spend.

    Suppliers with a net spend of zero or less (refunds exceeding payments) are left out of both counts.
    """
    amounts = sorted((p for p in spend if p > 0), reverse=True)
    total = sum(amounts)
    running = 0
    for count, amount in enumerate(amounts, start=1):
        running += amount
        if running * 1.0 >= share * total:
            return Concentration(count, len(amounts), share, running)
    return Concentration(len(amounts), len(amounts), share, running)


def month_key(date: dt.date) -> str:
    return f"{date.year:04d}-{date.month:02d}"
