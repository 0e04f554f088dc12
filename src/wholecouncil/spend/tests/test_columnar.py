"""CSV files parsed by DuckDB give exactly what the row reader gives: the same payments, totals, months and
rejected rows. Each messy file is imported twice, into two councils, once each way, and compared."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.council.models import Council
from wholecouncil.spend.engine import normalise_invoice
from wholecouncil.spend.engine.amounts import read_pennies
from wholecouncil.spend.engine.columnar import SIMPLE_AMOUNT, Stage, _safe_bytes, _sql_ref
from wholecouncil.spend.engine.identity import SQL_STABLE_HASH, stable_hash
from wholecouncil.spend.engine.rows import ReadTotals, SpendReader, _ref
from wholecouncil.spend.models import Transaction
from wholecouncil.spend.services.loading import _sql_invoice
from wholecouncil.spend.tests.helpers import HEADERS, ROWS, csv_bytes, run

HEADERS_LONG = [*HEADERS, "Category", "Category Code", "Transaction No", "Company No", "Supplier Ref"]
MESSY = [
    ["ACME LTD ", "£1,200.00", "03/04/2024", "Cleaning  and  care", "Schools", "INV-001", "GB 812 3112 85",
     "Facilities", "F1", "T-1", "01234567", "S1"],
    ["Acme Limited", "1200", "5/4/24", "Cleaning", "n/a", "INV 001", "", "", "", "T-1", "", ""],
    ["Bolt Plc", "(250.50)", "10-Apr-2024", "Refund", "Highways", "B-9", "", "Roads", "R9", "", "", ""],
    ["Café Nord", "-12.50", "2024-05-01 00:00:00", "Catering", "Leisure", "", "", "", "", "N/A", "", ""],
    ["Bolt Plc", "9,999.99", "1 May 2024", "Road salt", "Highways", "B-10", "", "Roads", "R9", "", "", ""],
    ["Bolt Plc", "12.345", "02/05/2024", '12" pipes', "Highways", "ÀB-0007", "", "", "", "", "SC 123", ""],
    ["Dawn Care", "3,082.50 CR", "31/05/2024", "Care\nhome", "Adults", "  INV-9  ", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", ""],
    ["Echo Ltd", "", "03/06/2024", "x", "y", "", "", "", "", "", "", ""],
    ["", "10.00", "03/06/2024", "x", "y", "", "", "", "", "", "", ""],
    ["Fox Ltd", "ten pounds", "03/06/2024", "x", "y", "", "", "", "", "", "", ""],
    ["Gull Ltd", "10.00", "31/02/2024", "x", "y", "", "", "", "", "", "", ""],
    ["Gull Ltd", "10.00", "", "x", "y", "", "", "", "", "", "", ""],
    ["Hare Ltd", "0.00", "45383", "x", "—", "00000", "", "", "", "", "", ""],
    ["ACME LTD ", "£1,200.00", "03/04/2024", "Cleaning", "Schools", "INV-001", "", "", "", "", "", ""],
    ["ACME LTD ", "£1,200.00", "03/04/2024", "Cleaning", "Schools", "INV-001", "", "", "", "", "", ""],
]  # fmt: skip


def _messy(rows: Sequence[Sequence[str]] = MESSY, **kwargs: Any) -> bytes:
    return csv_bytes(rows, HEADERS_LONG, **kwargs)


def _payments(council: Council) -> list[tuple[Any, ...]]:
    return list(
        Transaction.objects.filter(council=council)
        .order_by("source_file", "source_row")
        .values_list(
            "alias__name", "supplier__key", "amount", "date", "category__name", "category_source", "purpose",
            "org_unit", "invoice_ref", "transaction_ref", "source_row", "source_file", "fingerprint",
        )
    )  # fmt: skip


def _both_ways(
    make_council: Callable[..., Council],
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, bytes],
    **kwargs: Any,
) -> tuple[Any, Any, list[bool]]:
    used: list[bool] = []
    original = Stage.add_csv
    read: list[ReadTotals] = []  # what each import's reader counted (totals rows skipped among it)
    finish = SpendReader.finish

    def spy(self: Stage, *args: Any, **kw: Any) -> bool:
        staged = original(self, *args, **kw)
        used.append(staged)
        return staged

    def finished(self: SpendReader, *args: Any, **kw: Any) -> ReadTotals:
        read.append(finish(self, *args, **kw))
        return read[-1]

    monkeypatch.setattr(SpendReader, "finish", finished)
    monkeypatch.setattr(Stage, "add_csv", spy)
    fast_council = make_council(slug="fast", name="Fast Council")
    fast = run(fast_council, files, **kwargs)
    fast.read = read[-1]
    monkeypatch.setattr(Stage, "add_csv", lambda self, *a, **k: False)
    slow_council = make_council(slug="slow", name="Slow Council")
    slow = run(slow_council, files, **kwargs)
    slow.read = read[-1]
    for outcome in (fast, slow):
        outcome.payments = _payments(outcome.spend_import.council)
    return fast, slow, used


def _same(fast: Any, slow: Any) -> None:
    assert [e.as_dict() for e in fast.rejections] == [e.as_dict() for e in slow.rejections]
    for name in (
        "rows_read",
        "rejected",
        "rounded",
        "total_pennies",
        "imported",
        "already",
        "imported_pennies",
    ):
        assert getattr(fast, name) == getattr(slow, name), name
    if hasattr(fast, "read"):
        assert fast.read.totals_rows_skipped == slow.read.totals_rows_skipped
    summary = {k: v for k, v in fast.spend_import.summary.items() if k != "timings"}
    assert summary == {k: v for k, v in slow.spend_import.summary.items() if k != "timings"}
    assert fast.payments == slow.payments


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"encoding": "utf-8-sig"}, {"encoding": "cp1252"}, {"preamble": ["Payments over £500"]},
     {"delimiter": ";"}],
    ids=["utf8", "bom", "cp1252", "preamble", "semicolon"],
)  # fmt: skip
def test_messy_files_read_by_duckdb_match_the_row_reader(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, Any]
) -> None:
    rows = MESSY if kwargs.get("encoding") != "cp1252" else [[v.replace("—", "-") for v in r] for r in MESSY]
    fast, slow, used = _both_ways(
        make_council, monkeypatch, {"messy.csv": _messy(rows, **kwargs)}, skip_rejected=True
    )
    assert used == [True], "the file was read by DuckDB"
    assert fast.rejected == 5 and fast.imported == 10
    _same(fast, slow)
    rejected = {(e.row, e.column) for e in fast.rejections}
    first = 3 if kwargs.get("preamble") else 2
    assert (first + 9, "Supplier Name") in rejected  # a blank name
    assert (first + 8, "Net Amount") in rejected  # a blank amount
    assert (first + 11, "Payment Date") in rejected  # 31 February


@pytest.mark.django_db
def test_reimporting_and_rows_seen_before_match_the_row_reader(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _messy(MESSY[:7]), _messy(MESSY[4:7] + MESSY[14:])
    used: list[bool] = []
    outcomes = []
    for fast in (True, False):
        council = make_council(slug=f"c{int(fast)}", name=f"C{int(fast)}")
        if not fast:
            monkeypatch.setattr(Stage, "add_csv", lambda self, *a, **k: False)
        else:
            original = Stage.add_csv

            def spy(self: Stage, *a: Any, original: Any = original, **k: Any) -> bool:
                used.append(original(self, *a, **k))
                return used[-1]

            monkeypatch.setattr(Stage, "add_csv", spy)
        run(council, {"a.csv": first}, skip_rejected=True)
        again = run(council, {"b.csv": second}, skip_rejected=True)
        again.payments = _payments(council)
        outcomes.append(again)
    assert used == [True, True]
    # Three rows seen before, and one of the two identical ACME rows matches the first file's ACME payment.
    assert outcomes[0].already == 4 and outcomes[0].imported == 1
    _same(*outcomes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        _messy(preamble=["Payments over £500", ""]),  # a blank line
        _messy().replace(b"\r\n", b"\r"),  # old Mac line ends
        _messy().replace(b",Schools,", b', "Schools",'),  # a space before a quote
    ],
    ids=["blank-line", "cr", "space-quote"],
)
def test_files_duckdb_would_read_differently_go_to_the_row_reader(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    fast, slow, used = _both_ways(make_council, monkeypatch, {"odd.csv": content}, skip_rejected=True)
    assert used == [False]
    _same(fast, slow)


@pytest.mark.django_db
def test_a_file_duckdb_refuses_is_read_by_the_row_reader(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _messy(ROWS[:2]).decode() + '"Late Ltd","5.00","01/07/2024","a"b",x,,,,,,,\r\n'
    fast, slow, used = _both_ways(make_council, monkeypatch, {"quote.csv": text.encode()}, skip_rejected=True)
    assert used == [False]
    _same(fast, slow)
    assert fast.imported == 3


_QUIRK_HEADERS = ["Supplier Name", "Amount", "Payment Date", "Expense Type"]
_UNCLOSED = "row 3: a quoted field is never closed, so the rest of the file cannot be read"


def _lines(*lines: str, end: str = "\n") -> bytes:
    return end.join([",".join(_QUIRK_HEADERS), *lines]).encode() + end.encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "row"),
    [
        (_lines("A Ltd,1.00,01/04/2024,x", 'U Ltd,1.00,01/04/2024,"never closed', "Q Ltd,2,01/04/2024,x",
                "R Ltd,3,01/04/2024,x"), 3),
        # A literal quote before it makes the number of quotes even: the file still ends inside one.
        (_lines('A Ltd,1.00,01/04/2024,12" pipe', 'U Ltd,1.00,01/04/2024,"never closed',
                "Q Ltd,2,01/04/2024,x"), 3),
        (_lines("A Ltd,1.00,01/04/2024,x", 'U Ltd,1.00,01/04/2024,"x ""y"" z', end="\r\n"), 3),
        (_lines("A Ltd,1.00,01/04/2024,x", 'U Ltd,1.00,01/04/2024,"no line end')[:-1], 3),
        (_lines(*(f"S{i} Ltd,{i}.00,01/04/2024,x" for i in range(3000)), 'U Ltd,"1.00,01/04/2024,x',
                "Q Ltd,2,01/04/2024,x"), 3002),
    ],
    ids=["lines-after", "after-a-literal-quote", "doubled-quotes-inside", "last-line", "long"],
)  # fmt: skip
def test_a_quote_never_closed_is_a_problem_with_the_file_both_ways(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch, content: bytes, row: int
) -> None:
    """Python's csv module reads the rest of the file as one field, silently; DuckDB's reader may stop at the
    quote, silently. Neither is a reading of the file: nothing is imported, and the row is named."""
    fast, slow, used = _both_ways(make_council, monkeypatch, {"open.csv": content}, skip_rejected=True)
    assert used == [False]
    _same(fast, slow)
    assert [e.as_dict() for e in fast.rejections][:1] == [
        {"file": "open.csv", "row": None, "column": "", "message": _UNCLOSED.replace("row 3", f"row {row}")}
    ]
    assert fast.file_problems == 1 and fast.imported == slow.imported == 0


@pytest.mark.django_db
def test_quotes_closed_on_a_later_line_are_read_both_ways(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _lines(
        'A Ltd,1.00,01/04/2024,"two', 'lines"', 'B Ltd,2.00,01/04/2024,12" pipe', 'C Ltd,3.00,01/04/2024,""'
    )
    fast, slow, used = _both_ways(make_council, monkeypatch, {"closed.csv": content})
    assert used == [True]
    _same(fast, slow)
    assert fast.imported == 3 and fast.rejected == 0


@pytest.mark.django_db
def test_a_field_of_200000_characters_is_read_both_ways(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The csv module's own limit is 131,072 characters a field; it is raised to DuckDB's line limit."""
    long = "Z Ltd,1.00,01/04/2024," + "y" * 200_000
    content = _lines("A Ltd,1.00,01/04/2024,x", long, "Q Ltd,2,01/04/2024,x")
    fast, slow, used = _both_ways(make_council, monkeypatch, {"long.csv": content})
    assert used == [True]
    _same(fast, slow)
    assert fast.imported == 3 and fast.rejected == 0


