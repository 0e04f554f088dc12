"""A board pack as PDF: the same body as the page, in one self-contained document rendered by WeasyPrint
(ADR 0005)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from wholecouncil.cases.document import PdfUnavailable


def pack_pdf(context: dict[str, Any]) -> bytes:
    try:
        from weasyprint import HTML  # imported here: loading its fonts and libraries is slow
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDFs cannot be made on this server: WeasyPrint and Debian's pango libraries must be installed. "
            "The HTML board pack works without them."
        ) from exc
    pdf: bytes = HTML(string=render_to_string("reports/pack_document.html", context)).write_pdf()
    return pdf
