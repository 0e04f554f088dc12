"""Recalculating a workbook the way a spreadsheet user would: LibreOffice headless opens it, recalculates
every formula and saves it, and the values it computed are read back (for tests of XLSX exports)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

# LibreOffice keeps the cached values of an XLSX file unless told to recalculate on load.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def recalculate(content: bytes, tmp: Path, name: str = "book.xlsx") -> openpyxl.Workbook:
    """The workbook `content` after LibreOffice has recalculated it, with values in place of formulas."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed; `make office` installs Debian's libreoffice-calc.")
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE)
    source = tmp / "in" / name
    source.parent.mkdir()
    source.write_bytes(content)
    out = tmp / "out"
    subprocess.run(  # noqa: S603 - a fixed command on files the test wrote
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return openpyxl.load_workbook(out / name, data_only=True)
