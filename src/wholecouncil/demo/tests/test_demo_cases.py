"""The demo's business case, after `wholecouncil demo`: sized from the demo baselines, three options with a
recommendation, no double counting, and figures that are the engine's."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from wholecouncil.cases import engine as E
from wholecouncil.cases import selectors
from wholecouncil.cases.baselines import ACTIVITY_SOURCE, SPEND_SOURCE, council_baselines
from wholecouncil.cases.convert import engine_case
from wholecouncil.cases.models import BusinessCase, Opportunity
from wholecouncil.council.models import Council
from wholecouncil.demo import cases as demo_cases

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, shared_data_dir: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_case() -> BusinessCase:
    call_command("demo", stdout=StringIO())
    council = Council.objects.get(slug="exampleshire")
    return BusinessCase.objects.get(council=council)


def test_the_demo_case_is_built_from_the_demo_baselines(demo_case: BusinessCase) -> None:
    council = demo_case.council
    baselines = council_baselines(council)
    table = selectors.opportunity_table(council, baselines)
    assert len(table.rows) == len(demo_cases.IDEAS)
    assert table.overlaps == [] and not any(r.overlapping for r in table.rows)
    assert table.unsized == []
    assert all(r.opportunity.illustrative for r in table.rows)
    for row in table.rows:
        opp = row.opportunity
        expected = ACTIVITY_SOURCE if opp.basis == Opportunity.Basis.ACTIVITY else SPEND_SOURCE
        assert row.baseline_source == expected, (opp.code, row.baseline_source)
        pot = (
            baselines.staff(opp.layer.code)
            if opp.basis == "activity"
            else baselines.spend(opp.spend_category)
        )
        assert pot is not None and row.baseline == pot.amount
        assert row.low == (pot.amount * opp.low_pct / 100).quantize(D("0.01"))
    assert {r.opportunity.basis for r in table.rows} == {Opportunity.Basis.ACTIVITY, Opportunity.Basis.SPEND}


def test_three_options_with_full_ambition_recommended(demo_case: BusinessCase) -> None:
    figures = selectors.case_figures(demo_case, with_risk=False)
    by_name = {o.option.name: o for o in figures.options}
    assert list(by_name) == ["Do nothing", "Meet the MTFP", "Full ambition"]
    assert all(o.result is not None for o in figures.options), [o.problem for o in figures.options]
    results = {name: o.result for name, o in by_name.items() if o.result is not None}
    assert figures.recommended is not None and figures.recommended.option.name == "Full ambition"
    reasons = demo_case.recommendation_reasons
    assert reasons.startswith("Full ambition has the highest net present value")
    assert results["Do nothing"].npv == 0 and not results["Do nothing"].lines
    assert results["Full ambition"].npv > results["Meet the MTFP"].npv > results["Do nothing"].npv
    assert len(results["Full ambition"].lines) == len(demo_cases.FULL_PHASING)
    assert len(results["Meet the MTFP"].lines) == len(demo_cases.MTFP_CHOICE)
    full = results["Full ambition"]
    # the reasons quote the engine's NPVs and gap coverage
    assert demo_cases._m(full.npv) in reasons and demo_cases._m(results["Meet the MTFP"].npv) in reasons
    last = full.years[-1]
    assert f"closes {last.gap_coverage_pct}% of the MTFP gap" in reasons
    assert f"about {full.redundancy_fte:.0f} FTE" in reasons


def test_the_figures_are_the_engines(demo_case: BusinessCase) -> None:
    figures = selectors.case_figures(demo_case, with_risk=False)
    full = next(o for o in figures.options if o.option.name == "Full ambition")
    assert full.result is not None
    model = engine_case(demo_case, full.option, figures.baselines, average_cost=figures.average_cost)
    again = E.compute_case(model)
    assert again.npv == full.result.npv and again.years == full.result.years
    for y in full.result.years:
        assert y.gap_closed == y.cumulative_recurring - y.recurring_costs
        assert y.mtfp_gap is not None and y.remaining_gap == y.mtfp_gap - y.gap_closed
    assert E.npv_of([y.net for y in full.result.years], demo_case.discount_rate_pct) == full.result.npv
    # three lines are phased by release, with the same shares as phasing them by year
    by_release = [ln for ln in full.result.lines if ln.release_shares]
    assert {ln.opportunity.code for ln in by_release} == set(demo_cases.FULL_RELEASES)
    by_year = replace(
        model,
        chosen=tuple(
            replace(ch, releases=(), phasing=tuple(D(f) for f in demo_cases.FULL_PHASING[ch.code]))
            if ch.releases
            else ch
            for ch in model.chosen
        ),
    )
    assert E.compute_case(by_year).years == full.result.years
    # posts are counted at each layer's own cost of a post from the activity baseline
    staff_lines = [ln for ln in full.result.lines if ln.opportunity.staff_pct]
    assert staff_lines and all(ln.cost_per_fte is not None for ln in staff_lines)
