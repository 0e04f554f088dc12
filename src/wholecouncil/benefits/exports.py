"""The MTFP position as an XLSX workbook finance can reconcile: one row per saving per year, and the
position by year worked out from those rows with live SUMIFS formulas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from wholecouncil.benefits.engine.categories import CATEGORY_LABELS, Category
from wholecouncil.benefits.engine.lifecycle import STATUS_LABELS
from wholecouncil.benefits.engine.mtfp import (
    COLUMN_LABELS,
    SAVING_RAG_DEFINITIONS,
    SAVING_RAG_LABELS,
    Column,
    SavingRag,
    column_of,
    saving_rag,
)
from wholecouncil.benefits.engine.performance import forecast_outturn
from wholecouncil.benefits.engine.prudence import counts_towards_mtfp
from wholecouncil.benefits.selectors import PositionView, meta_of
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council
from wholecouncil.tabular.xlsx import new_workbook

SAVINGS_HEAD = [
    "Reference",
    "Title",
    "Category",
    "Cashable?",
    "Status",
    "Cost centre code",
    "Budget line",
    "Financial year",
    "Planned (£)",
    "Actual to date (£)",
    "Last month reported",
    "Forecast outturn (£)",
    "Variance (£)",
    "MTFP column",
    "RAG",
    "Counts towards the MTFP",
    "Delivering milestone slipped",
    "Hosted by",
]
# Spreadsheet letters of the Savings columns the formulas read.
_COL = {name: chr(ord("A") + i) for i, name in enumerate(SAVINGS_HEAD)}
YEAR, PLANNED, FORECAST = _COL["Financial year"], _COL["Planned (£)"], _COL["Forecast outturn (£)"]
MTFP_COLUMN, RAG = _COL["MTFP column"], _COL["RAG"]
POSITION_HEAD = [
    "Financial year",
    "Savings required (£)",
    "Banked (£)",
    "Banked, of which at risk (£)",
    "Shortfall (£)",
    "Pipeline (£)",
    "At risk, not banked (£)",
    "Unachievable (£)",
    "Non-cashable, never banked (£)",
]


def _month_name(year: int, reported: int) -> str:
    if not reported:
        return ""
    month = (reported + 2) % 12 + 1
    return dt.date(year + (1 if month < 4 else 0), month, 1).strftime("%b %Y")


def position_workbook(council: Council, view: PositionView, today: dt.date) -> bytes:
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    money = book.add_format({"num_format": "#,##0.00"})

    about = book.add_worksheet("About")
    about.set_column(0, 0, 30)
    about.set_column(1, 1, 100)
    lines: list[tuple[str, Any]] = [
        ("Council", council.name),
        ("Produced", today.isoformat()),
        ("Banked", "Cashable savings of benefits in delivery or realised: the only savings the MTFP counts."),
        ("Pipeline", "Cashable savings of benefits identified or validated, not yet signed off."),
        (
            "At risk, not banked",
            "Cashable savings of benefits marked at risk; banked again only on recovery.",
        ),
        (
            "Shortfall",
            "Savings required less banked savings (negative: more banked than required); blank for a year "
            "with no savings required entered.",
        ),
        *((f"RAG: {SAVING_RAG_LABELS[r]}", SAVING_RAG_DEFINITIONS[r]) for r in SavingRag),
        ("Shares", "A benefit shared in a partnership counts at this council's share."),
        ("Recalculating", "The Position sheet sums the Savings sheet with SUMIFS; edit a row to test."),
    ]
    if council.is_demo:
        lines.insert(0, ("Demo", "A fictional council: every figure is made up."))
    for row, (key, value) in enumerate(lines):
        about.write(row, 0, key, bold)
        about.write(row, 1, value)

    savings = book.add_worksheet("Savings")
    savings.write_row(0, 0, SAVINGS_HEAD, head)
    savings.set_column(0, 0, 12)
    savings.set_column(1, 1, 40)
    savings.set_column(2, len(SAVINGS_HEAD) - 1, 16)
    savings.freeze_panes(1, 2)
    meta = meta_of(s.key for s in view.savings)
    rows = sorted(view.savings, key=lambda s: (meta[s.key].reference, s.year))  # type: ignore[index]
    for i, s in enumerate(rows, start=1):
        b = meta[s.key]  # type: ignore[index]
        column = column_of(s.kind, s.status)
        forecast = forecast_outturn(s.planned, s.actual, s.reported, FinancialYear(s.year), today)
        line = b.budget_line
        savings.write_row(
            i,
            0,
            [
                b.reference,
                b.title,
                CATEGORY_LABELS[Category(b.category)],
                "Yes" if s.kind == "cashable" else "No",
                STATUS_LABELS[s.status],
                line.code if line else "",
                line.name if line else "",
                str(FinancialYear(s.year)),
            ],
        )
        at = SAVINGS_HEAD.index("Planned (£)")
        savings.write_number(i, at, float(s.planned), money)
        savings.write_number(i, at + 1, float(s.actual), money)
        savings.write_string(i, at + 2, _month_name(s.year, s.reported))
        savings.write_number(i, at + 3, float(forecast), money)
        variance = f"={FORECAST}{i + 1}-{PLANNED}{i + 1}"
        savings.write_formula(i, at + 4, variance, money, float(forecast - s.planned))
        savings.write_string(i, at + 5, COLUMN_LABELS[column] if column else "")
        savings.write_string(i, at + 6, SAVING_RAG_LABELS[saving_rag(s, today)])
        savings.write_string(i, at + 7, "Yes" if counts_towards_mtfp(s.kind, s.status) else "No")
        savings.write_string(i, at + 8, "Yes" if s.slipped else "No")
        savings.write_string(i, at + 9, b.council.name)
    last = len(rows) + 1

    position = book.add_worksheet("Position")
    position.write_row(0, 0, POSITION_HEAD, head)
    position.set_column(0, 0, 14)
    position.set_column(1, 8, 18)

    def sumifs(year_cell: str, column: str, rag: str = "") -> str:
        def cells(letter: str) -> str:
            return f"Savings!${letter}$2:${letter}${last}"

        extra = f',{cells(RAG)},"{rag}"' if rag else ""
        return f'=SUMIFS({cells(PLANNED)},{cells(YEAR)},{year_cell},{cells(MTFP_COLUMN)},"{column}"{extra})'

    for i, year in enumerate(view.position.years, start=1):
        cell = f"A{i + 1}"
        position.write_string(i, 0, str(year.year))
        if year.required is not None:
            position.write_number(i, 1, float(year.required), money)
        banked_label = COLUMN_LABELS[Column.BANKED]
        position.write_formula(i, 2, sumifs(cell, banked_label), money, float(year.banked))
        position.write_formula(i, 3, sumifs(cell, banked_label, "At risk"), money, float(year.banked_at_risk))
        # No savings required entered for the year: no shortfall, as on the page, until finance enters one.
        shortfall = f'=IF(B{i + 1}="","",B{i + 1}-C{i + 1})'
        position.write_formula(
            i, 4, shortfall, money, float(year.shortfall) if year.shortfall is not None else ""
        )
        for col, kind, value in (
            (5, Column.PIPELINE, year.pipeline),
            (6, Column.AT_RISK, year.at_risk),
            (7, Column.UNACHIEVABLE, year.unachievable),
            (8, Column.NON_CASHABLE, year.non_cashable),
        ):
            position.write_formula(i, col, sumifs(cell, COLUMN_LABELS[kind]), money, float(value))
    book.close()
    return buffer.getvalue()
