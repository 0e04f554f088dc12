"""Pages of the activity analysis: where staff time goes, by process, unit, directorate and layer.

Every page works on one closed survey with answers (the newest unless `?survey=` picks another) and shows only
figures for groups large enough to publish (see `results`). An open survey has no results yet: the pages say
when they will appear, and its page shows the response rates.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from wholecouncil.accounts.roles import Perm
from wholecouncil.activity import selectors
from wholecouncil.activity.engine import DEFAULT_THRESHOLD_FTE
from wholecouncil.activity.exports import baseline_workbook
from wholecouncil.activity.models import Comparator
from wholecouncil.activity.spans import spans_of_control
from wholecouncil.council.permissions import can, council_view, current_council

HEAT_BUCKETS = 5
SECTION_LINKS = (
    ("overview", "Summary"),
    ("processes", "Processes"),
    ("heatmap", "Directorates"),
    ("fragmentation", "Fragmentation"),
    ("units", "Units and responses"),
    ("spans", "Spans of control"),
    ("surveys", "Surveys"),
)


def section_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The activity section's own menu, keeping the chosen survey."""
    slug = current_council(request).slug
    current = request.resolver_match.url_name if request.resolver_match else ""
    survey = request.GET.get("survey", "")
    links = []
    for name, text in SECTION_LINKS:
        href = reverse(f"activity:{name}", args=[slug])
        if survey and name not in ("spans", "surveys"):
            href += f"?survey={survey}"
        links.append({"href": href, "text": text, "current": name == current})
    return links


def _selection(request: HttpRequest, *, threshold: float = DEFAULT_THRESHOLD_FTE) -> dict[str, Any]:
    council = current_council(request)
    surveys = selectors.surveys_with_results(council)
    survey = surveys[0] if surveys else None
    wanted = request.GET.get("survey", "")
    if wanted:
        survey = next((s for s in surveys if str(s.pk) == wanted), None)
        if survey is None:
            raise Http404("No such closed survey with answers")
    result = selectors.survey_baseline(council, survey, threshold_fte=threshold) if survey else None
    return {
        "surveys": surveys,
        "in_progress": selectors.surveys_in_progress(council),
        "survey": survey,
        "result": result,
        "survey_query": f"?survey={survey.pk}" if survey and survey != surveys[0] else "",
        "can_run_survey": can(request, Perm.RUN_SURVEY),
        "can_edit_processes": can(request, Perm.EDIT_PROCESSES),
        "section_links": section_links(request),
    }


@council_view(Perm.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    context = _selection(request)
    council = current_council(request)
    comparators = list(Comparator.objects.filter(council=council))
    comparator = None
    wanted = request.GET.get("comparator", "")
    if wanted:
        comparator = next((c for c in comparators if str(c.pk) == wanted), None)
        if comparator is None:
            raise Http404("No such comparator")
    result = context["result"]
    if result is not None:
        context["layers"] = result.layer_rows()
        context["totals"] = result.totals()
        if comparator is not None:
            context["comparison"] = result.comparison(comparator)
    context.update({"comparators": comparators, "comparator": comparator})
    return render(request, "activity/overview.html", context)


@council_view(Perm.VIEW)
def processes(request: HttpRequest) -> HttpResponse:
    context = _selection(request)
    if context["result"] is not None:
        rows = context["result"].process_rows()
        context["rows"] = sorted(rows, key=lambda r: -(r["fte"] or 0))
    return render(request, "activity/processes.html", context)


@council_view(Perm.VIEW)
def process(request: HttpRequest, code: str) -> HttpResponse:
    context = _selection(request)
    result = context["result"]
    if result is None:
        raise Http404("No closed survey with answers")
    row = next((r for r in result.process_rows() if r["code"] == code), None)
    if row is None:
        raise Http404("No such process in this survey")
    context.update(
        {
            "process": row,
            "units": [] if result.everyone_hidden else result.process_by_unit(code),
            "fragmentation": next((r for r in result.fragmentation_rows() if r["code"] == code), None),
        }
    )
    return render(request, "activity/process.html", context)


def _heat(value: Decimal | None, peak: float) -> int:
    if value is None or peak <= 0 or value <= 0:
        return 0
    return max(1, min(HEAT_BUCKETS, int(float(value) / peak * HEAT_BUCKETS + 0.999)))


@council_view(Perm.VIEW)
def heatmap(request: HttpRequest) -> HttpResponse:
    context = _selection(request)
    result = context["result"]
    if result is not None:
        columns, rows = result.by_directorate()
        _, layer_rows = result.layer_by_directorate()
        _shade(rows)
        _shade(layer_rows)
        context.update(
            {
                "columns": columns,
                "rows": rows,
                "layer_rows": layer_rows,
                "hidden_columns": any(result.node_hidden(d) for d in result.directorates),
            }
        )
    return render(request, "activity/heatmap.html", context)


def _shade(rows: list[dict[str, Any]]) -> None:
    """Heat bands for each cell's FTE and cost, relative to the largest in the table."""
    cells = [c for r in rows for c in r["cells"]]
    peak_fte = max((float(c.fte) for c in cells if c.fte is not None), default=0.0)
    peak_cost = max((float(c.cost) for c in cells if c.cost is not None), default=0.0)
    for c in cells:
        c.heat = _heat(c.fte, peak_fte)
        c.cost_heat = _heat(c.cost, peak_cost)


def _threshold(request: HttpRequest) -> tuple[float, str]:
    text = request.GET.get("threshold", "").strip()
    if not text:
        return DEFAULT_THRESHOLD_FTE, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return DEFAULT_THRESHOLD_FTE, "Enter the threshold as a number of FTE, like 0.5"
    if value <= 0 or value > 100:
        return DEFAULT_THRESHOLD_FTE, "Enter a threshold more than 0 and at most 100 FTE"
    return float(value), ""


@council_view(Perm.VIEW)
def fragmentation(request: HttpRequest) -> HttpResponse:
    threshold, error = _threshold(request)
    context = _selection(request, threshold=threshold)
    result = context["result"]
    context.update({"threshold": request.GET.get("threshold", "") or DEFAULT_THRESHOLD_FTE, "error": error})
    if result is not None:
        rows = result.fragmentation_rows()
        context["rows"] = rows
        context["multi_directorate"] = [r for r in rows if (r["directorates"] or 0) >= 2]
    return render(request, "activity/fragmentation.html", context)


@council_view(Perm.VIEW)
def units(request: HttpRequest) -> HttpResponse:
    context = _selection(request)
    if context["result"] is not None:
        context["rows"] = context["result"].unit_rows()
    return render(request, "activity/units.html", context)


@council_view(Perm.VIEW)
def spans(request: HttpRequest) -> HttpResponse:
    context = {"spans": spans_of_control(current_council(request)), "section_links": section_links(request)}
    return render(request, "activity/spans.html", context)


@council_view(Perm.VIEW)
def export(request: HttpRequest) -> HttpResponse:
    context = _selection(request)
    result = context["result"]
    if result is None:
        raise Http404("No closed survey with answers")
    council = current_council(request)
    content = baseline_workbook(council, result, comparators=list(Comparator.objects.filter(council=council)))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="activity-baseline-{council.slug}-{result.survey.pk}.xlsx"'
    )
    return response
