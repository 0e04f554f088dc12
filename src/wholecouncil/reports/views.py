"""The reports page and the board packs, as pages and as PDFs. Councillors read them; nobody changes
anything here."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases.document import PdfUnavailable
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.portfolio.views.dashboard import rag_context
from wholecouncil.reports import packs
from wholecouncil.reports.engine import KINDS, Period, parse_period, period_containing, recent_periods
from wholecouncil.reports.pdf import pack_pdf

# How many periods the chooser offers, newest first.
CHOICES = {"monthly": 12, "quarterly": 8, "annual": 5}


def _period(request: HttpRequest, kind: str) -> Period:
    if kind not in KINDS:
        raise Http404("No such board pack")
    day = timezone.localdate()
    key = request.GET.get("period", "")
    if not key:
        return period_containing(kind, day)
    found = parse_period(kind, key, day)
    if found is None:
        raise Http404("No such period")
    return found


def _context(request: HttpRequest, kind: str) -> dict[str, Any]:
    period = _period(request, kind)
    council = current_council(request)
    return {**packs.board_pack(council, period, timezone.localdate()), **rag_context(), "council": council}


@council_view(Perm.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    return render(
        request,
        "reports/index.html",
        {"packs": [(pack, period_containing(pack.slug, day)) for pack in KINDS.values()]},
    )


@council_view(Perm.VIEW)
def board_pack(request: HttpRequest, kind: str) -> HttpResponse:
    context = _context(request, kind)
    context["choices"] = recent_periods(kind, timezone.localdate(), CHOICES[kind])
    return render(request, "reports/pack.html", context)


@council_view(Perm.VIEW)
def board_pack_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    context = _context(request, kind)
    try:
        pdf = pack_pdf(context)
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    period = context["period"]
    response["Content-Disposition"] = (
        f'attachment; filename="{context["council"].slug}-{kind}-board-pack-{period.key}.pdf"'
    )
    return response
