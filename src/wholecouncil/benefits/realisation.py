"""The realisation curve of signed-off financial benefits, and how far each programme, category and
council has realised its plan.

Benefits on the curve are the financial ones that have been signed off (in delivery, realised, or at risk
after sign-off) that the council hosts or holds a partnership share of. The curve and the rows are for the
whole benefits, or for one council's share of them: a benefit's planned amount for each year and each
monthly actual are apportioned with council.engine.split_by_shares, as the MTFP position apportions them (a
benefit with no split recorded is all its host's). "To date" means up to the last month any of them has an
actual for.
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
    """The signed-off financial benefits the council hosts or holds a share of."""
    return (
        Benefit.objects.filter(Q(council=council) | Q(shares__council=council), category__in=FINANCIAL)
        .filter(Q(status__in=SIGNED) | Q(status="at_risk", resume_status__in=SIGNED))
        .distinct()
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
    # Benefits that have reported nothing since an earlier month have nothing more to add.
    actual = next((p.actual_cumulative for p in reversed(reached) if p.actual_cumulative is not None), ZERO)
    return reached[-1].planned_cumulative, actual


@dataclass
class Realisation:
    points: list[CurvePoint]
    by_programme: list[GroupRow]
    by_category: list[GroupRow]
    by_council: list[GroupRow]
    last_month: dt.date | None
    benefits: int


def _programmes(council: Council, benefits: list[Benefit]) -> dict[str, list[int]]:
    """Benefits by the programme of their projects. A partner's benefit is grouped under its host, so that
    one council's portfolio is not shown to another."""
    out: dict[str, list[int]] = defaultdict(list)
    for b in benefits:
        if b.council_id != council.pk:
            names = {f"Hosted by {b.council.name}"}
        else:
            names = {p.programme.name for p in b.projects.all() if p.programme is not None}
        for name in names or {"No programme"}:
            out[name].append(b.pk)
    return out


def _councils(council: Council, benefits: list[Benefit]) -> dict[int, tuple[str, list[int]]]:
    """Every council with a part in the benefits (the council itself first), with the benefits it has a
    part in: its share of a split benefit, or all of one it hosts that has no split."""
    out: dict[int, tuple[str, list[int]]] = {council.pk: (council.name, [])}
    for b in benefits:
        holders = [(s.council_id, s.council.name) for s in b.shares.all()] or [(b.council_id, b.council.name)]
        for pk, name in holders:
            out.setdefault(pk, (name, []))[1].append(b.pk)
    return out


def realisation(
    council: Council, *, programme: int | None = None, category: str = "", share_council: int | None = None
) -> Realisation:
    """The curve for the benefits chosen (all, or one programme's, or one category's), and how far every
    programme, category and council has got. With `share_council`, the curve and the programme and category
    rows are that council's share (`share_council=council.pk` is the council's own part, the basis of its
    MTFP position); without it, the whole benefits. The council rows are always each council's share."""
    everything = signed_off(council).select_related("council")
    benefits = list(everything.prefetch_related("projects__programme", "shares__council"))
    inputs = _inputs(everything, {b.pk: b.council_id for b in benefits})
    last = max((m for rows in inputs.actuals.values() for m, _ in rows), default=None)
    chosen = [
        b.pk
        for b in benefits
        if (not category or b.category == category)
        and (programme is None or any(p.programme_id == programme for p in b.projects.all()))
    ]

    def row(name: str, pks: list[int], council_id: int | None) -> GroupRow:
        planned, actual = _to_date(_curve(inputs, pks, council_id), last)
        return GroupRow(name, len(pks), planned, actual)

    categories: dict[str, list[int]] = defaultdict(list)
    for b in benefits:
        categories[CATEGORY_LABELS[Category(b.category)]].append(b.pk)
    programmes = _programmes(council, benefits)
    return Realisation(
        points=_curve(inputs, chosen, share_council),
        by_programme=[row(n, pks, share_council) for n, pks in sorted(programmes.items())],
        by_category=[row(n, pks, share_council) for n, pks in sorted(categories.items())],
        by_council=[row(name, pks, pk) for pk, (name, pks) in _councils(council, benefits).items()],
        last_month=last,
        benefits=len(chosen),
    )


def partner_councils(council: Council) -> list[Council]:
    """The council itself first, then every council with a part in the benefits on its curve: partners
    holding a share of its benefits, and the hosts of benefits it holds a share of."""
    others = (
        Council.objects.filter(
            Q(benefit_shares__benefit__council=council) | Q(benefits__shares__council=council)
        )
        .exclude(pk=council.pk)
        .distinct()
        .order_by("name")
    )
    return [council, *others]
