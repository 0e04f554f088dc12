"""The contracts register: linking to suppliers in either order, off-contract spend at scale, review lists,
spend above value, and the `wholecouncil spend contracts` command."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from wholecouncil.council.models import Council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine.contracts import ContractRow
from wholecouncil.spend.models import Contract, MergeDecision
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
