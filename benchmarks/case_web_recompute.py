"""Business case in the web app: recomputing after one assumption edit, through the services and selectors.

Builds a council with N opportunities (default 150) and a five-year case on a scratch SQLite database, then
times (1) editing one opportunity's range through `opportunity_update` (audited, overlap-checked) and
recomputing the case without the risk range, (2) the same with the risk range (20,000 simulations and
the tornado with its discount-rate and optimism-bias bars) as the case page does after an edit, and (3)
viewing the case again with nothing changed, when the risk range comes from the cache. Prints each run and
the median. Target for (1): under 100 ms.

    .venv/bin/python benchmarks/case_web_recompute.py [--opportunities 150] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from decimal import Decimal

D = Decimal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opportunities", type=int, default=150)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
    os.environ["SQLITE_PATH"] = scratch.name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wholecouncil.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wholecouncil.cases import selectors, services
    from wholecouncil.cases.models import BaselineFigure, Opportunity
    from wholecouncil.council import services as council_services
    from wholecouncil.council.models import Layer, Lever

    council = council_services.council_create(slug="bench", name="Bench County Council")
    layers = list(Layer.objects.filter(council=council))
    levers = list(Lever.objects.filter(council=council))
    for layer in layers:
        services.baseline_figure_set(
            council=council,
            kind=BaselineFigure.Kind.STAFF,
            key=layer.code,
            amount=D("50000000"),
            fte=D("1000"),
            actor=None,
        )
    opps = []
    for i in range(args.opportunities):
        opps.append(
            services.opportunity_create(
                council=council,
                actor=None,
                code=f"O-{i}",
                name=f"Opportunity {i}",
                layer=layers[i % len(layers)],
                lever=levers[i % len(levers)],
                basis=Opportunity.Basis.ACTIVITY,
                saving=Opportunity.Saving.PERCENT,
                low_pct=D("0.1"),
                high_pct=D("0.3"),
            )
        )
    case = services.case_create(
        council=council,
        name="Bench",
        first_year=2025,
        actor=None,
        years=5,
        optimism_bias_pct=D("15"),
        mtfp_gap=["1000000"] * 5,
        turnover_fte=["300"] * 5,
        turnover_capture_pct=D("40"),
        average_cost_per_fte=D("45000"),
        average_redundancy_cost=D("25000"),
    )
    option = services.option_create(case=case, name="All", actor=None)
    services.option_lines_set(
        option=option,
        lines=[services.LineInput(o, [D("0.2")] * 5) for o in opps],
        actor=None,
    )

    def edit_and_recompute(with_risk: bool, run: int) -> float:
        started = time.perf_counter()
        services.opportunity_update(opportunity=opps[0], actor=None, high_pct=D("0.3") + D(run) / 100)
        figures = selectors.case_figures(case, with_risk=with_risk)
        assert figures.shown is not None and figures.shown.result is not None, figures.shown
        return time.perf_counter() - started

    def view_again(_: int) -> float:
        started = time.perf_counter()
        figures = selectors.case_figures(case)
        assert figures.risk is not None
        return time.perf_counter() - started

    runs = (
        ("edit + recompute", lambda run: edit_and_recompute(False, run)),
        ("edit + recompute with risk range", lambda run: edit_and_recompute(True, run)),
        ("view again, risk range from the cache", view_again),
    )
    for label, fn in runs:
        times = [fn(run) for run in range(args.runs)]
        print(
            f"{label}, {args.opportunities} opportunities: "
            + ", ".join(f"{t * 1000:.0f}" for t in times)
            + f" ms; median {statistics.median(times) * 1000:.0f} ms"
        )
    print(f"load average: {os.getloadavg()[0]:.1f}")
    os.unlink(scratch.name)


if __name__ == "__main__":
    main()
