"""Opening spend files: CSV, XLSX and ZIP archives of them, read as a stream of rows.

A ZIP that is not an Excel workbook is an archive: every CSV and XLSX inside it is read, in name order
(folders, hidden files, Excel's "~$" lock files and other kinds of file are passed over). CSV files are read
a row at a time, so a file of millions of rows never sits in memory whole; XLSX files are read with
`wholecouncil.tabular`. Encodings, delimiters, preamble lines and header rows follow the rules of
`wholecouncil.tabular`. A field may hold up to `MAX_FIELD` characters (DuckDB's reader is given the same
limit for a line, `spend.engine.columnar`). A CSV file that ends inside a quoted field (a quote opened and
never closed, so Python's csv module would read the rest of the file as one field) cannot be read: the
problem names the row where the quote opens (`QuoteScan`).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import IO

import numpy as np

from wholecouncil.tabular import TableError, read_table
from wholecouncil.tabular.reader import HEADER_SEARCH_ROWS, find_header_row, make_headers, sniff_delimiter

Opener = Callable[[], IO[bytes]]
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
TABLE_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".xlsx", ".xlsm"})
_WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# Files people upload by mistake, known by their first bytes or their name: refused with what they are.
_NOT_TABLES = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image"}
_OTHER_SUFFIXES = {
    ".pdf": "a PDF document",
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".odt": "a document",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "a Numbers spreadsheet",
    ".ppt": "a presentation",
    ".pptx": "a presentation",
    ".png": "an image",
    ".jpg": "an image",
    ".jpeg": "an image",
    ".gif": "an image",
    ".json": "a JSON file",
    ".xml": "an XML file",
    ".html": "a web page",
    ".htm": "a web page",
}
_CHUNK = 1 << 22
# The longest field the csv module reads, and the longest line DuckDB's reader is given: the same, so a file
# one of them reads is never refused by the other for its size (a field is never longer than its line).
MAX_FIELD = 1 << 24
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))
_UTF8_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class SpendSource:
    """One file to read: its name as shown to people ("year.zip/april.csv") and how to open it."""

    name: str
    open: Opener
    path: Path | None = None  # the file on disk, when it is one (not a ZIP member or an upload)
    sheet: str | None = None  # the sheet to read, for one of a workbook's several sheets ("book.xlsx/May")

    @classmethod
    def from_bytes(cls, name: str, content: bytes) -> SpendSource:
        return cls(name=name, open=lambda: io.BytesIO(content))

    @classmethod
    def from_path(cls, path: Path, name: str | None = None) -> SpendSource:
        return cls(name=name or path.name, open=lambda: path.open("rb"), path=path)


@dataclass
class StreamTable:
    """A table being read: its headers, and its data rows as (row number, values) pairs, read once."""

    name: str
    headers: tuple[str, ...]
    header_row: int
    format: str
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""


def _head(opener: Opener, size: int = 8) -> bytes:
    with opener() as f:
        return f.read(size)


def _is_workbook(opener: Opener) -> bool:
    try:
        with opener() as f, zipfile.ZipFile(f) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _refuse_other_kinds(source: SpendSource, head: bytes) -> None:
    """Raise TableError if `source` is plainly not a table: a PDF, a picture, a Word document..."""
    kind = next((k for magic, k in _NOT_TABLES.items() if head.startswith(magic)), None)
    kind = kind or _OTHER_SUFFIXES.get(PurePath(source.name).suffix.lower())
    if kind is not None:
        raise TableError(source.name, f"this is {kind}, not a CSV or Excel (.xlsx) file")


def _data_sheets(source: SpendSource) -> list[str]:
    """The visible sheets of a workbook with something in their first rows, in the workbook's order."""
    from openpyxl import load_workbook

    try:
        with source.open() as f:
            book = load_workbook(io.BytesIO(f.read()), read_only=True, data_only=True)
    except Exception:  # a damaged workbook: reading it says what is wrong
        return []
    try:
        found = []
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows = sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)
            if any(value not in (None, "") for row in rows for value in row):
                found.append(str(sheet.title))
        return found
    finally:
        book.close()


def _sheet_sources(source: SpendSource) -> list[SpendSource]:
    """A workbook as its tables: itself when it has one sheet with data, else each such sheet."""
    sheets = _data_sheets(source)
    if not sheets:
        return [source]
    if len(sheets) == 1:  # the one sheet with data, wherever it is (an empty cover sheet before it, say)
        return [replace(source, sheet=sheets[0])]
    return [replace(source, name=f"{source.name}/{sheet}", sheet=sheet) for sheet in sheets]


