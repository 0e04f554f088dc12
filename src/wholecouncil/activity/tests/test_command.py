from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES
from wholecouncil.activity.tests.helpers import EST_HEADERS, EST_ROWS, RESP_HEADERS, RESP_ROWS, csv_bytes


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("activity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    est, resp = tmp_path / "E.csv", tmp_path / "R.csv"
    est.write_bytes(csv_bytes(EST_HEADERS, EST_ROWS))
    resp.write_bytes(csv_bytes(RESP_HEADERS, RESP_ROWS))
    return est, resp


def test_processes_as_csv() -> None:
    out, _ = run("processes", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["code", "name", "layer"]
    assert rows[1:] == [[p.code, p.name, p.layer] for p in DEFAULT_PROCESSES]


def test_processes_as_text() -> None:
    out, _ = run("processes")
    assert out.splitlines()[0].startswith("info-advice")


def test_baseline_json_shape(files: tuple[Path, Path]) -> None:
    est, resp = files
    out, _ = run("baseline", "--establishment", str(est), "--responses", str(resp), "--json", "--no-suppress")
    data = json.loads(out)
    assert set(data) >= {"processes", "totals", "unallocated", "layers", "org_units", "fragmentation"}
    assert set(data["processes"]) == {p.code for p in DEFAULT_PROCESSES}
    enquiries = data["processes"]["enquiries"]
    assert enquiries["fte"] == "1.35" and enquiries["cost"] == "40540.54"
    assert enquiries["by_org_unit"] == {
        "Customer Services": {"fte": "1.35", "cost": "40540.54"},
        "Finance": {"fte": "0.00", "cost": "0.00"},
    }
    assert data["unallocated"]["fte"] == "1.00" and data["unallocated"]["cost"] == "50000.00"
    assert data["totals"]["establishment"] == {"fte": "4.50", "cost": "170000.00"}
    assert data["totals"]["allocated"] == {"fte": "3.50", "cost": "120000.00"}
    frag = data["fragmentation"]["processes"]["finance"]
    assert frag["units_with_material_effort"] == 1
    assert frag["effective_units"] == "1.41"
    assert frag["outside_home_share"] == "0.1778"


def test_threshold_and_full_time_hours_options(files: tuple[Path, Path]) -> None:
    est, resp = files
    args = ["baseline", "--establishment", str(est), "--responses", str(resp), "--json", "--no-suppress"]
    data = json.loads(run(*args, "--threshold", "0.2", "--full-time-hours", "36")[0])
    assert data["fragmentation"]["threshold_fte"] == "0.2"
    assert data["fragmentation"]["processes"]["payments"]["units_with_material_effort"] == 2
    with pytest.raises(CommandError):
        run(*args, "--threshold", "lots")


def test_baseline_summary_and_suppression(files: tuple[Path, Path]) -> None:
    est, resp = files
    out, _ = run("baseline", "--establishment", str(est), "--responses", str(resp), "--no-suppress")
    assert out.startswith("4 respondents in 2 of 3 org units. Establishment 4.50 FTE, £170,000.00")
    hidden, _ = run("baseline", "--establishment", str(est), "--responses", str(resp))
    assert hidden.startswith("Fewer than 5 respondents in 2 of 3 org units.")
    assert "allocated (suppressed) FTE" in hidden
    data = json.loads(run("baseline", "--establishment", str(est), "--responses", str(resp), "--json")[0])
    assert data["processes"]["enquiries"]["by_org_unit"]["Finance"]["suppressed"] is True


def test_errors_name_file_row_and_column(files: tuple[Path, Path]) -> None:
    est, resp = files
    rows = [list(r) for r in RESP_ROWS]
    rows[0][3] = "lots"
    rows[2][1] = "Nowhere"
    resp.write_bytes(csv_bytes(RESP_HEADERS, rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 errors: nothing computed"):
        call_command(
            "activity",
            "baseline",
            "--establishment",
            str(est),
            "--responses",
            str(resp),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines() == [
        "R.csv, row 2, column enquiries: 'lots' is not a number",
        "R.csv, row 4, column org_unit: the org unit 'Nowhere' is not in the establishment (E.csv)",
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run("baseline", "--establishment", str(tmp_path / "x.csv"), "--responses", str(tmp_path / "y.csv"))


def test_the_command_needs_no_database(files: tuple[Path, Path], tmp_path: Path) -> None:
    """In its own process, with SQLite pointing at a file that does not exist: the file is never created."""
    est, resp = files
    entry = Path(sys.executable).with_name("wholecouncil")
    database = tmp_path / "never.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(database)

    def wholecouncil(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(entry), *args], capture_output=True, text=True, check=False, env=env)  # noqa: S603

    result = wholecouncil(
        "activity",
        "baseline",
        "--establishment",
        str(est),
        "--responses",
        str(resp),
        "--json",
        "--no-suppress",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["allocated"] == {"fte": "3.50", "cost": "120000.00"}
    result = wholecouncil("activity", "processes", "--csv")
    assert result.returncode == 0 and result.stdout.startswith("code,name,layer\n")
    rows = [list(r) for r in RESP_ROWS]
    rows[1][4] = "-2"
    resp.write_bytes(csv_bytes(RESP_HEADERS, rows))
    result = wholecouncil(
        "activity",
        "baseline",
        "--establishment",
        str(est),
        "--responses",
        str(resp),
        "--json",
        "--no-suppress",
    )
    assert result.returncode != 0
    assert "R.csv, row 3, column payments: the hours cannot be negative (it is -2)" in result.stderr
    assert result.stdout == ""
    assert not database.exists()


DOCS = Path(__file__).resolve().parents[4] / "docs" / "modules" / "activity.md"


def _contains(actual: object, shown: object, where: str = "") -> None:
    """Every entry `shown` (a shortened copy) is in `actual` with the same value."""
    if isinstance(shown, dict):
        assert isinstance(actual, dict), where
        for key, value in shown.items():
            assert key in actual, f"{where}.{key} is not in the output"
            _contains(actual[key], value, f"{where}.{key}")
    else:
        assert actual == shown, f"{where}: the docs say {shown!r}, the command prints {actual!r}"


def test_the_documented_example_is_what_the_command_prints(tmp_path: Path) -> None:
    text = DOCS.read_text()
    section = text[text.index("## Command line") : text.index("## Speed")]
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    command = next(body for _, body in blocks if body.startswith("wholecouncil activity baseline"))
    files = next(body for _, body in blocks if body.startswith("post_id,"))
    shown, shown_suppressed = [json.loads(body) for kind, body in blocks if kind == "json"]
    est, resp = [], []
    for line in files.splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        est.append(parts[0])
        if len(parts) > 1:
            resp.append(parts[1])
    (tmp_path / "E.csv").write_text("\n".join(est) + "\n")
    (tmp_path / "R.csv").write_text("\n".join(resp) + "\n")
    args = command.split()[2:]
    assert "--no-suppress" in args
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    _contains(json.loads(run(*args)[0]), shown)
    suppressed = [a for a in args if a != "--no-suppress"]
    _contains(json.loads(run(*suppressed)[0]), shown_suppressed)
