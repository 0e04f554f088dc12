"""The three board packs on PostgreSQL with a large portfolio and benefits register.

Builds (once; --rebuild to start again) the portfolio of benchmarks/portfolio_dashboard.py (1,000 projects,
10,000 risks, 4,000 milestones, five years of monthly highlight reports for every project) and adds a benefits
register to the same council: 2,000 benefits in every status and category, each linked to a project and
half to a milestone, a profile for five financial years, monthly actuals for every month that has passed,
and savings required for each year. Then requests each pack through the full Django stack as a signed-in
councillor and prints every run, the median and the 95th percentile; and each PDF once, after one unmeasured
PDF. Target for the monthly pack's page: under 1 s (the issue's figure); the same mark is printed for the
other two packs.

    .venv/bin/python benchmarks/board_packs.py [--database postgres://postgres@127.0.0.1:5432/boardpackbench]
        [--projects 1000] [--benefits 2000] [--runs 8] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from decimal import Decimal
from typing import Any

from portfolio_dashboard import SLUG, ensure_database, report, timed
from portfolio_dashboard import build as build_portfolio

YEARS = 5


def add_benefits(council: Any, count: int, today: dt.date) -> None:
    from django.db import connection

    from wholecouncil.benefits.engine.categories import Category
    from wholecouncil.benefits.engine.lifecycle import Status
    from wholecouncil.benefits.engine.performance import month_index, month_of
    from wholecouncil.benefits.models import (
        Benefit,
        BudgetLine,
        MonthlyActual,
        ProfileYear,
        SavingsRequirement,
    )
    from wholecouncil.council.engine import FinancialYear
    from wholecouncil.portfolio.models import Milestone, Project

    rng = random.Random(23)
    first = FinancialYear.containing(today).start_year - 2
    projects = list(Project.objects.filter(council=council).order_by("pk"))
    milestones = list(Milestone.objects.filter(council=council).order_by("pk")[: count // 2])
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(council=council, code=f"R{i:04}", name=f"Line {i}", baseline=Decimal(50_000_000))
        for i in range(50)
    )
    statuses, categories = list(Status), list(Category)
    benefits = Benefit.objects.bulk_create(
        Benefit(
            council=council,
            reference=f"BEN-{i:05}",
            title=f"Benefit {i}",
            feature="Benchmark",
            owner="Benchmark owner",
            category=categories[i % len(categories)],
            status=statuses[i % len(statuses)],
            resume_status=Status.IN_DELIVERY if statuses[i % len(statuses)] is Status.AT_RISK else "",
            budget_line=lines[i % len(lines)],
            full_year_value=Decimal(rng.randint(10_000, 300_000)),
            milestone=milestones[i] if i < len(milestones) else None,
            savings_start=FinancialYear(first).starts,
        )
        for i in range(count)
    )
    Benefit.projects.through.objects.bulk_create(
        Benefit.projects.through(benefit_id=b.pk, project_id=projects[i % len(projects)].pk)
        for i, b in enumerate(benefits)
    )
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    profile_rows, actual_rows = [], []
    for b in benefits:
        planned = b.full_year_value or Decimal(0)
        for k in range(YEARS):
            year = FinancialYear(first + k)
            actual, reported = Decimal(0), 0
            for m in range(1, 13):
                month = month_of(year, m)
                if month > last_month:
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
                    planned=planned,
                    actual=actual,
                    reported=reported,
                )
            )
    ProfileYear.objects.bulk_create(profile_rows, batch_size=5000)
    MonthlyActual.objects.bulk_create(actual_rows, batch_size=5000)
    SavingsRequirement.objects.bulk_create(
        SavingsRequirement(council=council, year=first + k, amount=Decimal(40_000_000)) for k in range(YEARS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Added {count:,} benefits, {len(profile_rows):,} profile years, {len(actual_rows):,} actuals")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/boardpackbench")
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--benefits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=8)
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

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from wholecouncil.accounts.roles import Role
    from wholecouncil.benefits.models import Benefit
    from wholecouncil.council import services as council_services
    from wholecouncil.council.models import Council
    from wholecouncil.portfolio.models import Project

    council = Council.objects.filter(slug=SLUG).first()
    if (
        council is None
        or args.rebuild
        or Project.objects.filter(council=council).count() != args.projects
        or Benefit.objects.filter(council=council).count() != args.benefits
    ):
        started = time.perf_counter()
        council = build_portfolio(args.projects)
        add_benefits(council, args.benefits, dt.date.today())
        print(f"Built the benchmark council in {time.perf_counter() - started:.1f} s")
    member = council_services.membership_set(
        council=council,
        username="bench-councillor",
        role=Role.COUNCILLOR,
        password="bench-password-not-secret-42",  # noqa: S106
    )
    client = Client()
    client.force_login(member.user)
    timed(client, f"/c/{SLUG}/reports/board-packs/monthly.pdf", 1)  # loads WeasyPrint and its fonts
    for kind, target in (("monthly", 1000), ("quarterly", 1000), ("annual", 1000)):
        page = f"/c/{SLUG}/reports/board-packs/{kind}/"
        timed(client, page, 1)
        report(f"{kind.capitalize()} pack (HTML)", timed(client, page, args.runs), target)
        report(
            f"{kind.capitalize()} pack (PDF)",
            timed(client, f"/c/{SLUG}/reports/board-packs/{kind}.pdf", 1),
            10000,
        )


if __name__ == "__main__":
    main()
