"""Every read of spend data a page, command or report needs. Each takes the council."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Min, QuerySet

from wholecouncil.council.models import Council
from wholecouncil.spend.engine import (
    Concentration,
    add_months,
    concentration,
    format_pounds,
    pennies_to_pounds,
)
from wholecouncil.spend.models import (
    Category,
    Contract,
    ContractsUpload,
    DuplicateCandidate,
    MergeDecision,
    SpendImport,
    Supplier,
    SupplierAlias,
    Transaction,
)

UNCATEGORISED = "Uncategorised"
NO_ORG_UNIT = "Not given"


def _table() -> str:
    return Transaction._meta.db_table


def _month_sql(column: str = "date") -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def _pennies_sql(column: str = "amount") -> str:
    """Sum of amounts in whole pennies, exact on both databases (SQLite keeps decimals as floating point)."""
    return f"SUM(CAST(ROUND({column} * 100) AS BIGINT))"


def _grouped(
    council: Council, group: str, where: str = "", params: Iterable[Any] = ()
) -> list[tuple[Any, int, int]]:
    sql = (
        f"SELECT {group} AS g, COUNT(*), {_pennies_sql()} FROM {_table()} "  # noqa: S608
        f"WHERE council_id = %s {where} GROUP BY g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk, *params])
        return [(g, int(n), int(p or 0)) for g, n, p in cursor.fetchall()]


@dataclass(frozen=True)
class Totals:
    transactions: int
    pennies: int
    suppliers_raw: int
    suppliers_resolved: int
    first_date: dt.date | None
    last_date: dt.date | None

    @property
    def total(self) -> Decimal:
        return pennies_to_pounds(self.pennies)


def spend_totals(council: Council) -> Totals:
    rows = _grouped(council, "1")
    count, pennies = (rows[0][1], rows[0][2]) if rows else (0, 0)
    dates = Transaction.objects.filter(council=council).aggregate(first=Min("date"), last=Max("date"))
    used = Transaction.objects.filter(council=council)
    return Totals(
        transactions=count,
        pennies=pennies,
        suppliers_raw=SupplierAlias.objects.filter(council=council, payments__gt=0).count() if count else 0,
        suppliers_resolved=used.values("supplier_id").distinct().count() if count else 0,
        first_date=_as_date(dates["first"]),
        last_date=_as_date(dates["last"]),
    )


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def by_month(council: Council) -> list[tuple[str, int, int]]:
    """(YYYY-MM, payments, pennies) in month order."""
    return sorted(_grouped(council, _month_sql()))


def summary(council: Council) -> dict[str, Any]:
    """The figures `wholecouncil spend summary --json` prints."""
    totals = spend_totals(council)
    return {
        "council": council.slug,
        "transactions": totals.transactions,
        "total": format_pounds(totals.pennies),
        "suppliers_raw": totals.suppliers_raw,
        "suppliers_resolved": totals.suppliers_resolved,
        "first_date": totals.first_date.isoformat() if totals.first_date else None,
        "last_date": totals.last_date.isoformat() if totals.last_date else None,
        "by_month": {m: {"transactions": n, "total": format_pounds(p)} for m, n, p in by_month(council)},
        "uncategorised_share": round(uncategorised_share(council), 4),
        "duplicate_candidates_open": DuplicateCandidate.objects.filter(
            council=council, outcome=DuplicateCandidate.Outcome.OPEN
        ).count(),
        "merge_proposals_open": MergeDecision.objects.filter(
            council=council, status=MergeDecision.Status.PROPOSED
        ).count(),
    }


@dataclass(frozen=True)
class Row:
    """One line of an analysis: a label, payments, pennies and its share of the total."""

    label: str
    count: int
    pennies: int
    share: float
    key: Any = None

    @property
    def amount(self) -> Decimal:
        return pennies_to_pounds(self.pennies)


def _rows(items: list[tuple[Any, str, int, int]]) -> list[Row]:
    total = sum(p for _, _, _, p in items)
    rows = [
        Row(label=label, count=n, pennies=p, share=(p / total if total else 0.0), key=k)
        for k, label, n, p in items
    ]
    rows.sort(key=lambda r: (-r.pennies, r.label))
    return rows


def by_category(council: Council) -> list[Row]:
    names = dict(Category.objects.filter(council=council).values_list("id", "name"))
    return _rows(
        [
            (k, names.get(k, UNCATEGORISED) if k else UNCATEGORISED, n, p)
            for k, n, p in _grouped(council, "category_id")
        ]
    )


def by_supplier(council: Council) -> list[Row]:
    names = dict(Supplier.objects.filter(council=council).values_list("id", "name"))
    return _rows([(k, names.get(k, "?"), n, p) for k, n, p in _grouped(council, "supplier_id")])


def by_org_unit(council: Council) -> list[Row]:
    return _rows([(k, k or NO_ORG_UNIT, n, p) for k, n, p in _grouped(council, "org_unit")])


def supplier_concentration(council: Council, share: float = 0.8) -> Concentration:
    return concentration((p for _, _, p in _grouped(council, "supplier_id")), share)


def uncategorised_share(council: Council) -> float:
    """Share of spend (by absolute value) with no category."""
    sql = (
        f"SELECT SUM(CASE WHEN category_id IS NULL THEN ABS(amount) ELSE 0 END), SUM(ABS(amount)) "  # noqa: S608
        f"FROM {_table()} WHERE council_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk])
        row = cursor.fetchone()
    none, total = (float(row[0] or 0), float(row[1] or 0)) if row else (0.0, 0.0)
    return none / total if total else 0.0


def spend_baseline(council: Council) -> dict[str, Decimal]:
    """The third-party spend baseline: net spend in pounds by category (uncategorised spend under
    "Uncategorised"), largest first. The business case sizes spend opportunities from this."""
    return {row.label: row.amount for row in by_category(council)}


def category_sources(council: Council) -> list[tuple[str, int, int]]:
    """(source label, payments, pennies) by where each payment's category came from."""
    labels = dict(Transaction.CategorySource.choices)
    return sorted(
        ((labels.get(k, k), n, p) for k, n, p in _grouped(council, "category_source")),
        key=lambda r: -abs(r[2]),
    )


