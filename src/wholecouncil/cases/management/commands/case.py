from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wholecouncil.cases.engine import (
    CaseError,
    CaseResult,
    Distribution,
    build_model,
    compute_case,
    monte_carlo,
    tornado,
)
from wholecouncil.cases.engine.fileformat import load_case
from wholecouncil.cases.engine.output import money, result_to_dict, risk_to_dict, tornado_to_list


class Command(BaseCommand):
    help = (
        "Compute a business case from a YAML or JSON case file, without a database: "
        "`wholecouncil case compute CASE.yaml [--json] [--montecarlo N --seed S] [--tornado]`."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        comp = sub.add_parser(
            "compute", help="Compute the case's profile, costs, net position, payback and NPV"
        )
        comp.add_argument(
            "file", type=Path, help="A case file (.yaml, .yml or .json); see docs/modules/cases.md"
        )
        comp.add_argument("--json", action="store_true", help="Print the figures as JSON")
        comp.add_argument(
            "--montecarlo", type=int, default=0, metavar="N", help="Add a risk range from N runs"
        )
        comp.add_argument("--seed", type=int, default=1, help="Random seed for --montecarlo (default 1)")
        comp.add_argument(
            "--distribution",
            choices=[str(d) for d in Distribution],
            default=None,
            help="Distribution for each line (default: the file's risk.distribution, else pert)",
        )
        comp.add_argument("--tornado", action="store_true", help="Add the NPV sensitivity of each assumption")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            self._compute(opts)
        except CaseError as exc:
            raise CommandError(str(exc)) from exc

    def _compute(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        loaded = load_case(path)
        try:
            result = compute_case(loaded.case)
        except CaseError as exc:
            raise CaseError(f"{path.name}: {exc}") from exc
        data = result_to_dict(result)
        if opts["montecarlo"] < 0:
            raise CaseError("--montecarlo: the number of runs must be 0 or more")
        model = build_model(result) if opts["montecarlo"] or opts["tornado"] else None
        if model is not None and opts["montecarlo"]:
            dist = Distribution(opts["distribution"] or loaded.risk.distribution)
            data["risk"] = risk_to_dict(monte_carlo(model, opts["montecarlo"], opts["seed"], dist))
        if model is not None and opts["tornado"]:
            data["tornado"] = tornado_to_list(tornado(model, result, loaded.risk))
        if opts["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self._table(result, data)

    def _table(self, result: CaseResult, data: dict[str, Any]) -> None:
        w = self.stdout.write
        w(f"{result.case.name}: {result.case.point} point, {len(result.lines)} opportunities")
        w(
            f"Full-year recurring saving: low {data['total_low']}, mid {data['total_mid']}, "
            f"high {data['total_high']}; at the chosen point {data['chosen_full_year']}"
        )
        cols = (
            "recurring_in_year",
            "cumulative_recurring",
            "one_off_costs",
            "recurring_costs",
            "net",
            "cumulative_net",
        )
        w(f"{'year':<8}" + "".join(f"{c:>22}" for c in cols))
        for row in data["years"]:
            w(f"{row['year']:<8}" + "".join(f"{row[c]:>22}" for c in cols))
        payback = data["payback_year"] or "not within the case"
        w(f"Payback year: {payback}. NPV at {result.case.discount_rate_pct}%: {money(result.npv)}")
        if "risk" in data:
            for key, label in (("cumulative_benefit", "Cumulative benefit"), ("npv", "NPV")):
                p = data["risk"][key]
                w(f"{label}: P10 {p['p10']}, P50 {p['p50']}, P90 {p['p90']}")
        for bar in data.get("tornado", [])[:10]:
            w(f"  {bar['name']:<40} NPV {bar['npv_low']} to {bar['npv_high']} (swing {bar['swing']})")
