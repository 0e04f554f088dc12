"""Importing spend files: upload, check, import. An import lands whole or not at all.

`spend_import_run` is the one path every import takes (web page, background thread, command, demo,
benchmark): inside one transaction it reads every table, loads the rows in chunks, then resolves suppliers,
categorises, and finds duplicate candidates. If any row is rejected nothing is added (unless the caller
asked to leave rejected rows out), and the import is recorded as failed with the rejected rows listed.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import (
    DuplicateOptions,
    SpendReader,
    SpendSource,
    expand_sources,
    format_pounds,
    mapping_problems,
    open_table,
    suggest_mapping,
)
from wholecouncil.spend.models import SpendFile, SpendImport
from wholecouncil.spend.services.categories import categories_apply
from wholecouncil.spend.services.duplicates import duplicates_detect
from wholecouncil.spend.services.loading import Loader
from wholecouncil.spend.services.suppliers import suppliers_refresh
from wholecouncil.tabular import RowError, TableError

MAX_FILE_BYTES = 200 * 1024 * 1024
Progress = Callable[[int], None]
Status = SpendImport.Status


class SpendImportError(DomainError):
    """An import the domain refuses, with a message fit to show the user."""


class _Rejected(Exception):
    pass


@dataclass
class ImportOutcome:
    spend_import: SpendImport
    rows_read: int = 0
    imported: int = 0
    already: int = 0
    rejected: int = 0
    rejections: list[RowError] = field(default_factory=list)
    total_pennies: int = 0
    imported_pennies: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rejected == 0


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _sources(spend_import: SpendImport) -> list[SpendSource]:
    return [SpendSource.from_bytes(f.name, bytes(f.content)) for f in spend_import.files.all()]


def tables_of(sources: Sequence[SpendSource]) -> list[SpendSource]:
    """Every table in the sources, ZIP archives opened. Raises SpendImportError naming a bad file."""
    found: list[SpendSource] = []
    try:
        for source in sources:
            found.extend(expand_sources(source))
    except TableError as exc:
        raise SpendImportError(str(exc)) from exc
    return found


# --- the web flow: upload, check ---------------------------------------------------------------------


@transaction.atomic
def spend_upload(*, council: Council, files: Sequence[tuple[str, bytes]], actor: Actor) -> SpendImport:
    """Keep uploaded files (CSV, XLSX or ZIP) and suggest the columns from the first table's headers."""
    if not files:
        raise SpendImportError("Choose one or more files to upload.")
    named = []
    for file_name, content in files:
        name = PurePath(file_name.replace("\\", "/")).name[:255] or "upload"
        if len(content) > MAX_FILE_BYTES:
            raise SpendImportError(f"{name}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        named.append((name, content))
    tables = tables_of([SpendSource.from_bytes(n, c) for n, c in named])
    headers: tuple[str, ...] = ()
    for table in tables:
        try:
            opened = open_table(table)
        except TableError as exc:
            raise SpendImportError(str(exc)) from exc
        opened.rows.close()  # type: ignore[attr-defined]
        headers = headers or opened.headers
    imp = SpendImport.objects.create(
        council=council,
        created_by=_user(actor),
        file_names=[t.name for t in tables],
        headers=list(headers),
        mapping=suggest_mapping(headers),
        options={"window_days": DuplicateOptions().window_days},
    )
    SpendFile.objects.bulk_create(
        [SpendFile(spend_import=imp, name=n, content=c, size=len(c)) for n, c in named]
    )
    return imp


def read_only(
    sources: Sequence[SpendSource], mapping: Mapping[str, str] | None, progress: Progress | None = None
) -> SpendReader:
    """Read every table without writing anything: the totals and rejected rows of a check."""
    reader = SpendReader()
    for index, source in enumerate(sources):
        for _chunk in _read_table(reader, source, mapping, index):
            if progress:
                progress(reader.totals.rows + reader.totals.rejected)
    reader.finish()
    return reader


def _read_table(
    reader: SpendReader, source: SpendSource, mapping: Mapping[str, str] | None, index: int
) -> Any:
    try:
        table = open_table(source)
    except TableError as exc:
        reader.totals.reject(RowError(source.name, None, "", exc.message))
        return
    used = dict(mapping) if mapping else suggest_mapping(table.headers)
    problems = mapping_problems(table.headers, used)
    if problems:
        for _name, message in problems:
            reader.totals.reject(RowError(table.name, None, "", message))
        return
    try:
        yield from reader.read(table, used, file_index=index)
    except TableError as exc:
        reader.totals.reject(RowError(source.name, None, "", exc.message))


@transaction.atomic
def spend_check(
    *, spend_import: SpendImport, mapping: Mapping[str, str], window_days: int | None = None
) -> SpendImport:
    """Read every row with `mapping`; record the totals and rejected rows. Imports nothing."""
    imp = SpendImport.objects.select_for_update().get(pk=spend_import.pk)
    if imp.status in (Status.COMPLETED, Status.RUNNING):
        raise SpendImportError(
            "This import has already been run. Upload the files again to import them again."
        )
    clean = {name: header for name, header in mapping.items() if header}
    reader = read_only(tables_of(_sources(imp)), clean)
    totals = reader.totals
    imp.mapping = clean
    if window_days is not None:
        imp.options = {**imp.options, "window_days": window_days}
    imp.rows_read = totals.rows
    imp.rejected_count = totals.rejected
    imp.rejected = [e.as_dict() for e in totals.rejections]
    imp.total = Decimal(format_pounds(totals.total_pennies))
    imp.summary = _summary(reader)
    imp.status = Status.CHECKED if totals.rejected == 0 else Status.FAILED
    imp.save(
        update_fields=[
            "mapping",
            "options",
            "rows_read",
            "rejected_count",
            "rejected",
            "total",
            "summary",
            "status",
        ]
    )
    return imp


def _summary(reader: SpendReader) -> dict[str, Any]:
    totals = reader.totals
    return {
        "months": {m: {"rows": n, "total": format_pounds(p)} for m, (n, p) in totals.months.items()},
        "first_date": totals.first_date.isoformat() if totals.first_date else None,
        "last_date": totals.last_date.isoformat() if totals.last_date else None,
    }


# --- running an import -------------------------------------------------------------------------------


def spend_import_run(
    *,
    council: Council,
    spend_import: SpendImport | None = None,
    sources: Sequence[SpendSource] | None = None,
    mapping: Mapping[str, str] | None = None,
    actor: Actor,
    skip_rejected: bool = False,
    progress: Progress | None = None,
    detect_duplicates: bool = True,
) -> ImportOutcome:
    """Import spend files into `council`, whole or not at all.

    Either `spend_import` (an uploaded, checked import; its files and mapping are used) or `sources` (a new
    import record is made). Without a mapping, each table's columns are suggested from its headers. Rows
    identical to rows imported before are not added again. If any row is rejected, nothing is added and the
    import is recorded as failed with the rejected rows, unless `skip_rejected` is set.
    """
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector would only slow the load down
    try:
        with transaction.atomic():
            return _run(
                council, spend_import, sources, mapping, actor, skip_rejected, progress, detect_duplicates
            )
    finally:
        if was_enabled:
            gc.enable()


def _run(
    council: Council,
    spend_import: SpendImport | None,
    sources: Sequence[SpendSource] | None,
    mapping: Mapping[str, str] | None,
    actor: Actor,
    skip_rejected: bool,
    progress: Progress | None,
    detect_duplicates: bool,
) -> ImportOutcome:
    started = time.perf_counter()
    Council.objects.select_for_update().filter(pk=council.pk).first()
    if spend_import is None:
        tables = tables_of(sources or [])
        imp = SpendImport.objects.create(
            council=council,
            created_by=_user(actor),
            file_names=[t.name for t in tables],
            mapping=dict(mapping or {}),
            options={"window_days": DuplicateOptions().window_days},
        )
    else:
        imp = SpendImport.objects.select_for_update().get(pk=spend_import.pk)
        if imp.status in (Status.UPLOADED, Status.COMPLETED) or (
            imp.status == Status.FAILED and not skip_rejected
        ):
            raise SpendImportError("Only a checked import can be run, once.")
        tables = tables_of(_sources(imp))
        mapping = imp.mapping or None
    outcome = ImportOutcome(spend_import=imp)
    reader = SpendReader()
    loader: Loader | None = None
    try:
        with transaction.atomic():
            loader = Loader(council, imp)
            for index, table in enumerate(tables):
                for chunk in _read_table(reader, table, mapping, index):
                    loader.add(chunk)
                    if progress:
                        progress(reader.totals.rows + reader.totals.rejected)
            reader.finish()
            if reader.totals.rejected and not skip_rejected:
                raise _Rejected
            outcome.timings["load"] = time.perf_counter() - started
            loader.save_identifiers()
            suppliers_refresh(council=council)
            outcome.timings["suppliers"] = time.perf_counter() - started
            categories_apply(council=council)
            outcome.timings["categories"] = time.perf_counter() - started
            if detect_duplicates:
                duplicates_detect(council=council)
            outcome.timings["duplicates"] = time.perf_counter() - started
    except _Rejected:
        loader = None
    totals = reader.totals
    outcome.rows_read = totals.rows
    outcome.rejected = totals.rejected
    outcome.rejections = totals.rejections
    outcome.total_pennies = totals.total_pennies
    imp.rows_read = totals.rows
    imp.rejected_count = totals.rejected
    imp.rejected = [e.as_dict() for e in totals.rejections]
    imp.total = Decimal(format_pounds(totals.total_pennies))
    imp.summary = {**_summary(reader), "timings": {k: round(v, 2) for k, v in outcome.timings.items()}}
    if loader is None:
        imp.status = Status.FAILED
        imp.save()
        return outcome
    outcome.imported, outcome.already, outcome.imported_pennies = (
        loader.imported,
        loader.already,
        loader.imported_pennies,
    )
    imp.rows_imported = loader.imported
    imp.rows_already_imported = loader.already
    imp.imported_total = Decimal(format_pounds(loader.imported_pennies))
    imp.status = Status.COMPLETED
    imp.completed_at = timezone.now()
    imp.error = ""
    imp.save()
    audit_record(
        council=council,
        actor=actor,
        action="spend.import",
        obj=imp,
        object_type="spend import",
        object_repr=f"Spend from {', '.join(imp.file_names[:3])}"[:300],
        before=None,
        after={
            "rows_imported": loader.imported,
            "rows_already_imported": loader.already,
            "rows_rejected": totals.rejected,
            "imported_total": format_pounds(loader.imported_pennies),
            "suppliers_created": loader.suppliers_created,
        },
    )
    return outcome
