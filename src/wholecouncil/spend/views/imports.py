"""Importing spend files: upload, match columns, check, confirm, progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine import FIELDS_BY_NAME, SpendSource, open_table
from wholecouncil.spend.engine.layouts import Layout
from wholecouncil.spend.forms import ColumnsForm, UploadForm, WindowForm, error_list
from wholecouncil.spend.models import SpendImport
from wholecouncil.spend.services.background import (
    progress_read,
    spend_import_reap,
    start_check_in_background,
    start_in_background,
)
from wholecouncil.spend.services.duplicates import duplicate_window
from wholecouncil.spend.services.imports import STEPS, layouts_of_import, sources_of
from wholecouncil.tabular import RowError, TableError

Status = SpendImport.Status
EXAMPLES = 3


def background_rows() -> int:
    """Imports of more rows than this run in a background thread with a progress page."""
    return int(getattr(settings, "SPEND_BACKGROUND_ROWS", 50_000))


def background_bytes() -> int:
    """Uploads larger than this are checked in a background thread with a progress page."""
    return int(getattr(settings, "SPEND_BACKGROUND_BYTES", 20 * 1024 * 1024))


def _import(request: HttpRequest, pk: int) -> SpendImport:
    try:
        imp = selectors.import_get(current_council(request), pk)
    except SpendImport.DoesNotExist as exc:
        raise Http404("No such import") from exc
    return spend_import_reap(spend_import=imp)


def _layout_rows(imp: SpendImport) -> list[dict[str, Any]]:
    """Each layout's tables and the columns used, as the pages show them."""
    return [
        {
            "tables": layout.tables,
            "rows": [(FIELDS_BY_NAME[n].label, h) for n, h in layout.mapping.items() if n in FIELDS_BY_NAME],
        }
        for layout in layouts_of_import(imp)
    ]


def _examples(imp: SpendImport, layouts: list[Layout]) -> list[list[tuple[str, list[str]]]]:
    """For each layout, its headers with the first few values of its first table."""
    try:
        tables = {t.name: t for t in services.tables_of(sources_of(imp))}
    except services.SpendImportError:
        return [[] for _ in layouts]
    found = []
    for layout in layouts:
        source = tables.get(layout.tables[0]) if layout.tables else None
        found.append(_first_values(source) if source else [])
    return found


def _first_values(source: SpendSource) -> list[tuple[str, list[str]]]:
    try:
        table = open_table(source)
    except TableError:
        return []
    rows = []
    for _number, values in table.rows:
        rows.append(values)
        if len(rows) >= EXAMPLES:
            break
    table.rows.close()  # type: ignore[attr-defined]
    return [(h, [r[i] for r in rows if i < len(r) and r[i]]) for i, h in enumerate(table.headers)]


@council_view(Perm.VIEW)
def imports(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    found = [spend_import_reap(spend_import=imp) for imp in selectors.imports_for(council)[:100]]
    context = {"imports": found, "can_import": can(request, Perm.IMPORT_SPEND)}
    return render(request, "spend/imports.html", context)


@council_view(Perm.IMPORT_SPEND)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["spend_files"]]
        try:
            imp = services.spend_upload(council=current_council(request), files=files, actor=request.user)
        except services.SpendImportError as exc:
            form.add_error("spend_files", str(exc))
        else:
            return redirect("spend:import_map", current_council(request).slug, imp.pk)
    return render(request, "spend/import_upload.html", {"form": form})


