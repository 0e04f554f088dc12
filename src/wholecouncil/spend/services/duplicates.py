"""Finding duplicate-payment candidates over all of a council's payments, and recording finance's review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import (
    DuplicateOptions,
    PaymentColumns,
    find_duplicates,
    normalise_invoice,
    pennies_to_pounds,
)
from wholecouncil.spend.engine.identity import stable_hash
from wholecouncil.spend.models import DuplicateCandidate, MergeDecision, SpendImport, Transaction
from wholecouncil.spend.services.pairs import keep_found

STAGED_COLUMNS = ("id", "supplier", "alias", "pennies", "day", "invoice", "transaction", "fingerprint")
MAX_OPEN_CANDIDATES = 5000
_FETCH = 100_000


class DuplicateError(DomainError):
    pass


def payment_columns(
    council: Council,
    *,
    staged: Mapping[str, np.ndarray] | None = None,
    staged_import: int | None = None,
    earlier: bool = True,
) -> tuple[PaymentColumns, np.ndarray]:
    """The council's positive payments as columns for the detector, and their fingerprints (same order).

    `staged` holds the columns of the payments of import `staged_import`, just loaded (see
    `Loader.payment_columns`); they are taken from there instead of being read back, and the database is
    read for the others only if the council had payments before that import (`earlier`).
    """
    table = Transaction._meta.db_table
    sql = (
        f"SELECT id, supplier_id, alias_id, CAST(ROUND(amount * 100) AS BIGINT), date, invoice_ref, "  # noqa: S608
        f"transaction_ref, fingerprint FROM {table} WHERE council_id = %s AND amount > 0"
    )
    params = [council.pk]
    if staged is not None:
        sql += " AND spend_import_id <> %s"
        params.append(staged_import or 0)
    parts: list[np.ndarray] = []
    day_of: dict[object, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql if staged is None or earlier else f"{sql} AND 1 = 0", params)
        while batch := cursor.fetchmany(_FETCH):
            block = np.empty((len(batch), 8), dtype=np.int64)
            for i, (pk, supplier, alias, amount, date, invoice, txn, fingerprint) in enumerate(batch):
                day = day_of.get(date)
                if day is None:
                    value = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
                    day = day_of.setdefault(date, value.toordinal())
                norm = normalise_invoice(invoice) if invoice else ""
                # The same keys as the stage's SQL makes (0 = none), so both kinds of rows compare.
                block[i] = (
                    pk, supplier, alias, int(amount), day, stable_hash(norm) | 1 if norm else 0,
                    stable_hash(txn) | 1 if txn else 0, fingerprint,
                )  # fmt: skip
            parts.append(block)
    read = (
        [np.ascontiguousarray(np.concatenate([p[:, j] for p in parts])) for j in range(8)] if parts else None
    )
    if staged and len(staged["id"]):
        new = [np.asarray(staged[name], dtype=np.int64) for name in STAGED_COLUMNS]
        columns_of = [np.concatenate([old, n]) for old, n in zip(read, new, strict=True)] if read else new
    else:
        columns_of = read or [np.empty(0, dtype=np.int64) for _ in range(8)]
    ids, suppliers, aliases, pennies, days, invoices, transactions, fingerprints = columns_of

    groups = _proposed_groups(council)

    group = None
    if groups:
        mapped = np.array(sorted(groups.items()), dtype=np.int64)
        where = np.searchsorted(mapped[:, 0], suppliers)
        where = np.minimum(where, len(mapped) - 1)
        group = np.where(mapped[where, 0] == suppliers, mapped[where, 1], suppliers)
    columns = PaymentColumns(
        id=np.ascontiguousarray(ids),
        supplier=np.ascontiguousarray(suppliers),
        alias=np.ascontiguousarray(aliases),
        pennies=np.ascontiguousarray(pennies),
        day=np.ascontiguousarray(days),
        invoice=np.ascontiguousarray(invoices),
        transaction=np.ascontiguousarray(transactions),
        group=group,
    )
    return columns, np.ascontiguousarray(fingerprints)


def _proposed_groups(council: Council) -> dict[int, int]:
    """Each supplier in an open merge proposal mapped to the smallest supplier id it is proposed with."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    pairs = MergeDecision.objects.filter(
        council=council, status=MergeDecision.Status.PROPOSED, first__isnull=False, second__isnull=False
    ).values_list("first_id", "second_id")
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def duplicates_detect(
    *,
    council: Council,
    options: DuplicateOptions | None = None,
    staged: Mapping[str, np.ndarray] | None = None,
    staged_import: int | None = None,
    earlier: bool = True,
) -> int:
    """Find candidates afresh over all the council's payments; returns the number of open candidates.

    The open list becomes the best MAX_OPEN_CANDIDATES found. An open candidate found again keeps its row,
    and so its id (a review page open meanwhile still posts to it), with its score, reasons and payments
    brought up to date; open candidates not found again are deleted and new ones created. Reviewed
    candidates are kept, and a pair once reviewed is not listed again. The window is `options`', else that
    of import `staged_import`, else that of the council's most recent completed import (`duplicate_window`).
    `staged`, `staged_import` and `earlier`: as for `payment_columns`; without `staged`, every payment of
    the council is read from the database (as after a merge decision)."""
    opts = options or DuplicateOptions(window_days=duplicate_window(council, spend_import=staged_import))
    columns, fingerprints = payment_columns(
        council, staged=staged, staged_import=staged_import, earlier=earlier
    )
    order = np.argsort(columns.id, kind="stable")
    sorted_ids, sorted_fingerprints = columns.id[order], fingerprints[order]

    def fingerprint_of(pk: int) -> int:
        return int(sorted_fingerprints[np.searchsorted(sorted_ids, pk)])

    Outcome = DuplicateCandidate.Outcome
    open_rows = {
        (c.first_fingerprint, c.second_fingerprint): c
        for c in DuplicateCandidate.objects.filter(council=council, outcome=Outcome.OPEN)
    }
    reviewed = set(
        DuplicateCandidate.objects.filter(council=council)
        .exclude(outcome=Outcome.OPEN)
        .values_list("first_fingerprint", "second_fingerprint")
    )

    def found() -> Iterator[tuple[DuplicateCandidate | None, dict[str, Any], dict[str, Any]]]:
        for candidate in find_duplicates(columns, opts):
            pair = (fingerprint_of(candidate.first), fingerprint_of(candidate.second))
            if pair in reviewed or pair[::-1] in reviewed:
                continue
            row = open_rows.get(pair)
            first, second = candidate.first, candidate.second
            if row is None and (row := open_rows.get(pair[::-1])) is not None:
                first, second = second, first  # the row keeps the order it was stored in
            values = {
                "first_id": first,
                "second_id": second,
                "score": candidate.score,
                "reasons": list(candidate.reasons),
                "amount": pennies_to_pounds(candidate.pennies),
                "days_apart": candidate.days_apart,
            }
            identity = {"council": council, "first_fingerprint": pair[0], "second_fingerprint": pair[1]}
            yield row, values, identity

    return keep_found(DuplicateCandidate, open_rows, found(), limit=MAX_OPEN_CANDIDATES, fields=_UPDATED)


