"""Several files with different layouts in one import: each layout matched on its own; no file dropped."""

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
from wholecouncil.spend.engine import SpendSource
from wholecouncil.spend.engine.layouts import group_layouts, with_columns
from wholecouncil.spend.models import SpendImport, Transaction
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, zip_bytes

pytestmark = pytest.mark.django_db
OTHER = ["Vendor", "Date Paid", "Value (GBP)", "Description"]  # a later file, in another template
OTHER_ROWS = [["Zed Ltd", "02/06/2024", "40.00", "Paper"], ["Bolt Plc", "03/06/2024", "60.00", "Salt"]]


def _year() -> bytes:
    return zip_bytes(
        {
            "april.csv": csv_bytes(ROWS[:3]),
            "may.csv": csv_bytes(ROWS[3:]),
            "june.csv": csv_bytes(OTHER_ROWS, OTHER),
        }
    )


def test_tables_are_grouped_by_their_headers_whatever_the_order() -> None:
    layouts = group_layouts([("a", ["X", "Y"]), ("b", ["Supplier", "Amount"]), ("c", ["Y", "X"])])
    assert [layout.tables for layout in layouts] == [["a", "c"], ["b"]]
    assert layouts[1].mapping == {"supplier": "Supplier", "amount": "Amount"}


def test_overrides_apply_where_the_header_exists() -> None:
    headers = ["Supplier Name", "Amount", "Paid On", "Purpose"]
    assert with_columns(headers, {"date": "Paid On", "purpose": "", "org_unit": "Directorate"}) == {
        "supplier": "Supplier Name",
        "amount": "Amount",
        "date": "Paid On",
    }
    assert with_columns(headers, {"supplier": "Purpose"})["supplier"] == "Purpose"
    assert "purpose" not in with_columns(headers, {"supplier": "Purpose"})


def test_a_zip_of_two_layouts_imports_every_file(council: Council) -> None:
    outcome = services.spend_import_run(
        council=council, sources=[SpendSource.from_bytes("year.zip", _year())], actor=None
    )
    assert outcome.ok and outcome.imported == 7
    layouts = outcome.spend_import.layouts
    assert [layout["tables"] for layout in layouts] == [
        ["year.zip/april.csv", "year.zip/may.csv"],
        ["year.zip/june.csv"],
    ]
    assert layouts[1]["mapping"]["amount"] == "Value (GBP)"
    assert selectors.summary(council)["by_month"]["2024-06"] == {"transactions": 2, "total": "100.00"}


def test_the_web_mapping_step_shows_a_form_per_layout(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)
    client.post(
        reverse("spend:import_upload", args=[council.slug]),
        {"spend_files": [SimpleUploadedFile("year.zip", _year())]},
    )
    imp = SpendImport.objects.get(council=council)
    page = client.get(reverse("spend:import_map", args=[council.slug, imp.pk]))
    content = page.content.decode()
    assert "2 different sets of columns" in content
    assert 'name="layout0-amount"' in content and 'name="layout1-amount"' in content
    assert '<option value="Value (GBP)" selected>' in content  # the second layout's own suggestion
    data = {"window_days": "14"}
    for i, layout in enumerate(imp.layouts):
        data.update({f"layout{i}-{k}": v for k, v in layout["mapping"].items()})
    data["layout1-purpose"] = ""  # a person changes one layout only
    client.post(reverse("spend:import_map", args=[council.slug, imp.pk]), data)
    imp.refresh_from_db()
    assert imp.status == SpendImport.Status.CHECKED and imp.rows_read == 7
    assert "purpose" in imp.layouts[0]["mapping"] and "purpose" not in imp.layouts[1]["mapping"]
    client.post(reverse("spend:import_confirm", args=[council.slug, imp.pk]))
    assert Transaction.objects.filter(council=council).count() == 7
    assert not Transaction.objects.filter(council=council, alias__name="Zed Ltd").exclude(purpose="").exists()


def _call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("spend", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_columns_override_each_table_where_the_header_exists(council: Council, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_bytes(csv_bytes([["Acme", "10", "01/04/2024", "x"]], ["Who", "Amount", "When", "Note"]))
    second = tmp_path / "second.csv"
    second.write_bytes(csv_bytes([["Bolt", "01/05/2024", "20"]], ["Supplier Name", "Payment Date", "Amount"]))
    out, _ = _call(
        "import", str(first), str(second), "--council", council.slug, "--columns", "supplier=Who,date=When",
        "--no-progress",
    )  # fmt: skip
    assert "first.csv: columns supplier <- Who, amount <- Amount, date <- When" in out
    assert "second.csv: columns supplier <- Supplier Name, amount <- Amount, date <- Payment Date" in out
    assert "Imported 2 payments" in out
    assert set(Transaction.objects.values_list("alias__name", flat=True)) == {"Acme", "Bolt"}


def test_cli_missing_required_column_names_the_file(council: Council, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(ROWS))
    odd = tmp_path / "odd.csv"
    odd.write_bytes(csv_bytes([["Acme", "10"]], ["Who", "Amount"]))
    with pytest.raises(CommandError) as error:
        _call("import", str(good), str(odd), "--council", council.slug, "--no-progress")
    assert "odd.csv: Supplier name: choose the column" in str(error.value)
    assert "odd.csv: Payment date: choose the column" in str(error.value)
    assert "good.csv" not in str(error.value)
    assert not Transaction.objects.exists()


def test_skip_rejected_never_leaves_a_whole_file_out(council: Council) -> None:
    sources = [
        SpendSource.from_bytes("a.csv", csv_bytes()),
        SpendSource.from_bytes("b.csv", csv_bytes([["x", "y"]], ["Foo", "Bar"])),  # no columns to read
    ]
    outcome = services.spend_import_run(council=council, sources=sources, actor=None, skip_rejected=True)
    assert outcome.file_problems == 1 and not outcome.landed
    assert {e.file for e in outcome.rejections} == {"b.csv"}
    assert outcome.spend_import.status == SpendImport.Status.FAILED
    assert not Transaction.objects.filter(council=council).exists()


def test_cli_refuses_an_unreadable_file_even_with_skip_rejected(council: Council, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(ROWS))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(CommandError, match=r"broken\.xlsx"):
        _call("import", str(good), str(broken), "--council", council.slug, "--no-progress", "--skip-rejected")
    assert not Transaction.objects.exists()
