"""Quirks of the files councils publish, read by the row reader and the file opener: quotes left open, very
long fields, times in capitals, totals rows and Excel's lock files in a ZIP. (Both reading paths are
compared on the same quirks in test_columnar.py.)"""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.spend.engine.columnar import _copy_checked
from wholecouncil.spend.engine.dates import parse_date
from wholecouncil.spend.engine.files import (
    MAX_FIELD,
    QuoteScan,
    SpendSource,
    ends_in_quotes,
    expand_sources,
    open_table,
)
from wholecouncil.spend.engine.rows import SpendReader, is_totals_row
from wholecouncil.spend.tests.helpers import xlsx_bytes, zip_bytes
from wholecouncil.tabular import TableError

HEAD = "Supplier Name,Amount,Payment Date,Expense Type\n"
MAPPING = {"supplier": "Supplier Name", "amount": "Amount", "date": "Payment Date", "purpose": "Expense Type"}


def _rows(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    return list(open_table(SpendSource.from_bytes(name, content)).rows)


def _csv_ends_inside_quotes(text: str, delimiter: str) -> bool:
    """What the csv module itself says: a line added after the file is read as a row of its own unless the
    file ended inside a quoted field (then it becomes part of that field)."""
    marker = ["X", "Y"]
    rows = list(csv.reader(io.StringIO(text + "\nX" + delimiter + "Y\n", newline=""), delimiter=delimiter))
    return rows[-1] != marker


# --- a quote never closed ---------------------------------------------------------------------------------

_PIECES = st.sampled_from(['"', '""', ",", ";", "\t", "\n", "\r\n", "\r", "a", " ", "é", '12" pipe', ',"'])


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(_PIECES, max_size=40).map("".join),
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.integers(min_value=0, max_value=200), max_size=4),
)
def test_the_quote_scan_follows_the_csv_module(text: str, delimiter: str, cuts: list[int]) -> None:
    data = text.encode()
    scan = QuoteScan(delimiter)
    at = 0
    for cut in sorted(c for c in cuts if c <= len(data)):  # fed in blocks split anywhere
        scan.feed(data[at:cut])
        at = cut
    scan.feed(data[at:])
    assert scan.finish() == _csv_ends_inside_quotes(text, delimiter)


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ('a,"b\nc,d\n', True),
        ('a,12" pipe,1\nb,"x",2\n', False),
        ('a,12" pipe,1\nb,"x,2\n', True),  # an even number of quotes, and still inside one
        ('a,"say ""hi""",1\n', False),
        ('a,"say ""hi"",1\n', True),
        ('a,"",1\n', False),
        ('a,"x,"\n', False),  # a quote after a delimiter inside a quoted field closes it
        ('a,"x"y,"z\n', True),  # a quote after a closed field's text is literal; the next one opens
        ('"a\n', True),
        ("", False),
    ],
)
def test_files_that_end_inside_a_quoted_field(text: str, inside: bool) -> None:
    assert _csv_ends_inside_quotes(text, ",") == inside
    scan = QuoteScan(",")
    scan.feed(text.encode())
    assert scan.finish() == inside


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_the_row_reader_refuses_a_file_ending_inside_quotes_in_any_encoding(encoding: str) -> None:
    text = HEAD + 'Café Ltd,1.00,01/04/2024,x\nU Ltd,1.00,01/04/2024,"never closed\nQ Ltd,2,01/04/2024,x\n'
    content = text.encode(encoding)
    source = SpendSource.from_bytes("open.csv", content)
    assert ends_in_quotes(source.open, encoding, ",")
    with pytest.raises(TableError) as caught:
        _rows("open.csv", content)
    assert (
        caught.value.message
        == "row 3: a quoted field is never closed, so the rest of the file cannot be read"
    )
    closed = text.replace("never closed", 'closed"').encode(encoding)
    assert not ends_in_quotes(SpendSource.from_bytes("ok.csv", closed).open, encoding, ",")
    assert [n for n, _ in _rows("ok.csv", closed)] == [2, 3, 4]


def test_a_bom_before_a_quoted_header_is_not_a_field_start_missed() -> None:
    content = codecs.BOM_UTF8 + b'"Supplier Name",Amount,Payment Date\n"A Ltd",1.00,01/04/2024\n'
    assert [row for _, row in _rows("bom.csv", content)] == [["A Ltd", "1.00", "01/04/2024"]]
    assert not ends_in_quotes(SpendSource.from_bytes("bom.csv", content).open, "utf-8-sig", ",")


def test_rows_before_the_quote_are_not_given_out_as_payments_of_a_file_that_cannot_be_read() -> None:
    content = (
        HEAD + "A Ltd,1.00,01/04/2024,x\n" + 'U Ltd,"1.00,01/04/2024,x\nQ Ltd,2,01/04/2024,x\n'
    ).encode()
    reader = SpendReader()
    table = open_table(SpendSource.from_bytes("open.csv", content))
    with pytest.raises(TableError):
        for _chunk in reader.read(table, MAPPING):
            pass
    assert reader.totals.rejected == 0  # the open-quoted row was never read as a row with a bad amount


