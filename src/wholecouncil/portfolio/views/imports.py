"""Importing a project register: upload, map the columns, check, and import all rows or none."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.portfolio import services
from wholecouncil.portfolio.engine.register import REGISTER_FIELDS, mapping_problems
from wholecouncil.portfolio.models import ProjectImport
from wholecouncil.portfolio.views.common import own
from wholecouncil.tabular import RowError


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a project register",
        help_text="A CSV or Excel (.xlsx) file with one row per project, up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The chosen file is empty",
        },
    )
    sheet = forms.CharField(
        label="Worksheet name (Excel files only, optional)", required=False, max_length=100
    )


class MappingForm(forms.Form):
    def __init__(self, *args: object, headers: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.headers = headers
        choices = [("", "Not in this file"), *((h, h) for h in headers)]
        for f in REGISTER_FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label + ("" if f.required else " (optional)"), choices=choices, required=False
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for name, message in mapping_problems(self.headers, self.mapping()):
            self.add_error(name, message.split(": ", 1)[-1].capitalize())
        return data

    def mapping(self) -> dict[str, str]:
        return {
            f.name: self.cleaned_data.get(f.name, "")
            for f in REGISTER_FIELDS
            if self.cleaned_data.get(f.name)
        }


@council_view(Perm.MANAGE_PORTFOLIO)
def import_upload(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.register_upload(
                council=council,
                file_name=upload.name,
                content=upload.read(),
                actor=request.user,
                sheet=form.cleaned_data["sheet"] or None,
            )
        except services.PortfolioDomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("portfolio:import_map", council.slug, imp.pk)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Import a project register",
            "intro": (
                "Columns are mapped in the next step. Programmes and workstreams are matched by their short "
                "code or name, project managers by their username, stages by number or name. Nothing is "
                "imported until every row checks cleanly, and then every row is imported at once."
            ),
            "back_url": "portfolio:projects",
            "back_text": "Projects",
            "submit_label": "Upload",
            "multipart": True,
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    imp = own(request, ProjectImport, pk)
    if imp.status == ProjectImport.Status.COMPLETED:
        return redirect("portfolio:import_check", council.slug, imp.pk)
    form = MappingForm(request.POST or None, headers=list(imp.headers), initial=imp.mapping)
    if request.method == "POST" and form.is_valid():
        services.register_check(imp=imp, mapping=form.mapping())
        return redirect("portfolio:import_check", council.slug, imp.pk)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Which column holds what",
            "caption": f"{imp.file_name}: {imp.row_count} rows",
            "back_url": "portfolio:import_upload",
            "back_text": "Upload",
            "submit_label": "Check the file",
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
def import_check(request: HttpRequest, pk: int) -> HttpResponse:
    imp = own(request, ProjectImport, pk)
    context = {"imp": imp, "errors": [RowError.from_dict(e) for e in imp.errors]}
    return render(request, "portfolio/import_check.html", context)


@council_view(Perm.MANAGE_PORTFOLIO)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    imp = own(request, ProjectImport, pk)
    try:
        n = services.register_commit(imp=imp, actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
        return redirect("portfolio:import_check", council.slug, imp.pk)
    messages.success(request, f"Imported {n} projects from {imp.file_name}.")
    return redirect("portfolio:projects", council.slug)
