"""Board packs from live data: the monthly board pack, the quarterly steering-group report and the annual
cabinet summary. Each is one read of the portfolio; the page that shows it adds nothing of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.template.loader import render_to_string

from wholecouncil.cases.document import PdfUnavailable
from wholecouncil.council.models import Council
from wholecouncil.portfolio import charts, selectors
from wholecouncil.portfolio.engine import status
from wholecouncil.portfolio.models import GateDecision, HighlightReport, Milestone

KINDS = {
    "monthly": ("Transformation board pack", 1),
    "quarterly": ("Councillor steering-group report", 3),
    "annual": ("Cabinet annual summary", 12),
}
NARRATIVES = 60


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str


def period(kind: str, today: dt.date) -> Period:
    months = KINDS[kind][1]
    first = selectors.months_back(today, months)[0]
    label = f"{today:%B %Y}" if months == 1 else f"{first:%B %Y} to {today:%B %Y}"
    return Period(first, today, label)


def board_pack(council: Council, kind: str, today: dt.date) -> dict[str, Any]:
    title, months = KINDS[kind]
    span = period(kind, today)
    board = selectors.dashboard(council, today)
    trend = selectors.rag_trend(council, selectors.months_back(today, max(months, 12)))
    decisions = list(
        GateDecision.objects.filter(council=council, decided_at__date__gte=span.start)
        .select_related("project")
        .annotate(n_conditions=Count("conditions"))
        .order_by("-decided_at")[:200]
    )
    decision_counts = {
        label: 0 for label in ("Approve", "Approve with conditions", "Defer", "Reject", "Stop")
    }
    for d in decisions:
        decision_counts[d.get_decision_display()] = decision_counts.get(d.get_decision_display(), 0) + 1
    latest_month = (
        HighlightReport.objects.filter(council=council, project__isnull=False, status__in=selectors.REPORTED)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    concerns: list[HighlightReport] = []
    programme_reports: list[HighlightReport] = []
    if latest_month is not None:
        concerns = list(
            HighlightReport.objects.filter(
                council=council,
                project__isnull=False,
                month=latest_month,
                status__in=selectors.REPORTED,
                rag__in=[status.Rag.RED, status.Rag.AMBER],
            )
            .select_related("project")
            .order_by("-rag", "project__code")[:NARRATIVES]
        )
        programme_reports = list(
            HighlightReport.objects.filter(
                council=council, programme__isnull=False, month=latest_month, status__in=selectors.REPORTED
            ).select_related("programme")
        )
    slipped = list(
        Milestone.objects.filter(
            council=council, actual_date__isnull=True, forecast_date__gt=F("baseline_date")
        )
        .select_related("project")
        .annotate(slip=F("forecast_date") - F("baseline_date"))
        .order_by("-slip", "forecast_date")[:25]
    )
    upcoming_end = today + dt.timedelta(days=31 * months)
    upcoming = selectors.milestone_rows(selectors.timeline(council, today, upcoming_end)[:40], today)
    closed_in_period = (
        GateDecision.objects.filter(
            council=council, decided_at__date__gte=span.start, project__status="closed"
        )
        .filter(Q(decision="approve"))
        .values("project")
        .distinct()
        .count()
    )
    return {
        "title": title,
        "kind": kind,
        "period": span,
        "board": board,
        "stage_chart": charts.bars([(f"{r.number} {r.name}", r.open) for r in board.stage_rows]),
        "trend": trend,
        "trend_chart": charts.stacked_rag(trend),
        "decisions": decisions,
        "decision_counts": decision_counts,
        "latest_month": latest_month,
        "concerns": concerns,
        "programme_reports": programme_reports,
        "slipped": [(m, m.slip.days if hasattr(m.slip, "days") else int(m.slip)) for m in slipped],
        "upcoming": upcoming,
        "programme_rows": selectors.programme_rows(council),
        "workstream_rows": selectors.workstream_rows(council),
        "closed_in_period": closed_in_period,
        "generated": today,
    }


def board_pack_pdf(council: Council, kind: str, today: dt.date, extra: dict[str, Any]) -> bytes:
    """The board pack as PDF: one self-contained page rendered by WeasyPrint, as in ADR 0005."""
    try:
        from weasyprint import HTML  # imported here: loading its fonts and libraries is slow
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDFs cannot be made on this server: WeasyPrint and Debian's pango libraries must be installed. "
            "The HTML board pack works without them."
        ) from exc
    context = {**board_pack(council, kind, today), **extra, "council": council}
    pdf: bytes = HTML(string=render_to_string("portfolio/board_pack_document.html", context)).write_pdf()
    return pdf