def expand_sources(source: SpendSource) -> list[SpendSource]:
    """The tables in `source`: itself; each CSV and XLSX inside it when it is a ZIP archive; each sheet with
    data of a workbook of several (a sheet a month, say)."""
    head = _head(source.open)
    _refuse_other_kinds(source, head)
    if not head.startswith(_ZIP_MAGIC):
        return [source]
    if _is_workbook(source.open):
        return _sheet_sources(source)
    if PurePath(source.name).suffix.lower() in _WORKBOOK_SUFFIXES:
        raise TableError(
            source.name, "the Excel workbook is damaged and could not be opened: save it again, or as CSV"
        )
    try:
        with source.open() as f, zipfile.ZipFile(f) as archive:
            members = sorted(
                info.filename
                for info in archive.infolist()
                if not info.is_dir()
                and PurePath(info.filename).suffix.lower() in TABLE_SUFFIXES
                and not any(part.startswith((".", "__MACOSX")) for part in PurePath(info.filename).parts)
                and not PurePath(info.filename).name.startswith("~$")  # Excel's lock file of an open workbook
            )
    except zipfile.BadZipFile as exc:
        raise TableError(source.name, "the ZIP file is damaged and could not be opened") from exc
    if not members:
        raise TableError(source.name, "the ZIP file holds no CSV or Excel (.xlsx) files")
    found: list[SpendSource] = []
    for member in members:
        inside = SpendSource(name=f"{source.name}/{member}", open=_member_opener(source.open, member))
        workbook = PurePath(member).suffix.lower() in _WORKBOOK_SUFFIXES and _is_workbook(inside.open)
        found.extend(_sheet_sources(inside) if workbook else [inside])
    return found


def _member_opener(outer: Opener, member: str) -> Opener:
    def opener() -> IO[bytes]:
        archive = zipfile.ZipFile(outer())
        return archive.open(member)  # the archive stays open for as long as the member is read

    return opener