@council_view(Perm.IMPORT_SPEND)
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    slug = current_council(request).slug
    if imp.status in (Status.COMPLETED, Status.RUNNING, Status.CHECKING):
        return redirect("spend:import_detail", slug, imp.pk)
    layouts = layouts_of_import(imp)
    data = request.POST if request.method == "POST" else None
    forms = [
        ColumnsForm(data, prefix=f"layout{i}", headers=list(layout.headers), initial=layout.mapping)
        for i, layout in enumerate(layouts)
    ]
    # A new upload starts from the window of the council's last completed import; one mapped before, its own.
    days = None if imp.status == Status.UPLOADED else imp.options.get("window_days")
    if days is None:
        days = duplicate_window(current_council(request))
    window = WindowForm(data, initial={"window_days": days})
    if data is not None and all(f.is_valid() for f in [*forms, window]):
        services.spend_columns_set(
            spend_import=imp,
            mappings=[f.mapping() for f in forms],
            window_days=window.cleaned_data["window_days"],
        )
        if selectors.upload_bytes(imp) > background_bytes():
            start_check_in_background(spend_import=imp)
            return redirect("spend:import_detail", slug, imp.pk)
        services.spend_check(spend_import=imp)
        return redirect("spend:import_check", slug, imp.pk)
    context = {
        "imp": imp,
        "layouts": list(zip(layouts, forms, _examples(imp, layouts), strict=True)),
        "window": window,
        "errors": error_list([*forms, window], sets=[layout.tables for layout in layouts]),
    }
    return render(request, "spend/import_map.html", context)


@council_view(Perm.IMPORT_SPEND)
def import_check(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    slug = current_council(request).slug
    if imp.status == Status.UPLOADED:
        return redirect("spend:import_map", slug, imp.pk)
    if imp.status not in (Status.CHECKED, Status.FAILED):
        return redirect("spend:import_detail", slug, imp.pk)
    context = {
        "imp": imp,
        "errors": [RowError.from_dict(e) for e in imp.rejected],
        "file_problems": (imp.summary or {}).get("file_problems", 0),
        "layout_rows": _layout_rows(imp),
        "months": sorted((imp.summary or {}).get("months", {}).items()),
        "background": imp.rows_read > background_rows(),
    }
    return render(request, "spend/import_check.html", context)


@council_view(Perm.IMPORT_SPEND)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    slug = current_council(request).slug
    skip = request.POST.get("skip_rejected") == "1"
    retry = imp.status == Status.INTERRUPTED and imp.options.get("interrupted") == "import"
    if imp.rows_read > background_rows() or retry:
        if not start_in_background(spend_import=imp, actor=request.user, skip_rejected=skip):
            messages.error(request, "This import cannot be run now.")
        return redirect("spend:import_detail", slug, imp.pk)
    try:
        outcome = services.spend_import_run(
            council=current_council(request), spend_import=imp, actor=request.user, skip_rejected=skip
        )
    except services.SpendImportError as exc:
        messages.error(request, str(exc))
        return redirect("spend:import_check", slug, imp.pk)
    if not outcome.landed:
        return redirect("spend:import_check", slug, imp.pk)
    messages.success(
        request,
        f"Imported {outcome.imported:,} payments"
        + (
            f"; {outcome.already:,} rows were imported before and were not added again"
            if outcome.already
            else ""
        )
        + ".",
    )
    return redirect("spend:import_detail", slug, imp.pk)


@council_view(Perm.VIEW)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    progress = progress_read(imp.pk) if imp.status in (Status.RUNNING, Status.CHECKING) else None
    percent = 0
    if progress and progress.get("total"):
        percent = min(100, int(progress["done"] * 100 / progress["total"]))
    name = str((progress or {}).get("step", "reading"))
    name = name if name in STEPS else "reading"
    step = {"name": name, "label": STEPS[name], "number": list(STEPS).index(name) + 1, "of": len(STEPS)}
    context = {
        "imp": imp,
        "errors": [RowError.from_dict(e) for e in imp.rejected],
        "layout_rows": _layout_rows(imp),
        "progress": progress,
        "percent": percent,
        "step": step,
        "months": sorted((imp.summary or {}).get("months", {}).items()),
        "can_import": can(request, Perm.IMPORT_SPEND),
    }
    return render(request, "spend/import_detail.html", context)
