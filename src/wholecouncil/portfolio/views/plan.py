"""A project's plan (milestones with slippage, resources) and the portfolio timeline."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.portfolio import charts, selectors, services
from wholecouncil.portfolio.engine.schedule import MAJOR_SLIPPAGE_DAYS
from wholecouncil.portfolio.forms import AllocationForm, MilestoneForm
from wholecouncil.portfolio.models import Milestone, Programme, ResourceAllocation
from wholecouncil.portfolio.views.common import can_edit, editable_project, own, project_or_404, today


def _window(project_milestones: list[Milestone]) -> tuple[dt.date, dt.date]:
    days = [d for m in project_milestones for d in (m.baseline_date, m.actual_date or m.forecast_date)]
    start, end = min(days), max(days)
    return dt.date(start.year, start.month, 1), end + dt.timedelta(days=15)


@council_view(Perm.VIEW)
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    milestones = list(project.milestones.select_related("project"))
    rows = selectors.milestone_rows(milestones, today())
    chart = charts.timeline(rows, *_window(milestones)) if milestones else None
    context = {
        "project": project,
        "rows": rows,
        "chart": chart,
        "allocations": list(project.allocations.select_related("org_unit")),
        "fte": sum((a.fte for a in project.allocations.all()), start=0),
        "can_edit": can_edit(request, project),
        "major_days": MAJOR_SLIPPAGE_DAYS,
    }
    return render(request, "portfolio/plan.html", context)


def _milestone_form(request: HttpRequest, pk: int, milestone_pk: int | None) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    milestone = None
    if milestone_pk is not None:
        milestone = Milestone.objects.filter(council=council, project=project, pk=milestone_pk).first()
        if milestone is None:
            raise Http404("No such milestone")
    form = MilestoneForm(request.POST or None, instance=milestone, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(
                project=project, data=form.cleaned_data, milestone=milestone, actor=request.user
            )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Milestone saved.")
            return redirect("portfolio:plan", council.slug, project.pk)
    title = "Change the milestone" if milestone else "Add a milestone"
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "title": title, "caption": str(project), "back_href": project},
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _milestone_form(request, pk, None)


@council_view(Perm.EDIT_OWN_PROJECTS)
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    return _milestone_form(request, pk, milestone_pk)


@council_view(Perm.EDIT_OWN_PROJECTS)
def allocation_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    form = AllocationForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_save(project=project, data=form.cleaned_data, actor=request.user)
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Resource added.")
            return redirect("portfolio:plan", council.slug, project.pk)
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "title": "Add a resource", "caption": str(project), "back_href": project},
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
@require_POST
def allocation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = own(request, ResourceAllocation, pk)
    project = editable_project(request, allocation.project_id)
    services.allocation_remove(allocation=allocation, actor=request.user)
    messages.success(request, "Resource removed.")
    return redirect("portfolio:plan", current_council(request).slug, project.pk)


@council_view(Perm.VIEW)
def timeline(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    day = today()
    start = dt.date(day.year, day.month, 1)
    end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
    programme_id = request.GET.get("programme", "")
    pid = int(programme_id) if programme_id.isdigit() else None
    rows = selectors.milestone_rows(selectors.timeline(council, start, end, pid), day)
    context = {
        "rows": rows,
        "chart": charts.timeline(rows, start, end) if rows else None,
        "start": start,
        "end": end,
        "programmes": Programme.objects.filter(council=council),
        "programme_id": programme_id,
        "major_days": MAJOR_SLIPPAGE_DAYS,
    }
    return render(request, "portfolio/timeline.html", context)