@pytest.mark.django_db
def test_dates_with_am_or_pm_in_capitals_are_read_both_ways(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _lines(
        "A Ltd,1.00,01/04/2024 10:00 AM,x", "B Ltd,2.00,2024-04-01 10:00 PM,x",
        "C Ltd,3.00,02/04/2024 9:30 pm,x", "D Ltd,4.00,2024-04-03T11:15:00 Am,x",
    )  # fmt: skip
    fast, slow, used = _both_ways(make_council, monkeypatch, {"times.csv": content})
    assert used == [True]
    _same(fast, slow)
    assert fast.imported == 4 and fast.rejected == 0
    assert sorted(p[3].isoformat() for p in fast.payments) == [
        "2024-04-01", "2024-04-01", "2024-04-02", "2024-04-03"
    ]  # fmt: skip


TOTALS = [
    ["Café Siân", "£1,234.56", "01/04/2024", "", "", "", ""],
    ["O\u2019Brien Ltd", "(£12.50)", "02/04/2024", "", "", "", ""],
    ["Total Care Ltd", "5.00", "03/04/2024", "", "", "", ""],  # a supplier, not a totals row
    ["Sub-total", "£1,227.06", "", "", "", "", ""],
    ["  GRAND TOTAL: ", "£1,227.06", "30/04/2024", "", "", "", ""],
    ["Sub total", "", "", "", "", "", ""],
    ["Total Payments", "x", "never", "", "", "", ""],
    ["totals", "1", "01/04/2024", "", "", "", ""],
    ["Total", "£1,227.06", "30/04/2024", "", "", "", ""],
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs", [{}, {"encoding": "cp1252", "delimiter": ";"}], ids=["utf8", "cp1252-semicolon"]
)
def test_totals_rows_are_skipped_and_counted_both_ways(
    make_council: Callable[..., Council], monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, Any]
) -> None:
    fast, slow, used = _both_ways(make_council, monkeypatch, {"totals.csv": csv_bytes(TOTALS, **kwargs)})
    assert used == [True]
    _same(fast, slow)
    assert fast.rejected == 0 and fast.imported == 3
    assert fast.total_pennies == 123456 - 1250 + 500
    assert fast.read.totals_rows_skipped == slow.read.totals_rows_skipped == 6
    assert [p[0] for p in fast.payments] == ["Café Siân", "O\u2019Brien Ltd", "Total Care Ltd"]


