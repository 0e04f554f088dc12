from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from wholecouncil.tabular import TableError, read_table

CSV = "Post,Job title,FTE\nP1,Chief Executive,1\nP2,Director,0.5\n"


def test_reads_csv_with_row_numbers() -> None:
    table = read_table("est.csv", CSV.encode())
    assert table.headers == ("Post", "Job title", "FTE")
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[1].values == ("P2", "Director", "0.5")
    assert table.format == "csv"


def test_reads_utf8_with_bom_and_windows_1252() -> None:
    bom = read_table("a.csv", b"\xef\xbb\xbf" + "Name,Cost\nCaf\u00e9,£1\n".encode())
    assert bom.headers == ("Name", "Cost")
    assert bom.rows[0].values == ("Café", "£1")
    legacy = read_table("a.csv", "Name,Cost\nCaf\u00e9,£1\n".encode("cp1252"))
    assert legacy.encoding == "cp1252"
    assert legacy.rows[0].values == ("Café", "£1")


def test_reads_utf16_with_bom() -> None:
    table = read_table("a.txt", "Name\tCost\nX\t£2\n".encode("utf-16"))
    assert table.delimiter == "\t"
    assert table.rows[0].values == ("X", "£2")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_sniffs_the_delimiter(delimiter: str) -> None:
    text = delimiter.join(["Name", "Salary", "Team"]) + "\n"
    text += delimiter.join(['"Smith, J"', '"1,234"', '"Finance; Audit"']) + "\n"
    text += delimiter.join(["Jones", "5", "HR"]) + "\n"
    table = read_table("a.csv", text.encode())
    assert table.delimiter == delimiter
    assert table.headers == ("Name", "Salary", "Team")


def test_skips_preamble_and_blank_rows_keeping_row_numbers() -> None:
    text = (
        "Organisation structure,,\n"
        "Published,2025-07-01,\n"
        ",,\n"
        "Post,Job title,FTE\n"
        "P1,Chief Executive,1\n"
        ",,\n"
        "P2,Director,1\n"
    )
    table = read_table("a.csv", text.encode())
    assert table.header_row == 4
    assert [r.number for r in table.rows] == [5, 7]


def test_quoted_line_breaks_stay_in_one_row() -> None:
    table = read_table("a.csv", b'Name,Note\nA,"two\nlines"\nB,x\n')
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].values[1] == "two\nlines"


def test_blank_and_repeated_headers_are_made_unique() -> None:
    table = read_table("a.csv", b"Name,,Name\nA,B,C\n")
    assert table.headers == ("Name", "Column B", "Name (2)")


def test_short_rows_are_padded() -> None:
    table = read_table("a.csv", b"A,B,C\n1\n")
    assert table.rows[0].values == ("1", "", "")


def _xlsx(rows: list[list[object]], title: str = "Staff", extra_sheet: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra_sheet:
        other = wb.create_sheet("Notes")
        other.append(["Note", "Text"])
        other.append(["a", "b"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_reads_xlsx_cells_as_text() -> None:
    content = _xlsx(
        [
            ["Establishment list July 2025"],
            [],
            ["Post", "FTE", "Salary", "Start", "Flag"],
            ["P1", 0.5, 65059, dt.datetime(2025, 7, 1), True],
            ["P2", 1.0, Decimal("123.45"), dt.date(2024, 1, 2), None],
        ]
    )
    table = read_table("upload.xlsx", content)
    assert table.format == "xlsx"
    assert table.sheet == "Staff"
    assert table.header_row == 3
    assert table.rows[0].values == ("P1", "0.5", "65059", "2025-07-01", "TRUE")
    assert table.rows[1].values == ("P2", "1", "123.45", "2024-01-02", "")
    assert [r.number for r in table.rows] == [4, 5]


def test_reads_a_named_sheet() -> None:
    content = _xlsx([["A", "B"], ["1", "2"]], extra_sheet=True)
    assert read_table("x.xlsx", content, sheet="Notes").rows[0].values == ("a", "b")
    with pytest.raises(TableError, match="no sheet called 'Missing'"):
        read_table("x.xlsx", content, sheet="Missing")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", b"", "the file is empty"),
        ("a.csv", b"  \n\n", "the file is empty"),
        ("a.xls", b"\xd0\xcf\x11\xe0junk", "old-style Excel"),
        ("a.xlsx", b"PK\x03\x04not really a zip", "could not be opened"),
        ("a.xlsx", b"Name,Cost\n", "not an Excel workbook"),
        ("a.csv", b"A\x00B\x00", "does not look like a CSV"),
    ],
)
def test_unreadable_files_give_a_clear_error(name: str, content: bytes, message: str) -> None:
    with pytest.raises(TableError, match=message) as caught:
        read_table(name, content)
    assert str(caught.value).startswith(name)


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=8)


@settings(max_examples=60)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=6))
def test_csv_written_by_the_csv_module_reads_back(rows: list[list[str]]) -> None:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["First", "Second", "Third"])
    writer.writerows(rows)
    table = read_table("p.csv", buffer.getvalue().encode())
    expected = [tuple(v.strip() for v in r) for r in rows if any(v.strip() for v in r)]
    assert table.headers == ("First", "Second", "Third")
    assert [r.values for r in table.rows] == expected


def test_a_line_of_label_value_pairs_above_the_header_is_not_the_header() -> None:
    content = (
        b"Organisation:,Wirral Council,Period:,April 2024,,,,\n"
        b"Supplier,Amount,Date,Purpose,Service,Invoice,VAT,Ref\n"
        b"Acme Ltd,12.50,01/04/2024,Cleaning,Schools,I-1,,R1\n"
    )
    table = read_table("a.csv", content)
    assert table.headers[:3] == ("Supplier", "Amount", "Date") and table.header_row == 2
    assert [r.number for r in table.rows] == [3]
