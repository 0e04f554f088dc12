"""Writing payments to the database fast: suppliers resolved and categories found chunk by chunk, rows
inserted with COPY on PostgreSQL and a prepared multi-row insert on SQLite.

Used only inside the import's transaction (services.imports), which makes the whole load atomic.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import connection

from wholecouncil.council.models import Council
from wholecouncil.spend.engine import SpendRow, normalise_invoice, supplier_key
from wholecouncil.spend.engine.categories import SOURCE_FILE, SOURCE_RULE, Rule, first_rule
from wholecouncil.spend.engine.identity import PaymentIndex, Refs
from wholecouncil.spend.models import (
    Category,
    CategoryRule,
    SpendImport,
    Supplier,
    SupplierAlias,
    Transaction,
)

COLUMNS = (
    "council_id",
    "spend_import_id",
    "supplier_id",
    "alias_id",
    "amount",
    "date",
    "category_id",
    "category_source",
    "purpose",
    "org_unit",
    "invoice_ref",
    "transaction_ref",
    "source_row",
    "source_file",
    "fingerprint",
)
SQLITE_BATCH = 500  # rows per INSERT statement (SQLite allows 32,766 parameters; 15 a row)


def _pounds(pennies: int) -> str:
    sign = "-" if pennies < 0 else ""
    whole, rest = divmod(abs(pennies), 100)
    return f"{sign}{whole}.{rest:02d}"


class Loader:
    """Adds chunks of rows to one import; remembers suppliers, categories and fingerprints across chunks."""

    def __init__(self, council: Council, spend_import: SpendImport) -> None:
        self.council = council
        self.spend_import = spend_import
        self.table = Transaction._meta.db_table
        self.vendor = connection.vendor
        self.aliases: dict[str, tuple[int, int]] = {}  # name -> (alias id, supplier id)
        self.keys: dict[str, int] = {}  # normalised name -> supplier id
        self.key_of: dict[str, str] = {}  # name -> normalised name
        for pk, supplier_id, name, key in SupplierAlias.objects.filter(council=council).values_list(
            "id", "supplier_id", "name", "key"
        ):
            self.aliases[name] = (pk, supplier_id)
            self.key_of[name] = key
            self.keys.setdefault(key, supplier_id)
        self.categories: dict[str, int] = dict(
            Category.objects.filter(council=council).values_list("name", "id")
        )
        self.rules = [
            Rule(field=r.field, contains=r.contains, category=r.category_id)
            for r in CategoryRule.objects.filter(council=council)
        ]
        self.index = _existing_payments(council)
        self.identifiers: set[tuple[str, str, str, str]] = set()
        self.alias_payments: Counter[int] = Counter()
        self.imported = 0
        self.already = 0
        self.imported_pennies = 0
        self.suppliers_created = 0
        self._dates: dict[dt.date, str] = {}
        if self.vendor == "sqlite":
            with (
                connection.cursor() as cursor
            ):  # a bigger page cache: index pages stay in memory while loading
                cursor.execute("PRAGMA cache_size = -262144")

    # --- resolving names and categories --------------------------------------------------------------

    def _resolve_names(self, rows: Sequence[SpendRow]) -> None:
        new = sorted({row.supplier for row in rows if row.supplier not in self.aliases})
        if not new:
            return
        keys = {name: supplier_key(name) or name.casefold() for name in new}
        fresh: dict[str, Supplier] = {}
        for name in new:
            key = keys[name]
            if key not in self.keys and key not in fresh:
                fresh[key] = Supplier(council=self.council, name=name, key=key[:200])
        if fresh:
            Supplier.objects.bulk_create(list(fresh.values()), batch_size=1000)
            for key, supplier in fresh.items():
                self.keys[key] = supplier.pk
            self.suppliers_created += len(fresh)
        aliases = [
            SupplierAlias(
                council=self.council, supplier_id=self.keys[keys[name]], name=name, key=keys[name][:200]
            )
            for name in new
        ]
        SupplierAlias.objects.bulk_create(aliases, batch_size=1000)
        for alias in aliases:
            self.aliases[alias.name] = (alias.pk, alias.supplier_id)
            self.key_of[alias.name] = alias.key

    def _category(self, label: str, code: str) -> int:
        found = self.categories.get(label)
        if found is None:
            found = Category.objects.create(council=self.council, name=label, code=code).pk
            self.categories[label] = found
        return found

    # --- adding rows -----------------------------------------------------------------------------------

    def add(self, rows: Sequence[SpendRow]) -> None:
        self._resolve_names(rows)
        council_id, import_id = self.council.pk, self.spend_import.pk
        aliases, categories, rules = self.aliases, self.categories, self.rules
        identifiers, dates, key_of = self.identifiers, self._dates, self.key_of
        identities = [
            (
                (key_of[row.supplier], row.date.toordinal(), row.pennies),
                Refs(normalise_invoice(row.invoice_ref), normalise_invoice(row.transaction_ref)),
            )
            for row in rows
        ]
        out: list[tuple[Any, ...]] = []
        pennies_total = 0
        for row, fingerprint in zip(rows, self.index.sort_out(identities), strict=True):
            if fingerprint is None:
                self.already += 1
                continue
            alias_id, supplier_id = aliases[row.supplier]
            label = row.category_label
            if label:
                category = categories.get(label) or self._category(label, row.category_code)
                source = SOURCE_FILE
            elif rules and (rule := first_rule(rules, row.supplier, row.purpose, row.org_unit)):
                category, source = rule.category, SOURCE_RULE
            else:
                category, source = None, ""
            if row.vat_number or row.company_number or row.supplier_ref:
                identifiers.add((row.supplier, row.vat_number, row.company_number, row.supplier_ref))
            date = dates.get(row.date) or dates.setdefault(row.date, row.date.isoformat())
            pennies_total += row.pennies
            out.append(
                (
                    council_id, import_id, supplier_id, alias_id, _pounds(row.pennies), date, category,
                    source, row.purpose, row.org_unit, row.invoice_ref, row.transaction_ref, row.row,
                    row.file, fingerprint,
                )
            )  # fmt: skip
        self.imported += len(out)
        self.imported_pennies += pennies_total
        if out:
            self._insert(out)

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        if self.vendor == "postgresql":
            self._copy_rows(rows)
        else:
            self._insert_rows(rows)

    def _copy_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: COPY, the bulk-load path."""
        columns = ", ".join(COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: COPY is not part of the DB-API
            with raw.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def _insert_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """SQLite: prepared multi-row INSERTs in the import's transaction."""
        columns = ", ".join(COLUMNS)
        with connection.cursor() as cursor:
            one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            full = len(rows) - len(rows) % SQLITE_BATCH
            if full:
                sql = f"INSERT INTO {self.table} ({columns}) VALUES " + ", ".join([one] * SQLITE_BATCH)  # noqa: S608
                params = [
                    [value for row in rows[i : i + SQLITE_BATCH] for value in row]
                    for i in range(0, full, SQLITE_BATCH)
                ]
                cursor.executemany(sql, params)
            rest = rows[full:]
            if rest:
                sql = f"INSERT INTO {self.table} ({columns}) VALUES " + ", ".join([one] * len(rest))  # noqa: S608
                cursor.execute(sql, [value for row in rest for value in row])

    # --- after the last chunk --------------------------------------------------------------------------

    def save_identifiers(self) -> None:
        """Record on each name the VAT numbers, company numbers and references seen beside it."""
        if not self.identifiers:
            return
        seen: dict[str, dict[str, set[str]]] = {}
        for name, vat, company, ref in self.identifiers:
            found = seen.setdefault(name, {"vat": set(), "company": set(), "ref": set()})
            for kind, value in (("vat", vat), ("company", company), ("ref", ref)):
                if value:
                    found[kind].add(value)
        changed: list[tuple[str, int]] = []
        current_of = SupplierAlias.objects.filter(council=self.council).values_list(
            "id", "name", "identifiers"
        )
        for pk, name, current in current_of.iterator(chunk_size=10_000):
            if name not in seen:
                continue
            current = current or {}
            merged = {
                kind: sorted(set(current.get(kind, [])) | values)[:20] for kind, values in seen[name].items()
            }
            merged = {kind: values for kind, values in merged.items() if values}
            if merged != current:
                changed.append((json.dumps(merged), pk))
        if changed:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {SupplierAlias._meta.db_table} SET identifiers = %s WHERE id = %s",  # noqa: S608
                    changed,
                )


def _existing_payments(council: Council) -> PaymentIndex:
    """The identities of the council's payments, to recognise rows imported before."""
    index = PaymentIndex()
    sql = (
        f"SELECT a.key, t.date, CAST(ROUND(t.amount * 100) AS BIGINT), t.invoice_ref, t.transaction_ref "  # noqa: S608
        f"FROM {Transaction._meta.db_table} t JOIN {SupplierAlias._meta.db_table} a ON a.id = t.alias_id "
        f"WHERE t.council_id = %s"
    )
    days: dict[Any, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk])
        while batch := cursor.fetchmany(20_000):
            for key, date, pennies, invoice, txn in batch:
                day = days.get(date)
                if day is None:
                    value = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
                    day = days.setdefault(date, value.toordinal())
                index.add_existing(
                    (key, day, int(pennies)), Refs(normalise_invoice(invoice), normalise_invoice(txn))
                )
    return index
