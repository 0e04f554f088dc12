"""The business-case document in the Five Case Model structure, as HTML and as PDF.

The HTML is a self-contained page (its own print styles, charts as inline SVG) so it can be printed, saved or
pasted into a cabinet report; the PDF is that same HTML rendered by WeasyPrint (see docs/adr/0005).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from wholecouncil.cases import presentation
from wholecouncil.cases.selectors import CaseFigures, opportunity_table
from wholecouncil.council.models import Layer, Lever

ZERO = Decimal(0)


def _named(totals: Any, names: dict[str, str]) -> list[dict[str, Any]]:
    return [{"name": names.get(t.key, t.key), "low": t.low, "mid": t.mid, "high": t.high} for t in totals]


def document_context(figures: CaseFigures, *, for_pdf: bool = False) -> dict[str, Any]:
    context = presentation.case_context(figures)
    case = figures.case
    council = case.council
    result = context.get("result")
    layers = {x.code: x.name for x in Layer.objects.filter(council=council)}
    levers = {x.code: x.name for x in Lever.objects.filter(council=council)}
    context.update(
        {
            "council": council,
            "for_pdf": for_pdf,
            "today": dt.date.today(),
            "table": opportunity_table(council, figures.baselines),
            "by_layer_named": _named(result.by_layer, layers) if result else [],
            "by_lever_named": _named(result.by_lever, levers) if result else [],
        }
    )
    if result is not None:
        last = result.years[-1]
        context["final_gap"] = last.mtfp_gap
        context["one_off_total"] = sum((y.one_off_costs for y in result.years), ZERO)
        context["recurring_total"] = sum((y.recurring_costs for y in result.years), ZERO)
    return context


def document_html(figures: CaseFigures, *, for_pdf: bool = False) -> str:
    return render_to_string("cases/document.html", document_context(figures, for_pdf=for_pdf))


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the pango libraries it needs are not installed on this server."""


def document_pdf(figures: CaseFigures) -> bytes:
    try:
        from weasyprint import HTML  # imported here: loading its fonts and libraries is slow
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDFs cannot be made on this server: WeasyPrint and Debian's pango libraries "
            "(libpango-1.0-0, libpangoft2-1.0-0) must be installed. The HTML document works without them."
        ) from exc
    pdf: bytes = HTML(string=document_html(figures, for_pdf=True)).write_pdf()
    return pdf
