"""Running a spend import: the one path every import takes. An import lands whole or not at all.

`spend_import_run` is called by the web page, the background thread, `wholecouncil spend import`, the demo
and the benchmark. Inside one transaction it reads every table, loads the rows, then resolves suppliers,
links contracts, categorises, and finds duplicate candidates. If any row is rejected nothing is added
(unless the caller asked to leave rejected rows out), and the import is recorded as failed with the rejected
rows listed. A table that cannot be read at all, or whose columns do not fit, is never left out: the import
fails, whatever was asked.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.spend.engine import DuplicateOptions, SpendReader, SpendSource, format_pounds
from wholecouncil.spend.engine.layouts import Layout
from wholecouncil.spend.engine.rows import total_problem
from wholecouncil.spend.models import SpendImport
from wholecouncil.spend.services.contracts import contracts_relink
from wholecouncil.spend.services.duplicates import duplicates_detect
from wholecouncil.spend.services.imports import (
    Progress,
    SpendImportError,
    layouts_of,
    layouts_of_import,
    open_checked,
    read_rows,
    record_read,
    sources_of,
    tables_of,
    user_of,
)
from wholecouncil.spend.services.loading import Loader
from wholecouncil.spend.services.suppliers import suppliers_refresh
from wholecouncil.tabular import RowError

Status = SpendImport.Status
RUNNABLE = (Status.CHECKED, Status.RUNNING, Status.INTERRUPTED)


class _Rejected(Exception):
    pass


@dataclass
class ImportOutcome:
    spend_import: SpendImport
    rows_read: int = 0
    imported: int = 0
    already: int = 0
    rejected: int = 0
    file_problems: int = 0
    rounded: int = 0
    totals_rows: int = 0  # rows adding up the payments ("Total"), skipped
    rejections: list[RowError] = field(default_factory=list)
    total_pennies: int = 0
    imported_pennies: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rejected == 0

    @property
    def landed(self) -> bool:
        return self.spend_import.status == Status.COMPLETED


def spend_import_run(
    *,
    council: Council,
    spend_import: SpendImport | None = None,
    sources: Sequence[SpendSource] | None = None,
    columns: Mapping[str, str] | None = None,
    layouts: Sequence[Layout] | None = None,
    actor: Actor,
    skip_rejected: bool = False,
    progress: Progress | None = None,
    detect_duplicates: bool = True,
) -> ImportOutcome:
    """Import spend files into `council`, whole or not at all.

    Either `spend_import` (an uploaded, checked import: its files and layouts are used) or `sources` (a new
    import record is made), read with `layouts` if given, else with each layout's suggested columns changed
    by `columns` where they apply. Payments imported before are recognised and not added again. If any row
    is rejected nothing is added and the import is recorded as failed with the rejected rows, unless
    `skip_rejected` is set; a table that cannot be read fails the import whatever is set.
    """
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector would only slow the load down
    try:
        with transaction.atomic():
            imp, tables, chosen = _prepare(
                council, spend_import, sources, columns, layouts, actor, skip_rejected
            )
            return _run(council, imp, tables, chosen, actor, skip_rejected, progress, detect_duplicates)
    finally:
        if was_enabled:
            gc.enable()


def _prepare(
    council: Council,
    spend_import: SpendImport | None,
    sources: Sequence[SpendSource] | None,
    columns: Mapping[str, str] | None,
    layouts: Sequence[Layout] | None,
    actor: Actor,
    skip_rejected: bool,
) -> tuple[SpendImport, list[SpendSource], list[Layout]]:
    if spend_import is not None:
        imp = SpendImport.objects.select_for_update().get(pk=spend_import.pk)
        if imp.status not in RUNNABLE and not (imp.status == Status.FAILED and skip_rejected):
            raise SpendImportError("Only a checked import can be run, once.")
        Council.objects.select_for_update().filter(pk=council.pk).first()
        return imp, tables_of(sources_of(imp)), layouts_of_import(imp)
    Council.objects.select_for_update().filter(pk=council.pk).first()
    tables = tables_of(sources or [])
    chosen = list(layouts) if layouts is not None else layouts_of(tables, columns)
    imp = SpendImport.objects.create(
        council=council,
        created_by=user_of(actor),
        file_names=[t.name for t in tables],
        layouts=[layout.as_dict() for layout in chosen],
        options={"window_days": DuplicateOptions().window_days},
    )
    return imp, tables, chosen


def _run(
    council: Council,
    imp: SpendImport,
    tables: list[SpendSource],
    layouts: list[Layout],
    actor: Actor,
    skip_rejected: bool,
    progress: Progress | None,
    detect_duplicates: bool,
) -> ImportOutcome:
    started = time.perf_counter()
    outcome = ImportOutcome(spend_import=imp)
    reader = SpendReader()
    loader: Loader | None = None
    folder = Path(tempfile.mkdtemp(prefix="wholecouncil-spend-"))
    try:
        with transaction.atomic():
            loader = Loader(council, imp, folder)
            for index, source in enumerate(tables):
                opened = open_checked(reader, source, layouts)
                if opened is None:
                    continue
                table, mapping = opened
                if loader.stage.add_csv(source, table, mapping, reader, file_index=index):
                    table.rows.close()  # type: ignore[attr-defined]
                else:
                    for chunk in read_rows(reader, source, table, mapping, index):
                        loader.add(chunk)
                        if progress:
                            progress(reader.totals.rows + reader.totals.rejected)
                if progress:
                    progress(reader.totals.rows + reader.totals.rejected)
            reader.finish([source.name for source in tables])
            outcome.timings["read"] = time.perf_counter() - started
            if reader.totals.file_problems or (reader.totals.rejected and not skip_rejected):
                raise _Rejected
            if progress:
                progress(reader.totals.rows + reader.totals.rejected, step="writing")
            loader.load()
            if (problem := total_problem([t.name for t in tables], loader.imported_pennies)) is not None:
                reader.totals.reject(problem)  # the new payments alone, when credits offset the rest
                raise _Rejected
            outcome.timings.update({k: v + outcome.timings["read"] for k, v in loader.timings.items()})
            outcome.timings["load"] = time.perf_counter() - started
            if progress:
                progress(reader.totals.rows + reader.totals.rejected, step="suppliers")
            loader.save_identifiers()
            suppliers_refresh(council=council, added=loader.added)
            contracts_relink(council=council)
            outcome.timings["suppliers"] = time.perf_counter() - started
            loader.categorise_older()
            outcome.timings["categories"] = time.perf_counter() - started
            if detect_duplicates:
                if progress:
                    progress(reader.totals.rows + reader.totals.rejected, step="duplicates")
                duplicates_detect(
                    council=council,
                    staged=loader.payment_columns(),
                    staged_import=imp.pk,
                    earlier=loader.had_payments,
                )
            outcome.timings["duplicates"] = time.perf_counter() - started
    except _Rejected:
        rejected = True
    else:
        rejected = False
    finally:
        if loader is not None:
            loader.close()
        shutil.rmtree(folder, ignore_errors=True)
    if rejected:
        loader = None
    totals = reader.totals
    outcome.rows_read, outcome.rejected, outcome.rejections = totals.rows, totals.rejected, totals.rejections
    outcome.file_problems, outcome.rounded = totals.file_problems, totals.rounded
    outcome.totals_rows = totals.totals_rows_skipped
    outcome.total_pennies = totals.total_pennies
    record_read(imp, reader)
    imp.summary = {**imp.summary, "timings": {k: round(v, 2) for k, v in outcome.timings.items()}}
    if loader is None:
        imp.status = Status.FAILED
        imp.save()
        return outcome
    outcome.imported, outcome.already = loader.imported, loader.already
    outcome.imported_pennies = loader.imported_pennies
    _complete(council, imp, loader, actor, totals.rejected)
    return outcome


def _complete(council: Council, imp: SpendImport, loader: Loader, actor: Actor, rejected: int) -> None:
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
            "rows_rejected": rejected,
            "amounts_rounded": imp.summary.get("rounded", 0),
            "imported_total": format_pounds(loader.imported_pennies),
            "suppliers_created": loader.suppliers_created,
        },
    )
