"""Every read the benefits pages, export and benchmark need. Each takes the council.

A council's MTFP position counts the benefits it hosts and those it holds a partnership share of, each at
its own share (all of a benefit with no split recorded).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from wholecouncil.benefits.engine.categories import CATEGORY_KIND, Kind
from wholecouncil.benefits.engine.lifecycle import Status
from wholecouncil.benefits.engine.mtfp import Position, Saving, SavingRag, position, saving_rag
from wholecouncil.benefits.engine.performance import (
    YearPerformance,
    year_performance,
)
from wholecouncil.benefits.engine.split import share_of
from wholecouncil.benefits.grouping import grouped_savings, slipped, slipped_flag
from wholecouncil.benefits.models import Benefit, BenefitShare, MonthlyActual, ProfileYear, SavingsRequirement
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council
from wholecouncil.portfolio.models import Programme, Project

ZERO = Decimal(0)
PLAN_YEARS = 5
_KIND = {c.value: k for c, k in CATEGORY_KIND.items()}
_STATUS = {s.value: s for s in Status}


def benefits_for(
    council: Council, *, status: str = "", category: str = "", programme: int | None = None
) -> QuerySet[Benefit]:
    found = Benefit.objects.filter(council=council)
    if status == Status.AT_RISK:
        found = found.filter(Q(status=status) | flagged_at_risk())
    elif status:
        found = found.filter(status=status)
    if category:
        found = found.filter(category=category)
    if programme is not None:
        found = found.filter(projects__programme_id=programme).distinct()
    return found.select_related("budget_line", "milestone").prefetch_related(
        Prefetch("projects", queryset=Project.objects.select_related("programme"))
    )


def benefit_get(council: Council, pk: int) -> Benefit:
    return get_object_or_404(
        Benefit.objects.select_related("budget_line", "opportunity", "milestone__project", "council"),
        council=council,
        pk=pk,
    )


def programmes_of(council: Council) -> QuerySet[Programme]:
    return Programme.objects.filter(council=council)


def required_by_year(council: Council) -> dict[int, Decimal]:
    return dict(SavingsRequirement.objects.filter(council=council).values_list("year", "amount"))


def plan_years(council: Council, today: dt.date, required: Iterable[int] | None = None) -> list[int]:
    """The years the MTFP covers: this year and the next four, stretched to every year finance has entered
    savings required for."""
    years = sorted(required if required is not None else required_by_year(council))
    current = FinancialYear.containing(today).start_year
    first = min([*years[:1], current])
    last = max([*years[-1:], current + PLAN_YEARS - 1])
    return list(range(first, last + 1))


# --- Delivering milestones that put a benefit at risk ------------------------------------------------------

# A realised benefit has made its saving and an undeliverable one never will: a milestone no longer matters.
NOT_FLAGGED = (Status.REALISED.value, Status.UNDELIVERABLE.value)


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day is not None else ""


@dataclass(frozen=True)
class Slip:
    """Why a benefit's delivering milestone puts it at risk (see grouping.slipped for the rule)."""

    milestone: str
    lands: dt.date  # the actual date, else the forecast
    start: dt.date | None  # when the benefit's savings are due to start
    baseline: dt.date | None = None
    reached: bool = False

    @property
    def late(self) -> bool:
        return not self.reached and self.baseline is not None and self.lands > self.baseline

    @property
    def after_start(self) -> bool:
        return self.start is not None and self.lands > self.start

    @property
    def reason(self) -> str:
        when = "landed on" if self.reached else "is forecast for"
        parts = []
        if self.late:
            parts.append(f"later than its baseline date of {_day(self.baseline)}")
        if self.after_start:
            parts.append(f"after the benefit's savings are due to start on {_day(self.start)}")
        return f"its delivering milestone, {self.milestone}, {when} {_day(self.lands)}, " + (
            " and ".join(parts) + "."
        )


def flagged_at_risk(prefix: str = "") -> Q:
    """Benefits shown at risk because of their delivering milestone (not those realised or undeliverable)."""
    return slipped(prefix) & ~Q(**{f"{prefix}status__in": NOT_FLAGGED})


def slips(benefits: QuerySet[Benefit]) -> dict[int, Slip]:
    """The benefits whose delivering milestone puts them at risk, with the reason."""
    found = (
        benefits.filter(flagged_at_risk())
        .annotate(lands=Coalesce(F("milestone__actual_date"), F("milestone__forecast_date")))
        .order_by()
        .values_list(
            "id",
            "milestone__name",
            "lands",
            "savings_start",
            "milestone__baseline_date",
            "milestone__actual_date",
        )
    )
    return {
        pk: Slip(name, lands, start, baseline, actual is not None)
        for pk, name, lands, start, baseline, actual in found
    }


# --- The MTFP position ----------------------------------------------------------------------------------

_ROW = (
    "benefit_id",
    "year",
    "planned",
    "actual",
    "reported",
    "benefit__category",
    "benefit__status",
    "benefit__tolerance_pct",
)


