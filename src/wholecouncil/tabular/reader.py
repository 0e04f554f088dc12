"""Reading a CSV or XLSX file into a header row and data rows that remember their row numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from wholecouncil.tabular.errors import TableError

DELIMITERS = (",", ";", "\t")
# Rows looked at to find the header row (preamble lines such as a title or a date come before it).
HEADER_SEARCH_ROWS = 30
_NUMBERISH = re.compile(r"^[\s£$€%()+\-.,:/0-9]*$")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as a spreadsheet shows it, and one text value per header."""

    number: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    header_row: int
    format: str  # "csv" or "xlsx"
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    encoding: str = ""
    delimiter: str = ""

    def index(self, header: str) -> int:
        return self.headers.index(header)


def read_table(name: str, content: bytes, *, sheet: str | None = None) -> Table:
    """Read `content` (the bytes of file `name`) as a table.

    XLSX is recognised by its contents, whatever the file is called; anything else is read as CSV
    (UTF-8 with or without a byte-order mark, UTF-16 with one, else Windows-1252; comma, semicolon or tab).
    Lines before the real header row are skipped, and so are empty rows. Raises TableError when the file
    cannot be read as a table.
    """
    display = PurePath(name).name or name
    if not content.strip():
        raise TableError(display, "the file is empty")
    if content.startswith(_OLE_MAGIC):
        raise TableError(
            display, "this is an old-style Excel workbook (.xls); save it as .xlsx or CSV and upload that"
        )
    if content.startswith(_ZIP_MAGIC):
        grid, sheet_name, sheets = _xlsx_grid(display, content, sheet)
        return _build(display, grid, format="xlsx", sheet=sheet_name, sheets=sheets)
    if PurePath(name).suffix.lower() in {".xlsx", ".xlsm"}:
        raise TableError(display, "the file is called .xlsx but is not an Excel workbook")
    text, encoding = decode_text(content)
    if "\x00" in text:
        raise TableError(display, "this does not look like a CSV or XLSX file")
    delimiter = sniff_delimiter(text)
    try:
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError(display, f"the CSV could not be read ({exc})") from exc
    return _build(display, grid, format="csv", encoding=encoding, delimiter=delimiter)


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding used to read it."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (more than one) of fields."""
    sample = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        counts: dict[int, int] = {}
        for width in widths:
            if width > 1:
                counts[width] = counts.get(width, 0) + 1
        if not counts:
            continue
        width, lines = max(counts.items(), key=lambda item: (item[1], item[0]))
        if (lines, width) > best_score:
            best, best_score = delimiter, (lines, width)
    return best


def _xlsx_grid(
    display: str, content: bytes, sheet: str | None
) -> tuple[list[list[str]], str, tuple[str, ...]]:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError(display, "the file could not be opened as an Excel (.xlsx) workbook") from exc
    except Exception as exc:  # openpyxl raises several private error types for damaged files
        raise TableError(display, "the file could not be opened as an Excel (.xlsx) workbook") from exc
    try:
        names = tuple(workbook.sheetnames)
        if sheet:
            if sheet not in names:
                raise TableError(display, f"there is no sheet called '{sheet}' (sheets: {', '.join(names)})")
            worksheet = workbook[sheet]
        else:
            visible = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            worksheet = (visible or workbook.worksheets)[0]
        reset = getattr(worksheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        grid = [[cell_text(v) for v in row] for row in worksheet.iter_rows(min_row=1, values_only=True)]
        return grid, str(worksheet.title), names
    except TableError:
        raise
    except Exception as exc:
        raise TableError(display, "the workbook's sheet could not be read") from exc
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _filled(row: Sequence[str]) -> int:
    return sum(1 for v in row if v.strip())


def _looks_like_header(row: Sequence[str], widest: int) -> bool:
    """Several cells (at least half as many as the widest row has), nearly all of them labels, and not a
    line of "Label:, value" pairs such as "Organisation:, Wirral Council, Period:, April 2024"."""
    cells = [v.strip() for v in row if v.strip()]
    if len(cells) < 2 or len(cells) * 2 < widest:
        return False
    if sum(1 for c in cells if c.endswith(":")) >= 2:
        return False
    labels = sum(1 for c in cells if not _NUMBERISH.match(c) and len(c) <= 120)
    return labels * 4 >= len(cells) * 3


def find_header_row(grid: Sequence[Sequence[str]]) -> int:
    """Index (0-based) of the header row: the first row that looks like one (`_looks_like_header`)."""
    window = grid[:HEADER_SEARCH_ROWS]
    widest = max((_filled(r) for r in window), default=0)
    for i, row in enumerate(window):
        if _looks_like_header(row, widest):
            return i
    for i, row in enumerate(grid):
        if _filled(row):
            return i
    return -1


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def make_headers(raw: Sequence[str], width: int) -> tuple[str, ...]:
    """Trimmed, unique headers; a blank header becomes 'Column C' (its spreadsheet letter)."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        text = " ".join(raw[i].split()) if i < len(raw) else ""
        text = text or f"Column {_column_letter(i)}"
        key = text.casefold()
        if key in seen:
            seen[key] += 1
            text = f"{text} ({seen[key]})"
        else:
            seen[key] = 1
        headers.append(text)
    return tuple(headers)


def _last_filled(row: Sequence[str]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if row[i].strip():
            return i
    return -1


def _build(display: str, grid: Iterable[Sequence[str]], *, format: str, **extra: Any) -> Table:
    rows = [list(r) for r in grid]
    start = find_header_row(rows)
    if start < 0:
        raise TableError(display, "the file has no rows")
    width = max(_last_filled(r) for r in rows[start:]) + 1
    headers = make_headers(rows[start], width)
    data: list[SourceRow] = []
    for index in range(start + 1, len(rows)):
        row = rows[index]
        if not _filled(row):
            continue
        values = tuple((row[i] if i < len(row) else "").strip() for i in range(width))
        data.append(SourceRow(number=index + 1, values=values))
    return Table(
        name=display, headers=headers, rows=tuple(data), header_row=start + 1, format=format, **extra
    )
