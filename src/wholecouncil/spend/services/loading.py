"""Writing payments to the database fast: every row of an import is staged in DuckDB
(`spend.engine.columnar`), then suppliers are resolved, payments imported before recognised and categories
found over whole columns, and the new rows inserted with COPY on PostgreSQL and one prepared INSERT run
over every row on SQLite.

Used only inside the import's transaction (services.imports), which makes the whole load atomic.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from wholecouncil.council.models import Council
from wholecouncil.spend.engine import (
    SpendRow,
    normalise_invoice,
    supplier_key,
)
from wholecouncil.spend.engine.categories import (
    DOMINANT_SHARE,
    SOURCE_FILE,
    SOURCE_PURPOSE_HISTORY,
    SOURCE_RULE,
    SOURCE_SUPPLIER_HISTORY,
    Rule,
    first_rule,
)
from wholecouncil.spend.engine.columnar import Stage, quote_sql
from wholecouncil.spend.engine.duplicates import NO_INVOICE
from wholecouncil.spend.engine.identity import SQL_STABLE_HASH, PaymentIndex, Refs
from wholecouncil.spend.models import (
    Category,
    CategoryRule,
    SpendImport,
    Supplier,
    SupplierAlias,
    Transaction,
)
from wholecouncil.spend.services.categories import history_groups, set_categories

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


REBUILD_INDEXES_FROM = 100_000  # rows an import must add before the table's indexes are rebuilt


class Loader:
    """Adds chunks of rows to one import; remembers suppliers, categories and fingerprints across chunks."""

    def __init__(self, council: Council, spend_import: SpendImport, folder: Path) -> None:
        self.council = council
        self.stage = Stage(folder)
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
        self.had_payments = Transaction.objects.filter(council=council).exists()
        self.identifiers: set[tuple[str, str, str, str]] = set()
        self.added: dict[int, int] = {}  # payments added, by alias id
        self.ids_from: int | None = None  # the first id of the new payments, when they are consecutive
        self.timings: dict[str, float] = {}  # seconds from the start of the load to the end of each step
        self.imported = 0
        self.already = 0
        self.imported_pennies = 0
        self.suppliers_created = 0
        if self.vendor == "sqlite":
            with (
                connection.cursor() as cursor
            ):  # a bigger page cache: index pages stay in memory while loading
                cursor.execute("PRAGMA cache_size = -262144")

    def close(self) -> None:
        self.stage.close()

    # --- resolving names and categories --------------------------------------------------------------

    def _resolve_names(self, names: Sequence[str]) -> None:
        """Give every new name a supplier (the one of its key, or a new one) and an alias. Written with
        one prepared INSERT each for suppliers and aliases: tens of thousands of rows on a first import."""
        new = sorted({name for name in names if name not in self.aliases})
        if not new:
            return
        keys = {name: (supplier_key(name) or name.casefold())[:200] for name in new}
        fresh: dict[str, str] = {}  # key -> the name it is first seen under
        for name in new:
            key = keys[name]
            if key not in self.keys and key not in fresh:
                fresh[key] = name
        now = timezone.now()
        if fresh:
            found = self._insert_returning(
                Supplier,
                ("council_id", "name", "key", "vat_number", "company_number", "created_at"),
                [(self.council.pk, name, key, "", "", now) for key, name in fresh.items()],
                "key",
            )
            self.keys.update(found)
            self.suppliers_created += len(fresh)
        as_json = "%s::jsonb" if self.vendor == "postgresql" else "%s"
        found = self._insert_returning(
            SupplierAlias,
            ("council_id", "supplier_id", "name", "key", "identifiers", "payments"),
            [(self.council.pk, self.keys[keys[name]], name, keys[name], "{}", 0) for name in new],
            "name",
            placeholders=("%s", "%s", "%s", "%s", as_json, "%s"),
        )
        for name in new:
            self.aliases[name] = (found[name], self.keys[keys[name]])
            self.key_of[name] = keys[name]

    def _insert_returning(
        self,
        model: type[Supplier] | type[SupplierAlias],
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
        by: str,
        placeholders: Sequence[str] | None = None,
    ) -> dict[str, int]:
        """Insert `rows` of this council into `model`'s table; the new rows' ids by their `by` column."""
        table = model._meta.db_table
        marks = ", ".join(placeholders or ["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
            before = cursor.fetchone()[0]
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                rows,
            )
            cursor.execute(
                f"SELECT {by}, id FROM {table} WHERE council_id = %s AND id > %s",  # noqa: S608
                [self.council.pk, before],
            )
            found = dict(cursor.fetchall())
        assert len(found) == len(rows), "each new row is found by its unique value"
        return found

    def _category(self, label: str, code: str) -> int:
        found = self.categories.get(label)
        if found is None:
            found = Category.objects.create(council=self.council, name=label, code=code).pk
            self.categories[label] = found
        return found

    # --- staging rows ------------------------------------------------------------------------------------

    def add(self, rows: Sequence[SpendRow]) -> None:
        """Stage rows read by the row reader."""
        self.stage.append_rows(rows)

    # --- loading what is staged --------------------------------------------------------------------------

    def load(self) -> None:
        """Resolve names, recognise payments imported before, categorise, and insert every new payment.
        The staged rows become one table, `ident`, of the new payments with everything the insert needs."""
        con = self.stage.con
        started = time.perf_counter()
        names = [name for (name,) in con.execute("SELECT DISTINCT supplier FROM staged").fetchall()]
        self._resolve_names(names)
        self.stage.register(
            "d_alias",
            {
                "name": names,
                "alias_id": [self.aliases[n][0] for n in names],
                "supplier_id": [self.aliases[n][1] for n in names],
                "key": [self.key_of[n] for n in names],
            },
            {"name": "VARCHAR", "alias_id": "BIGINT", "supplier_id": "BIGINT", "key": "VARCHAR"},
        )
        self.timings["names"] = time.perf_counter() - started
        for column in ("invoice", "txn"):
            odd = [
                v
                for (v,) in con.execute(
                    f"SELECT DISTINCT {column} FROM staged WHERE ({_sql_invoice(column)}) IS NULL"  # noqa: S608
                ).fetchall()
            ]
            self.stage.register(
                f"d_norm_{column}",
                {"raw": odd, "norm": [normalise_invoice(v) for v in odd]},
                {"raw": "VARCHAR", "norm": "VARCHAR"},
            )
        normalised = (
            f"coalesce({_sql_invoice('s.invoice')}, ni.norm) AS inv_n, "
            f"coalesce({_sql_invoice('s.txn')}, nt.norm) AS txn_n "
        )
        joins = (
            "FROM staged s JOIN d_alias a ON a.name = s.supplier "
            "LEFT JOIN d_norm_invoice ni ON ni.raw = s.invoice LEFT JOIN d_norm_txn nt ON nt.raw = s.txn "
        )
        self._recognise(normalised, joins)
        self._category_choices()
        fingerprint = SQL_STABLE_HASH.format(
            "concat_ws(chr(31), s.key, s.day, s.pennies, s.inv_n, s.txn_n, row_number() OVER "
            "(PARTITION BY s.key, s.day, s.pennies, s.inv_n, s.txn_n ORDER BY s.file, s.number) - 1)"
        )
        con.execute(  # SQL built from this module's own constants, no user text
            "CREATE OR REPLACE TABLE ident AS SELECT * EXCLUDE (known, known_fingerprint), "  # noqa: S608
            f"CASE WHEN known IS NULL THEN {fingerprint} ELSE known_fingerprint END AS fingerprint "
            "FROM (SELECT s.*, a.alias_id, a.supplier_id, a.key, "
            f"{normalised}, k.file AS known, k.fingerprint AS known_fingerprint, "
            "coalesce(c.id, r.id) AS category, "
            f"CASE WHEN c.id IS NOT NULL THEN '{SOURCE_FILE}' WHEN r.id IS NOT NULL THEN '{SOURCE_RULE}' "
            f"ELSE '' END AS source {joins}"
            "LEFT JOIN d_known k ON k.file = s.file AND k.number = s.number "
            "LEFT JOIN d_category c ON c.label = s.cat_label AND s.cat_label <> '' "
            "LEFT JOIN d_rule r ON s.cat_label = '' AND r.supplier = s.supplier AND r.purpose = s.purpose "
            "AND r.org_unit = s.org_unit) s "
            "WHERE known IS NULL OR known_fingerprint IS NOT NULL"
        )
        staged = self.stage.count()
        con.execute("DROP TABLE staged")
        self._histories()
        self.timings["identify"] = time.perf_counter() - started
        counted = con.execute("SELECT count(*), coalesce(sum(pennies), 0)::HUGEINT FROM ident").fetchone()
        assert counted is not None
        self.imported, self.imported_pennies = int(counted[0]), int(counted[1])
        self.already = staged - self.imported
        for name, vat, company, ref in con.execute(
            "SELECT DISTINCT supplier, vat, company, ref FROM ident "
            "WHERE vat <> '' OR company <> '' OR ref <> ''"
        ).fetchall():
            self.identifiers.add((name, vat, company, ref))
        self.added = {
            int(alias): int(n)
            for alias, n in con.execute("SELECT alias_id, count(*) FROM ident GROUP BY alias_id").fetchall()
        }
        if self.imported:
            self._insert()
        self.timings["write"] = time.perf_counter() - started

    def _recognise(self, normalised: str, joins: str) -> None:
        """Rows whose supplier, date and amount match a payment imported before, or a row of another file of
        this import, are sorted out one by one (`PaymentIndex`), a file at a time in the import's order:
        each is a payment imported before (or in an earlier file), or a new one with its fingerprint."""
        con = self.stage.con
        keys = self.index.keys()
        self.stage.register(
            "d_existing",
            {"key": [k[0] for k in keys], "day": [k[1] for k in keys], "pennies": [k[2] for k in keys]},
            {"key": "VARCHAR", "day": "BIGINT", "pennies": "BIGINT"},
        )
        con.execute(  # payments imported before, and identities in more than one file of this import
            "CREATE OR REPLACE TABLE d_match AS SELECT key, day, pennies FROM d_existing UNION "
            "SELECT a.key, s.day, s.pennies FROM staged s JOIN d_alias a ON a.name = s.supplier "
            "GROUP BY a.key, s.day, s.pennies HAVING count(DISTINCT s.file) > 1"
        )
        (matching,) = con.execute("SELECT count(*) FROM d_match").fetchone() or (0,)
        rows = (
            con.execute(
                f"SELECT s.file, s.number, a.key, s.day, s.pennies, {normalised}{joins}"
                "SEMI JOIN d_match e ON e.key = a.key AND e.day = s.day AND e.pennies = s.pennies "
                "ORDER BY s.file, s.number"
            ).fetchall()
            if matching
            else []
        )
        files = [
            [((k, d, p), Refs(inv, txn)) for _, _, k, d, p, inv, txn in in_file]
            for _, in_file in groupby(rows, key=itemgetter(0))
        ]
        found = [fingerprint for outcome in self.index.sort_out_files(files) for fingerprint in outcome]
        self.stage.register(
            "d_known",
            {"file": [r[0] for r in rows], "number": [r[1] for r in rows], "fingerprint": found},
            {"file": "BIGINT", "number": "BIGINT", "fingerprint": "BIGINT"},
        )

    def _category_choices(self) -> None:
        """The categories of the file's labels (made where new), and the first rule that matches each
        supplier, purpose and org unit without a label."""
        con = self.stage.con
        labels = con.execute(
            "SELECT cat_label, arg_min(cat_code, file::HUGEINT * 4294967296 + number) FROM staged "
            "WHERE cat_label <> '' GROUP BY cat_label ORDER BY min(file::HUGEINT * 4294967296 + number)"
        ).fetchall()
        self.stage.register(
            "d_category",
            {"label": [name for name, _ in labels], "id": [self._category(n, c) for n, c in labels]},
            {"label": "VARCHAR", "id": "BIGINT"},
        )
        matched: list[tuple[str, str, str, int]] = []
        if self.rules:
            for supplier, purpose, org_unit in con.execute(
                "SELECT DISTINCT supplier, purpose, org_unit FROM staged WHERE cat_label = ''"
            ).fetchall():
                rule = first_rule(self.rules, supplier, purpose, org_unit)
                if rule is not None:
                    matched.append((supplier, purpose, org_unit, rule.category))
        self.stage.register(
            "d_rule",
            {
                "supplier": [m[0] for m in matched],
                "purpose": [m[1] for m in matched],
                "org_unit": [m[2] for m in matched],
                "id": [m[3] for m in matched],
            },
            {"supplier": "VARCHAR", "purpose": "VARCHAR", "org_unit": "VARCHAR", "id": "BIGINT"},
        )

    def _histories(self) -> None:
        """Each supplier's and each purpose's dominant category (`engine.categories.dominant_categories`)
        over the council's categorised spend: what it had before this import and what this import brings."""
        con = self.stage.con
        for thing, column, kind in (("supplier", "supplier_id", "BIGINT"), ("purpose", "purpose", "VARCHAR")):
            before = history_groups(self.council, column) if self.had_payments else []
            self.stage.register(
                f"d_before_{thing}",
                {
                    "thing": [b[0] for b in before],
                    "category": [b[1] for b in before],
                    "pennies": [b[2] for b in before],
                },
                {"thing": kind, "category": "BIGINT", "pennies": "BIGINT"},
            )
            blank = "" if kind == "BIGINT" else "AND i.purpose <> '' "
            con.execute(
                f"CREATE OR REPLACE TABLE h_{thing} AS WITH g AS (SELECT thing, category, "  # noqa: S608
                "sum(pennies)::HUGEINT AS amount FROM ("
                f"SELECT i.{column} AS thing, i.category, abs(i.pennies) AS pennies FROM ident i "
                f"WHERE i.category IS NOT NULL {blank}"
                f"UNION ALL SELECT thing, category, pennies FROM d_before_{thing}) "
                "GROUP BY thing, category), "
                "t AS (SELECT thing, sum(amount) AS total, max(amount) AS best FROM g GROUP BY thing) "
                "SELECT g.thing, min(g.category) AS category FROM g JOIN t ON t.thing = g.thing "
                "WHERE g.amount = t.best AND t.total > 0 "
                f"AND t.best::DOUBLE >= {DOMINANT_SHARE} * t.total::DOUBLE "
                "GROUP BY g.thing"
            )

    def categorise_older(self) -> None:
        """Payments imported before that are still uncategorised, given a category by the histories now
        that this import has added to them (rules were applied to them when they came or changed)."""
        if not self.had_payments:
            return
        for thing, column, source in (
            ("supplier", "supplier_id", SOURCE_SUPPLIER_HISTORY),
            ("purpose", "purpose", SOURCE_PURPOSE_HISTORY),
        ):
            chosen = self.stage.con.execute(f"SELECT thing, category FROM h_{thing}").fetchall()  # noqa: S608
            set_categories(self.council, column, dict(chosen), source)

    def _select(self, *, constants: bool = True) -> str:
        """The new rows in the order of COLUMNS (without the council and import ids unless `constants`)."""
        pounds = (
            "CASE WHEN i.pennies < 0 THEN '-' ELSE '' END || (abs(i.pennies) // 100)::VARCHAR || '.' || "
            "lpad((abs(i.pennies) % 100)::VARCHAR, 2, '0')"
        )
        head = f"{self.council.pk}, {self.spend_import.pk}, " if constants else ""
        category = "coalesce(i.category, hs.category, hp.category)"
        source = (
            "CASE WHEN i.category IS NOT NULL THEN i.source "
            f"WHEN hs.category IS NOT NULL THEN '{SOURCE_SUPPLIER_HISTORY}' "
            f"WHEN hp.category IS NOT NULL THEN '{SOURCE_PURPOSE_HISTORY}' ELSE '' END"
        )
        return (
            f"SELECT {head}i.supplier_id, i.alias_id, {pounds}, "  # noqa: S608
            f"strftime(DATE '0001-01-01' + (i.day - 1), '%Y-%m-%d'), {category}, {source}, "
            "i.purpose, i.org_unit, i.invoice, i.txn, i.number, i.file, i.fingerprint "
            "FROM ident i "
            "LEFT JOIN h_supplier hs ON i.category IS NULL AND hs.thing = i.supplier_id "
            "LEFT JOIN h_purpose hp ON i.category IS NULL AND hp.thing = i.purpose AND i.purpose <> '' "
            "ORDER BY i.file, i.number"
        )

    def _insert(self) -> None:
        before = self._max_id()
        written = self._copy_rows() if self.vendor == "postgresql" else self._insert_rows()
        assert written == self.imported, "every new payment is written once"
        after = self._max_id()
        # The rows got the ids before+1 .. after, in the order they were written, if no other import wrote
        # in between (SQLite has one writer at a time; on PostgreSQL it is counted).
        if after - before == written and (
            self.vendor == "sqlite"
            or Transaction.objects.filter(
                spend_import=self.spend_import, id__gt=before, id__lte=after
            ).count()
            == written
        ):
            self.ids_from = before + 1

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {self.table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def _copy_rows(self) -> int:
        """PostgreSQL: DuckDB writes the rows as CSV; COPY reads them. Returns the rows written.

        When the import at least doubles the table and no other council has payments in it, the table's
        secondary indexes are dropped first and built again after, in the same transaction (a failed import
        leaves them as they were). Dropping an index locks the table until the import commits, which is
        why the rule waits for a table no other council reads."""
        columns = ", ".join(COLUMNS)
        out = self.stage.folder / "payments.csv"
        self.stage.con.execute(f"COPY ({self._select()}) TO {quote_sql(str(out))} (FORMAT csv, HEADER false)")
        with connection.cursor() as cursor, out.open("rb") as f:
            indexes = self._postgres_indexes_to_rebuild(cursor)
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            raw = cursor.cursor  # psycopg's own cursor: COPY is not part of the DB-API
            with raw.copy(f"COPY {self.table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                while block := f.read(1 << 20):
                    copy.write(block)
            written = raw.rowcount
            if indexes:  # memory to sort in, for this transaction only
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, ddl in indexes:
                cursor.execute(ddl)
        out.unlink()
        return int(written)

    def _postgres_indexes_to_rebuild(self, cursor: Any) -> list[tuple[str, str]]:
        if self.imported < REBUILD_INDEXES_FROM:
            return []
        table = self.table
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) t", [self.imported + 1])  # noqa: S608
        if cursor.fetchone()[0] > self.imported:
            return []
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE council_id <> %s)", [self.council.pk])  # noqa: S608
        if cursor.fetchone()[0]:
            return []
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        return list(cursor.fetchall())

    def _insert_rows(self) -> int:
        """SQLite: one prepared INSERT run over every row, in the import's transaction. Returns the rows
        written. When the import at least doubles the table, its indexes are dropped first and built again
        after (inside the same transaction, so a failed import leaves them as they were): building an index
        over sorted rows is quicker than keeping it up to date row by row. Readers are not held up: in WAL
        mode they keep reading the table as it was until the import commits."""
        columns = ", ".join(COLUMNS)
        result = self.stage.con.execute(self._select(constants=False))
        marks = ", ".join([str(self.council.pk), str(self.spend_import.pk)] + ["?"] * (len(COLUMNS) - 2))
        sql = f"INSERT INTO {self.table} ({columns}) VALUES ({marks})"  # noqa: S608
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        written = 0
        try:
            indexes: list[tuple[str, str]] = []
            if self.imported >= REBUILD_INDEXES_FROM:
                (existing,) = cursor.execute(f"SELECT count(*) FROM {self.table}").fetchone()  # noqa: S608
                if self.imported >= existing:
                    indexes = cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                        "AND sql IS NOT NULL",
                        [self.table],
                    ).fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            while batch := result.fetchmany(50_000):
                cursor.executemany(sql, batch)
                written += len(batch)
            for _, ddl in indexes:
                cursor.execute(ddl)
        finally:
            cursor.close()
        return written

    def payment_columns(self) -> dict[str, Any]:
        """The new payments with a positive amount as numpy columns for duplicate detection (the names of
        `services.duplicates.STAGED_COLUMNS`), with the ids the database gave them."""
        con = self.stage.con
        if not self.imported:
            return {}
        if self.ids_from is not None:  # ids given in the order the rows were inserted, with no gaps
            con.execute(
                f"CREATE OR REPLACE TABLE d_id AS SELECT file, number, {self.ids_from} - 1 + row_number() "  # noqa: S608
                "OVER (ORDER BY file, number) AS id FROM ident"
            )
        else:
            given = Transaction.objects.filter(spend_import=self.spend_import).values_list(
                "source_file", "source_row", "id"
            )
            files, numbers, ids = zip(*given.iterator(chunk_size=50_000), strict=True)
            self.stage.register(
                "d_id",
                {"file": files, "number": numbers, "id": ids},
                {"file": "BIGINT", "number": "BIGINT", "id": "BIGINT"},
            )
        key = "CASE WHEN {0} = '' THEN 0 ELSE ({1}) | 1 END"
        return con.execute(
            "SELECT d.id, i.supplier_id AS supplier, i.alias_id AS alias, i.pennies, i.day, "  # noqa: S608
            f"{key.format('i.inv_n', SQL_STABLE_HASH.format('i.inv_n'))} AS invoice, "
            f"{key.format('i.txn', SQL_STABLE_HASH.format('i.txn'))} AS transaction, i.fingerprint "
            "FROM ident i JOIN d_id d ON d.file = i.file AND d.number = i.number WHERE i.pennies > 0 "
            "ORDER BY d.id"
        ).fetchnumpy()

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


def _sql_invoice(column: str) -> str:
    """`normalise_invoice` in SQL for printable ASCII; NULL where the Python function must decide."""
    compact = f"regexp_replace(upper({column}), '[^0-9A-Z]+', '', 'g')"
    unpadded = f"regexp_replace({compact}, '(^|[^0-9])0+([0-9])', '\\1\\2', 'g')"
    placeholders = ", ".join(f"'{p}'" for p in sorted(NO_INVOICE))
    return (
        f"CASE WHEN {column} = '' THEN '' WHEN regexp_full_match({column}, '[ -~]*') THEN "
        f"CASE WHEN {unpadded} IN ({placeholders}) THEN '' ELSE {unpadded} END END"
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