# --- the SQL used by the stage agrees with the Python it stands for -------------------------------------

_CON = duckdb.connect()
_ASCII = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=24)
_ANY = st.text(max_size=24)


def _sql(expression: str, value: str) -> Any:
    row = _CON.execute(f"SELECT {expression.replace('{}', '$1::VARCHAR')}", [value]).fetchone()
    assert row is not None
    return row[0]


@settings(max_examples=300, deadline=None)
@given(st.one_of(_ASCII, _ANY, st.from_regex(r"[A-Za-z]{0,3}[ /-]?0{0,4}[0-9]{0,6}", fullmatch=True)))
def test_invoice_numbers_normalise_the_same_in_sql(value: str) -> None:
    found = _sql(_sql_invoice("{}"), value)
    assert found is None or found == normalise_invoice(value)
    if value.isascii() and value.isprintable():
        assert found is not None


@settings(max_examples=300, deadline=None)
@given(st.one_of(_ASCII, _ANY, st.sampled_from(["N/A", "na", "-", "NONE", " x ", "\u2013"])))
def test_references_clean_the_same_in_sql(value: str) -> None:
    found = _sql(_sql_ref("{}"), value)
    assert found is None or found == _ref(value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{1,2})?", fullmatch=True), _ASCII))
def test_simple_amounts_read_the_same_in_sql(value: str) -> None:
    row = _CON.execute(
        f"SELECT CASE WHEN regexp_full_match(?, '{SIMPLE_AMOUNT}') "
        "THEN CAST(round(CAST(? AS DECIMAL(15, 2)) * 100) AS BIGINT) END",
        [value, value],
    ).fetchone()
    assert row is not None
    if row[0] is not None:
        assert row[0] == read_pennies(value)[0]


