"""Matching a spend file's columns: `--columns` overrides (spelling, commas, one column for two fields),
suggestions (a supplier's reference is not the payment's number, net before gross), and ZIP members that
are not spend tables."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine import SpendSource, mapping_problems, suggest_mapping
from wholecouncil.spend.engine.layouts import ColumnsError, find_header, group_layouts, with_columns
from wholecouncil.spend.management.commands.spend import parse_columns
from wholecouncil.spend.models import SpendImport, Transaction
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, zip_bytes

GROSS = ["Supplier Name", "Amount", "Net Amount", "Payment Date"]
GROSS_ROWS = [["A Ltd", "120.00", "100.00", "01/04/2024"], ["B Ltd", "240.00", "200.00", "02/04/2024"]]
NOTES = b"These are the spend files for 2024.\nContact finance.\n"


def _call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("spend", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _file(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


# --- a header named in --columns --------------------------------------------------------------------


def test_a_header_is_found_ignoring_case_and_runs_of_spaces_exact_first() -> None:
    assert find_header(GROSS, "net amount") == "Net Amount"
    assert find_header(GROSS, "  Net   AMOUNT ") == "Net Amount"
    assert find_header(["amount", "Amount"], "Amount") == "Amount"  # written exactly so: no doubt
    assert find_header(GROSS, "Net Amont") is None
    with pytest.raises(ColumnsError, match="could be any of the columns 'amount', 'Amount'"):
        find_header(["amount", "Amount"], "AMOUNT")
    assert with_columns(GROSS, {"amount": "net  amount"})["amount"] == "Net Amount"


@pytest.mark.django_db
@pytest.mark.parametrize("named", ["net amount", "Net  Amount", "NET AMOUNT"])
def test_cli_columns_differing_in_case_or_spacing_read_the_named_column(
    council: Council, tmp_path: Path, named: str
) -> None:
    path = _file(tmp_path, "gross.csv", csv_bytes(GROSS_ROWS, GROSS))
    out, _ = _call("import", path, "--council", council.slug, "--no-progress", "--columns", f"amount={named}")
    assert "amount <- Net Amount" in out and "suggested instead" not in out
    assert selectors.summary(council)["total"] == "300.00"  # the net amounts, not the gross


@pytest.mark.django_db
def test_cli_columns_naming_a_header_no_file_has_is_an_error(council: Council, tmp_path: Path) -> None:
    path = _file(tmp_path, "gross.csv", csv_bytes(GROSS_ROWS, GROSS))
    with pytest.raises(CommandError) as error:
        _call("import", path, "--council", council.slug, "--no-progress", "--columns", "amount=Net Amont")
    message = str(error.value)
    assert "no file has the column 'Net Amont' (for amount)" in message
    assert "gross.csv has the columns: Supplier Name, Amount, Net Amount, Payment Date" in message
    assert not Transaction.objects.exists()


def test_an_override_for_no_table_is_refused_listing_each_layouts_headers() -> None:
    tables = [("a.csv", ["Supplier", "Amount", "Date"]), ("b.csv", ["Vendor", "Value", "Paid"])]
    with pytest.raises(ColumnsError) as error:
        group_layouts(tables, {"amount": "Nett"})
    assert "a.csv has the columns: Supplier, Amount, Date; b.csv has the columns: Vendor, Value, Paid" in str(
        error.value
    )
    assert group_layouts(tables, {"amount": "value"})[1].mapping["amount"] == "Value"  # in one table: fine


@pytest.mark.django_db
def test_cli_says_clearly_where_an_override_does_not_apply(council: Council, tmp_path: Path) -> None:
    gross = _file(tmp_path, "gross.csv", csv_bytes(GROSS_ROWS, GROSS))
    other = _file(
        tmp_path, "other.csv", csv_bytes([["C Ltd", "10", "03/04/2024"]], ["Supplier", "Nett", "Date"])
    )
    out, _ = _call(
        "import", gross, other, "--council", council.slug, "--no-progress", "--columns", "amount=Net Amount"
    )
    note = (
        "(--columns amount=Net Amount does not apply: "
        "no column 'Net Amount' here; amount <- Nett as suggested)"
    )
    assert note in out
    assert out.count("does not apply") == 1  # only under other.csv
    assert selectors.summary(council)["total"] == "310.00"


# --- commas in a header -----------------------------------------------------------------------------


def test_a_comma_starts_a_new_pair_only_before_a_field_name() -> None:
    assert parse_columns("amount=Amount (£, net)") == {"amount": "Amount (£, net)"}
    assert parse_columns("supplier=Vendor, Name,amount=Amount (£, net), date = Paid,purpose=") == {
        "supplier": "Vendor, Name",
        "amount": "Amount (£, net)",
        "date": "Paid",
        "purpose": "",
    }
    assert parse_columns("supplier=Vendor,") == {"supplier": "Vendor"}
    with pytest.raises(CommandError, match="'amont' is not a field"):
        parse_columns("amont=Net,supplier=Vendor")
    with pytest.raises(CommandError, match="amount is named twice"):
        parse_columns("amount=Net,amount=Gross")


@pytest.mark.django_db
def test_cli_columns_can_name_a_header_with_a_comma(council: Council, tmp_path: Path) -> None:
    headers = ["Supplier Name", "Amount", "Amount (£, net)", "Payment Date"]
    path = _file(tmp_path, "comma.csv", csv_bytes([["A Ltd", "120.00", "100.00", "01/04/2024"]], headers))
    out, _ = _call(
        "import", path, "--council", council.slug, "--no-progress", "--columns", "amount=Amount (£, net)"
    )
    assert "amount <- Amount (£, net)" in out
    assert selectors.summary(council)["total"] == "100.00"


# --- one header for two fields ----------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_refuses_one_header_for_two_fields_as_the_mapping_form_does(
    council: Council, tmp_path: Path
) -> None:
    headers = ["Supplier Name", "Nett", "Payment Date"]
    path = _file(tmp_path, "nett.csv", csv_bytes([["A Ltd", "10.00", "01/04/2024"]], headers))
    with pytest.raises(CommandError) as error:
        _call(
            "import",
            path,
            "--council",
            council.slug,
            "--no-progress",
            "--columns",
            "amount=Nett,purpose=nett",
        )
    web = dict(mapping_problems(headers, {"supplier": "Supplier Name", "amount": "Nett", "purpose": "Nett"}))
    assert web["purpose"] == "Expense type or purpose: 'Nett' is already used for Amount"
    assert str(error.value) == f"--columns: {web['purpose']}"
    assert not Transaction.objects.exists()
    # a category's label and code may share a column, as on the form
    assert with_columns(
        ["S", "Amount", "Date", "Cat"], {"category_label": "Cat", "category_code": "Cat"}
    ) == {
        "amount": "Amount",
        "date": "Date",
        "category_label": "Cat",
        "category_code": "Cat",
    }


# --- suggestions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Creditor Reference", "supplier_ref"),
        ("Creditor Ref No", "supplier_ref"),
        ("Creditor Ref", "supplier_ref"),
        ("Creditor Number", "supplier_ref"),
        ("Vendor Reference", "supplier_ref"),
        ("Supplier Ref", "supplier_ref"),
        ("Supplier No.", "supplier_ref"),
        ("Beneficiary Reference", "supplier_ref"),
        ("Creditor Reference Number", "supplier_ref"),  # more specific than the catch-all "reference"
        ("Reference", "transaction_ref"),
        ("Our Reference", "transaction_ref"),
        ("Payment Reference", "transaction_ref"),
        ("Company Reg Number", "company_number"),
        ("Company Registration Number", "company_number"),
    ],
)
def test_references_and_numbers_are_suggested_for_their_own_field(header: str, field: str) -> None:
    mapping = suggest_mapping(["Creditor Name", "Amount", "Payment Date", "Invoice Number", header])
    assert {name for name, h in mapping.items() if h == header} == {field}


@pytest.mark.parametrize(
    ("headers", "amount"),
    [
        (["Gross Amount", "Net Amount"], "Net Amount"),
        (["Gross Amount", "Net"], "Net"),
        (["Gross", "Nett"], "Nett"),
        (["Gross Amount", "Amount Net"], "Amount Net"),
        (["Gross Amount (£)", "Line Amount (£)"], "Line Amount (£)"),
        (["Gross Amount"], "Gross Amount"),  # the only amount there is
        (["VAT Amount", "Gross Amount"], "Gross Amount"),
        (["Amount", "Gross Amount"], "Amount"),
    ],
)
def test_a_gross_amount_is_suggested_only_when_there_is_no_other(headers: list[str], amount: str) -> None:
    assert suggest_mapping(["Supplier Name", "Payment Date", *headers])["amount"] == amount


def test_trafford_headers_are_matched_as_before(shared_data_dir: Path) -> None:
    """../shared/data/samples/trafford-supplier-spend-2024-25.zip, its headers read from the file."""
    source = SpendSource.from_path(shared_data_dir / "samples" / "trafford-supplier-spend-2024-25.zip")
    (table,) = services.tables_of([source])
    assert suggest_mapping(services.imports.headers_of(table)) == {
        "supplier": "BeneficiaryName",
        "amount": "Amount",
        "date": "PaymentDate",
        "category_label": "ProclassLabel",
        "category_code": "ProclassCode",
        "purpose": "Purpose",
        "org_unit": "OrganisationalUnit",
        "invoice_ref": "InvoiceNumber",
        "transaction_ref": "TransactionNumber",
        "vat_number": "VATRegistrationNumber",
        "supplier_ref": "BeneficiaryOtherID",
    }


@pytest.mark.django_db
def test_a_creditor_reference_does_not_hide_an_invoice_paid_twice(council: Council) -> None:
    headers = ["Creditor Name", "Creditor Reference", "Amount", "Payment Date", "Invoice Number"]
    rows = [
        ["Acme Ltd", "C100", "1500.00", "01/04/2024", "INV-77"],
        ["Acme Ltd", "C100", "1500.00", "08/04/2024", "INV-77"],
        ["Bee Ltd", "C200", "900.00", "01/04/2024", "B1"],
    ]
    outcome = services.spend_import_run(
        council=council, sources=[SpendSource.from_bytes("cred.csv", csv_bytes(rows, headers))], actor=None
    )
    assert outcome.spend_import.layouts[0]["mapping"]["supplier_ref"] == "Creditor Reference"
    assert "transaction_ref" not in outcome.spend_import.layouts[0]["mapping"]
    assert selectors.summary(council)["duplicate_candidates_open"] == 1


# --- ZIP members that are not spend tables ----------------------------------------------------------


def _year_with_notes() -> bytes:
    return zip_bytes(
        {"2024/april.csv": csv_bytes(ROWS[:3]), "2024/may.csv": csv_bytes(ROWS[3:]), "notes.txt": NOTES}
    )


@pytest.mark.django_db
def test_cli_passes_over_a_zip_member_that_is_not_a_spend_table(council: Council, tmp_path: Path) -> None:
    path = _file(tmp_path, "year.zip", _year_with_notes())
    out, _ = _call("import", path, "--council", council.slug, "--no-progress")
    assert "passed over year.zip/notes.txt: it has no supplier, amount or date columns" in out
    assert "Imported 5 payments" in out
    imp = SpendImport.objects.get(council=council)
    assert imp.file_names == ["year.zip/2024/april.csv", "year.zip/2024/may.csv"]


@pytest.mark.django_db
def test_a_file_on_its_own_is_never_passed_over(council: Council, tmp_path: Path) -> None:
    path = _file(tmp_path, "notes.txt", NOTES)
    with pytest.raises(CommandError, match=r"notes\.txt: Supplier name: choose the column"):
        _call("import", path, "--council", council.slug, "--no-progress")
    only_notes = _file(tmp_path, "notes.zip", zip_bytes({"notes.txt": NOTES, "readme.csv": b"About,These\n"}))
    with pytest.raises(CommandError) as error:
        _call("import", only_notes, "--council", council.slug, "--no-progress")
    assert "notes.zip: none of the tables in it is a spend table" in str(error.value)
    assert "notes.zip/notes.txt: it has no supplier, amount or date columns" in str(error.value)
    assert not Transaction.objects.exists()


@pytest.mark.django_db
def test_the_web_upload_records_the_members_passed_over(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)
    client.post(
        reverse("spend:import_upload", args=[council.slug]),
        {"spend_files": [SimpleUploadedFile("year.zip", _year_with_notes())]},
    )
    imp = SpendImport.objects.get(council=council)
    assert imp.summary["passed_over"] == [
        {"file": "year.zip/notes.txt", "reason": "it has no supplier, amount or date columns"}
    ]
    assert [layout["tables"] for layout in imp.layouts] == [
        ["year.zip/2024/april.csv", "year.zip/2024/may.csv"]
    ]
    page = client.get(reverse("spend:import_map", args=[council.slug, imp.pk])).content.decode()
    assert "1 table in the files is passed over, as not payments" in page
    assert "<li>year.zip/notes.txt: it has no supplier, amount or date columns</li>" in page
    data = {"window_days": "14", **{f"layout0-{k}": v for k, v in imp.layouts[0]["mapping"].items()}}
    client.post(reverse("spend:import_map", args=[council.slug, imp.pk]), data)
    imp.refresh_from_db()
    assert imp.status == SpendImport.Status.CHECKED and imp.rows_read == 5
    assert imp.summary["passed_over"]  # kept by the check
    client.post(reverse("spend:import_confirm", args=[council.slug, imp.pk]))
    assert Transaction.objects.filter(council=council).count() == 5
