"""Importing spend: every format quirk, rejection, re-import, atomicity, suppliers, categories, duplicates."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.models import (
    CategoryRule,
    DuplicateCandidate,
    MergeDecision,
    SpendImport,
    Transaction,
)
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run, xlsx_bytes, zip_bytes

pytestmark = pytest.mark.django_db
EXPECTED = Decimal("1200.00") * 2 - Decimal("250.50") - Decimal("12.50") + Decimal("9999.99")


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(),
        csv_bytes(encoding="utf-8-sig"),
        csv_bytes(encoding="cp1252"),
        csv_bytes(preamble=["Payments over £500", "Published 1 June 2024", ""]),
        csv_bytes(delimiter=";"),
        xlsx_bytes(),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "preamble", "semicolon", "xlsx"],
)
def test_every_format_imports_the_same(council: Council, content: bytes) -> None:
    outcome = run(council, {"spend.csv" if not content.startswith(b"PK") else "spend.xlsx": content})
    assert outcome.ok and outcome.imported == 5
    totals = selectors.spend_totals(council)
    assert totals.total == EXPECTED
    names = set(Transaction.objects.filter(council=council).values_list("alias__name", flat=True))
    assert "Café Nord" in names
    assert totals.suppliers_raw == 4 and totals.suppliers_resolved == 3  # ACME LTD = Acme Limited


def test_zip_of_monthly_files(council: Council) -> None:
    archive = zip_bytes(
        {
            "2024/april.csv": csv_bytes(ROWS[:3]),
            "2024/may.xlsx": xlsx_bytes(ROWS[3:]),
            "__MACOSX/._april.csv": b"junk",
            "readme.pdf": b"%PDF",
        }
    )
    outcome = run(council, {"year.zip": archive})
    assert outcome.imported == 5
    assert outcome.spend_import.file_names == ["year.zip/2024/april.csv", "year.zip/2024/may.xlsx"]
    assert selectors.summary(council)["by_month"] == {
        "2024-04": {"transactions": 3, "total": "2149.50"},
        "2024-05": {"transactions": 2, "total": "9987.49"},
    }


def test_reimport_adds_nothing_and_identical_rows_are_kept(council: Council) -> None:
    rows = [*ROWS, ROWS[0]]  # a row repeated in the file is two payments
    assert run(council, {"a.csv": csv_bytes(rows)}).imported == 6
    again = run(council, {"a.csv": csv_bytes(rows)})
    assert (again.imported, again.already) == (0, 6)
    more = run(council, {"b.csv": csv_bytes([*rows, ["New Supplier", "5", "01/06/2024", "", "", "", ""]])})
    assert (more.imported, more.already) == (1, 6)
    assert selectors.spend_totals(council).transactions == 7


def test_rejected_rows_import_nothing_and_are_listed(council: Council) -> None:
    bad = [*ROWS, ["", "5", "01/06/2024"] + [""] * 4, ["X", "12.3.4", "01/06/2024"] + [""] * 4]
    bad.append(["Y", "5", "31/02/2024"] + [""] * 4)
    outcome = run(council, {"bad.csv": csv_bytes(bad)})
    assert not outcome.ok and outcome.imported == 0
    assert Transaction.objects.filter(council=council).count() == 0
    imp = outcome.spend_import
    assert imp.status == SpendImport.Status.FAILED and imp.rejected_count == 3
    assert [(r["row"], r["column"]) for r in imp.rejected] == [
        (7, "Supplier Name"),
        (8, "Net Amount"),
        (9, "Payment Date"),
    ]
    assert "is not an amount of money" in imp.rejected[1]["message"]
    assert imp.rejected[0]["file"] == "bad.csv"


def test_skip_rejected_keeps_the_good_rows(council: Council) -> None:
    bad = [*ROWS, ["X", "abc", "01/06/2024"] + [""] * 4]
    outcome = run(council, {"bad.csv": csv_bytes(bad)}, skip_rejected=True)
    assert (outcome.imported, outcome.rejected) == (5, 1)
    assert outcome.spend_import.status == SpendImport.Status.COMPLETED


def test_a_failure_mid_import_leaves_nothing(council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("wholecouncil.spend.services.running.duplicates_detect", boom)
    with pytest.raises(RuntimeError):
        run(council, {"a.csv": csv_bytes()})
    assert not Transaction.objects.filter(council=council).exists()
    assert not SpendImport.objects.filter(council=council).exists()


def test_explicit_mapping_and_missing_columns(council: Council) -> None:
    headers = ["Vendor", "Paid", "When", "Amount"]
    rows = [["A Ltd", "2024-04-01", "01/04/2024", "5"]]
    mapping = {"supplier": "Vendor", "amount": "Amount", "date": "When"}
    assert run(council, {"x.csv": csv_bytes(rows, headers)}, columns=mapping).imported == 1
    outcome = run(council, {"y.csv": csv_bytes([["a", "b"]], ["Name", "Other"])})
    assert not outcome.ok
    messages = [r.message for r in outcome.rejections]
    assert any(m.startswith("Supplier name: choose the column") for m in messages)
    assert any(m.startswith("Amount: choose the column") for m in messages)


def test_suppliers_merges_and_decisions_are_remembered(council: Council) -> None:
    rows = [
        ["Northern Cleaning Ltd", "100", "01/04/2024", "", "", "", "GB812311285"],
        ["Northern Cleaning UK Services", "200", "02/04/2024", "", "", "", "812311285"],
        ["Greenfields Nursery", "300", "03/04/2024", "", "", "", ""],
        ["Greenfeilds Nursery", "400", "03/05/2024", "", "", "", ""],
    ]
    run(council, {"s.csv": csv_bytes(rows)})
    proposals = {(m.first_key, m.second_key): m for m in selectors.merge_proposals(council)}
    cleaning = proposals[("northern cleaning", "northern cleaning uk services")]
    assert any("VAT number" in e for e in cleaning.evidence)
    services.merge_decide(decision=cleaning, accept=True, actor=None)
    services.merge_decide(
        decision=proposals[("greenfeilds nursery", "greenfields nursery")], accept=False, actor=None
    )
    assert selectors.spend_totals(council).suppliers_resolved == 3
    run(
        council,
        {"t.csv": csv_bytes([["NORTHERN CLEANING UK SERVICES LIMITED", "5", "01/06/2024", "", "", "", ""]])},
    )
    assert selectors.spend_totals(council).suppliers_resolved == 3  # the new name joins the merged supplier
    assert not selectors.merge_proposals(council).exists()  # the rejected pair is not proposed again
    assert MergeDecision.objects.filter(council=council, status=MergeDecision.Status.REJECTED).count() == 1
    assert AuditEvent.objects.filter(council=council, action__startswith="spend.supplier_merge").count() == 2


def test_categories_from_file_rules_and_history(council: Council) -> None:
    headers = ["Supplier", "Amount", "Date", "ProClass Label", "Purpose"]
    rows = [
        ["Acme", "100", "01/04/2024", "Facilities", "Cleaning"],
        ["Acme", "50", "02/04/2024", "", "Cleaning"],  # the supplier's history says Facilities
        ["Zed", "70", "02/04/2024", "", "Cleaning"],  # the purpose's history says Facilities
        ["Quill", "30", "02/04/2024", "", "Stationery"],  # nothing to go on
    ]
    run(council, {"c.csv": csv_bytes(rows, headers)})
    sources = dict(Transaction.objects.filter(council=council).values_list("alias__name", "category_source"))
    assert sources == {"Acme": "history-supplier", "Zed": "history-purpose", "Quill": ""}
    assert selectors.uncategorised_share(council) == pytest.approx(30 / 250)
    services.category_rule_add(
        council=council, field="purpose", contains="station", category_name="Office supplies", actor=None
    )
    assert selectors.spend_baseline(council) == {
        "Facilities": Decimal("220.00"),
        "Office supplies": Decimal("30.00"),
    }
    with pytest.raises(services.CategoryError, match="There is already a rule for this: Expense type"):
        services.category_rule_add(
            council=council, field="purpose", contains="STATION", category_name="Paper", actor=None
        )
    assert CategoryRule.objects.filter(council=council).count() == 1


def test_duplicates_found_and_reviews_remembered(council: Council) -> None:
    run(council, {"d.csv": csv_bytes()})
    candidates = list(selectors.duplicates(council))
    assert candidates and "same invoice number" in candidates[0].reasons
    services.duplicate_review(
        candidate=candidates[0], outcome="not_duplicate", note="Two deliveries", actor=None
    )
    run(council, {"e.csv": csv_bytes([["Other", "1", "01/04/2024", "", "", "", ""]])})
    assert DuplicateCandidate.objects.filter(council=council, outcome="not_duplicate").count() == 1
    reviewed = DuplicateCandidate.objects.get(council=council, outcome="not_duplicate")
    assert (
        not DuplicateCandidate.objects.filter(
            council=council, outcome="open", first_fingerprint=reviewed.first_fingerprint
        )
        .filter(second_fingerprint=reviewed.second_fingerprint)
        .exists()
    )


def test_councils_are_kept_apart(council: Council, make_council) -> None:  # type: ignore[no-untyped-def]
    other = make_council()
    run(council, {"a.csv": csv_bytes()})
    assert run(other, {"a.csv": csv_bytes()}).imported == 5  # the same rows are new to another council
    assert selectors.spend_totals(other).transactions == 5


def test_trafford_imports_whole_to_the_penny(council: Council, shared_data_dir: Path) -> None:
    """The acceptance file: ../shared/data/samples/trafford-supplier-spend-2024-25.zip (210,068 rows)."""
    path = shared_data_dir / "samples" / "trafford-supplier-spend-2024-25.zip"
    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as member:
        reader = csv.DictReader(io.TextIOWrapper(member, encoding="utf-8", newline=""))
        expected_rows, expected_total = 0, Decimal(0)
        for row in reader:
            expected_rows += 1
            expected_total += Decimal(row["Amount"])
    outcome = services.spend_import_run(
        council=council, sources=[services.imports.SpendSource.from_path(path)], actor=None
    )
    assert outcome.ok
    assert expected_rows == 210_068
    assert outcome.imported == expected_rows
    totals = selectors.spend_totals(council)
    assert totals.transactions == expected_rows
    assert totals.total == expected_total
    assert Decimal(selectors.summary(council)["total"]) == expected_total
    assert sum(r.amount for r in selectors.by_category(council)) == expected_total
    assert len(selectors.by_month(council)) == 12
    again = services.spend_import_run(
        council=council,
        sources=[services.imports.SpendSource.from_path(path)],
        actor=None,
        detect_duplicates=False,
    )
    assert (again.imported, again.already) == (0, expected_rows)


def test_rows_are_bulk_loaded_by_this_databases_own_path(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite runs on SQLite and on PostgreSQL: each run goes through (and checks) its database's path."""
    from django.db import connection

    from wholecouncil.spend.services.loading import Loader

    calls: list[tuple[str, int]] = []
    for name in ("_copy_rows", "_insert_rows"):
        original = getattr(Loader, name)

        def spy(self: Loader, original=original, name=name) -> int:  # type: ignore[no-untyped-def]
            written = original(self)
            calls.append((name, written))
            return written

        monkeypatch.setattr(Loader, name, spy)
    rows = [
        [f"Supplier {i % 7}", f"{i}.{i % 100:02d}", "01/04/2024", "", "", f"INV{i}", ""]
        for i in range(1, 1202)
    ]
    outcome = run(council, {"many.csv": csv_bytes(rows)})
    expected = "_copy_rows" if connection.vendor == "postgresql" else "_insert_rows"
    assert {name for name, _ in calls} == {expected}
    assert sum(n for _, n in calls) == 1201 == outcome.imported
    totals = selectors.spend_totals(council)
    assert totals.transactions == 1201
    assert totals.pennies == sum(int(r[1].replace(".", "")) for r in rows)


