"""Text from an uploaded spend file is written to the workbook as text, never as a formula or a link; dates
are real dates finance can sort and filter; the totals are still live formulas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from wholecouncil.council.models import Council
from wholecouncil.spend import services
from wholecouncil.spend.engine.contracts import ContractRow
from wholecouncil.spend.export import spend_workbook
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run
from wholecouncil.tabular.tests.hostile import HYPERLINK, SUM, assert_text

pytestmark = pytest.mark.django_db

URL = "http://x.example.invalid/invoice"


def _cells(sheet: Any) -> dict[Any, Any]:
    """Each data row's first cell, by its value."""
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


@pytest.fixture
def book(council: Council, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("wholecouncil.spend.export.timezone.localdate", lambda: dt.date(2024, 6, 1))
    rows = [
        *ROWS,
        [HYPERLINK, "700.00", "12/04/2024", "Cleaning", SUM, "X-1", ""],
        [HYPERLINK, "700.00", "13/04/2024", "Cleaning", SUM, "X-1", ""],  # a duplicate candidate
        [URL, "80.00", "14/04/2024", "Catering", URL, "U-1", ""],
    ]
    run(council, {"a.csv": csv_bytes(rows)})
    services.contracts_replace(
        council=council,
        rows=[
            ContractRow(SUM, HYPERLINK, "Cleaning", "", dt.date(2024, 1, 1), dt.date(2024, 9, 30), 500_000),
            ContractRow("C-2", URL, "", "", dt.date(2024, 1, 1), dt.date(2025, 3, 31), 100_000),
        ],
        actor=None,
    )
    return load_workbook(io.BytesIO(spend_workbook(council)))


def _duplicates(book: Any) -> list[Any]:
    return [row for row in book["Duplicate candidates"].iter_rows(min_row=2) if row[0].value == HYPERLINK]


def test_supplier_and_org_unit_text_is_text_not_a_formula_or_a_link(book: Any) -> None:
    suppliers = _cells(book["By supplier"])
    assert_text(suppliers[HYPERLINK][0], HYPERLINK)
    assert_text(suppliers[URL][0], URL)
    units = _cells(book["By org unit"])
    assert_text(units[SUM][0], SUM)
    assert_text(units[URL][0], URL)
    contracts = _cells(book["Contracts"])
    assert_text(contracts[SUM][0], SUM)
    assert_text(contracts[SUM][1], HYPERLINK)
    assert_text(contracts["C-2"][1], URL)
    ending = _cells(book["Contracts ending"])
    assert_text(ending[SUM][1], HYPERLINK)
    duplicates = _duplicates(book)
    assert duplicates
    assert_text(duplicates[0][0], HYPERLINK)
    # No cell anywhere in the workbook is a formula except the totals the export means to write.
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert str(cell.value).startswith("=SUM("), (sheet.title, cell.coordinate, cell.value)


def test_totals_are_still_live_formulas(book: Any) -> None:
    for name, column in (
        ("By supplier", "C"),
        ("By org unit", "C"),
        ("Duplicate candidates", "B"),
        ("Contracts", "E"),
        ("Contracts ending", "E"),
    ):
        sheet = book[name]
        total = sheet.cell(sheet.max_row, sheet[column][0].column)
        assert sheet.cell(sheet.max_row, 1).value == "Total"
        assert total.data_type == "f" and total.value == f"=SUM({column}2:{column}{sheet.max_row - 1})", name


def test_dates_are_real_dates(book: Any) -> None:
    duplicates = _duplicates(book)
    first, second = duplicates[0][2], duplicates[0][3]
    assert {first.value, second.value} == {dt.datetime(2024, 4, 12), dt.datetime(2024, 4, 13)}
    assert first.is_date and first.number_format == "yyyy-mm-dd"
    contracts = _cells(book["Contracts"])
    start, end = contracts[SUM][2], contracts[SUM][3]
    assert (start.value, end.value) == (dt.datetime(2024, 1, 1), dt.datetime(2024, 9, 30))
    assert start.is_date and end.is_date
    ending = _cells(book["Contracts ending"])
    assert ending["C-2"][2].value == dt.datetime(2025, 3, 31) and ending["C-2"][2].is_date
