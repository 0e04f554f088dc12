"""Spend pages: the import flow, reviews, permissions and tenancy."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.spend import selectors
from wholecouncil.spend.engine import SpendSource, open_table
from wholecouncil.spend.engine.contracts import ContractRow
from wholecouncil.spend.models import (
    ContractsUpload,
    DuplicateCandidate,
    MergeDecision,
    SpendImport,
    Transaction,
)
from wholecouncil.spend.services import contracts_replace
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run, zip_bytes

pytestmark = pytest.mark.django_db


def url(name: str, council: Council, *args: object) -> str:
    return reverse(f"spend:{name}", args=[council.slug, *args])


def posted(imp: SpendImport) -> dict[str, str]:
    """The mapping page's fields, filled with the suggested columns of each layout."""
    return {
        f"layout{i}-{name}": header
        for i, layout in enumerate(imp.layouts)
        for name, header in layout["mapping"].items()
    }


def test_upload_map_check_confirm(council: Council, client_for: Callable[..., Client]) -> None:
    client = client_for(council, Role.FINANCE)
    files = [
        SimpleUploadedFile("april.csv", csv_bytes(ROWS[:3])),
        SimpleUploadedFile("may.zip", zip_bytes({"may.csv": csv_bytes(ROWS[3:])})),
    ]
    response = client.post(url("import_upload", council), {"spend_files": files})
    imp = SpendImport.objects.get(council=council)
    assert response.status_code == 302 and response["Location"] == url("import_map", council, imp.pk)
    page = client.get(url("import_map", council, imp.pk))
    assert page.status_code == 200 and b'<option value="Supplier Name" selected>' in page.content
    response = client.post(url("import_map", council, imp.pk), {**posted(imp), "window_days": "10"})
    assert response["Location"] == url("import_check", council, imp.pk)
    page = client.get(url("import_check", council, imp.pk))
    assert b"Confirm import" in page.content and b"12,136.99" in page.content
    response = client.post(url("import_confirm", council, imp.pk))
    assert response["Location"] == url("import_detail", council, imp.pk)
    imp.refresh_from_db()
    assert imp.status == SpendImport.Status.COMPLETED and imp.rows_imported == 5
    assert imp.options["window_days"] == 10
    for name in ("overview", "suppliers", "categories", "contracts", "duplicates", "imports", "merges"):
        assert client.get(url(name, council)).status_code == 200, name
    assert client.get(url("import_detail", council, imp.pk)).status_code == 200
    export = client.get(url("export", council))
    assert export.status_code == 200 and export.content.startswith(b"PK")


def test_mapping_errors_and_rejected_rows(council: Council, client_for: Callable[..., Client]) -> None:
    client = client_for(council, Role.FINANCE)
    bad = csv_bytes([*ROWS, ["X", "ten", "01/04/2024", "", "", "", ""]])
    client.post(url("import_upload", council), {"spend_files": [SimpleUploadedFile("bad.csv", bad)]})
    imp = SpendImport.objects.get(council=council)
    page = client.post(url("import_map", council, imp.pk), {"layout0-supplier": "", "window_days": "14"})
    assert b"Choose the column that holds the supplier name" in page.content
    client.post(url("import_map", council, imp.pk), {**posted(imp), "window_days": "14"})
    page = client.get(url("import_check", council, imp.pk))
    assert b"bad.csv" in page.content and b"&#x27;ten&#x27; is not an amount of money" in page.content
    table = page.content.decode().split('id="errors"')[1].split("</table>")[0]
    assert "1 rejected row</caption>" in table and ">Reason</th>" in table
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', table)
    assert cells[:3] == ["bad.csv", str(len(ROWS) + 2), "Net Amount"], cells
    readable = page.content.decode().split('id="readable"')[1]
    assert "£12,136.99" in readable and "Rows by month of payment" in readable  # what skipping would import
    client.post(url("import_confirm", council, imp.pk))
    assert not Transaction.objects.exists()
    client.post(url("import_confirm", council, imp.pk), {"skip_rejected": "1"})
    assert Transaction.objects.filter(council=council).count() == 5


