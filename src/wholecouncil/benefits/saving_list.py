"""Each saving in the MTFP position, listed: one year's cashable savings of a council (at its share), each
with its RAG, for the MTFP page and board packs. The RAG counts of the position are counts of these rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from wholecouncil.benefits.engine.categories import Kind
from wholecouncil.benefits.engine.mtfp import (
    COLUMN_LABELS,
    SAVING_RAG_COLOURS,
    SAVING_RAG_LABELS,
    Saving,
    SavingRag,
    column_of,
    saving_rag,
)
from wholecouncil.benefits.engine.performance import forecast_outturn
from wholecouncil.benefits.models import Benefit
from wholecouncil.benefits.selectors import meta_of, savings_of
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council


@dataclass(frozen=True)
class SavingLine:
    reference: str
    saving: Saving
    rag: SavingRag


@dataclass(frozen=True)
class SavingDetail:
    benefit: Benefit
    saving: Saving
    rag: SavingRag
    forecast: Decimal
    hosted: bool  # by the council the list is for, so its page can be linked

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.saving.planned

    @property
    def rag_label(self) -> str:
        return SAVING_RAG_LABELS[self.rag]

    @property
    def rag_colour(self) -> str:
        return SAVING_RAG_COLOURS[self.rag]

    @property
    def column_label(self) -> str:
        column = column_of(self.saving.kind, self.saving.status)
        return COLUMN_LABELS[column] if column is not None else ""


def savings_in_year(
    council: Council, today: dt.date, year: int, *, rag: SavingRag | None = None
) -> list[SavingLine]:
    """The council's cashable savings in `year`, by benefit reference, each with its RAG (only those with
    `rag`, when given)."""
    savings = [s for s in savings_of(council, [year]) if s.kind is Kind.CASHABLE]
    references = dict(
        Benefit.objects.filter(Q(council=council) | Q(shares__council=council))
        .order_by()
        .values_list("pk", "reference")
        .distinct()
    )
    lines = [SavingLine(references[s.key], s, saving_rag(s, today)) for s in savings]  # type: ignore[index]
    if rag is not None:
        lines = [line for line in lines if line.rag is rag]
    return sorted(lines, key=lambda line: (line.reference, str(line.saving.key)))


def saving_details(council: Council, lines: Iterable[SavingLine], today: dt.date) -> list[SavingDetail]:
    """The lines with their benefits' titles, budget lines and forecast outturns (for one page of them)."""
    lines = list(lines)
    meta = meta_of(line.saving.key for line in lines)
    out = []
    for line in lines:
        s = line.saving
        b = meta[s.key]  # type: ignore[index]
        forecast = forecast_outturn(s.planned, s.actual, s.reported, FinancialYear(s.year), today)
        out.append(SavingDetail(b, s, line.rag, forecast, b.council_id == council.pk))
    return out
