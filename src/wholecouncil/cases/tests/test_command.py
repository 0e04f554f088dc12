from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from wholecouncil.cases.tests.test_fileformat import EXAMPLE, minimal

YEAR_FIELDS = (
    "recurring_in_year",
    "cumulative_recurring",
    "one_off_costs",
    "recurring_costs",
    "net",
    "cumulative_net",
)
MONEY = r"^-?\d+\.\d{2}$"


@pytest.fixture
def wholecouncil(tmp_path: Path) -> Any:
    entry = Path(sys.executable).with_name("wholecouncil")
    db = tmp_path / "never.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(db)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(entry), *args], capture_output=True, text=True, check=False, env=env)  # noqa: S603
        assert not db.exists(), "the case command must not touch the database"
        return result

    return run


def test_compute_json_without_a_database(wholecouncil: Any) -> None:
    result = wholecouncil("case", "compute", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [y["year"] for y in data["years"]] == ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"]
    for year in data["years"]:
        for field in YEAR_FIELDS:
            assert isinstance(year[field], str)
            Decimal(year[field])
            assert year[field].split(".")[1].__len__() == 2
    for field in ("npv", "total_low", "total_mid", "total_high"):
        assert isinstance(data[field], str) and len(data[field].split(".")[1]) == 2
    assert data["payback_year"] == "2026/27"
    assert "risk" not in data
    running = Decimal(0)
    for year in data["years"]:
        running += Decimal(year["recurring_in_year"])
        assert Decimal(year["cumulative_recurring"]) == running


def test_compute_with_montecarlo_is_reproducible(wholecouncil: Any) -> None:
    args = ("case", "compute", str(EXAMPLE), "--json", "--montecarlo", "20000", "--seed", "11")
    first, second = wholecouncil(*args), wholecouncil(*args)
    assert first.returncode == 0, first.stderr
    risk = json.loads(first.stdout)["risk"]
    assert risk == json.loads(second.stdout)["risk"]
    for key in ("cumulative_benefit", "npv"):
        p = {k: Decimal(v) for k, v in risk[key].items()}
        assert p["p10"] <= p["p50"] <= p["p90"]
    assert risk["iterations"] == 20000 and risk["seed"] == 11


def test_errors_go_to_stderr_with_a_non_zero_exit(wholecouncil: Any, tmp_path: Path) -> None:
    data = minimal()
    data["opportunities"][0]["low_pct"] = 140
    bad = tmp_path / "case.yaml"
    bad.write_text(yaml.safe_dump(data))
    result = wholecouncil("case", "compute", str(bad), "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "case.yaml: opportunities[0].low_pct: must be between 0 and 100 (it is 140)" in result.stderr
    missing = wholecouncil("case", "compute", str(tmp_path / "nope.yaml"))
    assert missing.returncode != 0 and "nope.yaml: no such file" in missing.stderr


def test_table_and_tornado_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("case", "compute", str(EXAMPLE), "--tornado", "--montecarlo", "2000")
    out = capsys.readouterr().out
    assert "Payback year: 2026/27" in out
    assert "P10" in out and "Discount rate" in out
    call_command("case", "compute", str(EXAMPLE), "--json", "--tornado")
    bars = json.loads(capsys.readouterr().out)["tornado"]
    swings = [Decimal(b["swing"]) for b in bars]
    assert swings == sorted(swings, reverse=True)
    assert {"OPP-01", "Discount rate", "Optimism bias", "Programme and design team"} <= {
        b["name"] for b in bars
    }
