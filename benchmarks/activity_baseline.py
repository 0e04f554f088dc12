"""Activity baseline from CSV: 10,000 respondents x 40 processes, ~300 org units.

Writes an establishment and a survey export into a temporary directory, then times the whole path that
`wholecouncil activity baseline --json` runs, several times: reading both CSV files, checking every row, the
baseline, small-group suppression, the fragmentation measures and the JSON report (built and serialised).
Prints each run, with the time of each step, and the median. Target: under 1 second.

    .venv/bin/python benchmarks/activity_baseline.py [--respondents 10000] [--units 300] [--runs 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
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


def once(establishment: Path, responses: Path) -> dict[str, float]:
    """Seconds for each step of one run, and in total; the steps are what the command does, in order."""
    marks = [("start", time.perf_counter())]
    tables = (
        read_table(establishment.name, establishment.read_bytes()),
        read_table(responses.name, responses.read_bytes()),
    )
    marks.append(("read CSV", time.perf_counter()))
    run = run_baseline(*tables, BaselineOptions())
    marks.append(("check, baseline, suppression, fragmentation", time.perf_counter()))
    if not run.ok:
        raise SystemExit("\n".join(str(e) for e in run.errors[:20]))
    text = json.dumps(run.report(), indent=2)
    marks.append(("JSON report", time.perf_counter()))
    if not text.startswith("{"):
        raise SystemExit("the report is not JSON")
    steps = {name: marks[i][1] - marks[i - 1][1] for i, (name, _) in enumerate(marks) if i}
    steps["total"] = marks[-1][1] - marks[0][1]
    return steps


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
        runs = [once(est, resp) for _ in range(args.runs)]
    for i, steps in enumerate(runs, 1):
        parts = ", ".join(f"{name} {t:.3f}" for name, t in steps.items() if name != "total")
        print(f"run {i}: {steps['total']:.3f} s ({parts})")
    medians = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
    parts = ", ".join(f"{name} {t:.3f} s" for name, t in medians.items() if name != "total")
    print(f"median: {medians['total']:.3f} s ({parts}); target < 1 s")
    print(f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
