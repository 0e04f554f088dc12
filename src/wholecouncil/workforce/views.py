"""Pages of the establishment: the organisation tree, units, imports and partnership cost splits."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.models import OrgUnit, Partnership
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.tabular import RowError, TableError
from wholecouncil.workforce import selectors, services
from wholecouncil.workforce.engine import FIELDS_BY_NAME
from wholecouncil.workforce.forms import MappingForm, UploadForm
from wholecouncil.workforce.models import EstablishmentImport

Status = EstablishmentImport.Status
POSTS_PER_PAGE = 50


def _import(request: HttpRequest, pk: int) -> EstablishmentImport:
    try:
        return selectors.import_get(current_council(request), pk)
    except EstablishmentImport.DoesNotExist as exc:
        raise Http404("No such import") from exc


def _mapping_rows(imp: EstablishmentImport) -> list[tuple[str, str]]:
    return [
        (FIELDS_BY_NAME[name].label, header) for name, header in imp.mapping.items() if name in FIELDS_BY_NAME
    ]


@council_view(Perm.VIEW)
def organisation(request: HttpRequest) -> HttpResponse:
    tree = selectors.org_tree(current_council(request))
    context = {
        "tree": tree,
        "rows": tree.rows(),
        "shared_rows": tree.shared_rows(),
        "can_import": can(request, Perm.IMPORT_ESTABLISHMENT),
    }
    return render(request, "workforce/organisation.html", context)


@council_view(Perm.VIEW)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = selectors.unit_detail(current_council(request), pk)
    except OrgUnit.DoesNotExist as exc:
        raise Http404("No such unit") from exc
    page = Paginator(detail.posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workforce/unit.html", {"detail": detail, "node": detail.unit, "page": page})


@council_view(Perm.VIEW)
def establishment(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    context = {
        "stats": selectors.establishment_stats(council),
        "imports": selectors.imports_for(council)[:50],
        "can_import": can(request, Perm.IMPORT_ESTABLISHMENT),
    }
    return render(request, "workforce/establishment.html", context)


@council_view(Perm.IMPORT_ESTABLISHMENT)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.establishment_upload(
                council=current_council(request),
                file_name=upload.name,
                content=upload.read(),
                actor=request.user,
                sheet=form.cleaned_data["sheet"] or None,
            )
        except services.EstablishmentError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("workforce:import_map", current_council(request).slug, imp.pk)
    return render(request, "workforce/import_upload.html", {"form": form})


@council_view(Perm.IMPORT_ESTABLISHMENT)
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    if imp.status == Status.COMPLETED:
        return redirect("workforce:import_detail", current_council(request).slug, imp.pk)
    initial = MappingForm.initial_for(imp.mapping, imp.options)
    form = MappingForm(request.POST or None, headers=list(imp.headers), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.establishment_check(imp=imp, mapping=form.mapping(), options=form.options())
        return redirect("workforce:import_check", current_council(request).slug, imp.pk)
    try:
        examples = selectors.column_examples(imp)
    except TableError:
        examples = []
    column_fields = [form[f] for f in FIELDS_BY_NAME]
    context = {"imp": imp, "form": form, "column_fields": column_fields, "examples": examples}
    return render(request, "workforce/import_map.html", context)


@council_view(Perm.IMPORT_ESTABLISHMENT)
def import_check(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    if imp.status == Status.UPLOADED:
        return redirect("workforce:import_map", current_council(request).slug, imp.pk)
    if imp.status == Status.COMPLETED:
        return redirect("workforce:import_detail", current_council(request).slug, imp.pk)
    context = {
        "imp": imp,
        "errors": [RowError.from_dict(e) for e in imp.errors],
        "mapping_rows": _mapping_rows(imp),
        "current": selectors.establishment_stats(current_council(request)),
    }
    return render(request, "workforce/import_check.html", context)


@council_view(Perm.IMPORT_ESTABLISHMENT)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    slug = current_council(request).slug
    try:
        summary = services.establishment_commit(imp=imp, actor=request.user)
    except services.EstablishmentError as exc:
        messages.error(request, str(exc))
        return redirect("workforce:import_check", slug, imp.pk)
    messages.success(
        request,
        f"Imported {summary.posts} post{pluralize(summary.posts)} from {imp.file_name}, "
        f"replacing the previous {summary.before['posts']}.",
    )
    return redirect("workforce:import_detail", slug, imp.pk)


@council_view(Perm.VIEW)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    context = {
        "imp": imp,
        "errors": [RowError.from_dict(e) for e in imp.errors],
        "mapping_rows": _mapping_rows(imp),
        "can_import": can(request, Perm.IMPORT_ESTABLISHMENT),
    }
    return render(request, "workforce/import_detail.html", context)


@council_view(Perm.VIEW)
def partnership_costs(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    try:
        costs = selectors.partnership_costs(current_council(request), partnership_pk)
    except Partnership.DoesNotExist as exc:
        raise Http404("No such partnership") from exc
    return render(request, "workforce/partnership_costs.html", {"costs": costs})
