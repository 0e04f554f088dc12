"""The XLSX workbook, read back: every sheet's figures are the selectors' figures, totals are formulas."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from wholecouncil.council.models import Council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine.contracts import ContractRow
from wholecouncil.spend.export import spend_workbook
from wholecouncil.spend.tests.helpers import csv_bytes, run

pytestmark = pytest.mark.django_db


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_workbook_sheets_match_the_analysis(council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date(2024, 6, 1)
    monkeypatch.setattr("wholecouncil.spend.export.timezone.localdate", lambda: today)
    run(council, {"a.csv": csv_bytes()})
    services.contracts_replace(
        council=council,
        rows=[
            ContractRow("C-1", "Bolt plc", "Salt", "", dt.date(2024, 1, 1), dt.date(2024, 9, 30), 500_000),
            ContractRow("C-2", "Zed", "", "", dt.date(2024, 1, 1), dt.date(2025, 3, 31), 100_000),
        ],
        actor=None,
    )
    book = load_workbook(io.BytesIO(spend_workbook(council)))
    assert book.sheetnames == [
        "About",
        "Baseline by category",
        "By supplier",
        "By org unit",
        "By month",
        "Duplicate candidates",
        "Contracts",
        "Off-contract by supplier",
        "Contracts ending",
    ]
    for name, expected in (
        ("Baseline by category", selectors.by_category(council)),
        ("By supplier", selectors.by_supplier(council)),
        ("By org unit", selectors.by_org_unit(council)),
        ("By month", selectors.month_rows(council)),
        ("Off-contract by supplier", selectors.off_contract(council)[2]),
    ):
        rows = _rows(book[name])
        data, total = rows[:-1], rows[-1]
        assert [(r[0], r[1], _money(r[2])) for r in data] == [(e.label, e.count, e.amount) for e in expected]
        assert total[0] == "Total" and total[2] == f"=SUM(C2:C{len(data) + 1})"
    baseline = {r[0]: _money(r[2]) for r in _rows(book["Baseline by category"])[:-1]}
    assert baseline == selectors.spend_baseline(council)
    off = _rows(book["Off-contract by supplier"])[:-1]
    assert [r[0] for r in off] == ["Acme Limited", "Café Nord"]
    ending = _rows(book["Contracts ending"])[:-1]
    assert [(r[0], r[3], _money(r[4])) for r in ending] == [
        ("C-1", "6 months", Decimal("5000.00")),
        ("C-2", "12 months", Decimal("1000.00")),
    ]
    contracts = {r[0]: r for r in _rows(book["Contracts"])[:-1]}
    assert _money(contracts["C-1"][5]) == Decimal("9749.49") and _money(contracts["C-1"][6]) == Decimal(
        "4749.49"
    )
    duplicates = _rows(book["Duplicate candidates"])[:-1]
    assert len(duplicates) == selectors.duplicates(council).count() >= 1
    about = [r[0] for r in book["About"].iter_rows(values_only=True)]
    assert "Payments: 5" in about