def detect_encoding(opener: Opener) -> str:
    """'utf-8-sig' with a byte-order mark, 'utf-16' with one, 'utf-8' if every byte reads as UTF-8, else
    'cp1252' (the encoding Excel on Windows writes)."""
    head = _head(opener, 4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with opener() as f:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def open_table(source: SpendSource, *, sheet: str | None = None) -> StreamTable:
    """Start reading `source` (a CSV or XLSX file, not an archive). Raises TableError if it is not a table."""
    head = _head(source.open, 512)
    if not head.strip():
        raise TableError(source.name, "the file is empty")
    _refuse_other_kinds(source, head)
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        with source.open() as f:
            table = read_table(source.name, f.read(), sheet=sheet or source.sheet)
        return StreamTable(
            name=source.name,
            headers=table.headers,
            header_row=table.header_row,
            format=table.format,
            rows=((row.number, list(row.values)) for row in table.rows),
        )
    if PurePath(source.name).suffix.lower() in {".xlsx", ".xlsm"}:
        raise TableError(source.name, "the file is called .xlsx but is not an Excel workbook")
    encoding = detect_encoding(source.open)
    with _text(source.open, encoding) as text:
        sample = text.read(1 << 16)
    if "\x00" in sample:
        raise TableError(source.name, "this does not look like a CSV or XLSX file")
    delimiter = sniff_delimiter(sample)
    stream = _text(source.open, encoding)
    reader = csv.reader(stream, delimiter=delimiter)
    grid: list[list[str]] = []
    try:
        for row in reader:
            grid.append(row)
            if len(grid) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        stream.close()
        if ends_in_quotes(source.open, encoding, delimiter):
            raise TableError(source.name, unclosed_quote(len(grid) + 1)) from exc
        raise TableError(source.name, f"the CSV could not be read ({exc})") from exc
    start = find_header_row(grid)
    if start < 0:
        stream.close()
        raise TableError(source.name, "the file has no rows")
    raw = [v.strip() for v in grid[start]]
    width = max((i + 1 for i, v in enumerate(raw) if v), default=0)
    for row in grid[start + 1 :]:
        width = max(width, max((i + 1 for i, v in enumerate(row) if v.strip()), default=0))
    headers = make_headers(raw, width)

    def ends_inside_quotes() -> bool:
        return ends_in_quotes(source.open, encoding, delimiter)

    return StreamTable(
        name=source.name,
        headers=headers,
        header_row=start + 1,
        format="csv",
        rows=_csv_rows(source.name, stream, reader, grid, start, width, ends_inside_quotes),
        encoding=encoding,
    )


def _text(opener: Opener, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(opener(), encoding=encoding, errors="replace", newline="")


def unclosed_quote(row: int) -> str:
    return f"row {row}: a quoted field is never closed, so the rest of the file cannot be read"


def _csv_rows(
    name: str,
    stream: io.TextIOWrapper,
    reader: Iterator[list[str]],
    grid: list[list[str]],
    start: int,
    width: int,
    ends_inside_quotes: Callable[[], bool],
) -> Iterator[tuple[int, list[str]]]:
    number = start + 1
    pad = [""] * width
    # Each row is given out once the next has been read: the csv module reads a quote never closed as a
    # field running to the end of the file, rows and all, and says nothing, so the last row is not a row
    # until the file is known not to end inside quotes.
    held: tuple[int, list[str]] | None = None
    try:
        try:
            for row in itertools.chain(grid[start + 1 :], reader):
                number += 1
                if held is not None:
                    yield held
                held = (number, (row + pad)[:width] if len(row) != width else row) if any(row) else None
        except csv.Error as exc:
            if ends_inside_quotes():  # the open quote made the rest of the file one field, too long to read
                raise TableError(name, unclosed_quote(number + 1)) from exc
            raise TableError(name, f"row {number + 1} could not be read ({exc})") from exc
        if ends_inside_quotes():
            raise TableError(name, unclosed_quote(number))
        if held is not None:
            yield held
    finally:
        stream.close()


class QuoteScan:
    """Whether Python's csv module (its default dialect: strict off, quotes doubled) reading a file fed to
    this in blocks of bytes (UTF-8 or another encoding in which the quote, the delimiter and the line ends
    are single ASCII bytes) ends inside a quoted field.

    Only runs of quote characters can take the reader into or out of a quoted field, so only they are
    looked at (with numpy, not a byte at a time). A run of even length changes nothing (quotes doubled
    inside a field, `""` for an empty field, or literal quotes). A run of odd length at the start of a field
    (after a delimiter, a line end or the start of the file) opens a quoted field when outside one and closes
    it when inside (`"x,"`). A run of odd length anywhere else leaves the reader outside a quoted field: it
    closes the field it is in, or, outside one, it is a literal quote (`12" pipe`).
    """

    def __init__(self, delimiter: str) -> None:
        self.inside = False
        self._delimiter = ord(delimiter)
        self._before = 0x0A  # the byte before the block: the start of the file reads as a line start
        self._held = b""  # quotes at the end of the last block: their run may go on in the next one
        self._started = False

    def feed(self, block: bytes) -> None:
        if not self._started and block:
            self._started = True
            block = block.removeprefix(_UTF8_BOM)
        block = self._held + block
        cut = len(block.rstrip(b'"'))
        self._held = block[cut:]
        self._scan(block[:cut])

    def finish(self) -> bool:
        """True if the file fed ends inside a quoted field."""
        self._scan(self._held)
        self._held = b""
        return self.inside

    def _scan(self, block: bytes) -> None:
        if not block:
            return
        if b'"' in block:
            data = np.frombuffer(block, dtype=np.uint8)
            at = np.flatnonzero(data == 0x22)
            first = np.ones(at.size, dtype=bool)
            first[1:] = at[1:] != at[:-1] + 1
            starts = np.flatnonzero(first)
            odd = (np.diff(np.append(starts, at.size)) & 1).astype(bool)
            where = at[starts]
            before = data[np.maximum(where - 1, 0)]
            before[where == 0] = self._before
            field_start = (before == self._delimiter) | (before == 0x0A) | (before == 0x0D)
            toggles = odd & field_start
            leaves = np.flatnonzero(odd & ~field_start)
            inside = self.inside
            if leaves.size:
                inside = False
                toggles = toggles[leaves[-1] + 1 :]
            self.inside = inside ^ bool(np.count_nonzero(toggles) & 1)
        self._before = block[-1]


def ends_in_quotes(opener: Opener, encoding: str, delimiter: str) -> bool:
    """Whether the CSV file ends inside a quoted field, read as `open_table` reads it."""
    scan = QuoteScan(delimiter)
    convert = encoding not in ("utf-8", "utf-8-sig", "cp1252")  # the ASCII bytes of these are the characters
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace") if convert else None
    with opener() as f:
        while raw := f.read(_CHUNK):
            scan.feed(raw if decoder is None else decoder.decode(raw).encode("utf-8", "surrogatepass"))
    if decoder is not None:
        scan.feed(decoder.decode(b"", final=True).encode("utf-8", "surrogatepass"))
    return scan.finish()