# --- lists ---------------------------------------------------------------------------------------------


def imports_for(council: Council) -> QuerySet[SpendImport]:
    return SpendImport.objects.filter(council=council).select_related("created_by")


def import_get(council: Council, pk: int) -> SpendImport:
    return SpendImport.objects.get(council=council, pk=pk)


def upload_bytes(spend_import: SpendImport) -> int:
    """The size of the files uploaded for an import, in bytes."""
    return sum(spend_import.files.values_list("size", flat=True))


def merge_proposals(council: Council, status: str = MergeDecision.Status.PROPOSED) -> QuerySet[MergeDecision]:
    return MergeDecision.objects.filter(council=council, status=status).select_related(
        "first", "second", "decided_by"
    )


def merge_get(council: Council, pk: int) -> MergeDecision:
    return MergeDecision.objects.select_related("first", "second").get(council=council, pk=pk)


def names_of(council: Council, supplier_ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for supplier_id, name in SupplierAlias.objects.filter(
        council=council, supplier_id__in=list(supplier_ids)
    ).values_list("supplier_id", "name"):
        found.setdefault(supplier_id, []).append(name)
    return found


def supplier_spend(council: Council, supplier_ids: Iterable[int]) -> dict[int, int]:
    ids = list(supplier_ids)
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    return {k: p for k, _, p in _grouped(council, "supplier_id", f"AND supplier_id IN ({marks})", ids)}


def duplicates(
    council: Council, outcome: str = DuplicateCandidate.Outcome.OPEN
) -> QuerySet[DuplicateCandidate]:
    return DuplicateCandidate.objects.filter(council=council, outcome=outcome).select_related(
        "first__supplier", "second__supplier", "first__alias", "second__alias", "decided_by"
    )


def duplicate_get(council: Council, pk: int) -> DuplicateCandidate:
    return duplicates(council, DuplicateCandidate.objects.get(council=council, pk=pk).outcome).get(pk=pk)


def duplicate_counts(council: Council) -> dict[str, int]:
    counts = dict(
        DuplicateCandidate.objects.filter(council=council)
        .values("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return {o: counts.get(o, 0) for o in DuplicateCandidate.Outcome.values}


# --- contracts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractLine:
    contract: Contract
    spent: Decimal  # paid to the contract's supplier between its start and end (or since its start)

    @property
    def over(self) -> Decimal:
        """Spend in term above the contract's value; never above when the register states no value."""
        if self.contract.value is None:
            return Decimal(0)
        return max(Decimal(0), self.spent - self.contract.value)


def _in_term(alias: str = "t", contract: str = "c") -> str:
    """SQL: payment `alias` is to contract `contract`'s supplier within its term; a contract with no end
    date is in term from its start onwards."""
    end = f"{contract}.{connection.ops.quote_name('end')}"
    return (
        f"{contract}.council_id = {alias}.council_id AND {contract}.supplier_id = {alias}.supplier_id "
        f"AND {contract}.start <= {alias}.date AND ({end} IS NULL OR {end} >= {alias}.date)"
    )


def contract_spend(council: Council) -> dict[int, int]:
    """Pennies paid to each contract's supplier within the contract's term, by contract id (one query)."""
    sql = (
        f"SELECT c.id, {_pennies_sql('t.amount')} FROM {Contract._meta.db_table} c "  # noqa: S608
        f"JOIN {_table()} t ON {_in_term()} WHERE c.council_id = %s GROUP BY c.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk])
        return {pk: int(p or 0) for pk, p in cursor.fetchall()}


def contracts(council: Council) -> list[ContractLine]:
    items = list(Contract.objects.filter(council=council).select_related("supplier", "category"))
    spent = contract_spend(council)
    return [ContractLine(contract=c, spent=pennies_to_pounds(spent.get(c.pk, 0))) for c in items]


def contracts_upload_get(council: Council, pk: int) -> ContractsUpload:
    return ContractsUpload.objects.get(council=council, pk=pk)


def contracts_expiring(council: Council, today: dt.date, months: int) -> list[Contract]:
    """Contracts live today that end within `months` months (an open-ended contract never does)."""
    return list(
        Contract.objects.filter(
            council=council, end__gte=today, end__lte=add_months(today, months), start__lte=today
        )
        .select_related("supplier")
        .order_by("end")
    )


def off_contract(council: Council) -> tuple[int, int, list[Row]]:
    """Spend with no live contract with its supplier on the payment date: (payments, pennies, by supplier).

    One query whatever the size of the register: each payment is checked against its supplier's contracts.
    """
    sql = (
        f"SELECT t.supplier_id, COUNT(*), {_pennies_sql('t.amount')} FROM {_table()} t "  # noqa: S608
        f"WHERE t.council_id = %s AND NOT EXISTS (SELECT 1 FROM {Contract._meta.db_table} c "
        f"WHERE {_in_term()}) GROUP BY t.supplier_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk])
        grouped = cursor.fetchall()
    names = dict(Supplier.objects.filter(council=council).values_list("id", "name"))
    rows = _rows([(k, names.get(k, "?"), int(n), int(p or 0)) for k, n, p in grouped])
    return sum(r.count for r in rows), sum(r.pennies for r in rows), rows


def transactions_of(council: Council) -> QuerySet[Transaction]:
    return (
        Transaction.objects.filter(council=council)
        .select_related("supplier", "category", "alias")
        .annotate(supplier_name=F("supplier__name"))
    )


def month_rows(council: Council) -> list[Row]:
    """Spend by month, in month order (not by size), as analysis rows."""
    items = by_month(council)
    total = sum(p for _, _, p in items)
    return [Row(label=m, count=n, pennies=p, share=(p / total if total else 0.0), key=m) for m, n, p in items]
