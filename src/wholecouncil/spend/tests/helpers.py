"""Small spend files written by tests: every quirk councils' files have."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

from wholecouncil.council.models import Council
from wholecouncil.spend import services
from wholecouncil.spend.engine import SpendSource

HEADERS = [
    "Supplier Name",
    "Net Amount",
    "Payment Date",
    "Expense Type",
    "Service Area",
    "Invoice No",
    "VAT Number",
]
ROWS = [
    ["ACME LTD", "£1,200.00", "03/04/2024", "Cleaning", "Schools", "INV-001", "GB 812 3112 85"],
    ["Acme Limited", "1200", "05/04/2024", "Cleaning", "Schools", "INV 001", ""],
    ["Bolt Plc", "(250.50)", "10-Apr-2024", "Refund", "Highways", "B-9", ""],
    ["Café Nord", "-12.50", "2024-05-01", "Catering", "Leisure", "", ""],
    ["Bolt Plc", "9,999.99", "1 May 2024", "Road salt", "Highways", "B-10", ""],
]


def csv_bytes(
    rows: Sequence[Sequence[str]] = ROWS,
    headers: Sequence[str] = HEADERS,
    *,
    encoding: str = "utf-8",
    preamble: Sequence[str] = (),
    delimiter: str = ",",
) -> bytes:
    out = io.StringIO(newline="")
    for line in preamble:
        out.write(line + "\r\n")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]] = ROWS, headers: Sequence[str] = HEADERS) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Payments over £500"])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def run(council: Council, files: dict[str, bytes], **kwargs: object) -> services.ImportOutcome:
    sources = [SpendSource.from_bytes(name, content) for name, content in files.items()]
    return services.spend_import_run(council=council, sources=sources, actor=None, **kwargs)  # type: ignore[arg-type]
