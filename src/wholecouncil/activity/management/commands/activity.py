"""`wholecouncil activity processes|baseline`: the process taxonomy and the effort baseline from two files.

Neither sub-command touches the database: system checks are off, and nothing here imports a model.
"""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser, ArgumentTypeError
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wholecouncil.activity.engine import (
    DEFAULT_FULL_TIME_HOURS,
    DEFAULT_MINIMUM,
    DEFAULT_THRESHOLD_FTE,
    DEFAULT_TOLERANCE,
    BaselineOptions,
    run_baseline,
)
from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES
from wholecouncil.tabular import Table, TableError, format_money, read_table


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"'{text}' is not a number") from exc
    if not 0 <= value < float("inf"):
        raise ArgumentTypeError(f"'{text}' must be zero or more")
    return value


def _read(path: Path) -> Table:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        return read_table(path.name, path.read_bytes())
    except TableError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = (
        "Activity analysis without the database: `wholecouncil activity processes [--csv]` lists the default "
        "process taxonomy; `wholecouncil activity baseline --establishment E.csv --responses R.csv [--json]` "
        "computes effort (FTE and cost) by process and org unit."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        processes = sub.add_parser("processes", help="List the default process taxonomy")
        processes.add_argument("--csv", action="store_true", help="As CSV: code,name,layer")
        base = sub.add_parser(
            "baseline", help="Compute the effort baseline from an establishment and responses"
        )
        base.add_argument("--establishment", required=True, type=Path, help="CSV or XLSX, one row per post")
        base.add_argument("--responses", required=True, type=Path, help="CSV or XLSX, one row per respondent")
        base.add_argument("--json", action="store_true", help="Print the full result as JSON")
        base.add_argument(
            "--full-time-hours",
            type=_number,
            default=DEFAULT_FULL_TIME_HOURS,
            help="Hours in a full-time week, used when contracted hours are blank "
            f"(default {DEFAULT_FULL_TIME_HOURS:g})",
        )
        base.add_argument(
            "--threshold",
            type=_number,
            default=DEFAULT_THRESHOLD_FTE,
            help=f"FTE that counts as material effort on a process (default {DEFAULT_THRESHOLD_FTE:g})",
        )
        base.add_argument(
            "--tolerance",
            type=_number,
            default=DEFAULT_TOLERANCE,
            help="How far a respondent's hours may be from their contracted hours, as a fraction "
            f"(default {DEFAULT_TOLERANCE:g})",
        )
        base.add_argument(
            "--no-suppress",
            dest="suppress",
            action="store_false",
            help=f"Show every figure. By default, figures resting on fewer than {DEFAULT_MINIMUM} people "
            "and those that would reveal them, are hidden",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "processes":
            self._processes(csv_out=opts["csv"])
        else:
            self._baseline(opts)

    def _processes(self, *, csv_out: bool) -> None:
        if csv_out:
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["code", "name", "layer"])
            for p in DEFAULT_PROCESSES:
                writer.writerow([p.code, p.name, p.layer])
            return
        for p in DEFAULT_PROCESSES:
            self.stdout.write(f"{p.code:<24} {p.layer:<22} {p.name}")

    def _baseline(self, opts: dict[str, Any]) -> None:
        if opts["full_time_hours"] <= 0:
            raise CommandError("--full-time-hours must be more than 0")
        establishment = _read(opts["establishment"])
        responses = _read(opts["responses"])
        options = BaselineOptions(
            full_time_hours=opts["full_time_hours"],
            tolerance=opts["tolerance"],
            threshold_fte=opts["threshold"],
            suppress=opts["suppress"],
        )
        run = run_baseline(establishment, responses, options)
        if not run.ok:
            for error in run.errors:
                self.stderr.write(str(error))
            count = len(run.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''}: nothing computed.")
        assert run.baseline is not None and run.fragmentation is not None
        for warning in run.warnings:
            self.stderr.write(f"Warning: {warning}")
        report = run.report()
        if opts["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self._summary(report, minimum=options.minimum)

    def _summary(self, report: dict[str, Any], *, minimum: int) -> None:
        totals = report["totals"]
        est, unallocated = totals["establishment"], totals["unallocated"]
        allocated = totals["allocated"]["fte"] or "(suppressed)"
        respondents = totals["respondents"] if totals["respondents"] is not None else f"Fewer than {minimum}"
        self.stdout.write(
            f"{respondents} respondents in {totals['org_units_allocated']} of "
            f"{totals['org_units']} org units. Establishment {est['fte']} FTE, "
            f"{format_money(Decimal(est['cost']))}; allocated {allocated} FTE; "
            f"unallocated {unallocated['fte']} FTE, {format_money(Decimal(unallocated['cost']))}."
        )
        for code, entry in report["processes"].items():
            if entry["fte"] is None:
                self.stdout.write(f"{code:<24} suppressed")
                continue
            self.stdout.write(f"{code:<24} {entry['fte']:>10} FTE {format_money(Decimal(entry['cost'])):>16}")