def test_upload_refuses_a_bad_file(council: Council, client_for: Callable[..., Client]) -> None:
    client = client_for(council, Role.FINANCE)
    page = client.post(
        url("import_upload", council), {"spend_files": [SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0junk")]}
    )
    assert b"old-style Excel workbook" in page.content
    assert not SpendImport.objects.exists()
    files = [SimpleUploadedFile("good.csv", csv_bytes()), SimpleUploadedFile("notes.pdf", b"%PDF-1.4 junk")]
    page = client.post(url("import_upload", council), {"spend_files": files})
    assert b"notes.pdf: this is a PDF document, not a CSV or Excel (.xlsx) file" in page.content
    assert not SpendImport.objects.exists()


def test_reviews_are_recorded_and_audited(council: Council, client_for: Callable[..., Client]) -> None:
    rows = [*ROWS, ["Northern Cleaning Ltd", "5", "01/04/2024", "", "", "", "GB812311286"]]
    rows.append(["Northern Cleaning UK Services", "6", "01/04/2024", "", "", "", "812311286"])
    run(council, {"a.csv": csv_bytes(rows)})
    client = client_for(council, Role.FINANCE)
    merge = MergeDecision.objects.filter(council=council, status="proposed").first()
    assert merge is not None
    client.post(url("merge_decide", council, merge.pk), {"decision": "reject"})
    merge.refresh_from_db()
    assert merge.status == MergeDecision.Status.REJECTED
    candidate = DuplicateCandidate.objects.filter(council=council).first()
    assert candidate is not None
    assert client.get(url("duplicate_review", council, candidate.pk)).status_code == 200
    client.post(
        url("duplicate_review", council, candidate.pk), {"outcome": "confirmed", "note": "Refund asked"}
    )
    candidate.refresh_from_db()
    assert candidate.outcome == "confirmed" and candidate.note == "Refund asked"
    client.post(url("rule_add", council), {"field": "purpose", "contains": "salt", "category": "Highways"})
    assert "Highways" in selectors.spend_baseline(council)
    actions = set(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert {
        "spend.import",
        "spend.supplier_merge.reject",
        "spend.duplicate.review",
        "spend.category_rule.add",
    } <= actions


def test_contracts_import_and_analysis(council: Council, client_for: Callable[..., Client]) -> None:
    run(council, {"a.csv": csv_bytes()})
    client = client_for(council, Role.FINANCE)
    headers = ["Ref", "Awarded to", "Title", "Begins", "Expiry Date", "Contract value"]
    register = csv_bytes(
        [
            ["C-1", "Bolt plc", "Road salt", "01/01/2024", "31/12/2025", "5000"],
            ["C-2", "Acme", "Cleaning", "x", "y", "1"],
        ],
        headers,
    )
    response = client.post(url("contracts_import", council), {"file": SimpleUploadedFile("c.csv", register)})
    upload = ContractsUpload.objects.get(council=council)
    assert response["Location"] == url("contracts_map", council, upload.pk)
    page = client.get(url("contracts_map", council, upload.pk))
    assert b'<option value="Awarded to" selected>' in page.content  # suggested from the headers
    assert b'<option value="Begins" selected>' not in page.content  # not a synonym: to be chosen
    chosen = {**upload.mapping, "start": "Begins"}
    page = client.post(url("contracts_map", council, upload.pk), chosen)
    assert b"row 3" not in page.content and b"is not a date" in page.content
    assert b"c.csv" in page.content and not selectors.contracts(council)
    good = csv_bytes([["C-1", "BOLT PLC", "Road salt", "01/01/2024", "31/12/2025", "5000"]], headers)
    client.post(url("contracts_import", council), {"file": SimpleUploadedFile("c.csv", good)})
    upload = ContractsUpload.objects.filter(council=council).first()
    assert upload is not None
    response = client.post(url("contracts_map", council, upload.pk), chosen)
    assert response["Location"] == url("contracts", council)
    lines = selectors.contracts(council)
    assert len(lines) == 1 and lines[0].contract.supplier_id
    assert lines[0].spent == Decimal("9749.49") and lines[0].over == Decimal("4749.49")  # 9,999.99 - 250.50
    count, pennies, _ = selectors.off_contract(council)
    assert count == 3 and pennies == 240000 - 1250
    assert client.get(url("contracts", council)).status_code == 200
    assert client.get(url("contracts_map", council, upload.pk))["Location"] == url("contracts", council)


def test_councillor_reads_but_changes_nothing(council: Council, client_for: Callable[..., Client]) -> None:
    outcome = run(council, {"a.csv": csv_bytes()})
    client = client_for(council, Role.COUNCILLOR)
    assert client.get(url("overview", council)).status_code == 200
    assert client.get(url("import_upload", council)).status_code == 403
    assert client.post(url("import_confirm", council, outcome.spend_import.pk)).status_code == 403
    candidate = DuplicateCandidate.objects.filter(council=council).first()
    assert candidate is not None
    assert (
        client.post(url("duplicate_review", council, candidate.pk), {"outcome": "confirmed"}).status_code
        == 403
    )
    page = client.get(url("duplicates", council)).content.decode()
    link = url("duplicate_review", council, candidate.pk)
    assert f'href="{link}">To review<span' in page  # read, not review: the outcome links to the payments
    detail = client.get(link).content.decode()
    assert "Record the review" not in detail and "<form" not in detail.split('id="main-content"')[1]


def test_other_councils_objects_are_not_found(council: Council, make_council, client_for) -> None:  # type: ignore[no-untyped-def]
    other = make_council()
    outcome = run(other, {"a.csv": csv_bytes()})
    candidate = DuplicateCandidate.objects.filter(council=other).first()
    assert candidate is not None
    contracts_replace(council=other, rows=[], actor=None)
    client = client_for(council, Role.ADMIN)
    assert client.get(url("import_detail", council, outcome.spend_import.pk)).status_code == 404
    assert client.get(url("duplicate_review", council, candidate.pk)).status_code == 404
    assert client.get(url("overview", other)).status_code == 404


def test_pages_with_no_spend(council: Council, client_for: Callable[..., Client]) -> None:
    client = client_for(council, Role.ADMIN)
    for name in ("overview", "suppliers", "categories", "contracts", "duplicates", "imports", "merges"):
        assert client.get(url(name, council)).status_code == 200, name


def test_list_pages_do_not_query_per_row(
    council: Council,
    client_for: Callable[..., Client],
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    run(council, {"a.csv": csv_bytes([*ROWS * 6])})
    client = client_for(council, Role.ADMIN)
    for name in ("duplicates", "overview", "suppliers", "merges"):
        with django_assert_max_num_queries(25):
            client.get(url(name, council))


def test_contract_row_type() -> None:
    assert ContractRow.__dataclass_fields__["pennies"]


def test_overview_shows_concentration_and_org_unit_figures(
    council: Council, client_for: Callable[..., Client]
) -> None:
    headers = ["Supplier", "Amount", "Date", "Service Area"]
    rows = [
        ["Big Care Ltd", "7000", "01/04/2024", "Adult Social Care"],
        ["Big Care Ltd", "1000", "02/04/2024", "Children's Services"],
        ["Roads Co", "1000", "03/04/2024", "Highways"],
        ["Paper Ltd", "600", "04/04/2024", "Highways"],
        ["Ink Ltd", "400", "05/04/2024", ""],
        ["Refunds Ltd", "-50", "06/04/2024", "Highways"],
    ]
    run(council, {"c.csv": csv_bytes(rows, headers)})
    concentration = selectors.supplier_concentration(council)
    assert (concentration.suppliers, concentration.of_suppliers) == (1, 4)  # £8,000 of £10,000
    page = client_for(council, Role.COUNCILLOR).get(url("overview", council)).content.decode()
    assert "1 of 4 suppliers (25.0%) receive 80% of the spend" in page
    units = page[page.index("The 20 org units with most net spend</caption>") :]
    units = units[: units.index("</table>")]
    cells = [c.split(">")[-1] for c in units.split("</t")]
    assert (
        cells.index("Adult Social Care") < cells.index("Highways") < cells.index("Children&#x27;s Services")
    )
    assert "£7,000.00" in units and "£1,550.00" in units and "Not given" in units and "£400.00" in units
    assert {r.label: r.pennies for r in selectors.by_org_unit(council)}["Highways"] == 155000


def test_a_byte_order_mark_does_not_reach_the_headers_or_names(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.FINANCE)
    content = csv_bytes(encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")
    client.post(url("import_upload", council), {"spend_files": [SimpleUploadedFile("bom.csv", content)]})
    imp = SpendImport.objects.get(council=council)
    assert imp.layouts[0]["headers"][0] == "Supplier Name"  # not "\ufeffSupplier Name"
    assert imp.layouts[0]["mapping"]["supplier"] == "Supplier Name"
    first_column_only = csv_bytes([["ACME LTD"]], ["Supplier Name"], encoding="utf-8-sig")
    table = open_table(SpendSource.from_bytes("one.csv", first_column_only))
    assert table.headers == ("Supplier Name",) and next(iter(table.rows)) == (2, ["ACME LTD"])
