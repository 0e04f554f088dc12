from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.workforce import services
from wholecouncil.workforce.engine import PostRow
from wholecouncil.workforce.models import EstablishmentImport, Post
from wholecouncil.workforce.tests.helpers import SIMPLE_HEADERS, SIMPLE_ROWS, csv_bytes, trafford, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("establishment", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_trafford_imports_from_the_command_line(council: Council, shared_data_dir: Path) -> None:
    path = trafford(shared_data_dir)
    out, _ = run("import", str(path), "--council", council.slug)
    assert "Suggested columns:" in out
    assert "job_title      <- JobTitle" in out
    assert "salary_band    <- SalaryBand" in out
    assert "80 posts, 80.00 FTE, 11 vacant" in out or "80 posts, 80 FTE, 11 vacant" in out
    assert "Warning: 10 rows had SalaryBand 'NA': cost taken from MaximumSalary" in out
    assert "Warning: 3 rows had SalaryBand '10000 - 104999', which looks wrong" in out
    assert "Imported 80 posts into Testshire Council, replacing 0" in out
    posts = Post.objects.filter(council=council)
    assert posts.count() == 80
    total = sum((p.annual_cost for p in posts if p.annual_cost is not None), Decimal(0))
    event = AuditEvent.objects.get(council=council, action="establishment.import")
    assert event.after == {"posts": 80, "fte": "80.00", "annual_cost": str(total)}
    imp = EstablishmentImport.objects.get(council=council)
    assert imp.status == EstablishmentImport.Status.COMPLETED and imp.uploaded_by is None
    assert Decimal(imp.summary["annual_cost"]) == total


def test_columns_and_on_cost_rate_options(council: Council, tmp_path: Path) -> None:
    headers = ["Ref", "Dept", "Title", "Pay"]
    path = tmp_path / "odd.csv"
    path.write_bytes(csv_bytes(headers, [["A1", "Finance", "Accountant", "40000"]]))
    out, _ = run(
        "import",
        str(path),
        "--council",
        council.slug,
        "--columns",
        "post_ref=Ref,directorate=Dept,job_title=Title,salary=Pay",
        "--on-cost-rate",
        "0.25",
    )
    assert "Columns used:" in out
    assert Post.objects.get(council=council, post_ref="A1").annual_cost == Decimal("50000.00")


def test_dry_run_imports_nothing(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS))
    out, _ = run("import", str(path), "--council", council.slug, "--dry-run")
    assert "4 posts" in out and "Dry run: nothing imported." in out
    assert not Post.objects.exists() and not EstablishmentImport.objects.exists()


def test_errors_name_file_row_and_column_and_nothing_changes(council: Council, tmp_path: Path) -> None:
    services.establishment_replace(council=council, rows=[PostRow("OLD", ("Old",), "Kept")], actor=None)
    data = [list(r) for r in SIMPLE_ROWS]
    data[2][6] = "abc"
    path = tmp_path / "trafford.csv"
    path.write_bytes(csv_bytes(SIMPLE_HEADERS, data))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=re.escape("1 error in trafford.csv: nothing imported")):
        call_command("establishment", "import", str(path), "--council", council.slug, stdout=out, stderr=err)
    assert "trafford.csv, row 4, column FTE: 'abc' is not a number" in err.getvalue()
    assert list(Post.objects.filter(council=council).values_list("post_ref", flat=True)) == ["OLD"]


def test_xlsx_from_the_command_line(council: Council, tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    path.write_bytes(xlsx_bytes(SIMPLE_HEADERS, SIMPLE_ROWS))
    run("import", str(path), "--council", council.slug, "--sheet", "Establishment")
    assert Post.objects.filter(council=council).count() == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--council", "nowhere"], "No council"),
        (["--columns", "colour=Red"], "'colour' is not a field"),
        (["--columns", "job_title"], "should look like field=Column header"),
        (["--on-cost-rate", "lots"], "is not a number"),
    ],
)
def test_bad_arguments(council: Council, tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(SIMPLE_HEADERS, SIMPLE_ROWS))
    full = ["import", str(path), *(["--council", council.slug] if "--council" not in args else []), *args]
    with pytest.raises(CommandError, match=message):
        run(*full)


def test_missing_and_unreadable_files(council: Council, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "nope.csv"), "--council", council.slug)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match=re.escape("empty.csv: the file is empty")):
        run("import", str(empty), "--council", council.slug)


def test_fields_are_listed() -> None:
    out, _ = run("fields")
    assert out.splitlines()[0].startswith("post_ref")
    assert any(line.startswith("annual_cost") for line in out.splitlines())


def test_the_wholecouncil_command_end_to_end(tmp_path: Path) -> None:
    """`wholecouncil establishment import` in a separate process, on its own SQLite database."""
    entry = Path(sys.executable).with_name("wholecouncil")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}

    def wholecouncil(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(entry), *args], capture_output=True, text=True, check=False, env=env)  # noqa: S603

    assert wholecouncil("migrate", "--no-input").returncode == 0
    assert wholecouncil("council", "create", "cli", "CLI Council", "--no-services").returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Job title,Directorate,FTE\nClerk,Finance,2\n")
    result = wholecouncil("establishment", "import", str(bad), "--council", "cli")
    assert result.returncode != 0
    assert (
        "bad.csv, row 2, column FTE: the FTE must be more than 0 and at most 1.5 (it is 2)" in result.stderr
    )
    good = tmp_path / "good.csv"
    good.write_bytes(b"Job title,Directorate,FTE\nClerk,Finance,1\n")
    result = wholecouncil("establishment", "import", str(good), "--council", "cli")
    assert result.returncode == 0, result.stderr
    assert "Imported 1 post into CLI Council" in result.stdout