_UPDATED = ["first", "second", "score", "reasons", "amount", "days_apart"]


def duplicate_window(council: Council, *, spend_import: int | None = None) -> int:
    """The duplicate window in days: import `spend_import`'s own (set at its mapping step), else that of
    the council's most recently completed import, else the default (14)."""
    if spend_import is not None:
        own = (
            SpendImport.objects.filter(council=council, pk=spend_import)
            .values_list("options", flat=True)
            .first()
        )
        if own and "window_days" in own:
            return int(own["window_days"])
    latest = (
        SpendImport.objects.filter(council=council, status=SpendImport.Status.COMPLETED)
        .order_by(F("completed_at").desc(nulls_last=True), "-created_at", "-pk")
        .values_list("options", flat=True)
        .first()
    )
    return int((latest or {}).get("window_days", DuplicateOptions().window_days))


@transaction.atomic
def duplicate_review(
    *, candidate: DuplicateCandidate, outcome: str, note: str = "", actor: Actor
) -> DuplicateCandidate:
    """Record finance's outcome for a candidate (confirmed duplicate or not a duplicate)."""
    candidate = DuplicateCandidate.objects.select_for_update().select_related("council").get(pk=candidate.pk)
    if outcome not in (DuplicateCandidate.Outcome.CONFIRMED, DuplicateCandidate.Outcome.NOT_DUPLICATE):
        raise DuplicateError("Choose whether the payments are a duplicate or not.")
    before = {"outcome": candidate.outcome, "note": candidate.note}
    candidate.outcome = outcome
    candidate.note = " ".join(note.split())[:500]
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[assignment]
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["outcome", "note", "decided_by", "decided_at"])
    audit_record(
        council=candidate.council,
        actor=actor,
        action="spend.duplicate.review",
        obj=candidate,
        object_type="duplicate payment candidate",
        object_repr=f"Payments {candidate.first_id} and {candidate.second_id} (£{candidate.amount})",
        before=before,
        after={"outcome": candidate.outcome, "note": candidate.note},
    )
    return candidate
