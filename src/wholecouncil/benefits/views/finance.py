"""Finance's pages: the MTFP position and its export, savings required, and budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.benefits import charts, saving_list, selectors, services
from wholecouncil.benefits.engine.mtfp import (
    SAVING_RAG_COLOURS,
    SAVING_RAG_DEFINITIONS,
    SAVING_RAG_LABELS,
    SavingRag,
)
from wholecouncil.benefits.engine.prudence import claims_budget_line
from wholecouncil.benefits.exports import position_workbook
from wholecouncil.benefits.forms import BudgetLineForm, SavingsRequiredForm
from wholecouncil.benefits.models import Benefit, BudgetLine
from wholecouncil.benefits.views.common import disposition, today
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.permissions import can, council_view, current_council

SAVINGS_PER_PAGE = 50


def _chosen_year(chosen: str, years: list[int], day: dt.date) -> int:
    """The year whose savings the MTFP page lists: the one asked for if the position covers it, else this."""
    if chosen.isdigit() and int(chosen) in years:
        return int(chosen)
    return FinancialYear.containing(day).start_year


@council_view(Perm.VIEW)
def mtfp(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    day = today()
    view = selectors.mtfp_position(council, day)
    years = view.position.years
    year = _chosen_year(request.GET.get("year", ""), [y.year.start_year for y in years], day)
    rag = request.GET.get("rag", "")
    wanted = SavingRag(rag) if rag in set(SavingRag) else None
    lines = saving_list.savings_in_year(council, day, year, rag=wanted)
    page = Paginator(lines, SAVINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "position": view.position,
        "years": years,
        "chart": charts.position_chart(years),
        "rag_rows": [
            (SAVING_RAG_LABELS[r], SAVING_RAG_COLOURS[r], [y.rag_counts[r] for y in years]) for r in SavingRag
        ],
        "definitions": [
            (SAVING_RAG_LABELS[r], SAVING_RAG_COLOURS[r], SAVING_RAG_DEFINITIONS[r]) for r in SavingRag
        ],
        "rags": [(r.value, SAVING_RAG_LABELS[r]) for r in SavingRag],
        "year": FinancialYear(year),
        "filters": {"year": str(year), "rag": wanted.value if wanted else ""},
        "page": page,
        "savings": saving_list.saving_details(council, page.object_list, day),
        "has_required": bool(view.required),
        "can_validate": can(request, Perm.VALIDATE_BENEFITS),
    }
    return render(request, "benefits/mtfp.html", context)


@council_view(Perm.VIEW)
def mtfp_xlsx(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    day = today()
    content = position_workbook(council, selectors.mtfp_position(council, day, every_saving=True), day)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = disposition(True, f"{council.slug}-mtfp-position-{day}.xlsx")
    return response


@council_view(Perm.VALIDATE_BENEFITS)
def savings_required(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    existing = selectors.required_by_year(council)
    current = FinancialYear.containing(today()).start_year
    first = min([*existing, current])
    last = max([*existing, current + 4]) + 1
    years = list(range(first, last + 1))
    form = SavingsRequiredForm(request.POST or None, years=years, initial_amounts=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.savings_required_set(council=council, amounts=form.amounts(), actor=request.user)
        except services.BenefitError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Savings required saved.")
            return redirect("benefits:mtfp", council.slug)
    return render(
        request,
        "benefits/simple_form.html",
        {
            "form": form,
            "title": "Savings required by the MTFP",
            "intro": "The savings the Medium Term Financial Plan needs in each year, in pounds. Leave a year "
            "blank if the plan does not cover it.",
            "back_url": "benefits:mtfp",
            "back_text": "the MTFP position",
        },
    )


@council_view(Perm.VIEW)
def budget_lines(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    lines = list(BudgetLine.objects.filter(council=council))
    claims: dict[int, list[Benefit]] = {line.pk: [] for line in lines}
    for b in Benefit.objects.filter(council=council, budget_line__isnull=False).order_by("reference"):
        if claims_budget_line(b.kind, b.state) and b.full_year_value:
            claims[b.budget_line_id].append(b)  # type: ignore[index]
    rows = [
        {
            "line": line,
            "claims": claims[line.pk],
            "claimed": sum((b.full_year_value or Decimal(0) for b in claims[line.pk]), Decimal(0)),
        }
        for line in lines
    ]
    return render(
        request,
        "benefits/budget_lines.html",
        {"rows": rows, "can_validate": can(request, Perm.VALIDATE_BENEFITS)},
    )


def _line_form(request: HttpRequest, line: BudgetLine | None) -> HttpResponse:
    council = current_council(request)
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_save(council=council, data=form.cleaned_data, line=line, actor=request.user)
        except services.BenefitError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Budget line saved.")
            return redirect("benefits:budget_lines", council.slug)
    return render(
        request,
        "benefits/simple_form.html",
        {
            "form": form,
            "title": f"Change {line}" if line else "Add a budget line",
            "back_url": "benefits:budget_lines",
            "back_text": "budget lines",
        },
    )


@council_view(Perm.VALIDATE_BENEFITS)
def budget_line_add(request: HttpRequest) -> HttpResponse:
    return _line_form(request, None)


@council_view(Perm.VALIDATE_BENEFITS)
def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = BudgetLine.objects.filter(council=current_council(request), pk=pk).first()
    if line is None:
        raise Http404("No such budget line")
    return _line_form(request, line)
