"""The demo's benefits register: every state, a year of actuals for every benefit signed off, the refused
over-claim, a slipped milestone, and Westmere banking its share; and on any date the demo may be loaded."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.engine.lifecycle import Action, Status
from wholecouncil.benefits.engine.mtfp import SavingRag
from wholecouncil.benefits.models import Benefit, BudgetLine, MonthlyActual, SavingsRequirement
from wholecouncil.benefits.realisation import realisation
from wholecouncil.council.engine import FinancialYear, add_months
from wholecouncil.council.models import Council, Membership, Partnership
from wholecouncil.demo.benefits import actual_months, benefits_register, plan_start
from wholecouncil.demo.generator import DemoContext
from wholecouncil.demo.plan import DemoPlan

D = Decimal
SIGNED_OFF = {"in_delivery", "realised"}

# Dates the demo must load on: month ends, December, the end and start of a financial year, a leap day.
AWKWARD_DAYS = [
    dt.date(2026, 1, 31),
    dt.date(2026, 4, 30),
    dt.date(2026, 8, 31),
    dt.date(2026, 12, 31),
    dt.date(2027, 3, 31),
    dt.date(2027, 4, 1),
    dt.date(2028, 2, 29),
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, shared_data_dir: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("today", AWKWARD_DAYS)
def test_a_year_of_actual_months_on_any_date(today: dt.date) -> None:
    months = actual_months(today)
    this_month = today.replace(day=1)
    assert len(months) == 12
    assert months[-1] == add_months(this_month, -1)
    assert months[0] == add_months(this_month, -12)
    assert all(m.day == 1 for m in months)
    assert all(add_months(a, 1) == b for a, b in itertools.pairwise(months))
    # Savings that started earlier reach back to their start, but no more than two years.
    assert actual_months(today, add_months(this_month, -15))[0] == add_months(this_month, -15)
    assert len(actual_months(today, dt.date(2000, 4, 1))) == 24
    assert actual_months(today, add_months(this_month, -3)) == months
    assert plan_start(today) == FinancialYear.containing(today).start_year - 1


def test_plan_start_turns_with_the_financial_year() -> None:
    assert plan_start(dt.date(2027, 3, 31)) == 2025
    assert plan_start(dt.date(2027, 4, 1)) == 2026
    assert plan_start(dt.date(2028, 2, 29)) == 2026


def _assert_a_year_of_actuals(council: Council, today: dt.date) -> None:
    last = add_months(today.replace(day=1), -1)
    year_ago = add_months(today.replace(day=1), -12)
    signed = [
        b
        for b in Benefit.objects.filter(council=council)
        if b.status in SIGNED_OFF or (b.status == "at_risk" and b.resume_status in SIGNED_OFF)
    ]
    assert len(signed) >= 8
    for b in signed:
        found = MonthlyActual.objects.filter(benefit=b).order_by("month")
        months = list(found.values_list("month", flat=True))
        assert months[-1] == last, b.reference
        assert months[0] <= year_ago, b.reference
        assert len(months) == len(set(months)) >= 12, b.reference
        assert all(add_months(a, 1) == c for a, c in itertools.pairwise(months)), b.reference
        notes = MonthlyActual.objects.filter(benefit=b).exclude(evidence="")
        assert notes.count() == len(months), b.reference
    for b in Benefit.objects.filter(council=council, status__in=["identified", "validated"]):
        assert not MonthlyActual.objects.filter(benefit=b).exists(), b.reference


@pytest.mark.django_db
def test_the_demo_benefits(plan: DemoPlan) -> None:
    call_command("demo", stdout=StringIO())
    ex = Council.objects.get(slug="exampleshire")
    westmere = Council.objects.get(slug="westmere")
    today = timezone.localdate()
    this_year = FinancialYear.containing(today).start_year
    benefits = {b.reference: b for b in Benefit.objects.filter(council=ex)}

    # Every state, and one validated benefit waiting only for finance's sign-off.
    assert {b.status for b in benefits.values()} == {s.value for s in Status}
    assert any(
        b.status == "validated" and b.board_signed_at and not b.finance_signed_at for b in benefits.values()
    )
    assert {b.kind for b in benefits.values()} == {"cashable", "non_cashable", "non_financial"}
    _assert_a_year_of_actuals(ex, today)

    # BEN-011 would over-claim R1010 with BEN-001, so finance's sign-off is refused, naming BEN-001.
    finance = Membership.objects.get(council=ex, role=Role.FINANCE)
    with pytest.raises(services.BenefitError, match="together with BEN-001 One customer contact team"):
        services.benefit_transition(
            benefit=benefits["BEN-011"], action=Action.FINANCE_SIGN_OFF, actor=finance.user, role=finance.role
        )
    assert Benefit.objects.get(pk=benefits["BEN-011"].pk).status == "validated"

    # BEN-004's delivering milestone has slipped: flagged at risk, its saving at risk this year.
    slip = selectors.slips(Benefit.objects.filter(council=ex)).get(benefits["BEN-004"].pk)
    assert slip is not None and (slip.late or slip.after_start)
    assert selectors.saving_rags(benefits["BEN-004"], today)[this_year] is SavingRag.AT_RISK
    assert "BEN-004" in {b.reference for b in selectors.benefits_for(ex, status="at_risk")}

    # Westmere banks its 30% of BEN-008 (£180,000 a year, half in its first year) and sees it on its curve.
    years = {y.year.start_year: y for y in selectors.mtfp_position(westmere, today).position.years}
    assert years[this_year].banked == D("27000") and years[this_year + 1].banked == D("54000")
    curve = realisation(westmere, share_council=westmere.pk)
    assert curve.benefits == 1
    year_end = {p.month: p for p in curve.points}[FinancialYear(this_year).ends.replace(day=1)]
    assert year_end.planned_cumulative == D("27000")
    assert curve.by_council[0].name == westmere.name and curve.by_council[0].actual_to_date > 0


@pytest.mark.django_db
def test_the_benefits_step_on_awkward_days(plan: DemoPlan) -> None:
    call_command("demo", stdout=StringIO())
    ex = Council.objects.get(slug="exampleshire")
    ctx = DemoContext(
        seed=plan.seed,
        plan=plan,
        log=lambda _: None,
        councils={c.slug: c for c in Council.objects.filter(is_demo=True)},
        partnership=Partnership.objects.get(name="Exampleshire and Westmere Partnership"),
    )
    for today in AWKWARD_DAYS:
        for model in (Benefit, BudgetLine, SavingsRequirement):
            model.objects.filter(council=ex).delete()
        benefits_register(ctx, today=today)
        _assert_a_year_of_actuals(ex, today)
        required = sorted(SavingsRequirement.objects.filter(council=ex).values_list("year", flat=True))
        assert required[0] == plan_start(today)
        assert Benefit.objects.filter(council=ex).count() == 18
