"""The spend workbook finance can reopen and recalculate: totals are live SUM formulas over the rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.utils import timezone

from wholecouncil.council.models import Council
from wholecouncil.spend import selectors
from wholecouncil.tabular.xlsx import new_workbook


def _sheet(
    book: Any,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    money: set[int],
    fmt: dict[str, Any],
) -> None:
    sheet = book.add_worksheet(name)
    for c, text in enumerate(headers):
        sheet.write_string(0, c, text, fmt["head"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _cell(sheet, r, c, value, fmt["money"] if c in money else None, fmt)
    last = len(rows)
    sheet.write(last + 1, 0, "Total", fmt["head"])
    for c in sorted(money):
        col = xlsxwriter.utility.xl_col_to_name(c)
        sheet.write_formula(last + 1, c, f"=SUM({col}2:{col}{last + 1})", fmt["total"])
    sheet.set_column(0, 0, 45)
    sheet.set_column(1, len(headers), 16)
    sheet.freeze_panes(1, 0)


def _cell(sheet: Any, row: int, col: int, value: Any, num_format: Any, fmt: dict[str, Any]) -> None:
    """One cell: text (supplier names, org units...) always as text, dates as real Excel dates."""
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, str):
        sheet.write_string(row, col, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, fmt["date"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt["date"])
    else:  # numbers (and anything else: the workbook writes no string as a formula or a link)
        sheet.write(row, col, value, num_format)


def spend_workbook(council: Council) -> bytes:
    out = io.BytesIO()
    book = new_workbook(out)
    fmt = {
        "head": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "£#,##0.00;-£#,##0.00"}),
        "total": book.add_format({"bold": True, "num_format": "£#,##0.00;-£#,##0.00"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    totals = selectors.spend_totals(council)
    about = book.add_worksheet("About")
    about.write_column(
        0,
        0,
        [
            f"Third-party spend: {council.name}" + (" (fictional demo council)" if council.is_demo else ""),
            f"Payments: {totals.transactions}",
            f"From {totals.first_date or '-'} to {totals.last_date or '-'}",
            "Amounts are pounds; negative amounts are credits and refunds. Totals are formulas.",
        ],
    )
    about.set_column(0, 0, 90)
    for name, rows in (
        ("Baseline by category", selectors.by_category(council)),
        ("By supplier", selectors.by_supplier(council)),
        ("By org unit", selectors.by_org_unit(council)),
        ("By month", selectors.month_rows(council)),
    ):
        _sheet(
            book, name, ["Name", "Payments", "Amount"], [(r.label, r.count, r.amount) for r in rows], {2}, fmt
        )
    candidates = selectors.duplicates(council)[:5000]
    _sheet(
        book,
        "Duplicate candidates",
        ["Supplier", "Amount", "First date", "Second date", "Score", "Reasons", "Outcome"],
        [
            (
                c.first.supplier.name,
                c.amount,
                c.first.date,
                c.second.date,
                c.score,
                "; ".join(c.reasons),
                c.get_outcome_display(),
            )
            for c in candidates
        ],
        {1},
        fmt,
    )
    _sheet(
        book,
        "Contracts",
        ["Reference", "Supplier", "Start", "End", "Value", "Spent in term", "Above value"],
        [
            (
                line.contract.reference,
                line.contract.supplier_name,
                line.contract.start,
                line.contract.end,
                line.contract.value,
                line.spent,
                line.over,
            )
            for line in selectors.contracts(council)
        ],
        {4, 5, 6},
        fmt,
    )
    _off_contract_and_expiring(book, council, fmt)
    book.close()
    return out.getvalue()


def _off_contract_and_expiring(book: Any, council: Council, fmt: dict[str, Any]) -> None:
    _, _, off_rows = selectors.off_contract(council)
    _sheet(
        book,
        "Off-contract by supplier",
        ["Supplier", "Payments", "Amount"],
        [(r.label, r.count, r.amount) for r in off_rows],
        {2},
        fmt,
    )
    today = timezone.localdate()
    within_6 = {c.pk for c in selectors.contracts_expiring(council, today, 6)}
    _sheet(
        book,
        "Contracts ending",
        ["Reference", "Supplier", "End", "Ends within", "Value"],
        [
            (
                c.reference,
                c.supplier_name,
                c.end,
                "6 months" if c.pk in within_6 else "12 months",
                c.value,
            )
            for c in selectors.contracts_expiring(council, today, 12)
        ],
        {4},
        fmt,
    )
