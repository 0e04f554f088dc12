"""MTFP position on PostgreSQL for 5,000 benefits x 10 years of profiles and actuals.

Builds (once; --rebuild to start again) a council with 5,000 benefits in every status and category, a profile
for each of ten financial years (50,000 rows), monthly actuals for every month of those years that has passed
(with each year's roll-up), savings required for the ten years, 1,000 benefits with a delivering milestone and
200 shared with a partner council. Then times, several times each, the MTFP position
(`benefits.selectors.mtfp_position`: the database's sums, the shared benefits one by one, and the engine) and
the MTFP page requested through the full Django stack (middleware, permission check, selectors, the list of
each saving this year, template) as a signed-in admin. Prints every run and the medians. Target: the
position in under 200 ms; the command exits with status 1 if its median misses it.

    .venv/bin/python benchmarks/benefits_mtfp.py [--database postgres://postgres@127.0.0.1:5432/benefitsbench]
        [--benefits 5000] [--runs 15] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

SLUG = "benefits-bench"
PARTNER = "benefits-bench-partner"
YEARS = 10


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build(count: int, today: dt.date) -> Any:
    from django.db import connection

    from wholecouncil.benefits.engine.categories import Category
    from wholecouncil.benefits.engine.lifecycle import Status
    from wholecouncil.benefits.engine.performance import month_index, month_of
    from wholecouncil.benefits.models import (
        Benefit,
        BenefitShare,
        BudgetLine,
        MonthlyActual,
        ProfileYear,
        SavingsRequirement,
    )
    from wholecouncil.council import services as council_services
    from wholecouncil.council.engine import FinancialYear
    from wholecouncil.council.models import Council
    from wholecouncil.portfolio.models import Milestone, Project

    Council.objects.filter(slug__in=[SLUG, PARTNER]).delete()
    council = council_services.council_create(slug=SLUG, name="Benchmark County Council")
    partner = council_services.council_create(slug=PARTNER, name="Benchmark District Council")
    council_services.partnership_create(name="Benchmark partnership", councils=[council, partner], actor=None)
    rng = random.Random(17)
    with_milestone, shared = count // 5, count // 25  # 1,000 and 200 of 5,000
    first = FinancialYear.containing(today).start_year - 5
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(council=council, code=f"R{i:04}", name=f"Line {i}", baseline=Decimal(10_000_000))
        for i in range(100)
    )
    projects = Project.objects.bulk_create(
        Project(council=council, code=f"P-{i:04}", name=f"Project {i}") for i in range(200)
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            council=council,
            project=projects[i % 200],
            name=f"Milestone {i}",
            baseline_date=today + dt.timedelta(days=rng.randint(-700, 700)),
            forecast_date=today + dt.timedelta(days=rng.randint(-700, 900)),
        )
        for i in range(with_milestone)
    )
    statuses = list(Status)
    categories = list(Category)
    starts = [first + rng.randint(0, 7) for _ in range(count)]
    benefits = Benefit.objects.bulk_create(
        Benefit(
            council=council,
            reference=f"BEN-{i:05}",
            title=f"Benefit {i}",
            feature="Benchmark",
            category=categories[i % len(categories)],
            status=statuses[i % len(statuses)],
            resume_status=Status.IN_DELIVERY if statuses[i % len(statuses)] is Status.AT_RISK else "",
            budget_line=lines[i % 100],
            full_year_value=Decimal(rng.randint(10_000, 500_000)),
            tolerance_pct=Decimal(rng.choice([5, 10, 15])),
            milestone=milestones[i] if i < with_milestone else None,
            savings_start=FinancialYear(starts[i]).starts,
        )
        for i in range(count)
    )
    Benefit.projects.through.objects.bulk_create(
        Benefit.projects.through(benefit_id=b.pk, project_id=milestones[i].project_id)
        for i, b in enumerate(benefits[:with_milestone])
    )
    BenefitShare.objects.bulk_create(
        share
        for b in benefits[with_milestone : with_milestone + shared]
        for share in (
            BenefitShare(benefit=b, council=council, pct=Decimal(70)),
            BenefitShare(benefit=b, council=partner, pct=Decimal(30)),
        )
    )
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    profile_rows = []
    actual_rows = []
    for i, b in enumerate(benefits):
        value = b.full_year_value or Decimal(0)
        for k in range(YEARS):
            year = FinancialYear(first + k)
            if year.start_year < starts[i]:
                planned = Decimal(0)
            else:
                planned = value * min(year.start_year - starts[i] + 1, 3) / 3
            actual = Decimal(0)
            reported = 0
            for m in range(1, 13):
                month = month_of(year, m)
                if month > last_month or not planned:
                    break
                amount = (planned / 12 * Decimal(rng.uniform(0.7, 1.1))).quantize(Decimal("0.01"))
                actual_rows.append(MonthlyActual(council=council, benefit=b, month=month, amount=amount))
                actual += amount
                reported = month_index(month)
            profile_rows.append(
                ProfileYear(
                    council=council,
                    benefit=b,
                    year=year.start_year,
                    planned=planned.quantize(Decimal("0.01")),
                    actual=actual,
                    reported=reported,
                )
            )
    ProfileYear.objects.bulk_create(profile_rows, batch_size=5000)
    MonthlyActual.objects.bulk_create(actual_rows, batch_size=5000)
    SavingsRequirement.objects.bulk_create(
        SavingsRequirement(council=council, year=first + k, amount=Decimal(50_000_000 + k * 5_000_000))
        for k in range(YEARS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a load this size
    print(
        f"Built {len(benefits):,} benefits, {len(profile_rows):,} profile years, "
        f"{len(actual_rows):,} monthly actuals, {with_milestone:,} milestones, {shared:,} shared benefits."
    )
    return council


TARGET_MS = 200


def timed(label: str, work: Callable[[], str], runs: int) -> float:
    """Run `work` `runs` times, printing each run; returns the median in milliseconds."""
    times = []
    for run in range(runs):
        start = time.perf_counter()
        note = work()
        elapsed = (time.perf_counter() - start) * 1000
        times.append(elapsed)
        print(f"{label} run {run + 1:2}: {elapsed:7.1f} ms ({note})")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/benefitsbench")
    parser.add_argument("--benefits", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
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

    from wholecouncil.accounts.roles import Role
    from wholecouncil.benefits import selectors
    from wholecouncil.benefits.models import Benefit
    from wholecouncil.council import services as council_services
    from wholecouncil.council.models import Council

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    today = dt.date.today()
    council = Council.objects.filter(slug=SLUG).first()
    if args.rebuild or council is None or Benefit.objects.filter(council=council).count() != args.benefits:
        council = build(args.benefits, today)

    def compute() -> str:
        view = selectors.mtfp_position(council, today)
        return f"{len(view.savings):,} savings judged one by one, {len(view.position.years)} years"

    member = council_services.membership_set(
        council=council,
        username="bench-admin",
        role=Role.ADMIN,
        password="bench-password-not-secret-42",  # noqa: S106
    )
    client = Client()
    client.force_login(member.user)
    page = f"/c/{SLUG}/benefits/mtfp/"

    def render() -> str:
        response = client.get(page)
        assert response.status_code == 200, response.status_code
        return f"{len(response.content):,} bytes"

    compute()  # warm up
    render()
    position_ms = timed("position", compute, args.runs)
    page_ms = timed("page", render, args.runs)
    print(f"median, MTFP position: {position_ms:.1f} ms (target: under {TARGET_MS} ms)")
    print(f"median, MTFP page ({page}): {page_ms:.1f} ms")
    if position_ms >= TARGET_MS:
        print(f"The MTFP position missed its target of {TARGET_MS} ms.")
        sys.exit(1)


if __name__ == "__main__":
    main()
