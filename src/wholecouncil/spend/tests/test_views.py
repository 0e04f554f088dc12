"""Spend pages: the import flow, reviews, permissions and tenancy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.spend import selectors
from wholecouncil.spend.engine.contracts import ContractRow
from wholecouncil.spend.models import DuplicateCandidate, MergeDecision, SpendImport, Transaction
from wholecouncil.spend.services import contracts_replace
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run, zip_bytes

pytestmark = pytest.mark.django_db


def url(name: str, council: Council, *args: object) -> str:
    return reverse(f"spend:{name}", args=[council.slug, *args])


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
    response = client.post(url("import_map", council, imp.pk), {**imp.mapping, "window_days": "10"})
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
    page = client.post(url("import_map", council, imp.pk), {"supplier": "", "window_days": "14"})
    assert b"Choose the column that holds the supplier name" in page.content
    client.post(url("import_map", council, imp.pk), {**imp.mapping, "window_days": "14"})
    page = client.get(url("import_check", council, imp.pk))
    assert b"bad.csv" in page.content and b"&#x27;ten&#x27; is not an amount of money" in page.content
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
    register = csv_bytes(
        [
            ["C-1", "Bolt plc", "Road salt", "01/01/2024", "31/12/2025", "5000"],
            ["C-2", "Acme", "Cleaning", "x", "y", "1"],
        ],
        ["Reference", "Supplier", "Title", "Start date", "End date", "Contract value"],
    )
    page = client.post(url("contracts_import", council), {"file": SimpleUploadedFile("c.csv", register)})
    assert b"row 3" not in page.content and b"is not a date" in page.content
    good = csv_bytes(
        [["C-1", "BOLT PLC", "Road salt", "01/01/2024", "31/12/2025", "5000"]],
        ["Reference", "Supplier", "Title", "Start date", "End date", "Contract value"],
    )
    client.post(url("contracts_import", council), {"file": SimpleUploadedFile("c.csv", good)})
    lines = selectors.contracts(council)
    assert (
        len(lines) == 1 and lines[0].contract.supplier_id and lines[0].over > 0
    )  # 9,999.99 - 250.50 > 5,000
    count, pennies, _ = selectors.off_contract(council)
    assert count == 3 and pennies == 240000 - 1250
    assert client.get(url("contracts", council)).status_code == 200


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
    page = client.get(url("duplicates", council))
    assert url("duplicate_review", council, candidate.pk).encode() not in page.content


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
