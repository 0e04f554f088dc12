"""The case's outputs: the workbook with live formulas, and the business-case document in HTML and PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases import document as doc
from wholecouncil.cases import selectors
from wholecouncil.cases import workbook as wb
from wholecouncil.council.permissions import council_view, current_council


def _figures(request: HttpRequest, pk: int) -> selectors.CaseFigures:
    case = selectors.case_get(current_council(request), pk)
    wanted = request.GET.get("option", "")
    option_pk = selectors.option_get(case, int(wanted)).pk if wanted.isdigit() else None
    return selectors.case_figures(case, option_pk)


def _filename(figures: selectors.CaseFigures, ext: str) -> str:
    name = slugify(figures.case.name) or "business-case"
    option = slugify(figures.shown.option.name) if figures.shown else ""
    return f"{name}-{option}.{ext}" if option else f"{name}.{ext}"


@council_view(Perm.VIEW)
def workbook(request: HttpRequest, pk: int) -> HttpResponse:
    figures = _figures(request, pk)
    try:
        content = wb.case_workbook(figures)
    except ValueError as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, "xlsx")}"'
    return response


@council_view(Perm.VIEW)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    figures = _figures(request, pk)
    return HttpResponse(doc.document_html(figures))


@council_view(Perm.VIEW)
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    figures = _figures(request, pk)
    try:
        pdf = doc.document_pdf(figures)
    except doc.PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, "pdf")}"'
    return response
