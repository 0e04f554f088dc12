"""Pure computations for the council spine: financial years and apportioning money between councils."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")
K = TypeVar("K")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A UK local-government financial year, 1 April to 31 March. FinancialYear(2025) is 2025/26."""

    start_year: int

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def starts(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def ends(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read '2025/26' or '2025-26' or '2025'."""
        cleaned = text.strip().replace("-", "/")
        head, _, tail = cleaned.partition("/")
        if not head.isdigit() or len(head) != 4:
            raise ValueError(f"'{text}' is not a financial year such as 2025/26")
        year = cls(int(head))
        if tail and tail != f"{(year.start_year + 1) % 100:02d}":
            raise ValueError(
                f"'{text}' is not a financial year: {head} is followed by {(year.start_year + 1) % 100:02d}"
            )
        return year

    def __add__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start_year + years)


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter: 31 Aug + 6 -> 28/29 Feb."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(date.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class SharesError(ValueError):
    pass


def validate_shares(shares: Mapping[K, Decimal]) -> None:
    """Shares are percentages; each must be positive and together they must make exactly 100."""
    if not shares:
        raise SharesError("A shared unit needs at least one council's share.")
    for key, pct in shares.items():
        if pct <= 0:
            raise SharesError(f"The share for {key} must be more than 0%.")
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        raise SharesError(f"Shares add up to {total}%, not 100%.")


def split_by_shares(amount: Decimal, shares: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Apportion `amount` (pounds) by percentage shares, to the penny, conserving the total exactly.

    Each part is rounded down to the penny, then the pennies left over go to the largest remainders
    (ties broken by the order the shares are given), so the parts always add back to `amount`.
    """
    validate_shares(shares)
    pennies = int((amount / PENNY).to_integral_value(rounding=ROUND_HALF_UP))
    sign = -1 if pennies < 0 else 1
    pennies = abs(pennies)
    exact = {k: Decimal(pennies) * pct / HUNDRED for k, pct in shares.items()}
    floors = {k: int(v) for k, v in exact.items()}
    leftover = pennies - sum(floors.values())
    order = sorted(exact, key=lambda k: exact[k] - floors[k], reverse=True)
    for k in order[:leftover]:
        floors[k] += 1
    return {k: Decimal(sign * floors[k]) * PENNY for k in shares}
