"""The realisation curve: planned against actual cumulative savings, by programme, category and council."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wholecouncil.accounts.roles import Perm
from wholecouncil.benefits import charts, selectors
from wholecouncil.benefits.engine.categories import CATEGORY_KIND, CATEGORY_LABELS, Kind
from wholecouncil.benefits.realisation import partner_councils, realisation
from wholecouncil.council.models import Council
from wholecouncil.council.permissions import council_view, current_council

WHOLE = "whole"


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _share(chosen: str, council: Council, councils: list[Council]) -> int | None:
    """Whose share the curve shows: the council's own (as in its MTFP position) unless another council's,
    or the whole benefits ("whole"), is asked for."""
    if chosen == WHOLE:
        return None
    pk = _int(chosen)
    return pk if pk in {c.pk for c in councils} else council.pk


@council_view(Perm.VIEW)
def curve(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    filters = {k: request.GET.get(k, "") for k in ("programme", "category", "council")}
    categories = [
        (c.value, label) for c, label in CATEGORY_LABELS.items() if CATEGORY_KIND[c] is not Kind.NON_FINANCIAL
    ]
    category = filters["category"] if filters["category"] in dict(categories) else ""
    councils = partner_councils(council)
    share = _share(filters["council"], council, councils)
    result = realisation(
        council, programme=_int(filters["programme"]), category=category, share_council=share
    )
    share_name = next((f"{c.name}'s share" for c in councils if c.pk == share), "whole benefits")
    plural = "" if result.benefits == 1 else "s"
    context = {
        "result": result,
        "curve_title": (
            "Cumulative planned and actual savings by month"
            f" ({result.benefits} benefit{plural}, {share_name})"
        ),
        "chart": charts.curve_chart(result.points) if result.points else None,
        "filters": filters,
        "programmes": selectors.programmes_of(council),
        "categories": categories,
        "councils": councils,
        "share": share,
        "share_name": share_name,
        "whole": WHOLE,
    }
    return render(request, "benefits/curve.html", context)