@pytest.mark.parametrize("before", [0, 200], ids=["among-the-first-rows", "later"])
def test_an_open_quote_longer_than_a_field_may_be_is_named_as_an_open_quote(before: int) -> None:
    good = "".join(f"S{i} Ltd,1.00,01/04/2024,x\n" for i in range(before))
    opened = 'U Ltd,1.00,01/04/2024,"' + "y" * 5000 + "\nQ,2,x,y\n"
    content = (HEAD + "A Ltd,1.00,01/04/2024,x\n" + good + opened).encode()
    limit = csv.field_size_limit(1000)
    try:
        with pytest.raises(TableError) as caught:
            _rows("open.csv", content)
    finally:
        csv.field_size_limit(limit)
    assert caught.value.message.startswith(f"row {3 + before}: a quoted field is never closed")


def test_the_stage_does_not_take_a_file_ending_inside_quotes() -> None:
    good = (HEAD + 'A Ltd,1.00,01/04/2024,12" pipe\nB Ltd,2.00,01/04/2024,"x"\n').encode()
    assert _copy_checked(SpendSource.from_bytes("a.csv", good), "utf-8", None, ",")
    bad = good + b'C Ltd,3.00,01/04/2024,"never closed\nD Ltd,1,01/04/2024,x\n'
    assert not _copy_checked(SpendSource.from_bytes("b.csv", bad), "utf-8", None, ",")


# --- long fields ------------------------------------------------------------------------------------------


def test_a_field_longer_than_the_csv_modules_own_limit_is_read() -> None:
    assert csv.field_size_limit() >= MAX_FIELD == 16 * 1024 * 1024
    content = (HEAD + "A Ltd,1.00,01/04/2024," + "y" * 200_000 + "\nB Ltd,2.00,01/04/2024,x\n").encode()
    rows = _rows("long.csv", content)
    assert [len(row[3]) for _, row in rows] == [200_000, 1]


# --- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/04/2024 10:00 AM", "2024-04-01"),
        ("01/04/2024 10:00 PM", "2024-04-01"),
        ("01/04/2024 10:00:00 Pm", "2024-04-01"),
        ("2024-04-01 10:00 PM", "2024-04-01"),
        ("2024-04-01 10:00AM", "2024-04-01"),
        ("1/4/24 9:30 AM", "2024-04-01"),
        ("01/04/2024 10:00 am", "2024-04-01"),
        ("01-Apr-2024 10:00 AM", "2024-04-01"),
    ],
)
def test_times_with_am_or_pm_in_any_case_are_read(text: str, expected: str) -> None:
    assert parse_date(text).isoformat() == expected


# --- totals rows ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Total", "TOTAL", "total:", "Total :", "Totals", "Grand total", "GRAND TOTAL:", "Grand  Total",
     "Sub-total", "Subtotal", "Sub total", "SUB-TOTAL:", "Total spend", "Total Payments", "TOTAL PAYMENTS:"],
)  # fmt: skip
def test_totals_rows_are_known_by_the_supplier_cell(name: str) -> None:
    assert is_totals_row(name)


@pytest.mark.parametrize(
    "name",
    ["Total Care Ltd", "Totally Local", "Total Gas & Power", "Grand Hotel", "Sub Zero", "", "Tota", "Total."],
)
def test_suppliers_with_total_in_their_names_are_suppliers(name: str) -> None:
    assert not is_totals_row(name)


def test_the_row_reader_skips_and_counts_totals_rows_in_a_workbook() -> None:
    headers = ["Supplier Name", "Amount", "Payment Date", "Expense Type"]
    rows = [
        ["A Ltd", "10.00", "01/04/2024", "x"],
        ["B Ltd", "5.00", "02/04/2024", "x"],
        ["Total", 15, None, None],  # no date: would be rejected as a payment
        ["Grand total:", "15.00", "30/04/2024", None],  # a date: would double the month as a payment
    ]
    table = open_table(SpendSource.from_bytes("book.xlsx", xlsx_bytes(rows, headers)))
    reader = SpendReader()
    payments = [row for chunk in reader.read(table, MAPPING) for row in chunk]
    totals = reader.finish(["book.xlsx"])
    assert [p.supplier for p in payments] == ["A Ltd", "B Ltd"]
    assert (totals.rows, totals.rejected, totals.totals_rows_skipped, totals.total_pennies) == (2, 0, 2, 1500)


def test_a_file_of_totals_rows_only_has_no_payments() -> None:
    table = open_table(SpendSource.from_bytes("t.csv", (HEAD + "Total,11,,\n").encode()))
    reader = SpendReader()
    assert [row for chunk in reader.read(table, MAPPING) for row in chunk] == []
    totals = reader.finish(["t.csv"])
    assert totals.totals_rows_skipped == 1
    assert [e.message for e in totals.rejections] == ["there are no payments under the headers"]


# --- ZIP archives ------------------------------------------------------------------------------------------


def test_excel_lock_files_in_a_zip_are_passed_over() -> None:
    april = (HEAD + "A Ltd,1.00,01/04/2024,x\n").encode()
    archive = zip_bytes(
        {
            "spend/april.csv": april,
            "spend/~$april.xlsx": b"\x0bJo Bloggs" + b"\x00" * 40,  # what Excel leaves while a book is open
            "spend/may.xlsx": xlsx_bytes(),
            "spend/~$may.xlsx": b"\x0bJo Bloggs" + b"\x00" * 40,
            "__MACOSX/spend/._april.csv": b"\x00\x05\x16\x07",
        }
    )
    found = expand_sources(SpendSource.from_bytes("year.zip", archive))
    assert [s.name for s in found] == ["year.zip/spend/april.csv", "year.zip/spend/may.xlsx"]
