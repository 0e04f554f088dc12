"""Portfolio dashboard and monthly board pack on PostgreSQL with a large portfolio.

Builds (once; --rebuild to start again) a council with 1,000 projects in six programmes and four workstreams,
10,000 risks, 4,000 milestones, 2,000 resource allocations, five years of monthly highlight reports for every
project (60,000), a gate decision for every gate each project has passed (about 2,000) with conditions on one
in four (some still open), and a waiting submission for each project at a gate; then requests the dashboard
and the monthly board pack through the full Django stack (middleware, permission check, selectors, template)
as a signed-in admin. Prints every run, the median and the 95th percentile, and exits with status 1 if a
target is missed. Targets: dashboard p95 under 150 ms; board pack HTML under 1 s.

    .venv/bin/python benchmarks/portfolio_dashboard.py [--database postgres://postgres@127.0.0.1:5432/portfoliobench]
        [--projects 1000] [--runs 40] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

SLUG = "portfolio-bench"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def month_back(anchor: dt.date, back: int) -> dt.date:
    year, month = anchor.year, anchor.month - back
    while month <= 0:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def build(projects: int) -> Any:
    from wholecouncil.council import services as council_services
    from wholecouncil.council.models import Council
    from wholecouncil.portfolio import services
    from wholecouncil.portfolio.engine import raid
    from wholecouncil.portfolio.models import (
        Condition,
        GateDecision,
        GateSubmission,
        HighlightReport,
        Milestone,
        Project,
        ResourceAllocation,
        Risk,
    )

    Council.objects.filter(slug=SLUG).delete()
    council = council_services.council_create(slug=SLUG, name="Benchmark County Council")
    services.stages_ensure(council=council)
    rng = random.Random(11)
    programmes = [
        services.programme_save(council=council, data={"code": f"p{i}", "name": f"Programme {i}"}, actor=None)
        for i in range(6)
    ]
    workstreams = [
        services.workstream_save(
            council=council, data={"code": f"w{i}", "name": f"Workstream {i}"}, actor=None
        )
        for i in range(4)
    ]
    anchor = dt.date.today().replace(day=1)
    statuses = ["in_stage"] * 7 + ["at_gate", "paused", "closed", "stopped"]
    rows = []
    for i in range(projects):
        group = rng.randrange(10)
        rows.append(
            Project(
                council=council,
                code=f"B-{i:04}",
                name=f"Benchmark project {i}",
                programme=programmes[group] if group < 6 else None,
                workstream=workstreams[group - 6] if group >= 6 else None,
                stage=rng.randint(1, 5),
                status=rng.choice(statuses),
                budget=Decimal(rng.randrange(10, 2000) * 1000),
                start_date=anchor - dt.timedelta(days=1900),
                latest_rag=rng.choice(["green", "amber", "red"]),
                latest_report_month=anchor,
            )
        )
    made = Project.objects.bulk_create(rows, batch_size=1000)
    risks, milestones, allocations, reports, submissions = [], [], [], [], []
    for p in made:
        for k in range(10):
            lk, im = rng.randint(1, 5), rng.randint(1, 5)
            rl, ri = rng.randint(1, lk), rng.randint(1, im)
            s = raid.score_risk(lk, im, rl, ri)
            risks.append(
                Risk(
                    council=council,
                    project=p,
                    title=f"Risk {k}",
                    likelihood=lk,
                    impact=im,
                    residual_likelihood=rl,
                    residual_impact=ri,
                    score=s.current,
                    residual_score=s.residual,
                    status=rng.choice(["open", "open", "open", "closed"]),
                    raised_on=anchor,
                )
            )
        for k in range(4):
            base = anchor + dt.timedelta(days=rng.randint(-300, 300))
            milestones.append(
                Milestone(
                    council=council,
                    project=p,
                    name=f"Milestone {k}",
                    baseline_date=base,
                    forecast_date=base + dt.timedelta(days=rng.choice([0, 0, 10, 40])),
                )
            )
        allocations += [
            ResourceAllocation(council=council, project=p, role="Lead", fte=Decimal("0.5")),
            ResourceAllocation(council=council, project=p, role="Analyst", fte=Decimal("1.0")),
        ]
        for back in range(60):
            rag = rng.choice(["green", "green", "amber", "red"])
            reports.append(
                HighlightReport(
                    council=council,
                    project=p,
                    month=month_back(anchor, back),
                    rag=rag,
                    narrative="Progress this month. " * 8,
                    key_risks="Supplier; staffing",
                    benefit_status="on_track",
                    status="approved" if back else "submitted",
                )
            )
        for gate in range(1, p.stage + (1 if p.status == "closed" else 0)):
            submissions.append(
                GateSubmission(council=council, project=p, gate=gate, summary="Ready", status="decided")
            )
        if p.status == "at_gate":
            submissions.append(GateSubmission(council=council, project=p, gate=p.stage, summary="Ready"))
    Risk.objects.bulk_create(risks, batch_size=5000)
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    ResourceAllocation.objects.bulk_create(allocations, batch_size=5000)
    HighlightReport.objects.bulk_create(reports, batch_size=5000)
    GateSubmission.objects.bulk_create(submissions, batch_size=5000)
    decided = [s for s in submissions if s.status == "decided"]
    decisions = [
        GateDecision(
            council=council,
            project_id=s.project_id,
            submission=s,
            gate=s.gate,
            decision="approve_with_conditions" if i % 4 == 0 else "approve",
            reasons="The gate criteria are met.",
        )
        for i, s in enumerate(decided)
    ]
    GateDecision.objects.bulk_create(decisions, batch_size=5000)
    Condition.objects.bulk_create(
        (
            Condition(
                council=council,
                project_id=d.project_id,
                decision=d,
                text="Confirm the savings with finance",
                due_date=anchor + dt.timedelta(days=rng.randint(-60, 90)),
                status=rng.choice(["open", "met", "met"]),
            )
            for d in decisions
            if d.decision == "approve_with_conditions"
        ),
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return council


def timed(client: Any, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def report(label: str, times: list[float], target: float) -> bool:
    """Print the runs, median and 95th percentile; True when the p95 is under the target."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    met = p95 < target
    print(f"{label}: " + ", ".join(f"{t:.0f}" for t in times) + " ms")
    print(
        f"{label}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms (target under {target:.0f} ms)"
        + ("" if met else " MISSED")
    )
    return met


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/portfoliobench")
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    ensure_database(args.database)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wholecouncil.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from wholecouncil.accounts.roles import Role
    from wholecouncil.council import services as council_services
    from wholecouncil.council.models import Council
    from wholecouncil.portfolio.models import Condition, GateDecision, HighlightReport, Project, Risk

    council = Council.objects.filter(slug=SLUG).first()
    if council is None or args.rebuild or Project.objects.filter(council=council).count() != args.projects:
        started = time.perf_counter()
        council = build(args.projects)
        print(f"Built the benchmark portfolio in {time.perf_counter() - started:.1f} s")
    print(
        f"{Project.objects.filter(council=council).count():,} projects, "
        f"{Risk.objects.filter(council=council).count():,} risks, "
        f"{HighlightReport.objects.filter(council=council).count():,} highlight reports, "
        f"{GateDecision.objects.filter(council=council).count():,} gate decisions, "
        f"{Condition.objects.filter(council=council).count():,} conditions"
    )
    member = council_services.membership_set(
        council=council,
        username="bench-admin",
        role=Role.ADMIN,
        password="bench-password-not-secret-42",  # noqa: S106
    )
    client = Client()
    client.force_login(member.user)
    dashboard = reverse("portfolio:overview", args=[SLUG])
    pack = reverse("reports:board_pack", args=[SLUG, "monthly"])
    timed(client, dashboard, 3)
    met = [report("Dashboard", timed(client, dashboard, args.runs), 150)]
    timed(client, pack, 1)
    met.append(report("Monthly board pack (HTML)", timed(client, pack, max(5, args.runs // 4)), 1000))
    if met != [True, True]:
        print("A target was missed.")
        sys.exit(1)


if __name__ == "__main__":
    main()
