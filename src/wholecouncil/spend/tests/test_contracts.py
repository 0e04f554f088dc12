"""The contracts register: linking to suppliers in either order, off-contract spend at scale, review lists,
spend above value, open-ended contracts and contracts with no value, and the `wholecouncil spend contracts`
command."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine.contracts import ContractRow, read_contracts
from wholecouncil.spend.export import spend_workbook
from wholecouncil.spend.models import Contract, ContractsUpload, MergeDecision
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 15)


def _contract(reference: str, supplier: str, start: dt.date, end: dt.date, pounds: int = 1000) -> ContractRow:
    return ContractRow(reference, supplier, "", "", start, end, pounds * 100)


def test_a_register_imported_before_the_spend_is_linked_by_the_import(council: Council) -> None:
    services.contracts_replace(
        council=council,
        rows=[_contract("C-1", "Bolt PLC", dt.date(2024, 1, 1), dt.date(2024, 12, 31), 5000)],
        actor=None,
    )
    assert Contract.objects.get(council=council).supplier_id is None  # nobody paid yet
    run(council, {"a.csv": csv_bytes()})
    line = selectors.contracts(council)[0]
    assert line.contract.supplier is not None and line.contract.supplier.name == "Bolt Plc"
    assert line.spent == Decimal("9749.49") and line.over == Decimal("4749.49")
    count, pennies, rows = selectors.off_contract(council)
    assert (count, pennies) == (3, 240000 - 1250)
    assert {r.label for r in rows} == {"Acme Limited", "Café Nord"}


def test_a_merge_links_a_contract_to_the_merged_supplier(council: Council) -> None:
    rows = [
        ["Northern Cleaning Ltd", "100", "01/04/2024", "", "", "", "GB812311285"],
        ["Northern Cleaning UK Services", "200", "02/04/2024", "", "", "", "812311285"],
    ]
    run(council, {"s.csv": csv_bytes(rows)})
    services.contracts_replace(
        council=council,
        rows=[_contract("C-9", "Northern Cleaning UK Services", dt.date(2024, 1, 1), dt.date(2024, 12, 31))],
        actor=None,
    )
    proposal = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    services.merge_decide(decision=proposal, accept=True, actor=None)
    contract = Contract.objects.get(council=council)
    assert contract.supplier_id is not None
    assert selectors.contracts(council)[0].spent == Decimal("300.00")  # both names' payments
    assert selectors.off_contract(council)[:2] == (0, 0)


def test_off_contract_spend_with_a_large_register(council: Council) -> None:
    """One query whatever the register's size: 1,500 contracts (many for one supplier) on either database."""
    run(council, {"a.csv": csv_bytes()})
    register = [
        _contract(f"C-{i:04d}", "Bolt plc" if i % 2 else "Acme", dt.date(2020, 1, 1), dt.date(2020, 1, 2))
        for i in range(1, 1500)
    ]
    register.append(_contract("C-LIVE", "ACME LIMITED", dt.date(2024, 4, 4), dt.date(2024, 12, 31)))
    services.contracts_replace(council=council, rows=register, actor=None)
    count, pennies, rows = selectors.off_contract(council)
    # Acme's payment on 3 April is before its contract; the one on 5 April is in it.
    assert (count, pennies) == (4, 120000 - 25050 - 1250 + 999999)
    assert {r.label: r.pennies for r in rows}["Acme Limited"] == 120000
    lines = selectors.contracts(council)
    assert len(lines) == 1500
    assert {line.contract.reference: line.spent for line in lines}["C-LIVE"] == Decimal("1200.00")


def test_review_lists_of_contracts_ending_within_6_and_12_months(council: Council) -> None:
    start = dt.date(2024, 1, 1)
    services.contracts_replace(
        council=council,
        rows=[
            _contract("ENDED", "A", start, TODAY - dt.timedelta(days=1)),
            _contract("TODAY", "B", start, TODAY),
            _contract("6M", "C", start, dt.date(2025, 12, 15)),
            _contract("6M+1", "D", start, dt.date(2025, 12, 16)),
            _contract("12M", "E", start, dt.date(2026, 6, 15)),
            _contract("12M+1", "F", start, dt.date(2026, 6, 16)),
            _contract("NOT-STARTED", "G", TODAY + dt.timedelta(days=1), dt.date(2025, 9, 1)),
        ],
        actor=None,
    )
    six = [c.reference for c in selectors.contracts_expiring(council, TODAY, 6)]
    twelve = [c.reference for c in selectors.contracts_expiring(council, TODAY, 12)]
    assert six == ["TODAY", "6M"]
    assert twelve == ["TODAY", "6M", "6M+1", "12M"]


