"""Finding duplicate-payment candidates over all of a council's payments, and recording finance's review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import DuplicateOptions, PaymentColumns, find_duplicates, normalise_invoice
from wholecouncil.spend.engine.identity import stable_hash
from wholecouncil.spend.models import DuplicateCandidate, MergeDecision, SpendImport, Transaction

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
    """Find candidates afresh. Reviewed candidates are kept, and a pair once reviewed is not listed again;
    the open list is replaced by the best MAX_OPEN_CANDIDATES. Returns the number of open candidates.
    `staged`, `staged_import` and `earlier`: as for `payment_columns`."""
    opts = options or DuplicateOptions(window_days=int(_window(council)))
    columns, fingerprints = payment_columns(
        council, staged=staged, staged_import=staged_import, earlier=earlier
    )
    order = np.argsort(columns.id, kind="stable")
    sorted_ids, sorted_fingerprints = columns.id[order], fingerprints[order]

    def fingerprint_of(pk: int) -> int:
        return int(sorted_fingerprints[np.searchsorted(sorted_ids, pk)])

    DuplicateCandidate.objects.filter(council=council, outcome=DuplicateCandidate.Outcome.OPEN).delete()
    reviewed = set(
        DuplicateCandidate.objects.filter(council=council).values_list(
            "first_fingerprint", "second_fingerprint"
        )
    )
    new = []
    for candidate in find_duplicates(columns, opts):
        pair = (fingerprint_of(candidate.first), fingerprint_of(candidate.second))
        if pair in reviewed or pair[::-1] in reviewed:
            continue
        new.append(
            DuplicateCandidate(
                council=council,
                first_id=candidate.first,
                second_id=candidate.second,
                first_fingerprint=pair[0],
                second_fingerprint=pair[1],
                score=candidate.score,
                reasons=list(candidate.reasons),
                amount=candidate.pennies / 100,
                days_apart=candidate.days_apart,
            )
        )
        if len(new) >= MAX_OPEN_CANDIDATES:
            break
    DuplicateCandidate.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _window(council: Council) -> int:
    latest = (
        SpendImport.objects.filter(council=council)
        .exclude(options={})
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
