"""Recognising payments imported before, whatever the layout of the file they came in.

A payment is identified by what any layout of a spend file says about it: the supplier's normalised name
(`supplier_key`), the payment date and the amount in pennies — and, when a row has them, its transaction and
invoice numbers (normalised as for duplicate detection). Purpose, org unit, category and the columns a
mapping happens to include are not part of it, so the same file read with a narrower mapping, or the same
rows published as XLSX instead of CSV, or in another template, are recognised.

Two rows are the same payment when their name, date and amount agree and they do not disagree on a
reference both of them carry. Every row of one file is a payment of its own (two identical rows in one file
are two payments); each row is matched to at most one payment imported before, preferring one with exactly
the same references. The files of one import are taken in turn, as if imported one after another, so a row
of a later file is matched against the payments of the earlier files too. So importing a file again adds
nothing, whether in a later import or twice in one (a year's file beside its monthly files, a copy in a ZIP),
while the first import of a file with two identical payments keeps both.

Each new payment gets a fingerprint: a 64-bit hash of its identity and of how many payments with the same
identity the council already has, so fingerprints are unique within a council; duplicate-payment reviews are
remembered by them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NamedTuple

Key = tuple[str, int, int]  # normalised supplier name, date ordinal, pennies


class Refs(NamedTuple):
    invoice: str  # normalised; "" for none
    transaction: str


def stable_hash(text: str) -> int:
    """A signed 64-bit hash, the same in every process and version: the first 64 bits of the MD5 digest of
    the UTF-8 text, less 2**63. `SQL_STABLE_HASH` computes the same in DuckDB (not a security measure)."""
    digest = hashlib.md5(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
    return int(digest[:16], 16) - (1 << 63)


SQL_STABLE_HASH = "(('0x' || left(md5({}), 16))::UBIGINT::HUGEINT - 9223372036854775808)::BIGINT"


def compatible(a: Refs, b: Refs) -> bool:
    """True unless the two rows carry different references of the same kind."""
    return (not a.invoice or not b.invoice or a.invoice == b.invoice) and (
        not a.transaction or not b.transaction or a.transaction == b.transaction
    )


class PaymentIndex:
    """The council's payments by identity: which rows of an import were imported before, and fingerprints
    for the rest."""

    def __init__(self) -> None:
        self._free: dict[Key, list[Refs]] = {}
        self._count: dict[tuple[Key, Refs], int] = {}

    def add_existing(self, key: Key, refs: Refs) -> None:
        self._free.setdefault(key, []).append(refs)
        whole = (key, refs)
        self._count[whole] = self._count.get(whole, 0) + 1

    def keys(self) -> list[Key]:
        """The identities (name, date, amount) of payments not yet matched."""
        return [key for key, free in self._free.items() if free]

    def sort_out(self, rows: Sequence[tuple[Key, Refs]]) -> list[int | None]:
        """For each row: None if it is a payment imported before (that payment is then used up), else the
        fingerprint of the new payment. Exact matches are taken first, then rows lacking a reference."""
        found: list[int | None] = [0] * len(rows)
        later = []
        for i, (key, refs) in enumerate(rows):
            free = self._free.get(key)
            if free and refs in free:
                free.remove(refs)
                found[i] = None
            else:
                later.append(i)
        for i in later:
            key, refs = rows[i]
            free = self._free.get(key)
            match = (
                next((j for j, other in enumerate(free) if compatible(refs, other)), None) if free else None
            )
            if match is not None and free is not None:
                del free[match]
                found[i] = None
            else:
                found[i] = self._fingerprint(key, refs)
        return found

    def sort_out_files(self, files: Sequence[Sequence[tuple[Key, Refs]]]) -> list[list[int | None]]:
        """`sort_out` for the rows of each file in turn, as if each file were imported after the one before:
        a row may match a payment imported before or a new payment of an earlier file, and a payment matched
        by a row of one file can be matched again by a row of the next."""
        found: list[list[int | None]] = []
        for rows in files:
            before = {key: list(self._free.get(key, [])) for key, _ in rows}
            outcome = self.sort_out(rows)
            self._free.update(before)  # payments matched in this file are still there for the next
            for (key, refs), fingerprint in zip(rows, outcome, strict=True):
                if fingerprint is not None:
                    self._free[key].append(refs)
            found.append(outcome)
        return found

    def _fingerprint(self, key: Key, refs: Refs) -> int:
        whole = (key, refs)
        n = self._count.get(whole, 0)
        self._count[whole] = n + 1
        name, day, pennies = key
        return stable_hash(f"{name}\x1f{day}\x1f{pennies}\x1f{refs.invoice}\x1f{refs.transaction}\x1f{n}")