@settings(max_examples=200, deadline=None)
@given(_ANY.filter(lambda v: "\x00" not in v and not any(0xD800 <= ord(c) <= 0xDFFF for c in v)))
def test_fingerprints_hash_the_same_in_sql(value: str) -> None:
    assert _sql(SQL_STABLE_HASH, value) == stable_hash(value)


def test_byte_checks_find_what_duckdb_reads_differently() -> None:
    assert _safe_bytes(b'a,12" pipe,1\r\nb,"x, y",2\r\n', b",")
    for unsafe in (b'a, "q",1\n', b'"q" ,1\n', b"a\n\nb", b"a\rb", b"a\x00b", b'a,"q"  \n'):
        assert not _safe_bytes(unsafe, b","), unsafe


def test_quoted_fields_split_as_the_csv_module_splits_them() -> None:
    lines = ['a,"x, y",1', 'b,"say ""hi""",2', 'c,"two\r\nlines",3', 'd,12" pipe,4', "e,,"]
    text = "H1,H2,H3\r\n" + "\r\n".join(lines) + "\r\n"
    expected = list(csv.reader(io.StringIO(text, newline="")))[1:]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.csv"
        path.write_text(text, newline="")
        rows = _CON.execute(  # a test's own temporary file
            f"SELECT * FROM read_csv('{path}', auto_detect = false, header = false, skip = 1, "  # noqa: S608
            "delim = ',', "
            "quote = '\"', escape = '\"', columns = {'c0': 'VARCHAR', 'c1': 'VARCHAR', 'c2': 'VARCHAR'}, "
            "null_padding = true, strict_mode = true, allow_quoted_nulls = false, parallel = false)"
        ).fetchall()
    assert [[v or "" for v in row] for row in rows] == expected


