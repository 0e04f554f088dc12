"""`wholecouncil spend import` and `wholecouncil spend summary`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wholecouncil.council.models import Council
from wholecouncil.spend.tests.helpers import HEADERS, ROWS, csv_bytes, zip_bytes

pytestmark = pytest.mark.django_db


def _call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("spend", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_then_summary(council: Council, tmp_path: Path) -> None:
    april = tmp_path / "april.csv"
    april.write_bytes(csv_bytes(ROWS[:3]))
    may = tmp_path / "may.zip"
    may.write_bytes(zip_bytes({"may.csv": csv_bytes(ROWS[3:])}))
    out, _ = _call("import", str(april), str(may), "--council", council.slug, "--no-progress")
    assert "Imported 5 payments totalling £12136.99" in out
    assert "supplier <- Supplier Name" in out
    out, _ = _call("summary", "--council", council.slug, "--json")
    data = json.loads(out)
    assert data["transactions"] == 5 and data["total"] == "12136.99"
    assert (data["suppliers_raw"], data["suppliers_resolved"]) == (4, 3)
    assert data["by_month"]["2024-04"] == {"transactions": 3, "total": "2149.50"}
    out, _ = _call("summary", "--council", council.slug)
    assert "5 payments" in out


def test_columns_override(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(csv_bytes([["Acme", "10", "01/04/2024", "x"]], ["Who", "Howmuch", "When", "Other"]))
    out, _ = _call(
        "import", str(path), "--council", council.slug, "--columns", "supplier=Who,amount=Howmuch,date=When",
        "--no-progress",
    )  # fmt: skip
    assert "Imported 1 payments" in out
    with pytest.raises(CommandError, match="'payee' is not a field"):
        _call("import", str(path), "--council", council.slug, "--columns", "payee=Who")


def test_rejection_exits_non_zero(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([*ROWS, ["X", "ten", "01/04/2024", "", "", "", ""]], HEADERS))
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("spend", "import", str(path), "--council", council.slug, "--no-progress", stderr=err)
    assert exit_info.value.code == 1
    assert "bad.csv, row 7, column Net Amount: 'ten' is not an amount of money" in err.getvalue()
    assert "nothing imported" in err.getvalue()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "spend", "import", str(path), "--council", council.slug, "--no-progress", "--skip-rejected",
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip
    assert exit_info.value.code == 2


def test_unknown_council_and_file(council: Council, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No council"):
        _call("summary", "--council", "nowhere")
    with pytest.raises(CommandError, match="no such file"):
        _call("import", str(tmp_path / "missing.csv"), "--council", council.slug)


def test_import_reports_progress_on_stderr(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "april.csv"
    path.write_bytes(csv_bytes(ROWS * 40))
    out, err = _call("import", str(path), "--council", council.slug)
    assert "Imported 200 payments" in out
    lines = err.strip().splitlines()
    first, last = lines[0], lines[-1]
    assert first.startswith("[") and "/201 rows" in first and "rows/s" in first  # a bar of the lines counted
    steps = [
        "Adding the payments…",
        "Resolving suppliers and linking contracts…",
        "Looking for duplicate payments…",
    ]
    assert [line for line in lines if line in steps] == steps  # each step named as it starts
    assert last.startswith("Read and imported 200 rows in ") and last.endswith(" rows/s)")
    _, quiet = _call("import", str(path), "--council", council.slug, "--no-progress")
    assert "rows/s" not in quiet


def test_fractions_of_a_penny_are_reported(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "finance.csv"
    path.write_bytes(
        csv_bytes([["Acme", "10.125", "01/04/2024"], ["Bolt", "2.5", "01/04/2024"]], HEADERS[:3])
    )
    out, _ = _call("import", str(path), "--council", council.slug, "--no-progress")
    assert "1 amount had a fraction of a penny" in out and "£12.63" in out


def test_totals_rows_are_left_out_and_said_so(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "april.csv"
    path.write_bytes(csv_bytes([*ROWS, ["Total", "£12,137.98", "30/04/2024"] + [""] * 4]))
    out, _ = _call("import", str(path), "--council", council.slug, "--no-progress")
    assert "1 row adding up the payments (Total, Grand total…) was not read as payments." in out
    assert f"Imported {len(ROWS)} payments" in out
