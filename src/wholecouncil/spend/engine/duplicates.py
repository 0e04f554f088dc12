"""Finding payments that may have been made twice, ranked, each with the reason.

Three rules, over payments of more than nothing (credits and refunds are never candidates):
1. the same invoice number (after normalising: case, spaces, punctuation and leading zeros ignored) paid to
   the same supplier twice; strongest when the amounts are equal too;
2. the same amount paid to the same supplier within a window of days (default 14);
3. nearly the same amount (within £1 or 0.1%, whichever is more) paid within the window to two different
   names of one supplier ("ACME LTD" and "Acme Limited") — the classic duplicate supplier record.
Rules 1 and 3 also look across suppliers proposed as one but not yet merged (`PaymentColumns.group`).
Payments that share a transaction number are lines of one payment, not two payments, and are never paired.
Only neighbours are paired (each payment with the next like it), so a run of k like payments gives k - 1
candidates and the work grows with n log n. Computed with numpy over whole columns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

DEFAULT_WINDOW_DAYS = 14
NEAR_PENNIES = 100
NEAR_FRACTION = 0.001
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
NO_INVOICE = frozenset({"", "NA", "NONE", "NIL", "NULL", "TBC", "UNKNOWN", "VARIOUS", "0"})

SAME_INVOICE = "same invoice number"
SAME_AMOUNT = "same amount"
VARIANT_AMOUNT = "nearly the same amount to another name of the supplier"

Ints = npt.NDArray[np.int64]


def normalise_invoice(text: str) -> str:
    """'INV-000123 ' -> 'INV123'... more exactly: upper case, only letters and digits, leading zeros of each
    run of digits dropped. "" for a blank or a placeholder such as N/A."""
    compact = _NOT_ALNUM.sub("", text.upper())
    compact = re.sub(r"(?<![0-9])0+(?=[0-9])", "", compact)
    return "" if compact in NO_INVOICE else compact


@dataclass(frozen=True)
class DuplicateOptions:
    window_days: int = DEFAULT_WINDOW_DAYS
    near_pennies: int = NEAR_PENNIES
    near_fraction: float = NEAR_FRACTION


class Payment(NamedTuple):
    """What duplicate detection needs of a payment. `supplier` is the resolved supplier, `alias` the name
    as written; `invoice` and `transaction` are keys (0 for none) of normalised references."""

    id: int
    supplier: int
    alias: int
    pennies: int
    date: dt.date
    invoice: int = 0
    transaction: int = 0


@dataclass(frozen=True)
class Candidate:
    first: int  # payment id, the earlier payment
    second: int
    score: int  # 0-100
    reasons: tuple[str, ...]
    pennies: int  # the amount of the second payment
    days_apart: int


@dataclass
class PaymentColumns:
    """Payments as columns, all the same length: the form the detector works on."""

    id: Ints
    supplier: Ints
    alias: Ints
    pennies: Ints
    day: Ints  # date ordinal
    invoice: Ints
    transaction: Ints
    group: Ints | None = None  # suppliers proposed as one (rule 3 looks across them); None: each its own

    @classmethod
    def from_payments(cls, payments: Sequence[Payment]) -> PaymentColumns:
        def col(values: list[int]) -> Ints:
            return np.asarray(values, dtype=np.int64)

        return cls(
            id=col([p.id for p in payments]),
            supplier=col([p.supplier for p in payments]),
            alias=col([p.alias for p in payments]),
            pennies=col([p.pennies for p in payments]),
            day=col([p.date.toordinal() for p in payments]),
            invoice=col([p.invoice for p in payments]),
            transaction=col([p.transaction for p in payments]),
        )

    def positive(self) -> PaymentColumns:
        keep = self.pennies > 0
        group = self.supplier if self.group is None else self.group
        columns = {name: getattr(self, name)[keep] for name in self.__dataclass_fields__ if name != "group"}
        return PaymentColumns(**columns, group=group[keep])


def _neighbours(cols: PaymentColumns, keys: Sequence[Ints]) -> tuple[Ints, Ints]:
    """Indices (a, b) of each payment and the next one in the order of `keys` (last key sorts first)."""
    order = np.lexsort(tuple(keys))
    return order[:-1], order[1:]


def _pairs(cols: PaymentColumns, options: DuplicateOptions) -> list[tuple[Ints, Ints, str, int]]:
    found: list[tuple[Ints, Ints, str, int]] = []
    if len(cols.id) < 2:
        return found
    group = cols.supplier if cols.group is None else cols.group
    # 1. same supplier (or suppliers proposed as one) and invoice number
    a, b = _neighbours(cols, (cols.id, cols.day, cols.invoice, group))
    hit = (group[a] == group[b]) & (cols.invoice[a] == cols.invoice[b]) & (cols.invoice[a] != 0)
    found.append((a[hit], b[hit], SAME_INVOICE, 0))
    # 2. same supplier and amount within the window
    a, b = _neighbours(cols, (cols.id, cols.day, cols.pennies, cols.supplier))
    hit = (
        (cols.supplier[a] == cols.supplier[b])
        & (cols.pennies[a] == cols.pennies[b])
        & (np.abs(cols.day[b] - cols.day[a]) <= options.window_days)
    )
    found.append((a[hit], b[hit], SAME_AMOUNT, 0))
    # 3. nearly the same amount to another name of the supplier (or of a supplier proposed as the same one)
    a, b = _neighbours(cols, (cols.day, cols.pennies, group))
    gap = np.abs(cols.pennies[b] - cols.pennies[a])
    limit = np.maximum(options.near_pennies, (cols.pennies[b] * options.near_fraction).astype(np.int64))
    hit = (
        (group[a] == group[b])
        & (cols.alias[a] != cols.alias[b])
        & (gap <= limit)
        & (np.abs(cols.day[b] - cols.day[a]) <= options.window_days)
    )
    found.append((a[hit], b[hit], VARIANT_AMOUNT, 0))
    return found


def _score(reasons: set[str], same_amount: bool, same_day: bool, variant: bool, two_invoices: bool) -> int:
    if SAME_INVOICE in reasons:
        score = 95 if same_amount else 60
    elif SAME_AMOUNT in reasons:
        score = 45 if two_invoices else 70
    else:
        score = 55
    if same_day and score < 95:
        score += 5
    if variant and VARIANT_AMOUNT not in reasons:
        score += 10
    return min(score, 99)


def find_duplicates(
    cols: PaymentColumns, options: DuplicateOptions = DuplicateOptions(), *, limit: int | None = None
) -> list[Candidate]:
    """Candidate duplicate payments, highest score first (then largest amount), at most `limit` of them."""
    cols = cols.positive()
    reasons: dict[tuple[int, int], set[str]] = {}
    for a, b, reason, _ in _pairs(cols, options):
        not_one_payment = (cols.transaction[a] == 0) | (cols.transaction[a] != cols.transaction[b])
        a, b = a[not_one_payment], b[not_one_payment]
        for i, j in zip(a.tolist(), b.tolist(), strict=True):
            key = (i, j) if (cols.day[i], cols.id[i]) <= (cols.day[j], cols.id[j]) else (j, i)
            reasons.setdefault(key, set()).add(reason)
    candidates = []
    for (i, j), found in reasons.items():
        same_amount = bool(cols.pennies[i] == cols.pennies[j])
        variant = bool(cols.alias[i] != cols.alias[j])
        two_invoices = bool(
            cols.invoice[i] != 0 and cols.invoice[j] != 0 and cols.invoice[i] != cols.invoice[j]
        )
        days = int(cols.day[j] - cols.day[i])
        score = _score(found, same_amount, days == 0, variant, two_invoices)
        ordered = tuple(r for r in (SAME_INVOICE, SAME_AMOUNT, VARIANT_AMOUNT) if r in found)
        if same_amount and SAME_AMOUNT not in found:
            ordered = (*ordered[:1], SAME_AMOUNT, *ordered[1:])
        if variant and VARIANT_AMOUNT not in found:
            ordered += ("paid to two different names of the supplier",)
        if two_invoices:
            ordered += ("but different invoice numbers",)
        candidates.append(
            Candidate(
                first=int(cols.id[i]),
                second=int(cols.id[j]),
                score=score,
                reasons=ordered,
                pennies=int(cols.pennies[j]),
                days_apart=days,
            )
        )
    candidates.sort(key=lambda c: (-c.score, -c.pennies, c.first, c.second))
    return candidates if limit is None else candidates[:limit]