@pytest.mark.django_db
def test_duplicates_pair_the_right_payments_within_and_across_imports(council: Council) -> None:
    """New payments' columns come from the stage with the ids the database gave them; older payments are
    read back. Both kinds pair, and each candidate points at the payments it describes."""
    from wholecouncil.spend.models import DuplicateCandidate

    first = [["Acme Ltd", "500.00", "01/04/2024", "", "", "INV-0042", ""]]
    second = [
        ["Bolt Plc", "75.25", "02/04/2024", "", "", "", ""],
        ["ACME LIMITED", "500.00", "03/04/2024", "", "", "inv 42", ""],  # the same invoice, another name
        ["Bolt Plc", "75.25", "09/04/2024", "", "", "", ""],  # the same amount within the window
    ]
    run(council, {"april.csv": csv_bytes(first)})
    run(council, {"more.csv": csv_bytes(second)})
    pairs = {
        (c.first.alias.name, c.second.alias.name, c.amount, tuple(c.reasons))
        for c in DuplicateCandidate.objects.filter(council=council).select_related(
            "first__alias", "second__alias"
        )
    }
    assert any(p[:2] == ("Acme Ltd", "ACME LIMITED") and "same invoice number" in p[3] for p in pairs)
    bolt = [p for p in pairs if p[0] == p[1] == "Bolt Plc"]
    assert len(bolt) == 1 and "same amount" in bolt[0][3]
    for candidate in DuplicateCandidate.objects.filter(council=council):
        assert candidate.first.fingerprint == candidate.first_fingerprint
        assert candidate.second.fingerprint == candidate.second_fingerprint
        assert candidate.first.amount == candidate.second.amount == candidate.amount


