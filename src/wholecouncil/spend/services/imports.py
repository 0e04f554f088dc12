"""Spend imports on the web: upload the files, match each layout's columns, check every row.

Running an import is `services.running.spend_import_run`, the one path every import takes. A check reads
every row with the chosen columns and records the totals and rejected rows; it imports nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from django.db import transaction

from wholecouncil.council.audit import Actor
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import (
    DuplicateOptions,
    SpendReader,
    SpendRow,
    SpendSource,
    StreamTable,
    expand_sources,
    format_pounds,
    mapping_problems,
    open_table,
    suggest_mapping,
)
from wholecouncil.spend.engine.amounts import MAX_TOTAL_PENNIES
from wholecouncil.spend.engine.columnar import Stage
from wholecouncil.spend.engine.fields import REQUIRED_FIELDS
from wholecouncil.spend.engine.layouts import ColumnsError, Layout, group_layouts, layout_for
from wholecouncil.spend.models import SpendFile, SpendImport
from wholecouncil.tabular import RowError, TableError

MAX_FILE_BYTES = 200 * 1024 * 1024
Progress = Callable[..., None]  # progress(rows read so far, step=one of STEPS)
# What an import does, in order, as its progress page names it.
STEPS = {
    "reading": "Reading the files",
    "writing": "Adding the payments",
    "suppliers": "Resolving suppliers and linking contracts",
    "duplicates": "Looking for duplicate payments",
}
Status = SpendImport.Status


class SpendImportError(DomainError):
    """An import the domain refuses, with a message fit to show the user."""


def user_of(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def sources_of(spend_import: SpendImport) -> list[SpendSource]:
    return [SpendSource.from_bytes(f.name, bytes(f.content)) for f in spend_import.files.all()]


def layouts_of_import(spend_import: SpendImport) -> list[Layout]:
    return [Layout.from_dict(d) for d in spend_import.layouts]


def tables_of(sources: Sequence[SpendSource]) -> list[SpendSource]:
    """Every table in the sources, ZIP archives opened and the members that are not spend tables passed
    over (`spend_tables`). Raises SpendImportError naming a bad file."""
    return spend_tables(sources)[0]


NOT_SPEND = "it has no supplier, amount or date columns"


def spend_tables(sources: Sequence[SpendSource]) -> tuple[list[SpendSource], list[tuple[str, str]]]:
    """Every table in the sources, ZIP archives opened, and (name, why) for each member of an archive that
    was passed over: a table none of whose headers suggests a supplier, an amount or a date (a notes.txt
    beside the CSV files). A file given on its own is never passed over, nor
    a member that cannot be read: those fail as they are. Raises SpendImportError naming a bad file, or an
    archive whose every member is passed over."""
    found: list[SpendSource] = []
    passed: list[tuple[str, str]] = []
    try:
        for source in sources:
            members = expand_sources(source)
            if members == [source]:
                found.append(source)
                continue
            kept = []
            for member in members:
                why = _not_spend(member)
                if why:
                    passed.append((member.name, why))
                else:
                    kept.append(member)
            if not kept and all(member.sheet is not None for member in members):
                # A workbook none of whose sheets has headers suggested as payments': its first sheet with
                # data is read, for its columns to be matched by hand, as a workbook of one sheet is.
                del passed[-len(members) :]
                kept = [members[0]]
            if not kept:
                whys = "; ".join(f"{name}: {why}" for name, why in passed[-len(members) :])
                raise SpendImportError(f"{source.name}: none of the tables in it is a spend table ({whys})")
            found.extend(kept)
    except TableError as exc:
        raise SpendImportError(str(exc)) from exc
    return found, passed


NOT_A_SPEND_SHEET = "it has no supplier, amount and date columns"


def _not_spend(member: SpendSource) -> str:
    """Why a member of an archive, or one of a workbook's sheets, is not a spend table, or "" when it may be
    one. A sheet must have all three needed columns suggested (a summary or notes sheet beside the data is
    passed over); a member of an archive any one of them."""
    try:
        opened = open_table(member)
    except TableError:
        return ""  # read again with the others, and refused by what is wrong with it
    opened.rows.close()  # type: ignore[attr-defined]
    suggested = suggest_mapping(opened.headers)
    if member.sheet is not None:
        return "" if all(name in suggested for name in REQUIRED_FIELDS) else NOT_A_SPEND_SHEET
    return "" if any(name in suggested for name in REQUIRED_FIELDS) else NOT_SPEND


def headers_of(table: SpendSource) -> tuple[str, ...]:
    """The headers of one table (its rows are not read). Raises SpendImportError naming the file."""
    try:
        opened = open_table(table)
    except TableError as exc:
        raise SpendImportError(str(exc)) from exc
    opened.rows.close()  # type: ignore[attr-defined]
    return opened.headers


def layouts_of(tables: Sequence[SpendSource], columns: Mapping[str, str] | None = None) -> list[Layout]:
    """The tables grouped by their headers, each layout with its suggested columns (and `columns`
    overrides where they apply). Raises SpendImportError for overrides that cannot be applied."""
    try:
        return group_layouts(((t.name, headers_of(t)) for t in tables), columns)
    except ColumnsError as exc:
        raise SpendImportError(str(exc)) from exc


# --- reading --------------------------------------------------------------------------------------------


def open_checked(
    reader: SpendReader, source: SpendSource, layouts: Sequence[Layout]
) -> tuple[StreamTable, dict[str, str]] | None:
    """Open one table and find the mapping of its layout. A table that cannot be read, or whose columns do
    not fit, is recorded in `reader` as a problem with the whole file (and None returned)."""
    try:
        table = open_table(source)
    except TableError as exc:
        reader.totals.reject(RowError(source.name, None, "", exc.message))
        return None
    layout = layout_for(layouts, table.headers)
    if layout is None:
        problems = ["its columns are not among those matched; upload the files again to match them"]
    else:
        problems = [message for _, message in mapping_problems(table.headers, layout.mapping)]
    if layout is None or problems:
        table.rows.close()  # type: ignore[attr-defined]
        for message in problems:
            reader.totals.reject(RowError(table.name, None, "", message))
        return None
    return table, layout.mapping


def read_rows(
    reader: SpendReader, source: SpendSource, table: StreamTable, mapping: Mapping[str, str], index: int
) -> Iterator[list[SpendRow]]:
    """The rows of an opened table in chunks, read by the row reader."""
    try:
        yield from reader.read(table, mapping, file_index=index)
    except TableError as exc:
        reader.totals.reject(RowError(source.name, None, "", exc.message))


def read_only(
    sources: Sequence[SpendSource], layouts: Sequence[Layout], progress: Progress | None = None
) -> SpendReader:
    """Read every table without writing anything: the totals and rejected rows of a check. CSV files are
    read as an import reads them (by DuckDB where it can: `spend.engine.columnar`)."""
    reader = SpendReader()
    folder = Path(tempfile.mkdtemp(prefix="wholecouncil-check-"))
    stage = Stage(folder)
    try:
        for index, source in enumerate(sources):
            opened = open_checked(reader, source, layouts)
            if opened is None:
                continue
            table, mapping = opened
            if stage.add_csv(source, table, mapping, reader, file_index=index):
                table.rows.close()  # type: ignore[attr-defined]
                stage.con.execute("DELETE FROM staged")
            else:
                for _chunk in read_rows(reader, source, table, mapping, index):
                    if progress:
                        progress(reader.totals.rows + reader.totals.rejected)
            if progress:
                progress(reader.totals.rows + reader.totals.rejected)
    finally:
        stage.close()
        shutil.rmtree(folder, ignore_errors=True)
    reader.finish([source.name for source in sources])
    return reader


def summary_of(reader: SpendReader) -> dict[str, Any]:
    totals = reader.totals
    return {
        "months": {m: {"rows": n, "total": format_pounds(p)} for m, (n, p) in totals.months.items()},
        "first_date": totals.first_date.isoformat() if totals.first_date else None,
        "last_date": totals.last_date.isoformat() if totals.last_date else None,
        "rounded": totals.rounded,
        "totals_rows": totals.totals_rows_skipped,
        "file_problems": totals.file_problems,
    }


def record_read(imp: SpendImport, reader: SpendReader) -> None:
    """Copy what a read found onto the import (not saved)."""
    totals = reader.totals
    imp.rows_read = totals.rows
    imp.rejected_count = totals.rejected
    imp.rejected = [e.as_dict() for e in totals.rejections]
    # A total too large to record has been refused (`SpendReader.finish`); 0 is kept in its place.
    fits = abs(totals.total_pennies) <= MAX_TOTAL_PENNIES
    imp.total = Decimal(format_pounds(totals.total_pennies if fits else 0))
    imp.summary = {**(imp.summary or {}), **summary_of(reader)}


# --- the web flow: upload, check ---------------------------------------------------------------------


@transaction.atomic
def spend_upload(*, council: Council, files: Sequence[tuple[str, bytes]], actor: Actor) -> SpendImport:
    """Keep uploaded files (CSV, XLSX or ZIP) and suggest the columns of each layout from its headers."""
    if not files:
        raise SpendImportError("Choose one or more files to upload.")
    named = []
    for file_name, content in files:
        name = PurePath(file_name.replace("\\", "/")).name[:255] or "upload"
        if len(content) > MAX_FILE_BYTES:
            raise SpendImportError(f"{name}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        named.append((name, content))
    tables, passed_over = spend_tables([SpendSource.from_bytes(n, c) for n, c in named])
    layouts = layouts_of(tables)
    imp = SpendImport.objects.create(
        council=council,
        created_by=user_of(actor),
        file_names=[t.name for t in tables],
        layouts=[layout.as_dict() for layout in layouts],
        options={"window_days": DuplicateOptions().window_days},
        summary={"passed_over": [{"file": n, "reason": why} for n, why in passed_over]}
        if passed_over
        else {},
    )
    SpendFile.objects.bulk_create(
        [SpendFile(spend_import=imp, name=n, content=c, size=len(c)) for n, c in named]
    )
    return imp


def check_allowed(imp: SpendImport) -> None:
    if imp.status in (Status.COMPLETED, Status.RUNNING):
        raise SpendImportError(
            "This import has already been run. Upload the files again to import them again."
        )


@transaction.atomic
def spend_columns_set(
    *, spend_import: SpendImport, mappings: Sequence[Mapping[str, str]], window_days: int | None = None
) -> SpendImport:
    """Record the chosen columns of each layout (in the import's layout order) and the duplicate window."""
    imp = spend_import
    check_allowed(imp)
    layouts = layouts_of_import(imp)
    if len(mappings) != len(layouts):
        raise SpendImportError("Match the columns of every layout of the files.")
    for layout, mapping in zip(layouts, mappings, strict=True):
        layout.mapping = {name: header for name, header in mapping.items() if header}
    imp.layouts = [layout.as_dict() for layout in layouts]
    if window_days is not None:
        imp.options = {**imp.options, "window_days": window_days}
    imp.save(update_fields=["layouts", "options"])
    return imp


@transaction.atomic
def spend_check(*, spend_import: SpendImport, progress: Progress | None = None) -> SpendImport:
    """Read every row with the import's columns; record the totals and rejected rows. Imports nothing."""
    imp = SpendImport.objects.select_for_update().get(pk=spend_import.pk)
    check_allowed(imp)
    reader = read_only(tables_of(sources_of(imp)), layouts_of_import(imp), progress)
    record_read(imp, reader)
    imp.status = Status.CHECKED if reader.totals.rejected == 0 else Status.FAILED
    imp.error = ""
    imp.save(update_fields=["rows_read", "rejected_count", "rejected", "total", "summary", "status", "error"])
    return imp
