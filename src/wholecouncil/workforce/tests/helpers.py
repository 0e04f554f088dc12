"""Building establishment files for tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

TRAFFORD = "samples/trafford-organisation-structure-2025-07.csv"


def trafford(shared_data_dir: Path) -> Path:
    """The real Trafford Council organisation structure (July 2025) from ../shared/data/samples."""
    path = shared_data_dir / TRAFFORD
    assert path.is_file(), f"The Trafford sample is missing: {path}"
    return path


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[object]], preamble: Sequence[str] = ()
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Establishment"
    for line in preamble:
        sheet.append([line])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SIMPLE_HEADERS = [
    "Post ref",
    "Directorate",
    "Service",
    "Team",
    "Job title",
    "Grade",
    "FTE",
    "Salary",
    "Vacant",
]
SIMPLE_ROWS = [
    ["P1", "Place", "", "", "Director of Place", "SM1", "1", "100000", "No"],
    ["P2", "Place", "Highways", "", "Head of Highways", "SM3", "1", "70000", "No"],
    ["P3", "Place", "Highways", "Street lighting", "Engineer", "G7", "0.5", "40000", "Yes"],
    ["P4", "People", "Adults", "Reablement", "Care worker", "G4", "1", "25000", ""],
]