@pytest.mark.parametrize("reader", ["duckdb", "row reader"])
def test_an_amount_too_large_for_a_payment_is_a_rejected_row(
    council: Council, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wholecouncil.spend.engine.columnar import Stage

    if reader == "row reader":
        monkeypatch.setattr(Stage, "add_csv", lambda self, *a, **k: False)
    rows = [*ROWS, ["Big Typo Ltd", "4000123456789", "07/12/2025"] + [""] * 4]
    rows.append(["Huge Ltd", "£99,999,999,999,999.99", "06/12/2025"] + [""] * 4)
    rows.append(["Largest Ltd", "999,999,999,999.99", "06/12/2025"] + [""] * 4)
    outcome = run(council, {"huge.csv": csv_bytes(rows)})
    assert not outcome.ok and not Transaction.objects.filter(council=council).exists()
    assert [(r.file, r.row, r.column) for r in outcome.rejections] == [
        ("huge.csv", 7, "Net Amount"),
        ("huge.csv", 8, "Net Amount"),
    ]
    assert "'4000123456789' is more than £999,999,999,999.99, the most an amount can be" in str(
        outcome.rejections[0]
    )
    kept = run(council, {"huge.csv": csv_bytes(rows)}, skip_rejected=True)
    assert kept.imported == len(ROWS) + 1
    assert selectors.spend_totals(council).total == EXPECTED + Decimal("999999999999.99")
    for name in ("spend_totals", "by_supplier", "by_month"):  # the pages' sums still read back
        assert getattr(selectors, name)(council) is not None


def test_payments_adding_up_to_more_than_an_import_holds_are_refused(council: Council) -> None:
    rows = [[f"Supplier {i}", "999999999999.99", "01/04/2024"] + [""] * 4 for i in range(101)]
    outcome = run(council, {"many.csv": csv_bytes(rows)}, skip_rejected=True)
    assert not outcome.ok and outcome.file_problems == 1
    assert not Transaction.objects.filter(council=council).exists()
    (problem,) = outcome.rejections
    assert problem.file == "many.csv" and problem.row is None
    assert "add up to more than £99,999,999,999,999.99" in problem.message
    assert outcome.spend_import.status == SpendImport.Status.FAILED
    stored = SpendImport.objects.get(pk=outcome.spend_import.pk)  # it can be stored and read back
    assert stored.total == 0 and stored.rejected[0]["message"] == problem.message


@pytest.mark.parametrize("content", [csv_bytes([]), xlsx_bytes([]), csv_bytes([[""] * 7, [""] * 7])])
def test_files_with_no_payments_are_a_problem_not_an_empty_import(council: Council, content: bytes) -> None:
    outcome = run(council, {"a.csv": content, "b.csv": content})
    assert not outcome.ok and outcome.file_problems == 1
    (problem,) = outcome.rejections
    assert (problem.file, problem.row) == ("a.csv, b.csv", None)
    assert problem.message == "there are no payments under the headers"
    assert outcome.spend_import.status == SpendImport.Status.FAILED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF-1.4 junk", "notes.pdf: this is a PDF document, not a CSV or Excel (.xlsx) file"),
        ("scan.csv", b"%PDF-1.7\n...", "scan.csv: this is a PDF document, not a CSV or Excel (.xlsx) file"),
        ("letter.docx", zip_bytes({"word/document.xml": b"<w/>"}), "letter.docx: this is a Word document"),
        ("corrupt.xlsx", b"PK\x03\x04" + b"\x00" * 40, "corrupt.xlsx: the Excel workbook is damaged"),
    ],
)
def test_files_that_are_not_tables_are_refused_by_what_they_are(
    council: Council, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(services.SpendImportError) as caught:
        run(council, {"good.csv": csv_bytes(), name: content})
    assert str(caught.value).startswith(message)
    assert not Transaction.objects.filter(council=council).exists()


def test_files_of_one_import_are_taken_in_turn_so_a_repeated_payment_is_not_doubled(council: Council) -> None:
    head = ["Supplier Name", "Amount", "Payment Date", "Transaction Number"]
    april = csv_bytes([["A Ltd", "10.00", "01/04/2024", "T1"], ["B Ltd", "20.00", "15/04/2024", "T2"]], head)
    may = csv_bytes([["B Ltd", "20.00", "15/04/2024", "T2"], ["C Ltd", "30.00", "02/05/2024", "T3"]], head)
    outcome = run(council, {"april.csv": april, "may.csv": may})
    assert (outcome.imported, outcome.already) == (3, 1)
    assert selectors.spend_totals(council).total == Decimal("60.00")
    again = run(council, {"year.zip": zip_bytes({"a/april.csv": april, "b/april.csv": april})})
    assert again.imported == 0
    # Within one file identical rows are separate payments; across files the larger count wins.
    twice = [["D Ltd", "5.00", "03/06/2024", ""]] * 2
    thrice = [["D Ltd", "5.00", "03/06/2024", ""]] * 3
    outcome = run(council, {"j1.csv": csv_bytes(twice, head), "j2.csv": csv_bytes(thrice, head)})
    assert (outcome.imported, outcome.already) == (3, 2)
    fingerprints = Transaction.objects.filter(council=council).values_list("fingerprint", flat=True)
    assert len(set(fingerprints)) == len(fingerprints) == 6
    # A row without a reference matches one with it in an earlier file, as across imports.
    bare = ["Supplier Name", "Amount", "Payment Date"]
    outcome = run(
        council,
        {
            "e1.csv": csv_bytes([["E Ltd", "7.00", "04/06/2024", "T9"]], head),
            "e2.csv": csv_bytes([["E Ltd", "7.00", "04/06/2024"]], bare),
        },
    )
    assert (outcome.imported, outcome.already) == (1, 1)


def test_names_differing_by_an_accent_are_different_suppliers(council: Council) -> None:
    run(council, {"cy1.csv": csv_bytes([["Siân Jones", "100.00", "01/04/2024"] + [""] * 4])})
    outcome = run(council, {"cy2.csv": csv_bytes([["Siôn Jones", "100.00", "01/04/2024"] + [""] * 4])})
    assert (outcome.imported, outcome.already) == (1, 0)
    same = run(council, {"cy3.csv": csv_bytes([["SIAN JONES", "100.00", "01/04/2024"] + [""] * 4])})
    assert (same.imported, same.already) == (0, 1)


def test_a_preamble_of_label_value_pairs_is_passed_over(council: Council) -> None:
    content = csv_bytes(ROWS, preamble=["Organisation:,Wirral Council,Period:,April 2024,,,"])
    outcome = run(council, {"wirral.csv": content})
    assert outcome.ok and outcome.imported == len(ROWS)
    assert selectors.spend_totals(council).total == EXPECTED


def test_each_sheet_of_a_workbook_is_a_table_and_a_notes_sheet_is_passed_over(council: Council) -> None:
    from openpyxl import Workbook

    from wholecouncil.spend.engine import SpendSource
    from wholecouncil.spend.services.imports import spend_tables

    book = Workbook()
    april = book.active
    assert april is not None
    april.title = "April"
    april.append(["Supplier Name", "Amount", "Payment Date"])
    april.append(["A Ltd", 10, "01/04/2024"])
    may = book.create_sheet("May")
    may.append(["Supplier", "Net Amount", "Date Paid"])
    may.append(["B Ltd", 20.5, "02/05/2024"])
    notes = book.create_sheet("Notes")
    notes.append(["About these figures", "Published monthly"])
    hidden = book.create_sheet("Old")
    hidden.append(["Supplier Name", "Amount", "Payment Date"])
    hidden.append(["C Ltd", 99, "01/01/2024"])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    tables, passed = spend_tables([SpendSource.from_bytes("year.xlsx", content)])
    assert [t.name for t in tables] == ["year.xlsx/April", "year.xlsx/May"]
    assert passed == [("year.xlsx/Notes", "it has no supplier, amount and date columns")]
    outcome = run(council, {"year.xlsx": content})
    assert outcome.ok and outcome.imported == 2
    assert selectors.spend_totals(council).total == Decimal("30.50")
    again = run(council, {"year.zip": zip_bytes({"year.xlsx": content})})  # a workbook in a ZIP too
    assert again.ok and (again.imported, again.already) == (0, 2)


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_whose_data_is_not_on_its_first_sheet_is_read(council: Council) -> None:
    content = _workbook(
        {"Cover": [], "Data": [["Supplier Name", "Amount", "Payment Date"], ["A Ltd", 5, "01/04/2024"]]}
    )
    outcome = run(council, {"book.xlsx": content})
    assert outcome.ok and outcome.imported == 1


def test_sheets_with_headers_nothing_suggests_fall_back_to_the_first_for_matching_by_hand(
    council: Council,
) -> None:
    from wholecouncil.spend.engine import SpendSource
    from wholecouncil.spend.services.imports import spend_tables

    odd = [["Merchant", "Total", "Transaction date"], ["A Ltd", 5, "01/04/2024"]]
    content = _workbook({"April": odd, "May": odd})
    tables, passed = spend_tables([SpendSource.from_bytes("cards.xlsx", content)])
    assert [t.name for t in tables] == ["cards.xlsx/April"] and passed == []
    outcome = run(council, {"cards.xlsx": content}, columns={"supplier": "Merchant", "amount": "Total"})
    assert outcome.ok and outcome.imported == 1
