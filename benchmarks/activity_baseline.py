"""Activity baseline from CSV: 10,000 respondents x 40 processes, ~300 org units.

Writes an establishment and a survey export into a temporary directory, then times reading both CSV files
and computing the full baseline (parse, baseline, fragmentation) several times. Prints each run and the
median. Target: under 1 second.

    .venv/bin/python benchmarks/activity_baseline.py [--respondents 10000] [--units 300] [--runs 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

from wholecouncil.activity.engine import BaselineOptions, run_baseline
from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES
from wholecouncil.tabular import read_table


def write_inputs(folder: Path, *, respondents: int, units: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    unit_names = [f"Unit {i:03d}" for i in range(units)]
    posts_per_unit = max(1, round(respondents * 1.25 / units))
    establishment = folder / "establishment.csv"
    with establishment.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["post_id", "org_unit", "job_title", "grade", "fte", "annual_cost"])
        n = 0
        for unit in unit_names:
            for _ in range(posts_per_unit):
                n += 1
                fte = rng.choice(["1", "1", "1", "0.5", "0.8", "0.6"])
                w.writerow(
                    [f"P{n:06d}", unit, "Officer", f"G{rng.randint(3, 12)}", fte, rng.randint(22000, 70000)]
                )
    codes = [p.code for p in DEFAULT_PROCESSES]
    responses = folder / "responses.csv"
    with responses.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["respondent_id", "org_unit", "contracted_hours", *codes])
        for r in range(respondents):
            contracted = rng.choice([37, 37, 37, 18.5, 30, 22.5])
            picked = rng.sample(range(len(codes)), rng.randint(2, 8))
            weights = [rng.random() for _ in picked]
            total = sum(weights)
            hours = [""] * len(codes)
            for j, weight in zip(picked, weights, strict=True):
                hours[j] = f"{round(contracted * weight / total * 2) / 2:g}"
            w.writerow([f"R{r:06d}", rng.choice(unit_names), f"{contracted:g}", *hours])
    return establishment, responses


def once(establishment: Path, responses: Path) -> float:
    start = time.perf_counter()
    run = run_baseline(
        read_table(establishment.name, establishment.read_bytes()),
        read_table(responses.name, responses.read_bytes()),
        BaselineOptions(),
    )
    elapsed = time.perf_counter() - start
    if not run.ok:
        raise SystemExit("\n".join(str(e) for e in run.errors[:20]))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        est, resp = write_inputs(Path(tmp), respondents=args.respondents, units=args.units)
        print(
            f"{args.respondents} respondents x {len(DEFAULT_PROCESSES)} processes, {args.units} org units "
            f"({est.stat().st_size // 1024} KB + {resp.stat().st_size // 1024} KB of CSV)"
        )
        times = [once(est, resp) for _ in range(args.runs)]
    for i, t in enumerate(times, 1):
        print(f"run {i}: {t:.3f} s")
    print(f"median: {statistics.median(times):.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
