"""Opening spend files: CSV, XLSX and ZIP archives of them, read as a stream of rows.

A ZIP that is not an Excel workbook is an archive: every CSV and XLSX inside it is read, in name order
(folders, hidden files and other kinds of file are passed over). CSV files are read a row at a time, so a
file of millions of rows never sits in memory whole; XLSX files are read with `wholecouncil.tabular`.
Encodings, delimiters, preamble lines and header rows follow the rules of `wholecouncil.tabular`.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

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


@dataclass(frozen=True)
class SpendSource:
    """One file to read: its name as shown to people ("year.zip/april.csv") and how to open it."""

    name: str
    open: Opener
    path: Path | None = None  # the file on disk, when it is one (not a ZIP member or an upload)

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


def expand_sources(source: SpendSource) -> list[SpendSource]:
    """The tables in `source`: itself, or each CSV and XLSX inside it when it is a ZIP archive."""
    head = _head(source.open)
    _refuse_other_kinds(source, head)
    if not head.startswith(_ZIP_MAGIC) or _is_workbook(source.open):
        return [source]
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
            )
    except zipfile.BadZipFile as exc:
        raise TableError(source.name, "the ZIP file is damaged and could not be opened") from exc
    if not members:
        raise TableError(source.name, "the ZIP file holds no CSV or Excel (.xlsx) files")
    return [
        SpendSource(name=f"{source.name}/{member}", open=_member_opener(source.open, member))
        for member in members
    ]


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
            table = read_table(source.name, f.read(), sheet=sheet)
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
    return StreamTable(
        name=source.name,
        headers=headers,
        header_row=start + 1,
        format="csv",
        rows=_csv_rows(source.name, stream, reader, grid, start, width),
        encoding=encoding,
    )


def _text(opener: Opener, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(opener(), encoding=encoding, errors="replace", newline="")


def _csv_rows(
    name: str,
    stream: io.TextIOWrapper,
    reader: Iterator[list[str]],
    grid: list[list[str]],
    start: int,
    width: int,
) -> Iterator[tuple[int, list[str]]]:
    number = start + 1
    pad = [""] * width
    try:
        for row in grid[start + 1 :]:
            number += 1
            if any(row):
                yield number, (row + pad)[:width] if len(row) != width else row
        try:
            for row in reader:
                number += 1
                if any(row):
                    yield number, (row + pad)[:width] if len(row) != width else row
        except csv.Error as exc:
            raise TableError(name, f"row {number + 1} could not be read ({exc})") from exc
    finally:
        stream.close()