def test_spend_above_contract_value_counts_only_payments_in_term(council: Council) -> None:
    run(council, {"a.csv": csv_bytes()})
    services.contracts_replace(
        council=council,
        rows=[
            _contract("ACME-EARLY", "Acme Ltd", dt.date(2024, 1, 1), dt.date(2024, 4, 3), 1000),
            _contract("BOLT-MAY", "Bolt", dt.date(2024, 5, 1), dt.date(2024, 5, 31), 10_000),
        ],
        actor=None,
    )
    lines = {line.contract.reference: line for line in selectors.contracts(council)}
    assert (lines["ACME-EARLY"].spent, lines["ACME-EARLY"].over) == (Decimal("1200.00"), Decimal("200.00"))
    assert (lines["BOLT-MAY"].spent, lines["BOLT-MAY"].over) == (Decimal("9999.99"), Decimal(0))


def test_contracts_command_with_columns(council: Council, tmp_path: Path) -> None:
    run(council, {"a.csv": csv_bytes(ROWS)})
    path = tmp_path / "register.csv"
    path.write_bytes(
        csv_bytes(
            [["C-1", "Bolt plc", "01/01/2024", "31/12/2025", "£5,000"]],
            ["Ref", "Contractor", "Commenced", "Expiry Date", "Contract value"],
        )
    )
    out, err = StringIO(), StringIO()
    call_command(
        "spend", "contracts", str(path), "--council", council.slug, "--columns", "start=Commenced",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "start <- Commenced" in out.getvalue()
    assert "Imported 1 contracts" in out.getvalue() and "1 are linked" in out.getvalue()
    assert selectors.contracts(council)[0].contract.value == Decimal("5000.00")
    bad = tmp_path / "bad.csv"
    headers = ["Ref", "Contractor", "Commenced", "Expiry Date", "Contract value"]
    bad.write_bytes(csv_bytes([["C-2", "Acme", "soon", "31/12/2025", "1"]], headers))
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "spend", "contracts", str(bad), "--council", council.slug, "--columns", "start=Commenced",
            stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert exit_info.value.code == 1
    assert "bad.csv, row 2, column Commenced: 'soon' is not a date" in err.getvalue()
    assert [line.contract.reference for line in selectors.contracts(council)] == ["C-1"]  # unchanged


# --- open-ended contracts and contracts with no value -----------------------------------------------------

REGISTER_HEADERS = ["Contract Reference", "Supplier", "Title", "Start Date", "End Date", "Contract Value"]
# Against the payments of ROWS: Acme 1,200 on 3 and on 5 April 2024, Bolt -250.50 on 10 April and 9,999.99
# on 1 May, Café Nord -12.50 on 1 May.
OPEN_REGISTER = [
    ["C-1", "Bolt plc", "Road salt", "01/01/2024", "31/12/2024", "£5,000"],
    ["FRAME", "Acme Ltd", "Cleaning framework", "01/01/2024", "03/04/2024", ""],  # no value
    ["ROLL", "ACME LIMITED", "Cleaning, rolling", "04/04/2024", "", "100"],  # no end date
    ["BOTH", "Café Nord", "Catering until terminated", "02/05/2024", "", ""],  # neither
    ["SOON", "Zed Ltd", "Call-off", "01/01/2025", "30/09/2025", ""],  # ends within 6 months, no value
]


def _import_register(council: Council, rows: list[list[str]], headers: list[str] = REGISTER_HEADERS) -> int:
    """Upload and import a register as the pages do, with the suggested columns."""
    upload = services.contracts_upload(
        council=council, name="register.csv", content=csv_bytes(rows, headers), actor=None
    )
    count, problems = services.contracts_import(upload=upload, mapping=upload.mapping, actor=None)
    assert problems == []
    return count


def test_a_register_with_blank_end_dates_and_values_is_imported(council: Council) -> None:
    run(council, {"a.csv": csv_bytes()})
    assert _import_register(council, OPEN_REGISTER) == 5
    stored = {c.reference: (c.end, c.value) for c in Contract.objects.filter(council=council)}
    assert stored == {
        "C-1": (dt.date(2024, 12, 31), Decimal("5000.00")),
        "FRAME": (dt.date(2024, 4, 3), None),
        "ROLL": (None, Decimal("100.00")),
        "BOTH": (None, None),
        "SOON": (dt.date(2025, 9, 30), None),
    }
    lines = selectors.contracts(council)
    # By end date, open-ended last (on SQLite, which sorts nulls first, as on PostgreSQL), then by reference.
    assert [line.contract.reference for line in lines] == ["FRAME", "C-1", "SOON", "BOTH", "ROLL"]
    by_ref = {line.contract.reference: line for line in lines}
    # No end date: in term from the start onwards; ROLL has the 5 April payment, not the 3 April one.
    assert (by_ref["ROLL"].spent, by_ref["ROLL"].over) == (Decimal("1200.00"), Decimal("1100.00"))
    # No value: never above contract value, however much is spent in term.
    assert (by_ref["FRAME"].spent, by_ref["FRAME"].over) == (Decimal("1200.00"), Decimal(0))
    assert by_ref["BOTH"].over == Decimal(0) and by_ref["SOON"].over == Decimal(0)
    assert sorted(line.contract.reference for line in lines if line.over > 0) == ["C-1", "ROLL"]
    # Both Acme payments are on contract (FRAME, then ROLL); Café Nord's of 1 May is before BOTH starts.
    count, pennies, rows = selectors.off_contract(council)
    assert (count, pennies) == (1, -1250)
    assert [r.label for r in rows] == ["Café Nord"]


def test_an_open_ended_contract_covers_every_payment_from_its_start(council: Council) -> None:
    run(council, {"a.csv": csv_bytes()})
    _import_register(
        council, [["ROLL", "Acme", "", "01/01/2020", "", ""], ["B", "Bolt", "", "1/5/2024", "", ""]]
    )
    count, pennies, _ = selectors.off_contract(council)
    assert (count, pennies) == (2, -25050 - 1250)  # Bolt's credit of 10 April and Café Nord
    spent = {line.contract.reference: line.spent for line in selectors.contracts(council)}
    assert spent == {"ROLL": Decimal("2400.00"), "B": Decimal("9999.99")}


def test_open_ended_contracts_are_never_on_the_review_lists(council: Council) -> None:
    _import_register(council, OPEN_REGISTER)
    assert [c.reference for c in selectors.contracts_expiring(council, TODAY, 6)] == ["SOON"]
    assert [c.reference for c in selectors.contracts_expiring(council, TODAY, 12)] == ["SOON"]
    # Not even when they started long ago, or when every other contract has ended.
    far = TODAY + dt.timedelta(days=3650)
    assert selectors.contracts_expiring(council, far, 12) == []


def test_registers_without_an_end_date_or_value_column(council: Council) -> None:
    headers = ["Ref", "Supplier", "Start Date"]
    assert (
        _import_register(council, [["F-1", "Acme", "01/04/2024"], ["F-2", "Bolt", "2024-05-01"]], headers)
        == 2
    )
    assert list(Contract.objects.filter(council=council).values_list("reference", "end", "value")) == [
        ("F-1", None, None),
        ("F-2", None, None),
    ]


def test_blank_end_and_value_are_allowed_but_every_other_check_stays() -> None:
    rows = [
        (2, ["OK", "Acme", "01/04/2024", "", ""]),
        (3, ["ok", "Bolt", "01/04/2024", "", ""]),  # the same reference, ignoring case
        (4, ["NO-START", "Bolt", "", "", ""]),
        (5, ["BAD-END", "Bolt", "01/04/2024", "rolling", ""]),
        (6, ["BACKWARDS", "Bolt", "01/04/2024", "31/03/2024", ""]),
        (7, ["BAD-VALUE", "Bolt", "01/04/2024", "", "lots"]),
        (8, ["NEGATIVE", "Bolt", "01/04/2024", "", "-5"]),
        (9, ["BAD-START", "Bolt", "1st Smarch", "31/03/2024", ""]),
    ]
    headers = ["Ref", "Supplier", "Start", "End Date", "Contract Value"]
    mapping = {
        "reference": "Ref",
        "supplier": "Supplier",
        "start": "Start",
        "end": "End Date",
        "value": "Contract Value",
    }
    result = read_contracts("r.csv", headers, rows, mapping)
    expected = [
        "r.csv, row 3, column Ref: 'ok' is listed twice",
        "r.csv, row 4, column Start: the date is blank",
        "r.csv, row 5, column End Date: 'rolling' is not a date",  # followed by how to write one
        "r.csv, row 6, column End Date: the contract ends before it starts",
        "r.csv, row 7, column Contract Value: 'lots' is not an amount of money",
        "r.csv, row 8, column Contract Value: '-5' is negative",
        "r.csv, row 9, column Start: '1st Smarch' is not a date",
    ]
    assert len(result.errors) == len(expected)
    for error, start in zip(result.errors, expected, strict=True):
        assert str(error).startswith(start), (str(error), start)
    assert [c.reference for c in result.contracts] == ["OK"]
    assert (result.contracts[0].end, result.contracts[0].pennies) == (None, None)
    # The start date stays required: a register must say which column it is in.
    missing = read_contracts("r.csv", headers, [], {k: v for k, v in mapping.items() if k != "start"})
    assert [e.row for e in missing.errors] == [None] and missing.errors


def _register_row(html: str, reference: str) -> str:
    match = re.search(rf'<th scope="row" class="govuk-table__header">{reference}</th>(.*?)</tr>', html, re.S)
    assert match, reference
    return match.group(1)


def test_the_pages_import_and_show_open_ended_contracts(
    council: Council, client_for: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wholecouncil.spend.views.contracts.today", lambda: TODAY)
    run(council, {"a.csv": csv_bytes()})
    client = client_for(council, Role.FINANCE)
    register = SimpleUploadedFile("register.csv", csv_bytes(OPEN_REGISTER, REGISTER_HEADERS))
    client.post(reverse("spend:contracts_import", args=[council.slug]), {"file": register})
    upload = ContractsUpload.objects.get(council=council)
    map_url = reverse("spend:contracts_map", args=[council.slug, upload.pk])
    page = client.get(map_url).content.decode()
    assert "End date (optional)" in page and "Contract value (optional)" in page
    response = client.post(map_url, upload.mapping)
    assert response["Location"] == reverse("spend:contracts", args=[council.slug])
    html = client.get(response["Location"]).content.decode()
    summary = html[: html.index("</dl>")]
    assert re.search(r"With no end date \(rolling or open-ended\)</dt><dd [^>]*>2</dd>", summary)
    assert re.search(r"With no value stated</dt><dd [^>]*>3</dd>", summary)
    assert re.search(r"Ending within 6 months</dt><dd [^>]*>1</dd>", summary)
    assert re.search(r"Spend above contract value</dt><dd [^>]*>2 contracts</dd>", summary)
    not_stated = '<span aria-hidden="true">—</span><span class="govuk-visually-hidden">not stated</span>'
    review, rest = html.split("Spend running above contract value", 1)
    assert "SOON" in review and "ROLL" not in review and "BOTH" not in review
    assert not_stated in _register_row(review, "SOON")
    over, register_part = rest.split("The register", 1)
    assert "ROLL" in over and "FRAME" not in over
    roll = _register_row(register_part, "ROLL")
    assert "No end date" in roll and "£100" in roll and "£1,200" in roll
    both = _register_row(register_part, "BOTH")
    assert "No end date" in both and not_stated in both
    frame = _register_row(register_part, "FRAME")
    assert "3 Apr 2024" in frame and not_stated in frame and "£1,200" in frame


def test_the_workbook_with_open_ended_contracts(council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wholecouncil.spend.export.timezone.localdate", lambda: TODAY)
    run(council, {"a.csv": csv_bytes()})
    _import_register(council, OPEN_REGISTER)
    book = load_workbook(io.BytesIO(spend_workbook(council)))
    contracts = {row[0]: row for row in book["Contracts"].iter_rows(min_row=2, values_only=True)}
    assert contracts["BOTH"][4] is None and contracts["BOTH"][6] == 0  # no value: blank, nothing above it
    assert contracts["ROLL"][4] == 100 and contracts["ROLL"][6] == 1100
    ending = [row for row in book["Contracts ending"].iter_rows(min_row=2, values_only=True)][:-1]
    assert [(row[0], row[3], row[4]) for row in ending] == [("SOON", "6 months", None)]
