"""The realisation curve of signed-off financial benefits, and how far each programme, category and
council has realised its plan.

Benefits on the curve are the financial ones that have been signed off: in delivery, realised, or at risk
after sign-off. "To date" means up to the last month any of them has an actual for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from wholecouncil.benefits.engine.categories import CATEGORY_KIND, CATEGORY_LABELS, Category, Kind
from wholecouncil.benefits.engine.curve import CurvePoint, realisation_curve
from wholecouncil.benefits.engine.split import share_of
from wholecouncil.benefits.models import Benefit, BenefitShare, MonthlyActual, ProfileYear
from wholecouncil.council.models import Council

ZERO = Decimal(0)
FINANCIAL = [c.value for c, k in CATEGORY_KIND.items() if k is not Kind.NON_FINANCIAL]
SIGNED = ("in_delivery", "realised")


def signed_off(council: Council) -> QuerySet[Benefit]:
    return Benefit.objects.filter(council=council, category__in=FINANCIAL).filter(
        Q(status__in=SIGNED) | Q(status="at_risk", resume_status__in=SIGNED)
    )


@dataclass
class Inputs:
    planned: dict[int, list[tuple[int, Decimal]]]  # benefit -> (year, planned)
    actuals: dict[int, list[tuple[dt.date, Decimal]]]  # benefit -> (month, amount)
    shares: dict[int, dict[int, Decimal]]
    hosts: dict[int, int]


def _inputs(benefits: QuerySet[Benefit], hosts: dict[int, int]) -> Inputs:
    planned: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for pk, year, amount in ProfileYear.objects.filter(benefit__in=benefits).values_list(
        "benefit_id", "year", "planned"
    ):
        planned[pk].append((year, amount))
    actuals: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for pk, month, amount in MonthlyActual.objects.filter(benefit__in=benefits).values_list(
        "benefit_id", "month", "amount"
    ):
        actuals[pk].append((month, amount))
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pk, council_id, pct in BenefitShare.objects.filter(benefit__in=benefits).values_list(
        "benefit_id", "council_id", "pct"
    ):
        shares[pk][council_id] = pct
    return Inputs(planned, actuals, shares, hosts)


def _curve(inputs: Inputs, pks: list[int], council_id: int | None = None) -> list[CurvePoint]:
    def part(pk: int, amount: Decimal) -> Decimal:
        if council_id is None:
            return amount
        split = inputs.shares.get(pk)
        if not split:
            return amount if council_id == inputs.hosts.get(pk) else ZERO
        return share_of(amount, split, council_id)

    planned = [(y, part(pk, a)) for pk in pks for y, a in inputs.planned.get(pk, [])]
    actual = [(m, part(pk, a)) for pk in pks for m, a in inputs.actuals.get(pk, [])]
    return realisation_curve(planned, actual)


@dataclass(frozen=True)
class GroupRow:
    name: str
    benefits: int
    planned_to_date: Decimal
    actual_to_date: Decimal

    @property
    def variance(self) -> Decimal:
        return self.actual_to_date - self.planned_to_date

    @property
    def realised_pct(self) -> Decimal | None:
        return self.actual_to_date / self.planned_to_date * 100 if self.planned_to_date else None


def _to_date(points: list[CurvePoint], last: dt.date | None) -> tuple[Decimal, Decimal]:
    if last is None:
        return ZERO, ZERO
    reached = [p for p in points if p.month <= last]
    if not reached:
        return ZERO, ZERO
    return reached[-1].planned_cumulative, reached[-1].actual_cumulative or ZERO


@dataclass
class Realisation:
    points: list[CurvePoint]
    by_programme: list[GroupRow]
    by_category: list[GroupRow]
    by_council: list[GroupRow]
    last_month: dt.date | None
    benefits: int


def realisation(
    council: Council, *, programme: int | None = None, category: str = "", share_council: int | None = None
) -> Realisation:
    """The curve for the benefits chosen (all, or one programme's, or one category's; the whole benefit, or
    one council's share), and how far every programme, category and council has got."""
    everything = signed_off(council).prefetch_related("projects__programme", "shares__council")
    benefits = list(everything)
    inputs = _inputs(everything, {b.pk: b.council_id for b in benefits})
    last = max((m for rows in inputs.actuals.values() for m, _ in rows), default=None)
    chosen = [
        b.pk
        for b in benefits
        if (not category or b.category == category)
        and (programme is None or any(p.programme_id == programme for p in b.projects.all()))
    ]

    def row(name: str, pks: list[int], council_id: int | None = None) -> GroupRow:
        planned, actual = _to_date(_curve(inputs, pks, council_id), last)
        return GroupRow(name, len(pks), planned, actual)

    programmes: dict[str, list[int]] = defaultdict(list)
    for b in benefits:
        names = {p.programme.name for p in b.projects.all() if p.programme is not None} or {"No programme"}
        for name in names:
            programmes[name].append(b.pk)
    categories: dict[str, list[int]] = defaultdict(list)
    for b in benefits:
        categories[CATEGORY_LABELS[Category(b.category)]].append(b.pk)
    councils: dict[int, str] = {council.pk: council.name}
    for b in benefits:
        for s in b.shares.all():
            councils[s.council_id] = s.council.name
    return Realisation(
        points=_curve(inputs, chosen, share_council),
        by_programme=[row(n, pks) for n, pks in sorted(programmes.items())],
        by_category=[row(n, pks) for n, pks in sorted(categories.items())],
        by_council=[row(name, [b.pk for b in benefits], pk) for pk, name in councils.items()],
        last_month=last,
        benefits=len(chosen),
    )


def partner_councils(council: Council) -> list[Council]:
    """Councils holding a share of any of this council's benefits (the council itself first)."""
    others = (
        Council.objects.filter(benefit_shares__benefit__council=council).exclude(pk=council.pk).distinct()
    )
    return [council, *others]
