"""The MTFP position as an XLSX workbook finance can reconcile: one row per saving per year, and the
position by year worked out from those rows with live SUMIFS formulas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter

from wholecouncil.benefits.engine.categories import CATEGORY_LABELS, Category
from wholecouncil.benefits.engine.lifecycle import STATUS_LABELS
from wholecouncil.benefits.engine.mtfp import COLUMN_LABELS, SAVING_RAG_LABELS, Column, column_of, saving_rag
from wholecouncil.benefits.engine.performance import forecast_outturn
from wholecouncil.benefits.engine.prudence import counts_towards_mtfp
from wholecouncil.benefits.selectors import PositionView, meta_of
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council

SAVINGS_HEAD = [
    "Reference",
    "Title",
    "Category",
    "Cashable?",
    "Status",
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
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
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
        ("Shortfall", "Savings required less banked savings (negative: more banked than required)."),
        ("RAG", "Delivered, on track, at risk or unachievable: see the module documentation."),
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
    savings.set_column(2, 16, 16)
    savings.freeze_panes(1, 2)
    meta = meta_of(s.key for s in view.savings)
    rows = sorted(view.savings, key=lambda s: (meta[s.key].reference, s.year))  # type: ignore[index]
    for i, s in enumerate(rows, start=1):
        b = meta[s.key]  # type: ignore[index]
        column = column_of(s.kind, s.status)
        forecast = forecast_outturn(s.planned, s.actual, s.reported, FinancialYear(s.year), today)
        values = [
            b.reference,
            b.title,
            CATEGORY_LABELS[Category(b.category)],
            "Yes" if s.kind == "cashable" else "No",
            STATUS_LABELS[s.status],
            str(b.budget_line) if b.budget_line else "",
            str(FinancialYear(s.year)),
        ]
        savings.write_row(i, 0, values)
        savings.write_number(i, 7, float(s.planned), money)
        savings.write_number(i, 8, float(s.actual), money)
        savings.write_string(i, 9, _month_name(s.year, s.reported))
        savings.write_number(i, 10, float(forecast), money)
        savings.write_formula(i, 11, f"=K{i + 1}-H{i + 1}", money, float(forecast - s.planned))
        savings.write_string(i, 12, COLUMN_LABELS[column] if column else "")
        savings.write_string(i, 13, SAVING_RAG_LABELS[saving_rag(s, today)])
        savings.write_string(i, 14, "Yes" if counts_towards_mtfp(s.kind, s.status) else "No")
        savings.write_string(i, 15, "Yes" if s.slipped else "No")
        savings.write_string(i, 16, b.council.name)
    last = len(rows) + 1

    position = book.add_worksheet("Position")
    position.write_row(0, 0, POSITION_HEAD, head)
    position.set_column(0, 0, 14)
    position.set_column(1, 8, 18)

    def sumifs(year_cell: str, column: str, rag: str = "") -> str:
        extra = f',Savings!$N$2:$N${last},"{rag}"' if rag else ""
        return (
            f"=SUMIFS(Savings!$H$2:$H${last},Savings!$G$2:$G${last},{year_cell},"
            f'Savings!$M$2:$M${last},"{column}"{extra})'
        )

    for i, year in enumerate(view.position.years, start=1):
        cell = f"A{i + 1}"
        position.write_string(i, 0, str(year.year))
        if year.required is not None:
            position.write_number(i, 1, float(year.required), money)
        banked_label = COLUMN_LABELS[Column.BANKED]
        position.write_formula(i, 2, sumifs(cell, banked_label), money, float(year.banked))
        position.write_formula(i, 3, sumifs(cell, banked_label, "At risk"), money, float(year.banked_at_risk))
        shortfall = float(year.shortfall) if year.shortfall is not None else 0.0
        position.write_formula(i, 4, f"=B{i + 1}-C{i + 1}", money, shortfall)
        for col, kind, value in (
            (5, Column.PIPELINE, year.pipeline),
            (6, Column.AT_RISK, year.at_risk),
            (7, Column.UNACHIEVABLE, year.unachievable),
            (8, Column.NON_CASHABLE, year.non_cashable),
        ):
            position.write_formula(i, col, sumifs(cell, COLUMN_LABELS[kind]), money, float(value))
    book.close()
    return buffer.getvalue()
