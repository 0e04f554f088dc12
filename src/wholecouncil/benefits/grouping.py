"""The MTFP position's sums done by the database: savings grouped by year, column and RAG in one query.

The rules are the engine's (benefits.engine.mtfp: `column_of` and `saving_rag`), written here as SQL CASE
expressions so that the database returns a few dozen sums instead of one row per saving. Savings the
database cannot judge alone go through the engine one by one instead: those of benefits shared in a
partnership, which are split to the penny by `split_by_shares`. Whether a benefit's delivering milestone has
slipped is `slipped` below, the one definition every read uses.
A test builds random registers and checks that both ways give the same position.

The tolerance tests are multiplied out so that no division is needed: for a year that has ended, the
saving is short beyond tolerance when 100 x (planned - actual) > planned x tolerance; during a year (or before
it, once something is reported), when 100 x (planned x reported - 12 x actual) > 12 x planned x tolerance.
PostgreSQL compares these exactly; SQLite, which keeps decimals as binary floating point, exactly for whole
pounds and to within a fraction of a penny otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)

from wholecouncil.benefits.engine.categories import CATEGORY_KIND, Kind
from wholecouncil.benefits.engine.lifecycle import Status
from wholecouncil.benefits.engine.mtfp import Column, Group, SavingRag
from wholecouncil.benefits.models import BenefitShare, ProfileYear
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council

COLUMNS = list(Column)
RAGS = list(SavingRag)
CASHABLE = [c.value for c, k in CATEGORY_KIND.items() if k is Kind.CASHABLE]
NON_CASHABLE = [c.value for c, k in CATEGORY_KIND.items() if k is Kind.NON_CASHABLE]
NUMBER: DecimalField[Decimal, Decimal] = DecimalField(max_digits=30, decimal_places=6)


def _money(expression: object) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=NUMBER)


def _column() -> Case:
    return Case(
        When(benefit__category__in=NON_CASHABLE, then=Value(COLUMNS.index(Column.NON_CASHABLE))),
        When(
            benefit__status__in=[Status.IN_DELIVERY, Status.REALISED],
            then=Value(COLUMNS.index(Column.BANKED)),
        ),
        When(
            benefit__status__in=[Status.IDENTIFIED, Status.VALIDATED],
            then=Value(COLUMNS.index(Column.PIPELINE)),
        ),
        When(benefit__status=Status.AT_RISK, then=Value(COLUMNS.index(Column.AT_RISK))),
        default=Value(COLUMNS.index(Column.UNACHIEVABLE)),
        output_field=IntegerField(),
    )


def slipped(prefix: str = "benefit__") -> Q:
    """The benefit's delivering milestone puts it at risk (benefits.engine.performance.milestone_slipped):
    not yet reached and forecast later than its baseline date, or landing (actual date, else forecast) after
    the benefit's savings start. `prefix` leads from the rows queried to the benefit ("" for benefits)."""
    m = f"{prefix}milestone__"
    start = F(f"{prefix}savings_start")
    pending = Q(**{f"{m}actual_date__isnull": True})
    late = pending & Q(**{f"{m}forecast_date__gt": F(f"{m}baseline_date")})
    after_start = Q(**{f"{m}actual_date__gt": start}) | (pending & Q(**{f"{m}forecast_date__gt": start}))
    return Q(**{f"{prefix}milestone__isnull": False}) & (late | after_start)


def slipped_flag(prefix: str = "benefit__") -> Case:
    """`slipped` as a true or false column."""
    return Case(When(slipped(prefix), then=Value(True)), default=Value(False), output_field=BooleanField())


def _rag(current: int) -> Case:
    short_ended = Q(ended_short__gt=0) & Q(ended_short__gt=F("limit"))
    short_during = Q(during_short__gt=0) & Q(during_short__gt=F("limit_12"))
    return Case(
        When(benefit__status=Status.UNDELIVERABLE, then=Value(RAGS.index(SavingRag.UNACHIEVABLE))),
        When(benefit__status=Status.REALISED, then=Value(RAGS.index(SavingRag.DELIVERED))),
        When(Q(year__lt=current) & short_ended, then=Value(RAGS.index(SavingRag.UNACHIEVABLE))),
        When(year__lt=current, then=Value(RAGS.index(SavingRag.DELIVERED))),
        When(Q(benefit__status=Status.AT_RISK) | slipped(), then=Value(RAGS.index(SavingRag.AT_RISK))),
        When(Q(year=current) & short_during, then=Value(RAGS.index(SavingRag.AT_RISK))),
        When(
            Q(year__gt=current) & Q(reported__gt=0) & short_during, then=Value(RAGS.index(SavingRag.AT_RISK))
        ),
        default=Value(RAGS.index(SavingRag.ON_TRACK)),
        output_field=IntegerField(),
    )


def grouped_savings(council: Council, years: list[int], today: dt.date) -> list[Group]:
    """The council's own financial savings in `years` of benefits not shared in a partnership, summed by
    year, column and RAG in one query."""
    current = FinancialYear.containing(today).start_year
    rows = (
        ProfileYear.objects.filter(
            council=council,
            year__in=years,
            benefit__category__in=CASHABLE + NON_CASHABLE,
        )
        .filter(~Exists(BenefitShare.objects.filter(benefit_id=OuterRef("benefit_id"))))
        .annotate(
            ended_short=_money((F("planned") - F("actual")) * 100),
            during_short=_money((F("planned") * F("reported") - F("actual") * 12) * 100),
            limit=_money(F("planned") * F("benefit__tolerance_pct")),
            limit_12=_money(F("planned") * F("benefit__tolerance_pct") * 12),
        )
        .annotate(column=_column(), rag=_rag(current))
        .order_by()
        .values_list("year", "column", "rag")
        .annotate(total=Sum("planned"), n=Count("id"))
    )
    groups = []
    for year, column, rag, total, n in rows:
        kind = COLUMNS[column]
        groups.append(
            Group(year, kind, None if kind is Column.NON_CASHABLE else RAGS[rag], total or Decimal(0), n)
        )
    return groups