@pytest.mark.django_db
def test_categories_from_history_across_imports_match_the_categorising_service(council: Council) -> None:
    """New payments are categorised on the stage from the history before and within the import; payments
    imported before and still uncategorised are categorised by what the new import adds. Running the
    categorising service afterwards changes nothing."""
    from wholecouncil.spend import services

    headers = ["Supplier", "Amount", "Date", "ProClass Label", "Purpose"]
    first = [
        ["Acme", "100", "01/04/2024", "Facilities", "Cleaning"],
        ["Bolt", "40", "01/04/2024", "", "Salt"],  # nothing to go on yet
        ["Crane", "10", "01/04/2024", "Roads", "Lifting"],
        ["Crane", "10", "01/04/2024", "Plant", "Lifting"],  # no category holds 60% of Crane
    ]
    second = [
        ["Acme", "50", "02/05/2024", "", "Windows"],  # the supplier's history from the first import
        ["Bolt", "400", "02/05/2024", "Highways", "Salt"],  # gives Bolt, and Salt, a history
        ["Dove", "5", "02/05/2024", "", "Salt"],  # the purpose's history from this import
        ["Crane", "1", "02/05/2024", "", "Lifting"],  # Lifting is split too: stays uncategorised
    ]
    run(council, {"first.csv": csv_bytes(first, headers)})
    run(council, {"second.csv": csv_bytes(second, headers)})
    found = {
        (name, str(amount)): (category, source)
        for name, amount, category, source in Transaction.objects.filter(council=council).values_list(
            "alias__name", "amount", "category__name", "category_source"
        )
    }
    assert found[("Acme", "50.00")] == ("Facilities", "history-supplier")
    assert found[("Bolt", "40.00")] == ("Highways", "history-supplier")  # imported before, categorised now
    assert found[("Dove", "5.00")] == ("Highways", "history-purpose")
    assert found[("Crane", "1.00")] == (None, "")
    assert services.categories_apply(council=council) == {
        "rule": 0,
        "history-supplier": 0,
        "history-purpose": 0,
    }


@pytest.mark.django_db
def test_a_large_first_import_rebuilds_the_indexes_it_dropped(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    from wholecouncil.spend.services import loading

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, Transaction._meta.db_table)
        return {name for name, c in found.items() if c["index"] and not c["primary_key"]}

    before = indexes()
    assert len(before) >= 2
    monkeypatch.setattr(loading, "REBUILD_INDEXES_FROM", 3)
    outcome = run(council, {"a.csv": csv_bytes()})
    assert outcome.imported == 5
    assert indexes() == before
    assert Transaction.objects.filter(council=council, date__gte="2024-05-01").count() == 2  # by the index


@pytest.mark.django_db
def test_payments_per_name_are_counted_across_imports(council: Council) -> None:
    from django.db.models import Count

    from wholecouncil.spend.models import SupplierAlias

    run(council, {"a.csv": csv_bytes()})
    run(council, {"b.csv": csv_bytes([["ACME LTD", "7.00", "09/04/2024", "", "", "", ""], *ROWS[:1]])})
    counted = dict(
        Transaction.objects.filter(council=council).values_list("alias__name").annotate(n=Count("id"))
    )
    recorded = dict(SupplierAlias.objects.filter(council=council).values_list("name", "payments"))
    assert recorded == counted and recorded["ACME LTD"] == 2


def test_a_line_end_split_between_two_reads_is_still_one_line_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are checked a block at a time; a CR LF falling across two blocks is an ordinary line end."""
    import tempfile
    from pathlib import Path

    from wholecouncil.spend.engine import columnar
    from wholecouncil.spend.engine.files import SpendSource

    content = _messy(MESSY[:3])
    split = content.index(b"\r\n") + 1  # the first block ends between CR and LF
    monkeypatch.setattr(columnar, "_CHUNK", split)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.csv"
        path.write_bytes(content)
        assert columnar._copy_checked(SpendSource.from_path(path), "utf-8", None, ",")
        path.write_bytes(content.replace(b"\r\n", b"\r", 1))
        assert not columnar._copy_checked(SpendSource.from_path(path), "utf-8", None, ",")
