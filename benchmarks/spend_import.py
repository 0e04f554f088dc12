"""End-to-end spend import: parse -> database by bulk load -> supplier resolution -> categorisation ->
duplicate detection, on SQLite and PostgreSQL, against DuckDB's bare read_csv of the same file.

Each (file, database) run happens in a fresh process with a fresh database, so the peak memory printed (the
process's maximum resident set size) belongs to that run alone. CPU seconds are the importing process's own
(the database server's work on PostgreSQL is not in them); on a busy machine they show what wall-clock hides.
Files: the Trafford sample (210,068 rows) and a generated file in the same layout (5 million rows by default;
--rows for a quicker run).

    .venv/bin/python benchmarks/spend_import.py                      # Trafford and 5M rows, both databases
    .venv/bin/python benchmarks/spend_import.py --rows 500000        # a quicker run
    .venv/bin/python benchmarks/spend_import.py --no-generated --databases sqlite
PostgreSQL: DATABASE_URL-style server at --postgres (default postgres://postgres@127.0.0.1:5432); a
database called spendbench is dropped and made for each run. Needs duckdb (in the dev extras).
Targets: at least 250,000 rows/s end to end on 5M rows, peak memory under 3 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TRAFFORD = ROOT.parent / "shared" / "data" / "samples" / "trafford-supplier-spend-2024-25.zip"
HEADERS = [
    "OrganisationLabel", "EffectiveDate", "OrganisationalUnit", "BeneficiaryName", "BeneficiaryOtherID",
    "PaymentDate", "TransactionNumber", "Amount", "Purpose", "ProclassLabel", "ProclassCode", "InvoiceNumber",
    "VATRegistrationNumber",
]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 11) -> None:
    """A year of payments in the LGA layout: 20,000 supplier names (some variants), 200 categories,
    400 org units, day-first dates, about 1% credits, blank categories on about 15% of rows."""
    rng = random.Random(seed)
    suppliers = [(f"Supplier {i:05d} Ltd", f"GB{100000000 + i}") for i in range(20_000)]
    variants = {i: f"SUPPLIER {i:05d} LIMITED" for i in range(0, 20_000, 50)}
    categories = [(f"CATEGORY {i:03d}: Goods and services", f"{300000 + i}") for i in range(200)]
    units = [f"Service unit {i:03d}" for i in range(400)]
    months = [(2024, m) for m in range(4, 13)] + [(2025, m) for m in range(1, 4)]
    days = [f"{d:02d}/{m:02d}/{y}" for y, m in months for d in range(1, 29)]
    weights = [1.0 / (i + 10) for i in range(len(suppliers))]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        picks = rng.choices(range(len(suppliers)), weights, k=rows)
        for n, s in enumerate(picks):
            name, vat = suppliers[s]
            if s in variants and n % 3 == 0:
                name = variants[s]
            category, code = categories[s % 200] if n % 7 else ("", "")
            pennies = int(rng.lognormvariate(10, 1.2))
            amount = f"{-pennies / 100:.2f}" if n % 97 == 0 else f"{pennies / 100:.2f}"
            writer.writerow(
                [
                    "Generated Council", "2025-03-31", units[s % 400], name, str(s), rng.choice(days),
                    str(5_000_000_000 + n // 3), amount, f"Purpose {n % 5000}", category, code,
                    f"INV{n}", vat,
                ]
            )  # fmt: skip


def duckdb_read(path: Path) -> float:
    import duckdb

    started = time.perf_counter()
    rows = duckdb.sql(f"SELECT count(*) FROM read_csv('{path}', all_varchar = true)").fetchall()  # noqa: S608
    seconds = time.perf_counter() - started
    assert rows and rows[0][0] > 0
    return seconds


def worker(path: str, database: str) -> None:
    """Run in a child process: a fresh database, one import, figures as one JSON line on stdout."""
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wholecouncil.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from wholecouncil.council.services import council_create
    from wholecouncil.spend import selectors
    from wholecouncil.spend.engine import SpendSource
    from wholecouncil.spend.services import spend_import_run

    call_command("migrate", verbosity=0)
    council = council_create(slug="bench", name="Benchmark Council")
    cpu_before = time.process_time()
    started = time.perf_counter()
    outcome = spend_import_run(council=council, sources=[SpendSource.from_path(Path(path))], actor=None)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    assert outcome.ok, outcome.rejections[:3]
    totals = selectors.spend_totals(council)
    assert totals.pennies == outcome.total_pennies, "the imported total differs from the file's"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "rows": outcome.rows_read,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "timings": outcome.timings,
                "peak_bytes": peak,
                "total": str(totals.total),
            }
        )
    )


def _database_env(database: str, postgres: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env["PYTHONPATH"] = str(ROOT / "src")
    if database == "sqlite":
        db = folder / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["SQLITE_PATH"] = str(db)
    else:
        import psycopg

        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS spendbench")
            conn.execute("CREATE DATABASE spendbench")
        env["DATABASE_URL"] = f"{postgres}/spendbench"
    return env


def run(path: Path, database: str, postgres: str, folder: Path) -> dict[str, Any]:
    env = _database_env(database, postgres, folder)
    done = subprocess.run(  # noqa: S603 - this very script, as a child
        [sys.executable, __file__, "--worker", str(path), database], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{database} run failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="rows in the generated file")
    parser.add_argument("--no-generated", action="store_true", help="only the Trafford file")
    parser.add_argument("--no-trafford", action="store_true", help="only the generated file")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--duckdb-runs", type=int, default=3)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    with tempfile.TemporaryDirectory(prefix="spend-bench-") as tmp:
        folder = Path(tmp)
        files: list[tuple[str, Path]] = []
        if not args.no_trafford:
            with zipfile.ZipFile(TRAFFORD) as archive:
                member = archive.namelist()[0]
                archive.extract(member, folder)
            files.append(("Trafford 2024/25", folder / member))
        if not args.no_generated:
            generated = folder / f"generated-{args.rows}.csv"
            started = time.perf_counter()
            generate(generated, args.rows)
            print(f"Generated {args.rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
            files.append((f"generated {args.rows:,} rows", generated))
        print(f"{'file':<26} {'database':<11} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'CPU s':>7} "
              f"{'peak MB':>8} {'duckdb s':>9} {'ratio':>7}  stages (cumulative s)")  # fmt: skip
        for label, path in files:
            duck = statistics.median(duckdb_read(path) for _ in range(args.duckdb_runs))
            for database in args.databases.split(","):
                result = run(path, database, args.postgres, folder)
                seconds, rows, peak = float(result["seconds"]), int(result["rows"]), int(result["peak_bytes"])
                stages = ", ".join(f"{k} {v:.1f}" for k, v in result["timings"].items())
                print(
                    f"{label:<26} {database:<11} {rows:>10,} {seconds:>8.1f} {rows / seconds:>9,.0f} "
                    f"{float(result['cpu_seconds']):>7.1f} {peak / 1e6:>8,.0f} {duck:>9.2f} "
                    f"{seconds / duck:>6.0f}x  {stages}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