def _shares(council: Council) -> dict[int, dict[int, Decimal]]:
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = BenefitShare.objects.filter(
        Q(benefit__council=council)
        | Q(benefit__in=BenefitShare.objects.filter(council=council).values("benefit"))
    ).values_list("benefit_id", "council_id", "pct")
    for benefit_id, council_id, pct in rows:
        shares[benefit_id][council_id] = pct
    return shares


def savings_of(
    council: Council,
    years: list[int],
    *,
    only: Collection[int] | None = None,
    shares: dict[int, dict[int, Decimal]] | None = None,
) -> list[Saving]:
    """Every financial saving in `years` the council counts, at its share, as engine inputs: all of them, or
    those of the council's own benefits in `only` and every benefit shared with it by another council."""
    financial = [c.value for c, k in CATEGORY_KIND.items() if k is not Kind.NON_FINANCIAL]
    base = ProfileYear.objects.filter(year__in=years, benefit__category__in=financial)
    hosted = base.filter(council=council)
    if only is not None:
        hosted = hosted.filter(benefit_id__in=list(only))
    shared_in = base.filter(benefit__shares__council=council).exclude(council=council)
    rows = chain.from_iterable(
        q.annotate(slipped=slipped_flag()).order_by().values_list(*_ROW, "slipped")
        for q in (hosted, shared_in)
    )
    shares = _shares(council) if shares is None else shares
    kinds, statuses, us = _KIND, _STATUS, council.pk
    out: list[Saving] = []
    append = out.append
    for pk, year, planned, actual, reported, category, status, tolerance, late in rows:
        split = shares.get(pk)
        if split:
            planned = share_of(planned, split, us)
            actual = share_of(actual, split, us)
        append(
            Saving(pk, kinds[category], statuses[status], year, planned, actual, reported, tolerance, late)
        )
    return out


@dataclass(frozen=True)
class PositionView:
    position: Position
    savings: list[Saving]  # every saving, when asked for; otherwise only those judged one by one
    required: dict[int, Decimal]


def mtfp_position(council: Council, today: dt.date, *, every_saving: bool = False) -> PositionView:
    """The MTFP position. The database sums the council's own unshared savings (see grouping.py); savings
    shared in a partnership go through the engine one by one. With `every_saving`, every saving goes through
    the engine and is returned (for the export, which lists them)."""
    required = required_by_year(council)
    years = plan_years(council, today, required)
    if every_saving:
        savings = savings_of(council, years)
        return PositionView(position(savings, required, years, today), savings, required)
    shares = _shares(council)
    savings = savings_of(council, years, only=set(shares), shares=shares)
    groups = grouped_savings(council, years, today)
    return PositionView(position(savings, required, years, today, groups), savings, required)


# --- One benefit ----------------------------------------------------------------------------------------


def performance_of(benefit: Benefit, today: dt.date) -> list[YearPerformance]:
    return [
        year_performance(
            FinancialYear(row.year), row.planned, row.actual, row.reported, today, benefit.tolerance_pct
        )
        for row in benefit.profile.all()
    ]


def saving_rags(benefit: Benefit, today: dt.date) -> dict[int, SavingRag]:
    """The RAG of each year's saving of a financial benefit, as the MTFP position judges it."""
    if not benefit.is_financial:
        return {}
    late = benefit.pk in slips(Benefit.objects.filter(pk=benefit.pk))
    kind, status = benefit.kind, Status(benefit.status)
    return {
        row.year: saving_rag(
            Saving(
                benefit.pk,
                kind,
                status,
                row.year,
                row.planned,
                row.actual,
                row.reported,
                benefit.tolerance_pct,
                late,
            ),
            today,
        )
        for row in benefit.profile.all()
    }


@dataclass(frozen=True)
class KpiYear:
    year: FinancialYear
    target: Decimal
    latest: Decimal | None
    latest_month: dt.date | None


def kpi_years(benefit: Benefit) -> list[KpiYear]:
    """A non-financial benefit by year: the target planned, and the latest value reported in the year."""
    latest: dict[int, tuple[dt.date, Decimal]] = {}
    for month, amount in benefit.actuals.order_by("month").values_list("month", "amount"):
        latest[FinancialYear.containing(month).start_year] = (month, amount)
    out = []
    for row in benefit.profile.all():
        found = latest.get(row.year)
        out.append(
            KpiYear(
                FinancialYear(row.year), row.planned, found[1] if found else None, found[0] if found else None
            )
        )
    return out


def profile_years(benefit: Benefit | None, council: Council, today: dt.date) -> list[int]:
    """The years the profile form offers: the MTFP's years, and any the benefit already has."""
    years = set(plan_years(council, today))
    if benefit is not None and benefit.pk:
        years |= set(benefit.profile.values_list("year", flat=True))
    return sorted(years)


def actuals_of(benefit: Benefit) -> QuerySet[MonthlyActual]:
    return benefit.actuals.defer("attachment").select_related("recorded_by").order_by("-month")


def meta_of(pks: Iterable[Any]) -> dict[int, Benefit]:
    """The benefits behind savings, with what the export shows of them."""
    return {
        b.pk: b
        for b in Benefit.objects.filter(pk__in=set(pks)).select_related("budget_line", "council", "milestone")
    }
