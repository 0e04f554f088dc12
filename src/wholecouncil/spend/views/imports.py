"""Importing spend files: upload, match columns, check, confirm, progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine import FIELDS_BY_NAME, SPEND_FIELDS, SpendSource, open_table
from wholecouncil.spend.forms import MappingForm, UploadForm
from wholecouncil.spend.models import SpendImport
from wholecouncil.spend.services.background import progress_read, start_in_background
from wholecouncil.tabular import RowError, TableError

Status = SpendImport.Status
EXAMPLES = 3


def background_rows() -> int:
    """Imports of more rows than this run in a background thread with a progress page."""
    return int(getattr(settings, "SPEND_BACKGROUND_ROWS", 50_000))


def _import(request: HttpRequest, pk: int) -> SpendImport:
    try:
        return selectors.import_get(current_council(request), pk)
    except SpendImport.DoesNotExist as exc:
        raise Http404("No such import") from exc


def _mapping_rows(imp: SpendImport) -> list[tuple[str, str]]:
    return [(FIELDS_BY_NAME[n].label, h) for n, h in imp.mapping.items() if n in FIELDS_BY_NAME]


def _examples(imp: SpendImport) -> list[tuple[str, list[str]]]:
    first = imp.files.first()
    if first is None:
        return []
    try:
        tables = services.tables_of([SpendSource.from_bytes(first.name, bytes(first.content))])
        table = open_table(tables[0])
    except (TableError, services.SpendImportError, IndexError):
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
    context = {
        "imports": selectors.imports_for(council)[:100],
        "can_import": can(request, Perm.IMPORT_SPEND),
    }
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
    if imp.status in (Status.COMPLETED, Status.RUNNING):
        return redirect("spend:import_detail", slug, imp.pk)
    initial = {**imp.mapping, "window_days": imp.options.get("window_days", 14)}
    form = MappingForm(request.POST or None, headers=list(imp.headers), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.spend_check(
            spend_import=imp, mapping=form.mapping(), window_days=form.cleaned_data["window_days"]
        )
        return redirect("spend:import_check", slug, imp.pk)
    context = {
        "imp": imp,
        "form": form,
        "column_fields": [form[f.name] for f in SPEND_FIELDS],
        "examples": _examples(imp),
    }
    return render(request, "spend/import_map.html", context)


@council_view(Perm.IMPORT_SPEND)
def import_check(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    slug = current_council(request).slug
    if imp.status == Status.UPLOADED:
        return redirect("spend:import_map", slug, imp.pk)
    if imp.status in (Status.COMPLETED, Status.RUNNING):
        return redirect("spend:import_detail", slug, imp.pk)
    context = {
        "imp": imp,
        "errors": [RowError.from_dict(e) for e in imp.rejected],
        "mapping_rows": _mapping_rows(imp),
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
    if imp.rows_read > background_rows():
        start_in_background(spend_import=imp, actor=request.user, skip_rejected=skip)
        return redirect("spend:import_detail", slug, imp.pk)
    try:
        outcome = services.spend_import_run(
            council=current_council(request), spend_import=imp, actor=request.user, skip_rejected=skip
        )
    except services.SpendImportError as exc:
        messages.error(request, str(exc))
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
    progress = progress_read(imp.pk) if imp.status == Status.RUNNING else None
    percent = 0
    if progress and progress.get("total"):
        percent = min(100, int(progress["done"] * 100 / progress["total"]))
    context = {
        "imp": imp,
        "errors": [RowError.from_dict(e) for e in imp.rejected],
        "mapping_rows": _mapping_rows(imp),
        "progress": progress,
        "percent": percent,
        "months": sorted((imp.summary or {}).get("months", {}).items()),
        "can_import": can(request, Perm.IMPORT_SPEND),
    }
    return render(request, "spend/import_detail.html", context)
