"""Board packs as HTML, the portfolio as XLSX and the calendar as iCalendar."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases.document import PdfUnavailable
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.portfolio import boardpack, exports
from wholecouncil.portfolio.views.common import today
from wholecouncil.portfolio.views.dashboard import rag_context


@council_view(Perm.VIEW)
def board_pack(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in boardpack.KINDS:
        raise Http404("No such board pack")
    context = {**boardpack.board_pack(current_council(request), kind, today()), **rag_context()}
    return render(request, "portfolio/board_pack.html", context)


@council_view(Perm.VIEW)
def board_pack_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in boardpack.KINDS:
        raise Http404("No such board pack")
    council = current_council(request)
    try:
        pdf = boardpack.board_pack_pdf(council, kind, today(), rag_context())
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{council.slug}-{kind}-board-pack-{today():%Y-%m}.pdf"'
    )
    return response


@council_view(Perm.VIEW)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    response = HttpResponse(
        exports.portfolio_xlsx(council),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{council.slug}-portfolio-{today():%Y-%m-%d}.xlsx"'
    )
    return response


@council_view(Perm.VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    body = exports.calendar_ics(
        council, timezone.now(), host=request.get_host().split(":")[0] or "wholecouncil"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{council.slug}-portfolio.ics"'
    return response
