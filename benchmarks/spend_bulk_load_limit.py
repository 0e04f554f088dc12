"""How fast the database itself takes payments: the limit under any spend import's end-to-end rate.

Writes N rows straight into a scratch table by the path the importer uses — `COPY ... FROM STDIN (FORMAT csv)`
on PostgreSQL, one prepared INSERT run by `executemany` on SQLite — with the table's two secondary indexes
(supplier; council and date) kept up to date, and again with them built after the load. Nothing of the
importer runs: the figures are what the database and its driver cost on this machine. Three shapes of row:

- `payments`: the payments table as it is (15 columns, text as long as a year of published spend has);
- `narrow`: the narrowest table that still holds what the spend features read — purpose and org unit as ids
  of tables of their distinct values, the amount in pennies, no category source or file index, but the
  invoice and transaction numbers that re-imports and duplicate detection need;
- `integers`: `narrow` without the invoice and transaction numbers — less than the features need, so a
  floor no payments table can go under.

    .venv/bin/python benchmarks/spend_bulk_load_limit.py                     # 1,000,000 rows, both databases
    .venv/bin/python benchmarks/spend_bulk_load_limit.py --rows 5000000 --indexes after  # as a 5M import

PostgreSQL: the server at --postgres (default postgres://postgres@127.0.0.1:5432/test); the scratch table is
dropped afterwards. SQLite: a scratch file in a temporary folder, in WAL mode as the app uses it.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Shape:
    columns: str
    table: str  # CREATE TABLE with {pk} and {decimal} for each database's own spelling
    row: Callable[[random.Random, int], tuple[object, ...]]


def _payment(rng: random.Random, i: int) -> tuple[object, ...]:
    return (
        1, 1, rng.randrange(1, 20_000), rng.randrange(1, 20_400),
        f"{rng.lognormvariate(10, 1.2) / 100:.2f}",
        f"20{rng.choice((24, 25))}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        rng.randrange(1, 200), "file", f"Purpose {i % 5000}", f"Service unit {i % 400:03d}", f"INV{i}",
        str(5_000_000_000 + i // 3), i + 2, 0, rng.getrandbits(63),
    )  # fmt: skip


def _narrow(rng: random.Random, i: int) -> tuple[object, ...]:
    return (
        1, 1, rng.randrange(1, 20_000), rng.randrange(1, 20_400), int(rng.lognormvariate(10, 1.2)),
        f"20{rng.choice((24, 25))}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        rng.randrange(1, 200), i % 5000, i % 400, f"INV{i}", str(5_000_000_000 + i // 3), i + 2,
        rng.getrandbits(63),
    )  # fmt: skip


def _integers(rng: random.Random, i: int) -> tuple[object, ...]:
    row = _narrow(rng, i)
    return row[:9] + row[11:]


_NARROW_COLUMNS = (
    "council_id, spend_import_id, supplier_id, alias_id, pennies, date, category_id, purpose_id, "
    "org_unit_id, invoice_ref, transaction_ref, source_row, fingerprint"
)
_NARROW_TABLE = (
    "CREATE TABLE bench_payments (id {pk}, council_id bigint NOT NULL, spend_import_id bigint NOT NULL, "
    "supplier_id bigint NOT NULL, alias_id bigint NOT NULL, pennies bigint NOT NULL, date date NOT NULL, "
    "category_id bigint NULL, purpose_id bigint NOT NULL, org_unit_id bigint NOT NULL, "
    "invoice_ref varchar(60) NOT NULL, transaction_ref varchar(60) NOT NULL, source_row integer NOT NULL, "
    "fingerprint bigint NOT NULL)"
)
SHAPES = {
    "payments": Shape(
        "council_id, spend_import_id, supplier_id, alias_id, amount, date, category_id, category_source, "
        "purpose, org_unit, invoice_ref, transaction_ref, source_row, source_file, fingerprint",
        "CREATE TABLE bench_payments (id {pk}, amount {decimal} NOT NULL, date date NOT NULL, "
        "category_source varchar(16) NOT NULL, purpose varchar(300) NOT NULL, "
        "org_unit varchar(200) NOT NULL, invoice_ref varchar(60) NOT NULL, "
        "transaction_ref varchar(60) NOT NULL, source_row integer NOT NULL, "
        "source_file smallint NOT NULL, fingerprint bigint NOT NULL, alias_id bigint NOT NULL, "
        "category_id bigint NULL, council_id bigint NOT NULL, spend_import_id bigint NOT NULL, "
        "supplier_id bigint NOT NULL)",
        _payment,
    ),
    "narrow": Shape(_NARROW_COLUMNS, _NARROW_TABLE, _narrow),
    "integers": Shape(
        _NARROW_COLUMNS.replace("invoice_ref, transaction_ref, ", ""),
        _NARROW_TABLE.replace("invoice_ref varchar(60) NOT NULL, transaction_ref varchar(60) NOT NULL, ", ""),
        _integers,
    ),
}
INDEXES = (
    "CREATE INDEX bench_payments_supplier ON bench_payments (supplier_id)",
    "CREATE INDEX bench_payments_council_date ON bench_payments (council_id, date)",
)


def rows(shape: Shape, n: int, seed: int = 5) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    return [shape.row(rng, i) for i in range(n)]


Loader = Callable[[Shape, list[tuple[object, ...]], bool], float]


def sqlite_load(shape: Shape, data: list[tuple[object, ...]], indexes_after: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        con = sqlite3.connect(Path(folder) / "bench.sqlite3", isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA cache_size = -262144")
        con.execute(shape.table.format(pk="integer NOT NULL PRIMARY KEY AUTOINCREMENT", decimal="decimal"))
        if not indexes_after:
            for ddl in INDEXES:
                con.execute(ddl)
        marks = ", ".join("?" * len(data[0]))
        started = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.executemany(f"INSERT INTO bench_payments ({shape.columns}) VALUES ({marks})", data)  # noqa: S608
        if indexes_after:
            for ddl in INDEXES:
                con.execute(ddl)
        con.execute("COMMIT")
        seconds = time.perf_counter() - started
        con.close()
    return seconds


def postgres_load(url: str) -> Loader:
    import psycopg

    def load(shape: Shape, data: list[tuple[object, ...]], indexes_after: bool) -> float:
        out = io.StringIO()
        csv.writer(out).writerows(data)
        text = out.getvalue().encode()
        with psycopg.connect(url) as con:
            con.execute("DROP TABLE IF EXISTS bench_payments")
            con.execute(
                shape.table.format(
                    pk="bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", decimal="numeric(14,2)"
                )
            )
            if not indexes_after:
                for ddl in INDEXES:
                    con.execute(ddl)
            con.commit()
            started = time.perf_counter()
            with (
                con.cursor() as cursor,
                cursor.copy(f"COPY bench_payments ({shape.columns}) FROM STDIN WITH (FORMAT csv)") as copy,
            ):
                for i in range(0, len(text), 1 << 20):
                    copy.write(text[i : i + (1 << 20)])
            if indexes_after:
                con.execute("SET LOCAL maintenance_work_mem = '256MB'")  # as the importer does
                for ddl in INDEXES:
                    con.execute(ddl)
            con.commit()
            seconds = time.perf_counter() - started
            con.execute("DROP TABLE bench_payments")
            con.commit()
        return seconds

    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--shapes", default="payments,narrow,integers")
    parser.add_argument("--indexes", choices=("both", "kept", "after"), default="both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    loaders: dict[str, Loader] = {"sqlite": sqlite_load, "postgresql": postgres_load(args.postgres)}
    print(f"{'shape':<9} {'database':<11} {'indexes':<22} {'rows':>10} {'median s':>9} {'rows/s':>10}  runs")
    for name in args.shapes.split(","):
        shape = SHAPES[name]
        data = rows(shape, args.rows)
        for database in args.databases.split(","):
            for after in {"both": (False, True), "kept": (False,), "after": (True,)}[args.indexes]:
                runs = [loaders[database](shape, data, after) for _ in range(args.runs)]
                median = statistics.median(runs)
                label = "built after the load" if after else "kept up to date"
                shown = ", ".join(f"{r:.1f}" for r in runs)
                rate = args.rows / median
                figures = f"{args.rows:>10,} {median:>9.1f} {rate:>10,.0f}  {shown}"
                print(f"{name:<9} {database:<11} {label:<22} {figures}", flush=True)
        del data


if __name__ == "__main__":
    main()
