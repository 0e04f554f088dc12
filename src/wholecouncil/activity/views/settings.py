"""The council's process list, comparator profiles, and importing answers from a survey tool's export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.activity.forms import ComparatorForm, ImportMappingForm, ImportUploadForm, ProcessForm
from wholecouncil.activity.models import Comparator, Process, ResponseImport
from wholecouncil.activity.services import comparators as comparator_services
from wholecouncil.activity.services import processes as process_services
from wholecouncil.activity.services import response_import
from wholecouncil.activity.services.processes import ensure_processes
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.council.services import DomainError
from wholecouncil.tabular import RowError, TableError, read_table


@council_view(Perm.VIEW)
def process_list(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    rows = list(Process.objects.filter(council=council).select_related("layer"))
    return render(
        request,
        "activity/process_list.html",
        {
            "rows": rows,
            "functions": dict(process_services.HOME_FUNCTIONS),
            "can_edit": can(request, Perm.EDIT_PROCESSES),
        },
    )


def _process(request: HttpRequest, pk: int) -> Process:
    try:
        return Process.objects.select_related("layer", "council").get(council=current_council(request), pk=pk)
    except Process.DoesNotExist as exc:
        raise Http404("No such process") from exc


@council_view(Perm.EDIT_PROCESSES)
def process_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ProcessForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            process_services.process_create(council=council, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, f"Added '{form.cleaned_data['name']}' to the process list.")
            return redirect("activity:process_list", council.slug)
    return render(request, "activity/process_form.html", {"form": form, "process": None})


@council_view(Perm.EDIT_PROCESSES)
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process(request, pk)
    initial = {
        "code": process.code,
        "name": process.name,
        "description": process.description,
        "layer": process.layer,
        "home_function": process.home_function,
    }
    form = ProcessForm(request.POST or None, council=process.council, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            process_services.process_update(process=process, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, f"Saved '{process.name}'.")
            return redirect("activity:process_list", process.council.slug)
    return render(request, "activity/process_form.html", {"form": form, "process": process})


@council_view(Perm.EDIT_PROCESSES)
@require_POST
def process_delete(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process(request, pk)
    try:
        process_services.process_delete(process=process, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed '{process.name}' from the process list.")
    return redirect("activity:process_list", process.council.slug)


@council_view(Perm.VIEW)
def comparators(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    return render(
        request,
        "activity/comparators.html",
        {
            "comparators": Comparator.objects.filter(council=council),
            "can_edit": can(request, Perm.EDIT_PROCESSES),
        },
    )


@council_view(Perm.EDIT_PROCESSES)
def comparator_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ComparatorForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        basis = form.cleaned_data["basis"]
        if basis == Comparator.Basis.LAYER:
            known = set(council.layers.values_list("code", flat=True))
        else:
            known = {p.code for p in ensure_processes(council)}
        try:
            table = read_table(upload.name, upload.read())
        except TableError as exc:
            form.add_error("file", f"{exc.file}: {exc.message}")
        else:
            shares, errors = comparator_services.read_shares(table, known)
            if not errors:
                comparator = comparator_services.comparator_create(
                    council=council,
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    basis=basis,
                    shares=shares,
                    actor=request.user,
                )
                messages.success(request, f"Added the comparator '{comparator.name}'.")
                return redirect("activity:comparators", council.slug)
    return render(request, "activity/comparator_form.html", {"form": form, "errors": errors})


@council_view(Perm.EDIT_PROCESSES)
@require_POST
def comparator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    comparator = Comparator.objects.filter(council=council, pk=pk).first()
    if comparator is None:
        raise Http404("No such comparator")
    comparator_services.comparator_delete(comparator=comparator, actor=request.user)
    messages.success(request, f"Removed the comparator '{comparator.name}'.")
    return redirect("activity:comparators", council.slug)


@council_view(Perm.RUN_SURVEY)
def import_upload(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = response_import.import_upload(
                council=council, file_name=upload.name, content=upload.read(), actor=request.user
            )
        except TableError as exc:
            form.add_error("file", f"{exc.file}: {exc.message}")
        else:
            return redirect("activity:import_map", council.slug, imp.pk)
    imports = ResponseImport.objects.filter(council=council).select_related("survey")[:20]
    return render(request, "activity/import_upload.html", {"form": form, "imports": imports})


@council_view(Perm.RUN_SURVEY)
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    imp = ResponseImport.objects.filter(council=council, pk=pk).first()
    if imp is None:
        raise Http404("No such import")
    if imp.status == ResponseImport.Status.COMPLETED and imp.survey is not None:
        return redirect(reverse("activity:overview", args=[council.slug]) + f"?survey={imp.survey.pk}")
    processes = [
        (p.code, p.name) for p in sorted(ensure_processes(council), key=lambda p: (p.position, p.pk))
    ]
    if request.method == "POST":
        form = ImportMappingForm(request.POST, headers=imp.headers, processes=processes)
    else:
        suggested = response_import.suggested_mapping(imp)
        initial = {f"f_{k}": v for k, v in suggested.items()} | {f"p_{k}": v for k, v in suggested.items()}
        initial["title"] = f"Imported from {imp.file_name}"
        form = ImportMappingForm(initial=initial, headers=imp.headers, processes=processes)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        survey, errors = response_import.import_commit(
            imp=imp, mapping=form.mapping(), title=form.cleaned_data["title"], actor=request.user
        )
        if survey is not None:
            count = survey.respondents.count()
            messages.success(request, f"Imported {count} respondents from {imp.file_name}.")
            return redirect(reverse("activity:overview", args=[council.slug]) + f"?survey={survey.pk}")
    return render(request, "activity/import_map.html", {"form": form, "imp": imp, "errors": errors})
