"""The portfolio as XLSX and the calendar as iCalendar."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.portfolio import exports
from wholecouncil.portfolio.views.common import today


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
