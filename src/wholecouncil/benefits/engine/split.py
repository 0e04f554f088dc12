"""Apportioning a benefit between the councils of a partnership, to the penny, conserving every total."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

from wholecouncil.council.engine import split_by_shares, validate_shares

K = TypeVar("K")


def split_profile(profile: Mapping[int, Decimal], shares: Mapping[K, Decimal]) -> dict[K, dict[int, Decimal]]:
    """Each council's part of each year's amount. Every year's parts add back to that year's amount exactly
    (see council.engine.split_by_shares), so the parts of the whole profile add back to its total too."""
    validate_shares(shares)
    out: dict[K, dict[int, Decimal]] = {k: {} for k in shares}
    for year, amount in profile.items():
        for key, part in split_by_shares(amount, shares).items():
            out[key][year] = part
    return out


def share_of(amount: Decimal, shares: Mapping[K, Decimal], key: K) -> Decimal:
    """One council's part of `amount`: the whole amount when no shares are recorded."""
    if not shares:
        return amount
    return split_by_shares(amount, shares).get(key, Decimal(0))
